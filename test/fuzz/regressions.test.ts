// Bugs the fuzzer found, each as a fixed case. Expected values are what `kubectl kustomize` (kustomize v5.5.0)
// printed for the same input.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isKforgeError } from '../../src/errors.js';
import { parseYamlDocuments } from '../../src/yaml/parse.js';

test('an anchor defined again inside its own node binds aliases to the definition that started last, as go-yaml does', () => {
  // Found by test/fuzz/yaml-kustomize.test.ts: js-yaml re-bound `m0` to the outer map when it closed.
  const text = 'k0: &m0\n  k5: &m0\n    k4: &m0\n      k2: 0x10\n  k0:\n    <<: [*m0]\n    k3: *m0\nafter: *m0\n';
  assert.equal(parseYamlDocuments(text, 'x.yaml')[0].value, {
    k0: { k5: { k4: { k2: 16 } }, k0: { k2: 16, k3: { k2: 16 } } },
    after: { k2: 16 },
  });
});

test('an anchor defined again after its node closed binds to the new definition', () => {
  const text = 'a: &x {v: 1}\nb: *x\nc: &x {v: 2}\nd: *x\n';
  assert.equal(parseYamlDocuments(text, 'x.yaml')[0].value, { a: { v: 1 }, b: { v: 1 }, c: { v: 2 }, d: { v: 2 } });
});

test('an invalid YAML error that quotes the input stays one line', () => {
  // Found by test/fuzz/kustomization.test.ts: js-yaml's reason held the line breaks of a verbatim tag.
  assert.throws(
    () => parseYamlDocuments('\n!<tag:yaml.org,2002:s]\ncrds: [x.yaml]\ntr> \n', 'k.yaml'),
    (e: unknown) => isKforgeError(e) && /invalid YAML: tag name cannot contain such characters/.test(e.format()) && !/[\r\n]/.test(e.format()),
  );
});

// Found by test/fuzz/yaml-kustomize.test.ts, expected values from kubectl kustomize: kyaml splits a file at `---`
// lines that follow a line break and go-yaml reads the first document of each part.
const names = (text: string) => parseYamlDocuments(text, 'x.yaml').map((d) => ((d.value as { metadata?: { name?: string } }).metadata?.name ?? '?'));
const cm = (name: string) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ${name}}\n`;

test('a BOM right after a --- separator is dropped; after a --- that starts the file it is text', () => {
  assert.equal(names(`${cm('a')}---\n\ufeff${cm('b')}`), ['a', 'b']);
  assert.equal(Object.keys(parseYamlDocuments(`--- # c\n\ufeff${cm('b')}`, 'x.yaml')[0].value as object)[0], '\ufeffapiVersion');
});

test('a document end with no document before it in its part is an error at its line', () => {
  for (const [text, line] of [[`${cm('a')}---\n...\n`, 5], ['...\na: 1\n', 1], [`${cm('a')}---\n# c\n...\n`, 6]] as const) {
    assert.throws(() => parseYamlDocuments(text, 'x.yaml'), (e: unknown) => isKforgeError(e) && e.location.line === line && /did not find expected node content/.test(e.message));
  }
  assert.equal(names(`---\n# c\n...\n`), [], 'a stream that starts with --- is one go-yaml stream');
  assert.equal(names(`${cm('a')}...\n...\n`), ['a'], 'more document ends after a document are skipped');
});

test('what follows the first document of a part is ignored, as go-yaml reads one document per part', () => {
  assert.equal(names(`${cm('a')}...\n${cm('dropped')}`), ['a']);
  assert.equal(names(`---\n${cm('a')}---\n---\n${cm('b')}`), ['a', 'b'], 'a --- right after a separator starts the part\'s document');
  assert.equal(names(`${cm('a')}...\n---\n${cm('b')}`), ['a', 'b']);
  assert.equal(names(`${cm('a')}---`), ['a'], 'a last --- without a line break');
});

test('a separator line with more than a comment after the dashes is an error', () => {
  assert.throws(() => parseYamlDocuments(`${cm('a')}--- |\n  text\n`, 'x.yaml'), (e: unknown) => isKforgeError(e) && /invalid document separator: --- \|/.test(e.message) && e.location.line === 4);
  assert.equal(names(`${cm('a')}--- # next\n${cm('b')}`), ['a', 'b']);
  // Found by test/fuzz/yaml.test.ts: a lone carriage return in the separator line broke the error's one line.
  assert.throws(() => parseYamlDocuments(`${cm('a')}---\r only\n${cm('b')}`, 'x.yaml'), (e: unknown) => isKforgeError(e) && e.format() === 'x.yaml:4: invalid document separator: ---\\u000d only (only a comment may follow --- on its line)');
});

test.run();
