// `kforge init` through the real CLI on a plain kustomize repository: it writes one validated kforge.yaml with
// the editor schema modeline, changes nothing else, refuses to overwrite, and the result renders.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { writeTree } from '../helpers/tree.js';
import { parseProject } from '../../src/project/config.js';
import { kforge } from '../ci/run-cli.js';
import { plainKustomizeTree } from '../init/fixture.js';

/** Every file under `dir` with a hash of its content and its mode, so any change shows. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out[path.relative(dir, p)] = `${fs.statSync(p).mode} ${crypto.createHash('sha256').update(fs.readFileSync(p)).digest('hex')}`;
    }
  };
  walk(dir);
  return out;
}

test('init writes a validated kforge.yaml with the schema modeline and changes nothing else', async () => {
  const dir = writeTree(plainKustomizeTree());
  const before = snapshot(dir);
  const r = await kforge(dir, ['init']);
  assert.is(r.exitCode, 0, r.stderr);
  const after = snapshot(dir);
  const added = Object.keys(after).filter((f) => !(f in before));
  assert.equal(added, ['kforge.yaml']);
  for (const f of Object.keys(before)) assert.is(after[f], before[f], `${f} unchanged`);

  const text = fs.readFileSync(path.join(dir, 'kforge.yaml'), 'utf8');
  assert.is(text.split('\n')[0], '# yaml-language-server: $schema=https://kforge.dev/schemas/kforge.schema.json');
  const project = parseProject(text, 'kforge.yaml');
  assert.equal(project.spec.registry, 'ghcr.io/acme');
  assert.equal(project.spec.images, [{ name: 'web', context: 'web' }, { name: 'worker-queue', context: 'worker', dockerfile: 'Dockerfile.queue' }]);
  assert.equal(project.environments.map((e) => [e.name, e.path, e.protected ?? false]), [
    ['dev', 'deploy/overlays/dev', false],
    ['staging', 'deploy/overlays/staging', false],
    ['production', 'deploy/overlays/production', true],
  ]);
  assert.match(r.stderr, 'overlays (environments): dev = deploy/overlays/dev, staging = deploy/overlays/staging, production = deploy/overlays/production');
  assert.match(r.stderr, 'bases: deploy/base; components: deploy/components/monitoring');
  assert.match(r.stderr, 'warning: no workload runs an image named worker-queue');
  assert.match(r.stderr, 'add .kforge-cache/ to .gitignore');
  assert.match(r.stderr, 'wrote kforge.yaml');

  // The project renders: the web image is pinned to its content-hash tag in the registry found.
  const render = await kforge(dir, ['render', '--env', 'staging', '--stdout']);
  assert.is(render.exitCode, 0, render.stderr);
  assert.match(render.stdout, /image: ghcr\.io\/acme\/web:[0-9a-f]{20}\n/);
  assert.match(render.stdout, 'image: nginx:1.27');
  fs.rmSync(dir, { recursive: true, force: true });
});

test('init refuses to overwrite an existing kforge.yaml, with exit code 2, and leaves it as it was', async () => {
  const dir = writeTree({ ...plainKustomizeTree(), 'kforge.yaml': '# mine\n' });
  const r = await kforge(dir, ['init']);
  assert.is(r.exitCode, 2);
  assert.is(r.stderr.trim(), `kforge: ${dir}/kforge.yaml: the project file already exists (kforge init never overwrites it: edit it, or move it away and run init again)`);
  assert.is(fs.readFileSync(path.join(dir, 'kforge.yaml'), 'utf8'), '# mine\n');
  fs.rmSync(dir, { recursive: true, force: true });
});

test('init --dry-run prints the file and writes nothing; a folder without kustomizations is an error', async () => {
  const dir = writeTree(plainKustomizeTree());
  const r = await kforge(dir, ['init', '--dry-run', '--quiet']);
  assert.is(r.exitCode, 0, r.stderr);
  assert.match(r.stdout, 'apiVersion: kforge.dev/v1alpha1\nkind: Project\nregistry: ghcr.io/acme\n');
  assert.is(fs.existsSync(path.join(dir, 'kforge.yaml')), false);
  const empty = writeTree({ 'README.md': 'nothing here\n' });
  const none = await kforge(empty, ['init']);
  assert.is(none.exitCode, 2);
  assert.match(none.stderr, 'no kustomization.yaml under');
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(empty, { recursive: true, force: true });
});

test.run();
