// The simple reader against js-yaml: whatever it reads, it must read exactly as js-yaml does with parse.ts's
// schema (the same objects and key order, the same resolved scalars, the same mappings marked as flow style);
// whatever it cannot, it must leave to js-yaml (undefined). Hand-picked cases, then seeded random documents
// written the ways manifests are written, and the same documents damaged at random.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { loadWithJsYamlForTest } from '../../src/yaml/parse.js';
import { readSimpleYaml } from '../../src/yaml/simple-reader.js';
import { PlainScalar, type Resolution } from '../../src/yaml/scalars.js';
import { Rng } from '../fuzz/support.js';

/** Where two raw values differ (undefined: nowhere). */
function difference(a: unknown, b: unknown, flowA: WeakSet<object>, flowB: WeakSet<object>, at = '$'): string | undefined {
  if (a instanceof PlainScalar || b instanceof PlainScalar) {
    if (!(a instanceof PlainScalar && b instanceof PlainScalar)) return `${at}: ${String(a)} / ${String(b)}`;
    return a.raw === b.raw && Object.is(a.value, b.value) ? undefined : `${at}: ${a.raw}=${String(a.value)} / ${b.raw}=${String(b.value)}`;
  }
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) {
    return Object.is(a, b) ? undefined : `${at}: ${JSON.stringify(a)} / ${JSON.stringify(b)}`;
  }
  if (Array.isArray(a) !== Array.isArray(b) || Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return `${at}: different kinds`;
  if (flowA.has(a) !== flowB.has(b)) return `${at}: flow style ${flowA.has(a)} / ${flowB.has(b)}`;
  const keysA = Reflect.ownKeys(a);
  const keysB = Reflect.ownKeys(b);
  if (keysA.join('\u0001') !== keysB.join('\u0001')) return `${at}: keys ${keysA.map(String)} / ${keysB.map(String)}`;
  for (const k of keysA) {
    const d = difference((a as Record<string | symbol, unknown>)[k], (b as Record<string | symbol, unknown>)[k], flowA, flowB, `${at}.${String(k)}`);
    if (d) return d;
  }
  return undefined;
}

/** Reads `text` both ways; fails if the simple reader reads it differently. Returns whether it read it. */
function agrees(text: string, mode: Resolution = 'resource'): boolean {
  const flow = new WeakSet<object>();
  const simple = readSimpleYaml(text, mode, mode === 'resource' ? flow : undefined);
  if (simple === undefined) return false;
  let js: { value: unknown; flowMappings: WeakSet<object> };
  try {
    js = loadWithJsYamlForTest(text, mode);
  } catch (e) {
    throw new Error(`js-yaml refuses what the simple reader read (${(e as Error).message}):\n${text}`);
  }
  const d = difference(js.value, simple, mode === 'resource' ? js.flowMappings : flow, flow);
  if (d) throw new Error(`the readers differ at ${d} (${mode}):\n${text}`);
  return true;
}

const READ = [
  'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n  labels: {app: web, tier: "1"}\nspec:\n  replicas: 3\n',
  'containers:\n- name: a\n  image: nginx:1.27\n  ports: [{containerPort: 80, name: http}]\n- name: b\n',
  'key:\n- a\n- b\nother:\n  - c\n  -\n  - d: 1\n    e: [x, {f: }]\n',
  '# comment\na: 1 # trailing\n\n  # indented comment\nb: "x # not a comment"\nc: \'it\'\'s\'\nd: "tab\\tnew\\nline \\"q\\" \\\\"\n',
  'data:\n  script: |\n    #!/bin/sh\n    echo hi\n\n      indented\n  keep: |+\n    a\n\n  strip: |-\n    b\n  empty-lines-end: |\n    c\n\n\nnext: 1\n',
  'v: [1, 0777, 0x1F, 1_000, 1e3, -2, +3, .5, true, False, yes, null, ~, 2001-12-14, 2001-12-14T21:59:43Z, 10m, 32Mi]\n',
  'm: {a: 2001-12-14T21:59:43Z, b: 2001-12-14 21:59:43.10, c: x:y, d: -x, e: "", f: \'\'}\n',
  'url: http://example.com/a#b\nweird: a: b\n',
  'a: b#c\nk:v: x\n"quoted key": 1\n\'single\': 2\n',
  'list:\n- - a\n',
  '- a\n- {b: c}\n- [d]\n- |\n  e\n',
];

test('documents in the subset read exactly as js-yaml reads them', () => {
  let read = 0;
  for (const text of READ) for (const mode of ['resource', 'kustomization'] as const) if (agrees(text, mode)) read++;
  assert.ok(read >= 14, `read ${read} of ${READ.length * 2}`);
});

test('what the simple reader leaves to js-yaml', () => {
  const others = [
    'a: &x 1\nb: *x\n', 'a: !!int 1\n', 'a: !custom x\n', '<<: {a: 1}\n', 'a: >\n  folded\n', 'a: |2\n   x\n', 'a: |\n\n  x\n',
    'a: |\nb: 1\n', 'a: b\n  c\n', 'a: "x\n  y"\n', 'a: [b,\n  c]\n', 'a:\tb\n', '\ta: b\n', 'a: b\r\n', 'a: 1\na: 2\n',
    '1: x\n', 'true: x\n', 'a: {1: x}\n', '? a\n: b\n', 'a: .inf\n', 'a: [.nan]\n', '__proto__: {a: 1}\n', 'a: "\\x41"\n',
    'a: "\\u00e9"\n', 'a: [b, ]\n', 'a: {b: c, b: d}\n', '%YAML 1.2\n---\na: 1\n', '---\na: 1\n', 'scalar\n', '[a, b]\n', '  a: 1\n',
    '', '# only a comment\n', 'a: b: c\n', 'a : b\n', 'a: "x"y\n', 'a: [b]c\n', 'a: {"b":c}\n', 'a: [b: c]\n', 'a:\n  - b\n  c: d\n',
    '- a\n -b\n', 'a: \u0085\n', 'a: \ufeff\n', 'a: x\n...\n',
  ];
  for (const text of others) {
    assert.is(readSimpleYaml(text, 'resource', new WeakSet()), undefined, JSON.stringify(text));
    assert.is(readSimpleYaml(text, 'kustomization', undefined), undefined, JSON.stringify(text));
  }
});

test("the reader reads the generated benchmark's kind of files and the fixtures' manifests", () => {
  let read = 0;
  let all = 0;
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(e.name)) {
        for (const doc of fs.readFileSync(p, 'utf8').replace(/\r\n/g, '\n').split(/^---.*$/m)) {
          if (!doc.trim()) continue;
          all++;
          if (agrees(doc) && agrees(doc, 'kustomization')) read++;
        }
      }
    }
  };
  walk('fixtures');
  assert.ok(read > all * 0.8, `read ${read} of ${all} documents`);
});

// --- random documents -------------------------------------------------------------------------------------------

const WORDS = ['a', 'web', 'nginx:1.27', 'apps/v1', 'x y', 'k:v', 'a#b', 'é', '😀', '-x', '?x', ':x', 'x:', '1', '0777', '0x1F', '1_000',
  '1e3', '-2', '+.5', '.5', '.inf', 'true', 'True', 'yes', 'on', 'n', 'null', '~', '2001-12-14', '2001-12-14T21:59:43Z',
  '2001-12-14 21:59:43.10', '10m', '32Mi', '<<', '__proto__', 'a b ', 'x]', 'y}', 'z,', '[', '&a', '*a', '!t', '|', '>', '%', '@', '`'];

function scalar(rng: Rng, inFlow: boolean): string {
  const w = rng.pick(WORDS);
  switch (rng.int(6)) {
    case 0:
      return JSON.stringify(w).replace(/\\u[0-9a-f]{4}/g, '');
    case 1:
      return `'${w.replace(/'/g, "''")}'`;
    case 2:
      return rng.pick(['"tab\\t"', '"nl\\n"', '"\\x41"', '"\\u00e9"', '"q\\"q"', '"sl\\/"', '"\\ "', '""', "''"]);
    default:
      return inFlow ? w.replace(/[,[\]{}]/g, '') || 'w' : w;
  }
}

function key(rng: Rng): string {
  return rng.chance(0.85) ? rng.pick(['name', 'image', 'kind', 'spec', 'labels', 'app', 'a.b/c', 'x y', 'k', 'v']) : scalar(rng, false);
}

function flow(rng: Rng, depth: number): string {
  if (depth > 2 || rng.chance(0.3)) return scalar(rng, true);
  const n = rng.int(4);
  if (rng.chance(0.5)) return `[${Array.from({ length: n }, () => flow(rng, depth + 1)).join(rng.pick([', ', ',', ' , ']))}]`;
  const pairs = Array.from({ length: n }, () => (rng.chance(0.15) ? key(rng) : `${key(rng)}:${rng.chance(0.2) ? '' : ` ${flow(rng, depth + 1)}`}`));
  return `{${pairs.join(', ')}}`;
}

function block(rng: Rng, indent: string, depth: number): string {
  const step = ' '.repeat(1 + rng.int(3));
  const comment = () => (rng.chance(0.1) ? `${rng.pick(['', indent, step])}# note\n` : '') + (rng.chance(0.05) ? '\n' : '');
  const value = (inner: string): string => {
    const r = rng.int(10);
    if (depth < 3 && r < 3) return `\n${block(rng, inner, depth + 1)}`;
    if (r < 5) return ` ${flow(rng, 0)}`;
    if (r < 6) {
      const lines = Array.from({ length: 1 + rng.int(3) }, () => rng.pick(['text', '  more', '', '# hash', 'x: y']));
      if (lines[0] === '') lines[0] = 'first';
      return ` |${rng.pick(['', '-', '+'])}\n${lines.map((l) => (l ? `${inner}${step}${l}` : rng.pick(['', inner]))).join('\n')}${rng.chance(0.3) ? '\n' : ''}`;
    }
    if (r < 7) return '';
    return ` ${scalar(rng, false)}${rng.chance(0.1) ? ' # c' : ''}${rng.chance(0.05) ? '  ' : ''}`;
  };
  const lines: string[] = [];
  const n = 1 + rng.int(4);
  if (rng.chance(0.3)) {
    for (let i = 0; i < n; i++) {
      if (rng.chance(0.3) && depth < 3) {
        const k = key(rng);
        lines.push(`${comment()}${indent}- ${k}:${value(`${indent}  `)}`);
        if (rng.chance(0.5)) lines.push(`${indent}  ${key(rng)}:${value(`${indent}  `)}`);
      } else {
        lines.push(`${comment()}${indent}-${value(indent)}`);
      }
    }
  } else {
    for (let i = 0; i < n; i++) {
      const k = key(rng);
      // a sequence at its key's indentation, as kubectl writes them
      if (rng.chance(0.15)) lines.push(`${comment()}${indent}${k}:\n${indent}- ${scalar(rng, false)}\n${indent}- ${flow(rng, 1)}`);
      else lines.push(`${comment()}${indent}${k}:${value(indent + step)}`);
    }
  }
  return lines.join('\n');
}

const DAMAGE = [' ', '  ', ':', ': ', '#', ' #', '-', '- ', '\t', '\n', '\n  ', '"', "'", '&a ', '*a', '!t ', '|', '>', '{', '}', '[', ']', ',', '?', '\\'];

function damaged(rng: Rng, text: string): string {
  let t = text;
  for (let k = 1 + rng.int(3); k > 0; k--) {
    const at = rng.int(t.length + 1);
    t = rng.chance(0.7) ? t.slice(0, at) + rng.pick(DAMAGE) + t.slice(at) : t.slice(0, at) + t.slice(at + 1 + rng.int(3));
  }
  return t;
}

test('random documents: the simple reader reads them as js-yaml does, or leaves them to it', () => {
  const cases = 1500;
  let read = 0;
  let readDamaged = 0;
  for (let i = 0; i < cases; i++) {
    const rng = Rng.forCase(20261122, 'simple-reader', i);
    const text = `${block(rng, '', 0)}\n`;
    if (agrees(text, rng.chance(0.5) ? 'resource' : 'kustomization')) read++;
    if (agrees(damaged(rng, text))) readDamaged++;
  }
  // The generated shapes are mostly in the subset: a reader that gives up on everything would pass the above.
  assert.ok(read > cases * 0.3, `read ${read} of ${cases}`);
  assert.ok(readDamaged > cases * 0.05, `read ${readDamaged} of ${cases} damaged documents`);
});

test.run();
