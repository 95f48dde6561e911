// `kforge apply` as a user runs it: the CLI in a child process, the real kubectl, the fake API server.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { kubectlAvailable, makeRepo, sampleProject, startCluster, writes, type Cluster } from '../apply/helpers.js';

const enabled = kubectlAvailable('test/cli/apply.test.ts');
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const main = path.join(root, 'src/cli/main.ts');
// Children run in temporary repositories, where the bare name 'tsx' does not resolve.
const tsx = import.meta.resolve('tsx');

async function kforge(cwd: string, args: string[], env: Record<string, string> = {}) {
  const r = await execa(process.execPath, ['--import', tsx, main, ...args], {
    cwd, reject: false, env: { ...env, NO_COLOR: '1' }, stdin: 'ignore',
  });
  return { code: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

async function withCluster(fn: (c: Cluster) => Promise<void>, contexts = ['kind-dev', 'prod']) {
  const c = await startCluster(contexts);
  try {
    await fn(c);
  } finally {
    await c.close();
  }
}

/** The bundled example (kforge.yaml, base/, overlays/, app/) committed into a fresh repository. */
function bundledExample(): string {
  const files: Record<string, string> = {};
  const walk = (rel: string) => {
    const abs = path.join(root, rel);
    if (!fs.existsSync(abs)) return;
    if (fs.statSync(abs).isDirectory()) for (const f of fs.readdirSync(abs)) walk(path.join(rel, f));
    else files[rel] = fs.readFileSync(abs, 'utf8');
  };
  for (const p of ['kforge.yaml', 'base', 'overlays', 'app']) walk(p);
  return makeRepo(files);
}

test('--help lists the flags with examples', async () => {
  const r = await kforge(root, ['apply', '--help']);
  assert.equal(r.code, 0);
  for (const flag of ['--env', '--dry-run', '--prune', '--prune-namespaces', '--yes', '--confirm-env', '--from-release', '--allow-dirty', '--timeout', '--output', '--kubeconfig', '--force-conflicts']) {
    assert.ok(r.stdout.includes(flag), `help mentions ${flag}`);
  }
  assert.match(r.stdout, /Examples:/);
});

test('a missing kubectl is a clear error', async () => {
  const repo = makeRepo(sampleProject());
  const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'kforge-nopath-'));
  const r = await kforge(repo, ['apply', '--env', 'dev', '--yes'], { PATH: empty });
  fs.rmSync(empty, { recursive: true, force: true });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /kforge: kubectl not found: 'kubectl' is not on PATH \(install kubectl 1\.27 or newer/);
});

test('a kubectl older than 1.27 is a clear error', async () => {
  const repo = makeRepo(sampleProject());
  // A fake executable: no old kubectl can run on this machine.
  const bin = fs.mkdtempSync(path.join(os.tmpdir(), 'kforge-oldkubectl-'));
  fs.writeFileSync(path.join(bin, 'kubectl'), '#!/bin/sh\necho \'{"clientVersion":{"major":"1","minor":"25","gitVersion":"v1.25.16"}}\'\n', { mode: 0o755 });
  const r = await kforge(repo, ['apply', '--env', 'dev', '--yes'], { PATH: `${bin}${path.delimiter}${process.env.PATH}` });
  fs.rmSync(bin, { recursive: true, force: true });
  assert.equal(r.code, 2);
  assert.match(r.stderr, /kubectl v1\.25\.16 is too old: kforge apply needs 1\.27 or newer/);
});

test('an invalid --timeout is refused', async () => {
  const r = await kforge(root, ['apply', '--env', 'dev', '--timeout', '10']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /invalid duration '10' for --timeout \(use a duration such as 90s, 5m or 1h30m\)/);
});

if (enabled) {
  test('apply deploys the image tag render computes, even with git-ignored build inputs', async () => {
    const repo = bundledExample();
    // The example's base image copies in a busybox binary that git ignores: the tag depends on it.
    fs.writeFileSync(path.join(repo, 'app', 'base', 'busybox'), 'not really busybox, but ignored by git all the same\n');
    const rendered = await kforge(repo, ['render', '--env', 'dev', '--stdout']);
    assert.equal(rendered.code, 0, rendered.stderr);
    const tag = rendered.stdout.match(/image: (\S+\/coolapp:\w+)/)![1];
    await withCluster(async (c) => {
      const r = await kforge(repo, ['apply', '--env', 'dev', '--dry-run', '--kubeconfig', c.kubeconfig], { KUBECACHEDIR: c.cacheDir });
      assert.equal(r.code, 0, r.stderr);
      assert.ok(r.stdout.includes(`image: ${tag}`), `apply shows ${tag}`);
    });
  });

  test('kforge apply --env dev --dry-run works on the bundled example', async () => {
    const repo = bundledExample();
    await withCluster(async (c) => {
      const r = await kforge(repo, ['apply', '--env', 'dev', '--dry-run', '--kubeconfig', c.kubeconfig], { KUBECACHEDIR: c.cacheDir });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /target: context 'kind-dev'/);
      assert.match(r.stderr, /dry run: nothing was changed/);
      // The database (wave 0) is planned before the app (wave 1).
      const wave0 = r.stderr.split('\n').find((l) => l.startsWith('wave 0:')) ?? '';
      const wave1 = r.stderr.split('\n').find((l) => l.startsWith('wave 1:')) ?? '';
      assert.match(wave0, /Deployment coolapp-dev\/coolapp-db/);
      assert.match(wave1, /Deployment coolapp-dev\/coolapp\b/);
      assert.match(r.stdout, /\+kind: Namespace/);
      // The same render as `kforge render`: the project's image pinned to its content-hash tag.
      assert.match(r.stdout, /\+\s+image: \S+\/coolapp:\w+/);
      assert.equal(writes(c.server).length, 0);
    });
  });

  test('a protected environment refuses --yes alone with exit code 2 and no request', async () => {
    const repo = makeRepo(sampleProject());
    await withCluster(async (c) => {
      const r = await kforge(repo, ['apply', '--env', 'prod', '--yes', '--kubeconfig', c.kubeconfig], { KUBECACHEDIR: c.cacheDir });
      assert.equal(r.code, 2);
      assert.match(r.stderr, /kforge: environment 'prod' is protected: --yes alone is refused \(add --confirm-env prod to apply without a prompt\)/);
      assert.equal(c.server.log.length, 0);
    });
  });

  test('--output json reports per-resource outcomes on stdout and the diff on stderr', async () => {
    const repo = makeRepo(sampleProject());
    await withCluster(async (c) => {
      const r = await kforge(repo, ['apply', '--env', 'dev', '--yes', '--output', 'json', '--kubeconfig', c.kubeconfig], { KUBECACHEDIR: c.cacheDir });
      assert.equal(r.code, 0, r.stderr);
      const report = JSON.parse(r.stdout) as { env: string; context: string; changed: boolean; resources: { kind: string; name: string; wave: string; action: string; outcome: string }[] };
      assert.equal(report.env, 'dev');
      assert.equal(report.context, 'kind-dev');
      assert.equal(report.changed, true);
      assert.equal(report.resources.map((x) => `${x.kind}/${x.name} wave ${x.wave} ${x.action} ${x.outcome}`), [
        'Namespace/shop-dev wave prerequisites create applied',
        'ConfigMap/settings wave 0 create applied',
        'Service/db wave 0 create applied',
        'Deployment/app wave 1 create applied', // render order (kustomize sorts by kind, then name); waves order the apply
        'Deployment/db wave 0 create applied',
      ]);
      assert.match(r.stderr, /\+kind: Deployment/);
    });
  });

  test('without a terminal and without --yes the CLI refuses with exit code 2', async () => {
    const repo = makeRepo(sampleProject());
    await withCluster(async (c) => {
      const r = await kforge(repo, ['apply', '--env', 'dev', '--kubeconfig', c.kubeconfig], { KUBECACHEDIR: c.cacheDir });
      assert.equal(r.code, 2);
      assert.match(r.stderr, /there is no terminal to ask on \(pass --yes\)/);
      assert.equal(writes(c.server).length, 0);
    });
  });
  test('on a terminal the CLI asks before applying: No by default, yes applies', async () => {
    const hasScript = await execa('script', ['--version'], { reject: false }).then((r) => r.exitCode === 0, () => false);
    if (!hasScript) {
      // util-linux `script` gives the child a pseudo-terminal; without it this test cannot run.
      if (process.env.CI === 'true') assert.unreachable('script (util-linux) is needed for the terminal prompt test');
      process.stderr.write('\n!!!!! SKIP terminal prompt test: util-linux script is not installed !!!!!\n');
      return;
    }
    const repo = makeRepo(sampleProject());
    await withCluster(async (c) => {
      const command = [process.execPath, '--import', tsx, main, 'apply', '--env', 'dev', '--kubeconfig', c.kubeconfig].map((a) => `'${a}'`).join(' ');
      const onTty = (answer: string) => execa('script', ['-qec', command, '/dev/null'], { cwd: repo, input: answer, reject: false, env: { KUBECACHEDIR: c.cacheDir, NO_COLOR: '1' } });
      const no = await onTty('\n');
      assert.match(String(no.stdout), /Apply environment 'dev' to context 'kind-dev' \(http:\/\/127\.0\.0\.1:\d+\)\? \[y\/N\]/);
      assert.match(String(no.stdout), /was not confirmed: nothing was changed/);
      assert.is(no.exitCode, 1);
      assert.equal(writes(c.server).length, 0);
      const yes = await onTty('y\n');
      assert.is(yes.exitCode, 0, String(yes.stdout));
      assert.ok(c.server.get('apps/v1', 'Deployment', 'shop-dev', 'app'));
    });
  });
} else {
  test('apply CLI tests against the fake server are skipped: kubectl is missing', () => {});
}

test.run();
