// Unit tables for the builtin transformers: small inputs, the behaviour named in each test.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { JsonObject } from '../../src/resource.js';
import { makeRes, curId, type Res } from '../../src/compile/res.js';
import * as specs from '../../src/compile/builtin-fieldspecs.js';
import { setNamespace } from '../../src/compile/namespace.js';
import { addNameAffix } from '../../src/compile/name-affix.js';
import { setStringPairs } from '../../src/compile/labels.js';
import { setReplicas } from '../../src/compile/replicas.js';
import { setImages, splitImage } from '../../src/compile/images.js';
import { fixNameReferences } from '../../src/compile/name-references.js';
import { addHashSuffixes } from '../../src/compile/hash-suffix.js';
import { contentHash, generateObject } from '../../src/compile/generators.js';
import { legacySort } from '../../src/compile/sort.js';
import { compileSelector, parseLabelSelector } from '../../src/compile/select.js';
import { applyPatch } from '../../src/compile/patches.js';
import { updateAtPath, splitPath } from '../../src/compile/fieldspec.js';
import { silentContext } from '../../src/compile/context.js';

const res = (object: JsonObject): Res => makeRes(object, { file: 'test.yaml', index: 0 });
const deployment = (name: string, extra: JsonObject = {}): Res =>
  res({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: { template: { spec: { containers: [{ name: 'c', image: 'nginx:1.0' }] } }, ...extra },
  });
const configMap = (name: string): Res => res({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { a: '1' } });

test('field paths split on slashes, keeping escaped ones', () => {
  assert.equal(splitPath('metadata/annotations/a.io\\/b'), ['metadata', 'annotations', 'a.io/b']);
});

test('a field path walks lists without consuming a segment and shares untouched data', () => {
  const obj: JsonObject = { spec: { containers: [{ image: 'a' }, { image: 'b' }] }, other: { x: 1 } };
  const out = updateAtPath(obj, 'spec/containers[]/image', false, 'scalar', (v) => `${String(v)}!`);
  assert.equal(out, { spec: { containers: [{ image: 'a!' }, { image: 'b!' }] }, other: { x: 1 } });
  assert.is(out.other, obj.other);
  assert.equal(obj, { spec: { containers: [{ image: 'a' }, { image: 'b' }] }, other: { x: 1 } }, 'input untouched');
});

test('namespace goes to namespaced kinds only and records the previous id', () => {
  const out = setNamespace([configMap('c'), res({ apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'r' } })], 'prod', specs.namespaceSpecs);
  assert.is(curId(out[0]).namespace, 'prod');
  assert.is(curId(out[1]).namespace, '');
  assert.is(out[0].prevIds[0].namespace, '');
});

test('two resources that collapse into one id under a namespace are refused', () => {
  const a = res({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'x' } });
  const b = res({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'y' } });
  assert.throws(() => setNamespace([a, b], 'prod', specs.namespaceSpecs), /ID conflict/);
});

test('prefix and suffix rename resources but not CRDs, and keep the affix history', () => {
  const crd = res({ apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'x.example.com' } });
  const out = addNameAffix([configMap('c'), crd], { prefix: 'p-', suffix: '-s' }, { prefix: specs.namePrefixSpecs, suffix: specs.nameSuffixSpecs }, specs.prefixSuffixSkip);
  assert.is(curId(out[0]).name, 'p-c-s');
  assert.equal(out[0].prefixes, ['p-']);
  assert.equal(out[0].prevIds.map((i) => i.name), ['c', 'p-c']);
  assert.is(curId(out[1]).name, 'x.example.com');
});

test('commonLabels reach selectors and pod templates, creating maps where the spec says so', () => {
  const [d] = setStringPairs([deployment('web')], { team: 'a' }, specs.commonLabelSpecs);
  const o = d.object as { metadata: JsonObject; spec: { selector: { matchLabels: JsonObject }; template: { metadata: { labels: JsonObject } } } };
  assert.equal(o.metadata.labels, { team: 'a' });
  assert.equal(o.spec.selector.matchLabels, { team: 'a' });
  assert.equal(o.spec.template.metadata.labels, { team: 'a' });
});

test('replicas match by name and kind; an unknown name is an error', () => {
  const [d] = setReplicas([deployment('web')], [{ name: 'web', count: 3 }], specs.replicaSpecs);
  assert.is((d.object.spec as JsonObject).replicas, 3);
  assert.throws(() => setReplicas([deployment('web')], [{ name: 'api', count: 3 }], specs.replicaSpecs), /api/);
});

test('image references split at the first colon after the registry host', () => {
  assert.equal(splitImage('localhost:5000/app:1@sha256:abc'), { name: 'localhost:5000/app', tag: '1', digest: 'sha256:abc' });
  assert.equal(splitImage('app@sha256:abc'), { name: 'app', tag: '', digest: 'sha256:abc' });
  assert.equal(splitImage('app'), { name: 'app', tag: '', digest: '' });
});

test('images: a new tag replaces tag and digest; a name that is only a prefix does not match', () => {
  const out = setImages([deployment('web'), res({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { containers: [{ name: 'c', image: 'nginx-extra:1' }] } })], [{ name: 'nginx', newTag: '2.0' }]);
  const image = (r: Res) => JSON.stringify(r.object).match(/"image":"([^"]+)"/)![1];
  assert.is(image(out[0]), 'nginx:2.0');
  assert.is(image(out[1]), 'nginx-extra:1');
});

test('generated names get a content hash that ignores the name, and references follow the rename', () => {
  const cm = { ...res(generateObject({ kind: 'ConfigMap', name: 'cfg', behavior: 'create', entries: [{ key: 'a', value: '1' }], options: {} })), generator: { behavior: 'create' as const, hash: true } };
  const d = deployment('web', { template: { spec: { containers: [{ name: 'c', image: 'x:1', envFrom: [{ configMapRef: { name: 'cfg' } }] }] } } });
  const hashed = addHashSuffixes([cm, d]);
  const fixed = fixNameReferences(hashed, specs.nameReferences);
  const name = curId(fixed[0]).name;
  assert.match(name, /^cfg-[a-z0-9]{10}$/);
  assert.ok(JSON.stringify(fixed[1].object).includes(`"name":"${name}"`));
  const other = generateObject({ kind: 'ConfigMap', name: 'other', behavior: 'create', entries: [{ key: 'a', value: '1' }], options: {} });
  assert.is(contentHash(other), contentHash(cm.object));
});

test('legacy sort puts Namespaces first and webhooks last', () => {
  const ns = res({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'n' } });
  const hook = res({ apiVersion: 'admissionregistration.k8s.io/v1', kind: 'ValidatingWebhookConfiguration', metadata: { name: 'h' } });
  const out = legacySort([hook, deployment('web'), configMap('c'), ns]);
  assert.equal(out.map((r) => curId(r).kind), ['Namespace', 'ConfigMap', 'Deployment', 'ValidatingWebhookConfiguration']);
});

test('label selectors support equality, sets and existence', () => {
  const reqs = parseLabelSelector('app=web,tier in (a, b),!legacy,env');
  const ok = (labels: Record<string, string>) => reqs.every((r) => r(labels));
  assert.ok(ok({ app: 'web', tier: 'a', env: 'x' }));
  assert.not.ok(ok({ app: 'web', tier: 'c', env: 'x' }));
  assert.not.ok(ok({ app: 'web', tier: 'a', env: 'x', legacy: '1' }));
  assert.throws(() => parseLabelSelector('a in b'), /invalid labelSelector/);
});

test('target names are anchored regular expressions', () => {
  const match = compileSelector({ kind: 'Deployment', name: 'api-.*' });
  assert.ok(match(deployment('api-v1')));
  assert.not.ok(match(deployment('my-api-v1')));
});

test('a JSON patch leaves the input untouched and names the failing op', () => {
  const d = deployment('web');
  const before = JSON.stringify(d.object);
  // kustomize keeps internal annotations while it builds, so metadata.annotations always exists for a JSON patch.
  const [out] = applyPatch([d], { type: 'json6902', ops: [{ op: 'add', path: '/metadata/annotations/a', value: 'b' }], target: { kind: 'Deployment' }, options: {}, source: 'p.yaml', origin: { file: 'p.yaml', index: 0 } }, silentContext);
  assert.equal((out.object.metadata as JsonObject).annotations, { a: 'b' });
  assert.is(JSON.stringify(d.object), before);
  // Other missing parents fail, as in kustomize ("doc is missing path").
  assert.throws(() => applyPatch([d], { type: 'json6902', ops: [{ op: 'add', path: '/metadata/labels/a', value: 'b' }], target: { kind: 'Deployment' }, options: {}, source: 'p.yaml', origin: { file: 'p.yaml', index: 0 } }, silentContext));
  assert.throws(
    () => applyPatch([d], { type: 'json6902', ops: [{ op: 'remove', path: '/spec/nothing' }], target: { kind: 'Deployment' }, options: {}, source: 'p.yaml', origin: { file: 'p.yaml', index: 0, line: 3 } }, silentContext),
    (e: Error) => /p\.yaml:3: JSON patch op 1 'remove \/spec\/nothing'/.test((e as Error & { format(): string }).format()),
  );
});

test('a patch whose target selects nothing warns and changes nothing', () => {
  const warnings: string[] = [];
  const input = [deployment('web')];
  const out = applyPatch(input, { type: 'json6902', ops: [], target: { kind: 'StatefulSet' }, options: {}, source: 'p.yaml', origin: { file: 'p.yaml', index: 0 } }, { warn: (m) => warnings.push(m) });
  assert.is(out[0], input[0]);
  assert.match(warnings[0], /selects no resource/);
});

test.run();
