// `kforge render DIR` with kustomize's build flags (--output, --enable-managedby-label), compared with the
// real `kubectl kustomize` on the same tree.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { requireTool, writeTree } from '../helpers/tree.js';
import { kustomizeOutputFiles } from '../../src/kustomize/output.js';

const main = path.resolve('src/cli/main.ts');
function kforge(args: string[], cwd: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.FORCE_COLOR; // with NO_COLOR too, node prints a warning
  const r = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), main, ...args], { cwd, encoding: 'utf8', env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const kubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
const haveKubectl = !kubectl.error && /Kustomize Version: v5\.5\.0/.test(kubectl.stdout);

const tree = {
  'app/kustomization.yaml': 'resources: [app.yaml]\n',
  'app/app.yaml': [
    'apiVersion: v1\nkind: Namespace\nmetadata: {name: Zed}',
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: other, namespace: b}\ndata: {a: "1"}',
    'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: Settings}\ndata: {a: "2"}',
    'apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: reader}\nrules: []',
  ].join('\n---\n') + '\n',
};

const listFiles = (dir: string) => Object.fromEntries(fs.readdirSync(dir).sort().map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));

test('output files are named [namespace_]group_version_kind_name.yaml in lower case, the namespace only when there are several', () => {
  const one = kustomizeOutputFiles([{ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'Web' } }]);
  assert.equal(one.map((f) => f.name), ['apps_v1_deployment_web.yaml']);
  const several = kustomizeOutputFiles([
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' } },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'b', namespace: 'x' } },
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'x' } },
  ]);
  assert.equal(several.map((f) => f.name), ['default_v1_configmap_a.yaml', 'x_v1_configmap_b.yaml', 'v1_namespace_x.yaml']);
});

test('render DIR --output into an existing folder writes the same files as kubectl kustomize -o', () => {
  if (!requireTool(haveKubectl, 'kubectl (kustomize v5.5.0)', 'render --output differential')) return;
  const root = writeTree(tree);
  fs.mkdirSync(path.join(root, 'ours'));
  fs.mkdirSync(path.join(root, 'theirs'));
  const r = kforge(['render', 'app', '--output', 'ours'], root);
  assert.is(r.code, 0, r.stderr);
  const k = spawnSync('kubectl', ['kustomize', 'app', '-o', 'theirs'], { cwd: root, encoding: 'utf8' });
  assert.is(k.status, 0, k.stderr);
  assert.equal(listFiles(path.join(root, 'ours')), listFiles(path.join(root, 'theirs')));
});

test('render DIR --output to a file path writes the whole stream there, and --enable-managedby-label labels every resource', () => {
  if (!requireTool(haveKubectl, 'kubectl (kustomize v5.5.0)', 'render --enable-managedby-label differential')) return;
  const root = writeTree(tree);
  const r = kforge(['render', 'app', '--enable-managedby-label', '-o', 'ours.yaml'], root);
  assert.is(r.code, 0, r.stderr);
  const k = spawnSync('kubectl', ['kustomize', 'app', '--enable-managedby-label'], { cwd: root, encoding: 'utf8' });
  assert.is(k.status, 0, k.stderr);
  assert.is(fs.readFileSync(path.join(root, 'ours.yaml'), 'utf8'), k.stdout);
  assert.match(k.stdout, /app\.kubernetes\.io\/managed-by: kustomize-/);
});

test.run();
