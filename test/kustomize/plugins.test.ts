// Reading the kustomization fields of issue 6 and builtin plugin configs: typed values, clear errors.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseKustomization, parseReplacementFile } from '../../src/kustomize/kustomization.js';
import { parseCrdConfig, parsePluginConfig, parseTransformerConfig } from '../../src/kustomize/plugins.js';

const fails = (fn: () => unknown, re: RegExp) => {
  try {
    fn();
  } catch (e) {
    const msg = (e as { format?: () => string }).format?.() ?? String(e);
    assert.match(msg, re);
    assert.not.match(msg, /\n/, 'errors are one line');
    return;
  }
  assert.unreachable(`expected an error matching ${re}`);
};

test('vars read objref and fieldref case-insensitively, as Go JSON does, and default to metadata.name', () => {
  const k = parseKustomization('resources: [a.yaml]\nvars:\n- name: A\n  objRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n- name: B\n  objref: {version: v1, kind: Service, name: s}\n  fieldref:\n    fieldpath: spec.ports[0].port\n', 'k.yaml');
  assert.equal(k.vars, [
    { name: 'A', objref: { group: 'apps', version: 'v1', kind: 'Deployment', name: 'web', namespace: '' }, fieldPath: 'metadata.name' },
    { name: 'B', objref: { group: '', version: 'v1', kind: 'Service', name: 's', namespace: '' }, fieldPath: 'spec.ports[0].port' },
  ]);
  assert.ok(k.deprecations.some((d) => d.includes("'vars' is deprecated")));
});

test('replacements are inline or a path, never both', () => {
  const k = parseKustomization('resources: [a.yaml]\nreplacements:\n- path: r.yaml\n- source: {kind: Service}\n  targets: [{select: {kind: Deployment}, fieldPaths: [metadata.name]}]\n', 'k.yaml');
  assert.equal(k.replacements[0], { path: 'r.yaml' });
  assert.equal(k.replacements[1], { replacement: { source: { kind: 'Service', fieldPath: undefined, options: undefined }, targets: [{ select: { kind: 'Deployment' }, reject: [], fieldPaths: ['metadata.name'], options: undefined }] } });
  fails(() => parseKustomization('replacements:\n- path: r.yaml\n  source: {kind: A}\n', 'k.yaml'), /cannot specify both path and inline replacement/);
  assert.is(parseReplacementFile({ source: { kind: 'A' }, targets: [] }, 'r.yaml').length, 1);
  fails(() => parseReplacementFile('text', 'r.yaml'), /unsupported replacement type/);
});

test('fields kforge does not implement fail with the field named, and plugins say kforge runs none', () => {
  fails(() => parseKustomization('openapi: {path: s.json}\n', 'k.yaml'), /field 'openapi' is not supported by kforge yet/);
  fails(() => parseKustomization('helmCharts: [{name: x}]\n', 'k.yaml'), /kforge does not run plugins/);
  fails(() => parseKustomization('resources: [a]\nbuildMetadata: [everything]\n', 'k.yaml'), /'everything' is not one of managedByLabel/);
  fails(() => parsePluginConfig({ apiVersion: 'example.com/v1', kind: 'X', metadata: { name: 'x' } }, 'f.yaml', 'transformers'), /transformers: example.com\/v1\/X 'x' is not a kustomize builtin plugin .*kforge does not run plugins/);
  fails(() => parsePluginConfig({ apiVersion: 'builtin', kind: 'SortOrderTransformer', metadata: { name: 's' } }, 'f.yaml', 'transformers'), /unable to load builtin SortOrderTransformer/);
});

test('builtin plugin configs read their own fieldSpecs; generators take their name from metadata', () => {
  const l = parsePluginConfig({ apiVersion: 'builtin', kind: 'LabelTransformer', metadata: { name: 'l' }, labels: { a: 'b' }, fieldSpecs: [{ path: 'metadata/labels', create: true }] }, 'f.yaml', 'transformers');
  assert.equal(l, { kind: 'LabelTransformer', pairs: { a: 'b' }, fieldSpecs: [{ path: 'metadata/labels', create: true }], source: { kind: 'LabelTransformer', name: 'l', file: 'f.yaml' } });
  const g = parsePluginConfig({ apiVersion: 'builtin', kind: 'ConfigMapGenerator', metadata: { name: 'cm', namespace: 'n' }, literals: ['a=b'] }, 'f.yaml', 'generators');
  assert.ok(g.kind === 'ConfigMapGenerator' && g.args.name === 'cm' && g.args.namespace === 'n');
  fails(() => parsePluginConfig({ apiVersion: 'builtin', kind: 'LabelTransformer', metadata: { name: 'l' }, lables: {} }, 'f.yaml', 'transformers'), /unknown field 'lables'/);
});

test('configuration files and CRD definitions become field specs', () => {
  const c = parseTransformerConfig({ images: [{ path: 'spec/image', kind: 'Db' }], nameReference: [{ kind: 'Secret', version: 'v1', fieldSpecs: [{ path: 'spec/secret', kind: 'Db' }] }] }, 'c.yaml');
  assert.equal(c.images, [{ path: 'spec/image', kind: 'Db', create: false }]);
  assert.equal(c.nameReference, [{ target: { version: 'v1', kind: 'Secret' }, referrers: [{ path: 'spec/secret', kind: 'Db', create: false }] }]);
  const crd = parseCrdConfig({
    'example.com.v1.Db': { Schema: { properties: { apiVersion: {}, kind: {}, metadata: {}, spec: { $ref: 'example.com.v1.DbSpec' } } } },
    'example.com.v1.DbSpec': { Schema: { properties: { secret: { 'x-kubernetes-object-ref-api-version': 'v1', 'x-kubernetes-object-ref-kind': 'Secret' } } } },
  }, 'crd.json');
  assert.equal(crd.nameReference, [{ target: { kind: 'Secret', version: 'v1' }, referrers: [{ path: 'spec/secret/name', kind: 'Db', create: false }] }]);
});

test('sortOptions accept legacy with lists and fifo alone', () => {
  assert.equal(parseKustomization('resources: [a]\nsortOptions: {order: legacy, legacySortOptions: {orderFirst: [A], orderLast: [B]}}\n', 'k.yaml').sortOptions, { order: 'legacy', legacy: { orderFirst: ['A'], orderLast: ['B'] } });
  fails(() => parseKustomization('resources: [a]\nsortOptions: {order: fifo, legacySortOptions: {}}\n', 'k.yaml'), /selected sort order is 'fifo'/);
});

test.run();
