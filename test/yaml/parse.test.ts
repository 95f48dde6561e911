// The parser against kustomize v5.5.0 itself: every test/yaml/cases/NAME.in.yaml was built by
// `kubectl kustomize` into NAME.out.yaml (or failed into NAME.err.txt) by scripts/yaml-cases.mjs. Parsing then
// printing must give kustomize's bytes; where kustomize fails, kforge must fail with a one-line InputError.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { parseYamlDocument, parseYamlDocuments } from '../../src/yaml/parse.js';
import { emitDocuments } from '../../src/emit/yaml.js';
import { InputError, isKforgeError } from '../../src/errors.js';
import type { JsonObject } from '../../src/resource.js';

const dir = path.resolve('test/yaml/cases');
const cases = fs.readdirSync(dir).filter((f) => f.endsWith('.in.yaml')).map((f) => f.slice(0, -'.in.yaml'.length)).sort();
// kustomize rejects these at the resource level (not YAML): the parser returns them and the compiler decides.
const resourceLevel = new Set(['not-a-map', 'scalar-doc']);

function render(input: string, file: string): string {
  // The case files are resources (not patches): null annotations print as kustomize prints them.
  const objects = parseYamlDocuments(input, file, { nullAnnotations: 'text' }).map((d) => d.value as JsonObject);
  // kustomize reads the items of a `kind: List` as resources (the compiler does this, not the parser).
  return emitDocuments(objects.flatMap((o) => (o.kind === 'List' && Array.isArray(o.items) ? (o.items as JsonObject[]) : [o])));
}

function errorOf(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof InputError) return e;
    throw e;
  }
  throw new Error('expected an InputError');
}

for (const name of cases) {
  const base = path.join(dir, name);
  const input = fs.readFileSync(`${base}.in.yaml`, 'utf8');
  const file = `${name}.in.yaml`;
  if (fs.existsSync(`${base}.out.yaml`)) {
    test(`${name}: reads the values kubectl kustomize reads`, () => {
      assert.fixture(render(input, file), fs.readFileSync(`${base}.out.yaml`, 'utf8'));
    });
  } else if (!resourceLevel.has(name)) {
    test(`${name}: fails as kubectl kustomize fails, naming the file and line`, () => {
      const e = errorOf(() => render(input, file));
      assert.ok(isKforgeError(e));
      assert.match(e.format(), file);
      assert.not.ok(e.format().includes('\n'), 'errors are one line');
    });
  }
}

// Kustomization files: kustomize reads them with go-yaml v2 (YAML 1.1) into typed fields, and a bool or a number
// where a string belongs is its error. The captured outputs say which type kustomize saw for each scalar.
const kdir = path.resolve('test/yaml/kustomization-cases');
for (const name of fs.readdirSync(kdir).filter((f) => f.endsWith('.in.yaml')).map((f) => f.slice(0, -8)).sort()) {
  const base = path.join(kdir, name);
  test(`kustomization ${name}: the scalar has the type kustomize saw`, () => {
    const doc = parseYamlDocument(fs.readFileSync(`${base}.in.yaml`, 'utf8'), 'kustomization.yaml', { resolution: 'kustomization' });
    let leaf: unknown = doc;
    while (typeof leaf === 'object' && leaf !== null) leaf = Object.values(leaf).at(-1);
    if (fs.existsSync(`${base}.err.txt`)) {
      const seen = /cannot unmarshal (bool|number)/.exec(fs.readFileSync(`${base}.err.txt`, 'utf8'))?.[1];
      assert.is(typeof leaf, seen === 'bool' ? 'boolean' : seen, `kustomize saw a ${seen}`);
    } else {
      const out = fs.readFileSync(`${base}.out.yaml`, 'utf8');
      if (leaf === null) assert.match(out, ': ""');
      else {
        assert.type(leaf, 'string');
        // Names, labels and annotations show the text in the output; an image tag of an unused image does not.
        if (/^(annotation|label|prefix|suffix)-/.test(name)) assert.ok(out.includes(leaf as string), `kustomize printed ${JSON.stringify(leaf)}`);
      }
    }
  });
}

test('resources read yes and 2001-12-14 the go-yaml v3 way, kustomization files the v2 way', () => {
  const text = 'a: yes\nb: 2001-12-14\nmetadata:\n  annotations:\n    c: 0777\n';
  assert.equal(parseYamlDocument(text, 'r.yaml'), { a: 'yes', b: '2001-12-14T00:00:00Z', metadata: { annotations: { c: '0777' } } });
  assert.equal(parseYamlDocument(text, 'k.yaml', { resolution: 'kustomization' }), { a: true, b: '2001-12-14', metadata: { annotations: { c: 511 } } });
});

test('a __proto__ key is refused with its file and path, not turned into a prototype', () => {
  for (const text of ['a:\n  __proto__: {x: 1}\n', 'a: {__proto__: {x: 1}}\n', 'metadata:\n  annotations:\n    __proto__: x\n']) {
    try {
      parseYamlDocuments(text, 'p.yaml');
      assert.unreachable(`accepted ${JSON.stringify(text)}`);
    } catch (e) {
      assert.ok(e instanceof InputError, String(e));
      assert.match((e as InputError).format(), /p\.yaml:1: a mapping key __proto__ is not supported/);
    }
  }
});

test('the case tables are not empty', () => {
  assert.ok(cases.length >= 10, `found ${cases.length} cases`);
});

test('documents kustomize rejects as resources (a list, a bare string) still parse: the loader reports them', () => {
  for (const name of resourceLevel) {
    const [doc] = parseYamlDocuments(fs.readFileSync(path.join(dir, `${name}.in.yaml`), 'utf8'), `${name}.in.yaml`);
    assert.ok(Array.isArray(doc.value) || typeof doc.value === 'string', `${name}: ${JSON.stringify(doc.value)}`);
    assert.match(fs.readFileSync(path.join(dir, `${name}.err.txt`), 'utf8'), 'missing Resource metadata');
  }
});

test('a null annotation stays null by default, so that a strategic-merge patch can delete it', () => {
  const patch = 'metadata:\n  annotations:\n    gone: null\n    empty:\n    tilde: ~\n    kept: 0777\n';
  assert.equal(parseYamlDocument(patch, 'patch.yaml'), { metadata: { annotations: { gone: null, empty: null, tilde: null, kept: '0777' } } });
  assert.equal(parseYamlDocument(patch, 'resource.yaml', { nullAnnotations: 'text' }), {
    metadata: { annotations: { gone: 'null', empty: '', tilde: '~', kept: '0777' } },
  });
});

test('documents keep the line they start on and empty documents are dropped', () => {
  const docs = parseYamlDocuments('# c\n---\na: 1\n---\n---\n# only a comment\n---\nb: 2\n...\n---\nc: 3\n', 'f.yaml');
  assert.equal(docs.map((d) => d.value), [{ a: 1 }, { b: 2 }, { c: 3 }]);
  assert.equal(docs.map((d) => d.line), [2, 7, 10]);
  assert.equal(docs.map((d) => d.index), [0, 1, 2]);
});

test('a --- inside an indented block scalar does not split the document', () => {
  const docs = parseYamlDocuments('a: |\n  ---\n  x\nb: 1\n', 'f.yaml');
  assert.equal(docs.map((d) => d.value), [{ a: '---\nx\n', b: 1 }]);
});

test('a syntax error names the file and the line in the whole stream', () => {
  const e = errorOf(() => parseYamlDocuments('a: 1\n---\nb: 2\nc: "open\n', 'stream.yaml'));
  assert.is(e.location.file, 'stream.yaml');
  assert.ok(e.location.line !== undefined && e.location.line >= 4, `line ${e.location.line}`);
});

test('duplicate keys are an error, as in kustomize', () => {
  const e = errorOf(() => parseYamlDocuments('a: 1\na: 2\n', 'dup.yaml'));
  assert.match(e.message, 'duplicated mapping key');
  assert.is(e.location.line, 2);
});

test('an alias bomb fails fast with a clear error instead of hanging', () => {
  const levels = ['a: &a ["x","x","x","x","x","x","x","x","x","x"]'];
  for (let i = 1; i < 9; i++) {
    const prev = String.fromCharCode(96 + i), cur = String.fromCharCode(97 + i);
    levels.push(`${cur}: &${cur} [*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev}]`);
  }
  const e = errorOf(() => parseYamlDocuments(levels.join('\n') + '\n', 'bomb.yaml'));
  assert.match(e.message, 'aliases expand');
  assert.is(e.location.file, 'bomb.yaml');
});

test('absurd nesting fails with a clear error', () => {
  const e = errorOf(() => parseYamlDocuments('a: ' + '['.repeat(5000) + ']'.repeat(5000) + '\n', 'deep.yaml'));
  assert.match(e.message, 'nesting');
  assert.is(e.location.file, 'deep.yaml');
});

test('a value JSON cannot hold and a nested non-string key name the line they are on', () => {
  const inf = errorOf(() => parseYamlDocuments('a: 1\n---\nkind: X\nspec:\n  limit: .inf\n', 'inf.yaml'));
  assert.is(inf.location.line, 5);
  assert.is(inf.location.path, 'spec.limit');
  const key = errorOf(() => parseYamlDocuments('kind: X\ndata:\n  a: 1\n  8080: http\n', 'key.yaml'));
  assert.is(key.location.line, 4);
  assert.match(key.format(), 'mapping key 8080 is not a string');
});

test('binary garbage is refused as not YAML', () => {
  const e = errorOf(() => parseYamlDocuments('\u0000\u0001\u0002PK\u0003\u0004', 'blob.yaml'));
  assert.match(e.message, 'binary');
});

test('a self-referencing alias is an error, not an endless loop', () => {
  assert.throws(() => parseYamlDocuments('a: &x\n  b: *x\n', 'loop.yaml'), (e: unknown) => isKforgeError(e));
});

test('parsed values are fresh objects: an aliased map may be changed without touching its anchor', () => {
  const [doc] = parseYamlDocuments('a: &x {k: 1}\nb: *x\n', 'f.yaml');
  const v = doc.value as { a: JsonObject; b: JsonObject };
  v.b.k = 2;
  assert.is(v.a.k, 1);
});

test('parseYamlDocument takes exactly one document', () => {
  assert.equal(parseYamlDocument('a: 1\n', 'one.yaml'), { a: 1 });
  assert.is(parseYamlDocument('# nothing\n', 'none.yaml'), undefined);
  const e = errorOf(() => parseYamlDocument('a: 1\n---\nb: 2\n', 'two.yaml'));
  assert.is(e.location.line, 2);
});

test('a large stream of resources parses in one pass', () => {
  const doc = (i: number) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\n  annotations:\n    n: ${i}\ndata:\n  k: "${i}"\n`;
  const text = Array.from({ length: 5000 }, (_, i) => doc(i)).join('---\n');
  const docs = parseYamlDocuments(text, 'big.yaml');
  assert.is(docs.length, 5000);
  assert.equal((docs[4999].value as { metadata: JsonObject }).metadata.annotations, { n: '4999' });
  assert.is(docs[4999].line, 4999 * 9); // the line of its `---`
});

test.run();
