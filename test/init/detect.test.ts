import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import { writeTree } from '../helpers/tree.js';
import { detect, topLevel } from '../../src/init/detect.js';
import { draftProjectFile } from '../../src/init/project-file.js';
import { plainKustomizeTree } from './fixture.js';

test('overlays are the kustomizations nothing else builds on; bases and components are not environments', () => {
  const dir = writeTree(plainKustomizeTree());
  const det = detect(dir);
  assert.equal(det.kustomizations.map((k) => [k.dir, k.kind]), [
    ['deploy/base', 'Kustomization'],
    ['deploy/components/monitoring', 'Component'],
    ['deploy/overlays/dev', 'Kustomization'],
    ['deploy/overlays/production', 'Kustomization'],
    ['deploy/overlays/staging', 'Kustomization'],
  ]);
  assert.equal(topLevel(det.kustomizations).map((k) => k.dir), ['deploy/overlays/dev', 'deploy/overlays/production', 'deploy/overlays/staging']);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('Dockerfiles are found outside dependency folders, and the overlays are built to see which images they run', () => {
  const dir = writeTree(plainKustomizeTree());
  const det = detect(dir);
  assert.equal(det.dockerfiles, [{ dir: 'web', file: 'Dockerfile' }, { dir: 'worker', file: 'Dockerfile.queue' }]);
  assert.equal(det.imagesByOverlay.get('deploy/overlays/staging'), ['ghcr.io/acme/web:1.4.2', 'nginx:1.27']);
  assert.equal(det.unbuildable, []);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the draft reads the registry from the workloads, names images after folders, orders environments dev to production and protects production', () => {
  const dir = writeTree(plainKustomizeTree());
  const draft = draftProjectFile(detect(dir), { rootName: 'shop', schemaUrl: 'https://kforge.dev/schemas/kforge.schema.json' });
  assert.is(draft.registry, 'ghcr.io/acme');
  assert.equal(draft.environments.map((e) => [e.name, e.path, e.protected]), [
    ['dev', 'deploy/overlays/dev', false],
    ['staging', 'deploy/overlays/staging', false],
    ['production', 'deploy/overlays/production', true],
  ]);
  assert.equal(draft.images, [
    { name: 'web', context: 'web', usedAs: 'ghcr.io/acme/web' },
    { name: 'worker-queue', context: 'worker', dockerfile: 'Dockerfile.queue' },
  ]);
  assert.equal(draft.notes, ['no workload runs an image named worker-queue: image names come from folder names, so rename them in kforge.yaml to the names the manifests and FROM lines use (the overlays run: nginx:1.27)']);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('overlays with the same folder name in different places get their path as name', () => {
  const k = (dir: string) => ({ dir, kind: 'Kustomization' as const, uses: [] });
  const draft = draftProjectFile({ kustomizations: [k('clusters/eu/prod'), k('clusters/us/prod'), k('Sandbox_1')], dockerfiles: [], imagesByOverlay: new Map(), unbuildable: [] }, { rootName: 'x', schemaUrl: 's' });
  assert.equal(draft.environments.map((e) => e.name), ['clusters-eu-prod', 'clusters-us-prod', 'sandbox-1']);
  assert.match(draft.text, '  clusters-eu-prod: {path: clusters/eu/prod, protected: true}\n');
});

test('an overlay kforge cannot build is a note, not a failure', () => {
  const dir = writeTree({ 'overlays/a/kustomization.yaml': 'resources:\n- missing.yaml\n' });
  const det = detect(dir);
  assert.is(det.unbuildable.length, 1);
  const draft = draftProjectFile(det, { rootName: 'x', schemaUrl: 's' });
  assert.match(draft.notes.join('\n'), 'could not build overlays/a to see its images');
  fs.rmSync(dir, { recursive: true, force: true });
});

test.run();
