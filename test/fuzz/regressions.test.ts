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

test.run();
