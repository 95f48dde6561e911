// Reading a kustomization file's YAML as kustomize does: one pass with go-yaml v2's resolution (sigs.k8s.io/yaml).
// Each case below was run through `kubectl kustomize` (v5.5.0) to see what it makes of the file.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseKustomization } from '../../src/kustomize/kustomization.js';
import { isKforgeError } from '../../src/errors.js';

const fails = (fn: () => unknown, re: RegExp) => {
  try {
    fn();
  } catch (e) {
    assert.ok(isKforgeError(e), String(e));
    assert.match(e.format(), re);
    return;
  }
  assert.unreachable(`expected an error matching ${re}`);
};

test('numbers are go-yaml v2 numbers: 0777 is octal, -.5 is a number where a string belongs', () => {
  // kubectl: replicas: 511
  assert.equal(parseKustomization('resources: [d.yaml]\nreplicas: [{name: d, count: 0777}]\n', 'k.yaml').replicas, [{ name: 'd', count: 511 }]);
  // kubectl: json: cannot unmarshal number into Go struct field Kustomization.nameSuffix of type string
  fails(() => parseKustomization('resources: [d.yaml]\nnameSuffix: -.5\n', 'k.yaml'), /nameSuffix: expected a string, got a number/);
});

test('a label or annotation key go-yaml v2 does not read as a string is refused, as kustomize fails on it', () => {
  // kubectl: json: unsupported type: map[interface {}]interface {} (the key became true, 1, 1.5)
  for (const text of ['commonLabels: {on: a}', 'commonLabels: {1: a}', 'commonAnnotations: {y: a}', 'labels: [{pairs: {1.5: a}}]']) {
    fails(() => parseKustomization(`resources: [cm.yaml]\n${text}\n`, 'k.yaml'), /k\.yaml:2: mapping key .* is not a string/);
  }
});

test('tags go-yaml knows or decodes by kind are read, as kustomize reads them', () => {
  // kubectl: namespace: foo, for both
  assert.is(parseKustomization('resources: [cm.yaml]\nnamespace: !custom foo\n', 'k.yaml').namespace, 'foo');
  assert.is(parseKustomization('resources: [cm.yaml]\nnamespace: !!binary Zm9v\n', 'k.yaml').namespace, 'foo');
  // kubectl: label a: ""
  assert.equal(parseKustomization('resources: [cm.yaml]\ncommonLabels: !!set {a}\n', 'k.yaml').commonLabels, { a: '' });
});

test('text after the document end marker is not read, as in kustomize', () => {
  // kubectl: namespace: ns, no error
  assert.is(parseKustomization('resources: [cm.yaml]\nnamespace: ns\n...\ngarbage: [\n', 'k.yaml').namespace, 'ns');
});

test('the simple and the full YAML reader give the same kustomization', () => {
  const simple = 'resources:\n- ../base\nimages:\n- {name: app, newTag: "1.2"}\npatches:\n- target: {kind: Deployment}\n  patch: |-\n    - op: add\n      path: /x\n      value: 1\n';
  // An anchor sends the file to js-yaml; it is not used, so the value must not change.
  const full = simple.replace('resources:', 'resources: &r');
  assert.equal(parseKustomization(simple, 'k.yaml'), parseKustomization(full, 'k.yaml'));
});

test.run();
