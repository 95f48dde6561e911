import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { k8sSchemaJson } from '../../src/compile/k8s-schema-data.js';
import { fieldSchema, fieldStrategy, isNamespaced, itemSchema, listMergeInfo, schemaForKind } from '../../src/compile/schema.js';

// Each row was observed with `kubectl kustomize` (kustomize v5.5.0) and `namespace: foo`: namespaced kinds got it.
const scopes: [string, string, boolean][] = [
  ['v1', 'Namespace', false],
  ['v1', 'Node', false],
  ['v1', 'PersistentVolume', false],
  ['storage.k8s.io/v1', 'StorageClass', false],
  ['apiextensions.k8s.io/v1', 'CustomResourceDefinition', false],
  ['apiregistration.k8s.io/v1', 'APIService', false],
  ['policy/v1beta1', 'PodSecurityPolicy', false],
  ['rbac.authorization.k8s.io/v1', 'ClusterRole', false],
  ['admissionregistration.k8s.io/v1', 'MutatingWebhookConfiguration', false],
  ['v1', 'NodeProxyOptions', false],
  ['rbac.authorization.k8s.io/v1alpha1', 'ClusterRole', true],
  ['authentication.k8s.io/v1', 'TokenReview', true],
  ['example.com/v1', 'ClusterThing', true],
  ['storage.k8s.io/v1beta1', 'CSIStorageCapacity', true],
  ['v1', 'Binding', true],
  ['v1', 'PodExecOptions', true],
  ['apps/v1', 'Deployment', true],
  ['v1', 'ConfigMap', true],
];

for (const [apiVersion, kind, expected] of scopes) {
  test(`${apiVersion} ${kind} is ${expected ? 'namespaced' : 'cluster-scoped'} as kustomize sees it`, () => {
    assert.is(isNamespaced(apiVersion, kind), expected);
  });
}

test('a kind is looked up by its exact apiVersion, not by kind alone', () => {
  assert.is(isNamespaced('rbac.authorization.k8s.io/v1', 'ClusterRole'), false);
  assert.is(isNamespaced('rbac.authorization.k8s.io/v1alpha1', 'ClusterRole'), true);
});

test('a deployment walks down to container ports keyed by containerPort and protocol', () => {
  const deployment = schemaForKind('apps/v1', 'Deployment');
  assert.is(deployment, 'io.k8s.api.apps.v1.Deployment');
  const podSpec = fieldSchema(fieldSchema(fieldSchema(fieldSchema(deployment, 'spec'), 'template'), 'spec'), 'containers');
  assert.equal(listMergeInfo(podSpec), { strategy: 'merge', keys: ['name'] });
  const ports = fieldSchema(itemSchema(podSpec), 'ports');
  assert.equal(listMergeInfo(ports), { strategy: 'merge', keys: ['containerPort', 'protocol'] });
});

test('volumes merge by name with retainKeys in the strategy', () => {
  const podSpec = fieldSchema(schemaForKind('v1', 'Pod'), 'spec');
  assert.equal(listMergeInfo(fieldSchema(podSpec, 'volumes')), { strategy: 'merge,retainKeys', keys: ['name'] });
});

test('tolerations and container args have no strategy, so a patch replaces them', () => {
  const podSpec = fieldSchema(schemaForKind('v1', 'Pod'), 'spec');
  assert.equal(listMergeInfo(fieldSchema(podSpec, 'tolerations')), { strategy: '', keys: [] });
  assert.equal(listMergeInfo(fieldSchema(itemSchema(fieldSchema(podSpec, 'containers')), 'args')), { strategy: '', keys: [] });
});

test('finalizers are a primitive list with the merge strategy and no keys', () => {
  const meta = fieldSchema(schemaForKind('v1', 'ConfigMap'), 'metadata');
  assert.equal(listMergeInfo(fieldSchema(meta, 'finalizers')), { strategy: 'merge', keys: [] });
  assert.is(itemSchema(fieldSchema(meta, 'finalizers')), 'string');
});

test('map values take the additionalProperties schema', () => {
  const spec = fieldSchema(schemaForKind('authentication.k8s.io/v1', 'TokenReview'), 'status');
  const extra = fieldSchema(fieldSchema(spec, 'user'), 'extra');
  assert.equal(itemSchema(fieldSchema(extra, 'any-key')), 'string');
});

test('custom resources and fields newer than v1.21 have no schema', () => {
  assert.is(schemaForKind('example.com/v1', 'Widget'), undefined);
  const podSpec = fieldSchema(schemaForKind('v1', 'Pod'), 'spec');
  assert.is(fieldSchema(podSpec, 'schedulingGates'), undefined);
  assert.equal(listMergeInfo(undefined), { strategy: '', keys: [] });
});

test('object fields keep the strategies kyaml ignores, for warnings', () => {
  const deploymentSpec = fieldSchema(schemaForKind('apps/v1', 'Deployment'), 'spec');
  assert.is(fieldStrategy(deploymentSpec, 'strategy'), 'retainKeys');
  assert.is(fieldStrategy(fieldSchema(schemaForKind('policy/v1', 'PodDisruptionBudget'), 'spec'), 'selector'), 'replace');
  assert.is(fieldStrategy(fieldSchema(fieldSchema(deploymentSpec, 'template'), 'spec'), 'volumes'), 'merge,retainKeys');
  assert.is(fieldStrategy(deploymentSpec, 'replicas'), '');
});

test('the compiled-in schema module carries exactly schemas/k8s/smp-v1.21.2.json', () => {
  const file = fs.readFileSync(path.resolve('schemas/k8s/smp-v1.21.2.json'), 'utf8');
  assert.is(k8sSchemaJson + '\n', file);
});

test('the schema files are what scripts/schemas.mjs derives from ../shared/k8s', () => {
  const inputs = path.resolve('..', 'shared', 'k8s', 'patch-meta-v1.21.2.json');
  if (!fs.existsSync(inputs)) {
    console.warn(`SKIPPED: ${inputs} is not here, so the derived schema files were not re-derived`);
    return;
  }
  const r = spawnSync(process.execPath, ['scripts/schemas.mjs', '--check'], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
});

test.run();
