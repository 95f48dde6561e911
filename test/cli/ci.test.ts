// `kforge ci` end to end, as a CI job runs it: a real git repository, buildah, a docker-registry on a free
// loopback port, a fake scanner script and a local HTTP server standing in for a Slack webhook.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { execa } from 'execa';
import { tempRepo, type TempRepo } from '../git/fixture.js';
import { requireTool, startRegistry, type TestRegistry } from '../images/helpers.js';
import { kforge } from '../ci/run-cli.js';
import type { CiResult } from '../../src/ci/run.js';

// buildah in unprivileged sandboxes: chroot isolation for RUN, vfs storage (as the images tests).
const buildahEnv = { BUILDAH_ISOLATION: process.env.BUILDAH_ISOLATION ?? 'chroot', STORAGE_DRIVER: process.env.STORAGE_DRIVER ?? 'vfs' };
const BUSYBOX = '/bin/busybox';

let reg: TestRegistry | undefined;
let hook: { url: string; bodies: { text: string; kforge: { outcome: string; environments: string[]; images: string[]; error?: string; sourceCommit: string } }[]; close(): Promise<void> } | undefined;
const built = new Set<string>();

test.after(async () => {
  await reg?.stop();
  await hook?.close();
  if (built.size) await execa('buildah', ['rmi', '--force', ...built], { env: { ...process.env, ...buildahEnv }, reject: false });
});

async function startWebhook(): Promise<NonNullable<typeof hook>> {
  const bodies: NonNullable<typeof hook>['bodies'] = [];
  const server = http.createServer((req, res) => {
    let data = '';
    req.on('data', (c) => (data += c));
    req.on('end', () => {
      bodies.push(JSON.parse(data));
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/services/T000/B000/secret`, bodies, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

const deployment = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: web
        image: coolapp
`;

// The scanner: logs what it was asked to scan; fails, like trivy with --exit-code 1, for images matching $SCAN_FAIL.
const scanner = `#!/bin/sh
echo "$1 $2" >> "$SCAN_LOG"
if [ -n "$SCAN_FAIL" ] && [ "$1" = "$SCAN_FAIL" ]; then echo "CRITICAL: CVE-2026-0001 in $2"; exit 1; fi
echo "no findings in $2"
`;

function project(host: string): Record<string, string> {
  return {
    'kforge.yaml': `apiVersion: kforge.dev/v1alpha1
kind: Project
registry: ${host}/coolapp
images:
  - {name: coolapp-base, context: app/base}
  - {name: coolapp, context: app}
environments:
  dev: {path: overlays/dev, branches: [main]}
  prod: {path: overlays/prod, branches: [production]}
release: {branch: release}
scan: sh ci/scanner.sh {name} {image}
notify:
  webhook: {urlEnv: KFORGE_TEST_WEBHOOK}
`,
    '.gitignore': '.kforge-cache/\n',
    'ci/scanner.sh': scanner,
    'app/base/Dockerfile': 'FROM scratch\nCOPY busybox /bin/busybox\nRUN ["/bin/busybox", "--install", "-s", "/bin"]\n',
    'app/Dockerfile': 'FROM coolapp-base\nCOPY server.sh /bin/server\n',
    'app/.dockerignore': 'base/\n',
    'app/server.sh': '#!/bin/sh\necho hello\n',
    'base/kustomization.yaml': 'resources:\n- deployment.yaml\n',
    'base/deployment.yaml': deployment,
    'overlays/dev/kustomization.yaml': 'namespace: coolapp-dev\nresources:\n- ../../base\n',
    'overlays/prod/kustomization.yaml': 'namespace: coolapp-prod\nresources:\n- ../../base\n',
  };
}

const json = (stdout: string) => JSON.parse(stdout) as CiResult;
const actions = (r: CiResult) => Object.fromEntries(r.images.map((i) => [i.name, i.action]));
const scanned = (log: string) => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : []);

test('kforge ci builds and releases, then does nothing and says so, then rebuilds only the changed app image and releases; a scan finding stops the release', async () => {
  const ok = (await requireTool('buildah')) && (await requireTool('docker-registry', ['--version'])) && (await requireTool(BUSYBOX, ['true']));
  if (!ok) return;
  reg = await startRegistry();
  hook = await startWebhook();
  const repo: TempRepo = tempRepo(project(reg.host));
  fs.copyFileSync(BUSYBOX, path.join(repo.dir, 'app/base/busybox'));
  fs.chmodSync(path.join(repo.dir, 'app/base/busybox'), 0o755);
  repo.commit({}, 'add the busybox binary');
  const log = path.join(repo.dir, '.kforge-cache', 'scan.log');
  const env = { ...buildahEnv, SCAN_LOG: log, KFORGE_TEST_WEBHOOK: hook.url, GITHUB_REF_NAME: 'main', GITHUB_REF: 'refs/heads/main' };
  const ci = async (extra: Record<string, string> = {}, ...args: string[]) => {
    const r = await kforge(repo.dir, ['ci', ...args], { ...env, ...extra });
    if (r.exitCode === 0 && args.includes('json')) for (const i of json(r.stdout).images) built.add(i.reference);
    return r;
  };

  // 1. First run: both images are built (base first), scanned, and dev (main's environment) is released.
  const first = await ci({}, '--output', 'json');
  assert.is(first.exitCode, 0, first.stderr);
  const r1 = json(first.stdout);
  assert.equal(actions(r1), { 'coolapp-base': 'built', coolapp: 'built' });
  assert.equal(r1.environments, ['dev']);
  assert.is(r1.branchSource, 'GITHUB_REF_NAME');
  assert.ok(r1.release?.commit, 'a release commit');
  assert.equal(r1.scans.map((s) => [s.name, s.passed]), [['coolapp-base', true], ['coolapp', true]]);
  const app = r1.images.find((i) => i.name === 'coolapp')!;
  const released = repo.git('show', 'release:dev/coolapp-dev_deployment.apps_web.yaml');
  assert.match(released, `image: ${app.reference}@${app.digest}`);
  assert.is(repo.git('ls-tree', '--name-only', 'release').split('\n').includes('prod'), false, 'prod follows the production branch, not main');
  assert.equal(scanned(log), [`coolapp-base ${r1.images[0].reference.split(':').slice(0, -1).join(':')}@${r1.images[0].digest}`, `coolapp ${app.reference.split(':').slice(0, -1).join(':')}@${app.digest}`]);
  assert.is(hook.bodies.length, 1);
  assert.is(hook.bodies[0].kforge.outcome, 'released');
  assert.equal(hook.bodies[0].kforge.environments, ['dev']);
  assert.match(hook.bodies[0].text, 'kforge released dev from');
  assert.ok(hook.bodies[0].kforge.images.includes(`${app.reference}@${app.digest}`), JSON.stringify(hook.bodies[0]));
  const tip1 = repo.git('rev-parse', 'release');

  // 2. Nothing changed: a fast no-op that says so, without scanning, releasing or notifying.
  const second = await ci();
  assert.is(second.exitCode, 0, second.stderr);
  assert.match(second.stderr, 'nothing changed since the last run');
  assert.is(second.stderr.trim().split('\n').length, 2, 'two lines: the branch and why nothing is done');
  assert.is(repo.git('rev-parse', 'release'), tip1);
  assert.is(scanned(log).length, 2);
  assert.is(hook.bodies.length, 1);
  // Without the record of the last run (a fresh runner), the registry and the release branch give the same answer.
  const recheck = await ci({}, '--recheck', '--output', 'json');
  assert.is(recheck.exitCode, 0, recheck.stderr);
  assert.equal(actions(json(recheck.stdout)), { 'coolapp-base': 'present', coolapp: 'present' });
  assert.is(json(recheck.stdout).outcome, 'unchanged');
  assert.is(repo.git('rev-parse', 'release'), tip1);

  // 3. A commit to the app: only the app image is rebuilt, and dev is released with its new tag.
  repo.commit({ 'app/server.sh': '#!/bin/sh\necho hello, world\n' }, 'app: greet the world');
  const third = await ci({}, '--output', 'json');
  assert.is(third.exitCode, 0, third.stderr);
  const r3 = json(third.stdout);
  assert.equal(actions(r3), { 'coolapp-base': 'present', coolapp: 'built' });
  const app3 = r3.images.find((i) => i.name === 'coolapp')!;
  assert.is.not(app3.tag, app.tag);
  assert.equal(r3.release?.changes.map((c) => [c.env, c.modified]), [['dev', ['dev/coolapp-dev_deployment.apps_web.yaml']]]);
  assert.match(repo.git('show', 'release:dev/coolapp-dev_deployment.apps_web.yaml'), `image: ${app3.reference}@${app3.digest}`);
  assert.is(hook.bodies.length, 2);

  // 4. The scanner finds something in the next app image: the run fails naming the image, nothing is released.
  repo.commit({ 'app/server.sh': '#!/bin/sh\necho vulnerable\n' }, 'app: a vulnerable change');
  const tip3 = repo.git('rev-parse', 'release');
  const fourth = await ci({ SCAN_FAIL: 'coolapp' }, '--output', 'json');
  assert.is(fourth.exitCode, 1, fourth.stderr);
  assert.equal([JSON.parse(fourth.stdout).outcome, JSON.parse(fourth.stdout).exitCode], ['failed', 1], 'scripts get an answer on stdout too');
  assert.match(fourth.stderr, /kforge: scan failed for coolapp \(127\.0\.0\.1:\d+\/coolapp\/coolapp@sha256:[0-9a-f]{64}: exit code 1\); nothing was released/);
  assert.match(fourth.stderr, 'CRITICAL: CVE-2026-0001');
  assert.is(repo.git('rev-parse', 'release'), tip3);
  assert.is(hook.bodies.length, 3);
  assert.is(hook.bodies[2].kforge.outcome, 'failed');
  assert.match(hook.bodies[2].kforge.error ?? '', 'scan failed for coolapp');

  // 5. The image is in the registry now, but it never passed a scan: the next run scans it again before releasing.
  const fifth = await ci({}, '--output', 'json');
  assert.is(fifth.exitCode, 0, fifth.stderr);
  const r5 = json(fifth.stdout);
  assert.equal(actions(r5), { 'coolapp-base': 'present', coolapp: 'present' });
  assert.equal(r5.scans.map((s) => [s.name, s.passed]), [['coolapp', true]]);
  assert.ok(r5.release?.commit);
  for (const r of [r3, r5]) for (const i of r.images) built.add(i.reference);
  repo.remove();
});

test.run();
