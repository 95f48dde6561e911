// Bugs the fuzzer (or its author, reading the fuzzer's findings) found in files its author may not change, reported to their owner and skipped by the fuzz
// targets (knownJsonPatchBug in targets.ts). Each test shows the bug still reproduces; when one fails, the bug
// is fixed: delete the test and its clause in knownJsonPatchBug, so the fuzzer covers that input again.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { applyPatch } from '../../src/compile/patches.js';
import { makeRes } from '../../src/compile/res.js';
import { silentContext } from '../../src/compile/context.js';
import { emitDocuments } from '../../src/emit/yaml.js';
import type { JsonObject, JsonValue } from '../../src/resource.js';
import { knownJsonPatchBug } from './targets.js';
import { isKforgeError } from '../../src/errors.js';
import { parseKustomization } from '../../src/kustomize/kustomization.js';

const base = (): JsonObject => ({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { template: { spec: { containers: [{ name: 'web', image: 'nginx:1' }] } } } });
const patch = (ops: JsonValue[]) =>
  applyPatch([makeRes(base(), { file: 'd.yaml', index: 0 })], { type: 'json6902', ops, target: { kind: 'Deployment' }, options: {}, source: 'p.yaml', origin: { file: 'p.yaml', index: 0 } }, silentContext)[0].object;
const FIXED = 'fixed? then delete this test and its clause in knownJsonPatchBug (test/fuzz/targets.ts)';

test('known: a move `from` without a leading slash inserts an undefined item (printed as null) where kustomize fails', () => {
  const ops = [{ op: 'move', from: 'spec', path: '/spec/template/spec/containers/0' }];
  assert.is(knownJsonPatchBug(ops), 'from-not-a-pointer');
  const containers = ((((patch(ops).spec as JsonObject).template as JsonObject).spec as JsonObject).containers as JsonValue[]);
  assert.is(containers.length, 2, FIXED);
  assert.is(containers[0], undefined, FIXED);
});

test('known: a move from the whole document into itself makes a cycle that overflows the emitter', () => {
  const ops = [{ op: 'move', from: '', path: '/metadata/x' }];
  assert.is(knownJsonPatchBug(ops), 'move-into-itself');
  const out = patch(ops);
  assert.is((out.metadata as JsonObject).x, out, FIXED);
  assert.throws(() => emitDocuments([out]), (e: unknown) => e instanceof RangeError);
});

test('known: a `from` through an inherited name (/constructor) puts a JavaScript function into the resource', () => {
  const ops = [{ op: 'move', from: '/constructor', path: '/metadata/labels' }];
  assert.is(knownJsonPatchBug(ops), 'from-inherited-name');
  assert.type((patch(ops).metadata as JsonObject).labels, 'function', FIXED);
});

test('known: an error that quotes a key holding a line break is printed on two lines (src/errors.ts format() could escape line breaks)', () => {
  assert.throws(
    () => parseKustomization('"a\\nb": 1\nresources: []\n', 'kustomization.yaml'),
    (e: unknown) => isKforgeError(e) && e.format().includes('\n'),
    FIXED.replace('its clause in knownJsonPatchBug (test/fuzz/targets.ts)', 'this note'),
  );
});

test('a plain JSON patch is not taken for a known bug', () => {
  assert.is(knownJsonPatchBug([{ op: 'move', from: '/spec/a', path: '/spec/b' }, { op: 'copy', from: '/metadata/name', path: '/metadata/labels/n' }]), undefined);
});

test.run();
