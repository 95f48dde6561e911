// `kforge render` end to end, as a user runs it: the real CLI in a child process on temporary trees.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { writeTree } from '../helpers/tree.js';

const main = path.resolve('src/cli/main.ts');
function kforge(args: string[], cwd: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.FORCE_COLOR; // c8 and uvu may set it; with NO_COLOR too, node prints a warning
  const r = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), main, ...args], { cwd, encoding: 'utf8', env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const project = (envs: string[]) => ({
  'kforge.yaml': `apiVersion: kforge.dev/v1alpha1\nkind: Project\nenvironments:\n${envs.map((e) => `  ${e}: {path: overlays/${e}}`).join('\n')}\n`,
  'base/kustomization.yaml': 'resources: [cm.yaml]\n',
  'base/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {A: "1"}\n',
  ...Object.fromEntries(envs.map((e) => [`overlays/${e}/kustomization.yaml`, `resources: [../../base]\nnamespace: app-${e}\n`])),
});

test('render DIR prints the build to stdout', () => {
  const root = writeTree(project(['dev']));
  const r = kforge(['render', 'overlays/dev'], root);
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout, 'apiVersion: v1\ndata:\n  A: "1"\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: app-dev\n');
});

test('render writes one folder per environment with one file per resource, from a subfolder too', () => {
  const root = writeTree(project(['dev', 'prod']));
  const r = kforge(['render'], path.join(root, 'overlays'));
  assert.is(r.code, 0, r.stderr);
  const out = path.join(root, 'overlays', 'rendered');
  assert.equal(fs.readdirSync(out).sort(), ['dev', 'prod']);
  assert.equal(fs.readdirSync(path.join(out, 'prod')), ['app-prod_configmap_settings.yaml']);
  assert.match(r.stderr, /prod: 1 resources -> rendered\/prod/);
});

test('a failed render leaves the previous output intact and names the file and line', () => {
  const root = writeTree(project(['dev']));
  assert.is(kforge(['render', '--out', 'out'], root).code, 0);
  const before = fs.readFileSync(path.join(root, 'out/dev/app-dev_configmap_settings.yaml'), 'utf8');
  fs.writeFileSync(path.join(root, 'base/cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings\n');
  const r = kforge(['render', '--out', 'out'], root);
  assert.is(r.code, 2);
  assert.match(r.stderr, /^kforge: rendering env 'dev': .*base\/cm\.yaml:\d+: invalid YAML/);
  assert.is(r.stderr.trim().split('\n').length, 1, 'one line');
  assert.is(fs.readFileSync(path.join(root, 'out/dev/app-dev_configmap_settings.yaml'), 'utf8'), before);
  assert.equal(fs.readdirSync(path.join(root, 'out')), ['dev'], 'no temp folders left behind');
});

test('--version prints the version from package.json', () => {
  const r = kforge(['--version'], process.cwd());
  assert.is(r.code, 0, r.stderr);
  assert.is(r.stdout.trim(), JSON.parse(fs.readFileSync('package.json', 'utf8')).version);
});

test('an unknown environment is a clear error listing the known ones', () => {
  const root = writeTree(project(['dev']));
  const r = kforge(['render', '--env', 'qa'], root);
  assert.is(r.code, 2);
  assert.match(r.stderr, /unknown environment 'qa' \(known: dev\)/);
});

test('outside a project, render says where it looked', () => {
  const root = writeTree({ 'x.txt': '' });
  const r = kforge(['render'], root);
  assert.is(r.code, 2);
  assert.match(r.stderr, /no kforge\.yaml in .* or any parent folder/);
});

test('many environments render in parallel threads with the same files as one at a time', () => {
  const envs = ['a', 'b', 'c', 'd', 'e', 'f'];
  const root = writeTree(project(envs));
  assert.is(kforge(['render', '--out', 'parallel'], root).code, 0);
  for (const e of envs) {
    assert.is(kforge(['render', '--env', e, '--out', `single-${e}`], root).code, 0);
    const a = fs.readFileSync(path.join(root, 'parallel', e, `app-${e}_configmap_settings.yaml`), 'utf8');
    const b = fs.readFileSync(path.join(root, `single-${e}`, e, `app-${e}_configmap_settings.yaml`), 'utf8');
    assert.is(a, b);
  }
});

test('a failing environment in a worker thread fails the whole render and writes nothing', () => {
  const envs = ['a', 'b', 'c', 'd', 'e', 'f'];
  const root = writeTree(project(envs));
  assert.is(kforge(['render', '--out', 'out'], root).code, 0);
  const stamp = fs.statSync(path.join(root, 'out', 'a')).ino;
  // Threads take environments from a shared queue: a failure early or last may be met by either thread.
  for (const bad of ['b', 'f']) {
    writeTree({ [`overlays/${bad}/kustomization.yaml`]: 'resources: [../../base, missing.yaml]\n' }, root);
    const r = kforge(['render', '--out', 'out'], root);
    assert.is(r.code, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`rendering env '${bad}': .*missing\\.yaml`));
    assert.is(fs.statSync(path.join(root, 'out', 'a')).ino, stamp, "env 'a' was not rewritten");
    assert.equal(fs.readdirSync(path.join(root, 'out')).sort(), envs, 'no temp folders left behind');
    writeTree({ [`overlays/${bad}/kustomization.yaml`]: `resources: [../../base]\nnamespace: app-${bad}\n` }, root);
  }
  assert.is((fs.statSync(path.join(root, 'out', 'a')).mode & 0o777).toString(8), (0o777 & ~process.umask()).toString(8));
});

test('render --require-images writes the same folders (a project without images asks no registry)', () => {
  const root = writeTree(project(['dev', 'prod']));
  assert.is(kforge(['render', '--out', 'plain'], root).code, 0);
  const r = kforge(['render', '--out', 'checked', '--require-images'], root);
  assert.is(r.code, 0, r.stderr);
  for (const e of ['dev', 'prod']) {
    const name = `app-${e}_configmap_settings.yaml`;
    assert.is(fs.readFileSync(path.join(root, 'checked', e, name), 'utf8'), fs.readFileSync(path.join(root, 'plain', e, name), 'utf8'));
  }
  assert.equal(fs.readdirSync(path.join(root, 'checked')).sort(), ['dev', 'prod'], 'no temp folders left behind');
});

test('render --stdout prints every environment, in order, as kustomize build prints each', () => {
  const envs = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
  const root = writeTree(project(envs));
  const r = kforge(['render', '--stdout'], root);
  assert.is(r.code, 0, r.stderr);
  const each = envs.map((e) => kforge(['render', `overlays/${e}`], root).stdout);
  assert.is(r.stdout, each.join('---\n'));
  assert.not.ok(fs.existsSync(path.join(root, 'rendered')), 'nothing written');
});

test('the render cache re-renders exactly the environments whose inputs or output changed', () => {
  const root = writeTree(project(['dev', 'test', 'prod']));
  const changed = (stderr: string) => stderr.split('\n').filter((l) => / resources -> /.test(l) && !l.endsWith('(unchanged)')).map((l) => l.split(':')[0]);
  assert.equal(changed(kforge(['render'], root).stderr), ['dev', 'test', 'prod']);
  assert.equal(changed(kforge(['render'], root).stderr), [], 'nothing changed');
  writeTree({ 'overlays/test/kustomization.yaml': 'resources: [../../base]\nnamespace: app-test2\n' }, root);
  assert.equal(changed(kforge(['render'], root).stderr), ['test'], 'one overlay changed');
  assert.ok(fs.existsSync(path.join(root, 'rendered/test/app-test2_configmap_settings.yaml')));
  writeTree({ 'base/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\ndata: {A: "2"}\n' }, root);
  assert.equal(changed(kforge(['render'], root).stderr), ['dev', 'test', 'prod'], 'the shared base changed');
  fs.rmSync(path.join(root, 'rendered/prod/app-prod_configmap_settings.yaml'));
  assert.equal(changed(kforge(['render'], root).stderr), ['prod'], 'an output file was removed');
  writeTree({ 'base/kustomization.yml': 'resources: [cm.yaml]\n' }, root);
  const r = kforge(['render'], root);
  assert.is(r.code, 2, 'a second kustomization file in the base is noticed');
  fs.rmSync(path.join(root, 'base/kustomization.yml'));
  assert.equal(changed(kforge(['render', '--no-cache'], root).stderr), ['dev', 'test', 'prod'], '--no-cache renders all');
});

test.run();
