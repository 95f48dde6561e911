// Hostile inputs answer quickly: alias bombs, deep nesting, huge files, long lines and streams of empty documents
// end in a clear kforge error or a result within a bounded time, never a hang or a stack overflow.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isKforgeError } from '../../src/errors.js';
import { parseYamlDocuments } from '../../src/yaml/parse.js';
import { parseKustomization } from '../../src/kustomize/kustomization.js';
import { applyStrategicMerge } from '../../src/compile/strategic-merge.js';
import { applyPatch } from '../../src/compile/patches.js';
import { makeRes } from '../../src/compile/res.js';
import { silentContext } from '../../src/compile/context.js';
import { emitDocuments } from '../../src/emit/yaml.js';
import type { JsonObject, JsonValue } from '../../src/resource.js';

/** Runs fn, asserting it ends within `ms` with a value or a one-line kforge error matching `error`. */
function bounded<T>(ms: number, fn: () => T, error?: RegExp): T | undefined {
  const started = performance.now();
  let out: T | undefined;
  try {
    out = fn();
    assert.ok(!error, `expected an error matching ${error}, got a result`);
  } catch (e) {
    if (!isKforgeError(e)) throw e;
    assert.ok(error, `unexpected error: ${e.format()}`);
    assert.match(e.format(), error!);
    assert.not.match(e.format(), /\n/);
  }
  const took = performance.now() - started;
  assert.ok(took < ms, `took ${Math.round(took)} ms, more than ${ms}`);
  return out;
}

const bomb = (levels: number) =>
  ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]', ...Array.from({ length: levels }, (_, i) => {
    const prev = i === 0 ? 'a' : String.fromCharCode(98 + i - 1);
    const name = String.fromCharCode(98 + i);
    return `${name}: &${name} [${Array(9).fill(`*${prev}`).join(',')}]`;
  })].join('\n') + '\n';

test('a billion-laughs alias bomb in a resource fails at once', () => {
  bounded(3000, () => parseYamlDocuments(`apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n${bomb(9)}`, 'bomb.yaml'), /aliases expand to more than/);
});

test('an alias bomb in a kustomization fails at once', () => {
  bounded(3000, () => parseKustomization(`resources: []\nmetadata:\n${bomb(9).replace(/^/gm, '  ')}`, 'kustomization.yaml'), /aliases expand to more than/);
});

test('a merge-key bomb (each level merging the last twice) fails or finishes quickly', () => {
  const lines = ['l0: &l0 {k0: 1, k1: 2}'];
  for (let i = 1; i < 40; i++) lines.push(`l${i}: &l${i} {<<: [*l${i - 1}], n${i}: *l${i - 1}, m${i}: *l${i - 1}}`);
  bounded(3000, () => parseYamlDocuments(lines.join('\n') + '\n', 'merge-bomb.yaml'), /aliases expand to more than/);
});

test('deeply nested flow and block collections fail with a clear error, not a stack overflow', () => {
  bounded(3000, () => parseYamlDocuments(`a: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`, 'deep.yaml'), /nesting (deeper than 500 levels|too deep)/);
  bounded(3000, () => parseYamlDocuments(`a: ${'{b: '.repeat(20_000)}1${'}'.repeat(20_000)}\n`, 'deep.yaml'), /nesting (deeper than 500 levels|too deep)/);
  bounded(3000, () => parseYamlDocuments(`${'- '.repeat(5_000)}x\n`, 'deep.yaml'), /nesting (deeper than 500 levels|too deep)|invalid YAML/);
  const block = Array.from({ length: 1_200 }, (_, i) => `${' '.repeat(i)}k:`).join('\n') + ' 1\n';
  bounded(5000, () => parseYamlDocuments(block, 'deep.yaml'), /nesting (deeper than 500 levels|too deep)/);
  bounded(3000, () => parseKustomization(`resources: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n`, 'kustomization.yaml'), /nesting (deeper than 500 levels|too deep)/);
});

test('a huge file (40,000 resources, 3 MB) parses in bounded time', () => {
  const one = (i: number) => `---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\ndata:\n  key: value-${i}\n  other: "quoted ${i}"\n`;
  const text = Array.from({ length: 40_000 }, (_, i) => one(i)).join('');
  const docs = bounded(20_000, () => parseYamlDocuments(text, 'huge.yaml'));
  assert.is(docs?.length, 40_000);
  assert.is(docs?.[39_999].line, 39_999 * 8 + 1, "the last document's line");
});

test('a 4 MB line and 100,000 empty documents are fine', () => {
  const long = bounded(5000, () => parseYamlDocuments(`a: ${'x'.repeat(4_000_000)}\n`, 'long.yaml'));
  assert.is((long?.[0].value as JsonObject).a, 'x'.repeat(4_000_000));
  assert.equal(bounded(5000, () => parseYamlDocuments('---\n'.repeat(100_000), 'empty.yaml')), []);
  assert.equal(bounded(5000, () => parseYamlDocuments('\ufeff---\r\n# c\r\n...\r\n'.repeat(20_000), 'empty.yaml')), []);
});

test('thousands of aliases to one small anchor are not a bomb', () => {
  const text = `base: &b {x: 1, y: [1, 2]}\nitems:\n${'  - *b\n'.repeat(20_000)}`;
  const docs = bounded(5000, () => parseYamlDocuments(text, 'aliases.yaml'));
  assert.is(((docs?.[0].value as JsonObject).items as JsonValue[]).length, 20_000);
});

// (JSON patch time grows with ops x size of the map they edit: each op copies its path. 1,000 ops take 0.4 s.)
test('a strategic merge of long keyed lists and a 1,000-op JSON patch take bounded time', () => {
  const containers = (n: number, image: string) => Array.from({ length: n }, (_, i) => ({ name: `c${i}`, image: `${image}:${i}` }));
  const base: JsonObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', labels: {} }, spec: { template: { spec: { containers: containers(3000, 'a') } } } };
  const patch: JsonObject = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { template: { spec: { containers: containers(3000, 'b').reverse() } } } };
  const merged = bounded(10_000, () => applyStrategicMerge(base, patch, () => {}));
  assert.is(((((merged?.spec as JsonObject).template as JsonObject).spec as JsonObject).containers as JsonValue[]).length, 3000);
  const ops = Array.from({ length: 1000 }, (_, i) => ({ op: 'add', path: `/metadata/labels/l${i}`, value: String(i) }));
  const out = bounded(10_000, () => applyPatch([makeRes(base, { file: 'f', index: 0 })], { type: 'json6902', ops, target: { kind: 'Deployment' }, options: {}, source: 'p', origin: { file: 'p', index: 0 } }, silentContext));
  assert.is(Object.keys((out?.[0].object.metadata as JsonObject).labels as JsonObject).length, 1000);
  bounded(10_000, () => emitDocuments(out!.map((r) => r.object)));
});

test.run();
