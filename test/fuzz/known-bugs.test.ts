// Bugs the fuzzer found in JSON patches and error formatting, now fixed: each input fails with a clear one-line
// error, as kustomize refuses it too. (They used to be skipped by the fuzz targets; now the fuzzer covers them.)
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { applyPatch } from '../../src/compile/patches.js';
import { makeRes } from '../../src/compile/res.js';
import { silentContext } from '../../src/compile/context.js';
import type { JsonObject, JsonValue } from '../../src/resource.js';
import { isKforgeError } from '../../src/errors.js';
import { parseKustomization } from '../../src/kustomize/kustomization.js';

const base = (): JsonObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1' }] } } } });
const patch = (ops: JsonValue[]) =>
  applyPatch([makeRes(base(), { file: 'd.yaml', index: 0 })], { type: 'json6902', ops, target: { kind: 'Deployment' }, options: {}, source: 'p.yaml', origin: { file: 'p.yaml', index: 0 } }, silentContext)[0].object;
const failsWith = (ops: JsonValue[], text: string) =>
  assert.throws(() => patch(ops), (e: unknown) => isKforgeError(e) && e.format().includes(text) && !e.format().includes('\n'));

test('a move `from` without a leading slash is refused', () => {
  failsWith([{ op: 'move', from: 'spec', path: '/spec/template/spec/containers/0' }], "'from' must be a JSON pointer starting with '/'");
});

test('a move from the whole document, or from a value into its own child, is refused', () => {
  failsWith([{ op: 'move', from: '', path: '/metadata/x' }], 'into itself');
  failsWith([{ op: 'move', from: '/spec', path: '/spec/template/x' }], 'into itself');
});

test('a `from` through a name JavaScript objects inherit (/constructor) is a missing path', () => {
  failsWith([{ op: 'move', from: '/constructor', path: '/metadata/labels' }], 'doc is missing from path: /constructor');
  failsWith([{ op: 'copy', from: '/metadata/toString', path: '/metadata/labels' }], 'doc is missing from path');
});

test('an error that quotes a key holding a line break stays on one line', () => {
  assert.throws(
    () => parseKustomization('"a\\nb": 1\nresources: []\n', 'kustomization.yaml'),
    (e: unknown) => isKforgeError(e) && !e.format().includes('\n') && e.format().includes('a\\nb'),
  );
});

test('moves and copies between existing places still work', () => {
  const out = patch([{ op: 'copy', from: '/metadata/name', path: '/metadata/labels' }, { op: 'move', from: '/metadata/labels', path: '/metadata/annotations' }]);
  assert.equal(out.metadata, { name: 'web', annotations: 'web' });
});

test.run();
