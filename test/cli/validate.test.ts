// `kforge validate` end to end, as a user runs it: the real CLI in a child process, exit codes and output.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { writeTree } from '../helpers/tree.js';

const main = path.resolve('src/cli/main.ts');
function kforge(args: string[], cwd: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  const r = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), main, ...args], { cwd, encoding: 'utf8', env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const project = (deploy: string) =>
  writeTree({
    'kforge.yaml': 'apiVersion: kforge.dev/v1alpha1\nkind: Project\nenvironments:\n  dev: {path: overlays/dev}\n',
    'overlays/dev/kustomization.yaml': 'resources: [deploy.yaml]\nnamespace: dev\n',
    'overlays/dev/deploy.yaml': deploy,
  });
const GOOD = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          resources: {requests: {cpu: 10m, memory: 16Mi}}
`;

test('a clean project exits 0 and says what it checked', () => {
  const r = kforge(['validate'], project(GOOD));
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout, '');
  assert.match(r.stderr, /validated kforge\.yaml, 1 environment\(s\), 1 kustomization\(s\): no problems/);
});

test('findings print one line each in the error format, and exit 1', () => {
  const r = kforge(['validate'], project(GOOD.replace('image: nginx:1.27', 'image: nginx\n          command: echo')));
  assert.is(r.code, 1, r.stderr);
  assert.equal(r.stdout.trim().split('\n'), [
    "env 'dev': overlays/dev/deploy.yaml:12: apps/v1 Deployment dev/web: spec.template.spec.containers[0].command: expected array, got string \"echo\" (k8s-schema)",
    "env 'dev': overlays/dev/deploy.yaml:11: apps/v1 Deployment dev/web: container 'web': image 'nginx' has no tag at spec.template.spec.containers[0].image (image-tag-pinned)",
  ]);
  assert.is(r.stderr, 'kforge: kforge.yaml: validation found 2 problem(s) in 1 environment(s), 1 kustomization(s) (each is listed above)\n');
});

test('--output json prints one document with every finding', () => {
  const r = kforge(['validate', '--output', 'json', '--env', 'dev'], project(GOOD.replace('kind: Deployment', 'kind: Deployment\nstatus: {}\nspek: {}')));
  assert.is(r.code, 1, r.stderr);
  const doc = JSON.parse(r.stdout) as { ok: boolean; environments: string[]; findings: { rule: string; file: string; line: number; path: string; message: string }[] };
  assert.is(doc.ok, false);
  assert.equal(doc.environments, ['dev']);
  assert.equal(doc.findings.map((f) => [f.rule, f.file, f.line, f.message]), [['k8s-schema', 'overlays/dev/deploy.yaml', 4, 'unknown field "spek"']]);
});

test('an unknown environment is a usage error: exit 2, one line', () => {
  const r = kforge(['validate', '--env', 'qa'], project(GOOD));
  assert.is(r.code, 2);
  assert.match(r.stderr, /^kforge: kforge\.yaml: unknown environment 'qa' \(known: dev\)\n$/);
});

test('--help lists every policy rule with its explanation', () => {
  const r = kforge(['validate', '--help'], project(GOOD));
  assert.is(r.code, 0);
  for (const id of ['image-tag-pinned', 'project-image-hash-tag', 'resource-requests', 'no-plain-secrets', 'no-host-path', 'protected-replicas']) assert.match(r.stdout, new RegExp(`  ${id}: `));
  assert.match(r.stdout, /--output/);
});

test.run();
