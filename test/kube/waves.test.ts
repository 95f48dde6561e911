import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { planWaves, workloadsOf, WAVE_ANNOTATION } from '../../src/kube/waves.js';
import { isKforgeError } from '../../src/errors.js';
import type { JsonObject } from '../../src/resource.js';

const obj = (apiVersion: string, kind: string, name: string, wave?: string): JsonObject => ({
  apiVersion, kind, metadata: { name, ...(wave === undefined ? {} : { annotations: { [WAVE_ANNOTATION]: wave } }) },
});
const names = (ws: ReturnType<typeof planWaves>) => ws.map((w) => `${w.name}: ${w.resources.map((r) => `${String(r.kind)}/${String((r.metadata as JsonObject).name)}`).join(' ')}`);

test('cluster-scoped prerequisites go first on their own, whatever their wave annotation', () => {
  const waves = planWaves([
    obj('apps/v1', 'Deployment', 'app', '1'),
    obj('v1', 'Namespace', 'ns', '5'),
    obj('apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'crd'),
    obj('storage.k8s.io/v1', 'StorageClass', 'fast'),
    obj('v1', 'PersistentVolume', 'pv'),
    obj('rbac.authorization.k8s.io/v1', 'ClusterRole', 'reader'),
  ]);
  assert.equal(names(waves), [
    'prerequisites: Namespace/ns CustomResourceDefinition/crd StorageClass/fast PersistentVolume/pv',
    '0: ClusterRole/reader',
    '1: Deployment/app',
  ]);
});

test('waves follow the annotation, lowest first, default 0, each in render order', () => {
  const waves = planWaves([
    obj('apps/v1', 'Deployment', 'app', '1'),
    obj('v1', 'ConfigMap', 'cfg'),
    obj('apps/v1', 'Deployment', 'db', '0'),
    obj('batch/v1', 'Job', 'migrate', '-1'),
    obj('v1', 'Service', 'web', ' 1 '),
  ]);
  assert.equal(names(waves), ['-1: Job/migrate', '0: ConfigMap/cfg Deployment/db', '1: Deployment/app Service/web']);
});

test('a wave annotation that is not an integer is an input error naming the resource', () => {
  try {
    planWaves([obj('apps/v1', 'Deployment', 'app', 'first')]);
    assert.unreachable('should throw');
  } catch (e) {
    assert.ok(isKforgeError(e));
    assert.is(e.format(), "apps/v1 Deployment app: annotation kforge.dev/apply-wave must be an integer, got 'first'");
  }
});

test('a render with no resources has no waves', () => {
  assert.equal(planWaves([]), []);
});

test('rollouts are awaited for Deployments, StatefulSets and DaemonSets; Jobs must complete; nothing else waits', () => {
  const w = workloadsOf([
    obj('apps/v1', 'Deployment', 'd'), obj('apps/v1', 'StatefulSet', 's'), obj('apps/v1', 'DaemonSet', 'ds'),
    obj('batch/v1', 'Job', 'j'), obj('batch/v1', 'CronJob', 'cj'), obj('v1', 'Service', 'svc'), obj('apps/v1', 'ReplicaSet', 'rs'),
  ]);
  assert.equal(w.map((x) => `${x.id.kind}/${x.id.name}:${x.check}`), ['Deployment/d:rollout', 'StatefulSet/s:rollout', 'DaemonSet/ds:rollout', 'Job/j:complete']);
});

test('StatefulSets and DaemonSets that update OnDelete are not awaited: nothing rolls out', () => {
  const onDelete = (kind: string): JsonObject => ({ ...obj('apps/v1', kind, kind.toLowerCase()), spec: { updateStrategy: { type: 'OnDelete' } } });
  assert.equal(workloadsOf([onDelete('StatefulSet'), onDelete('DaemonSet')]), []);
});

test.run();
