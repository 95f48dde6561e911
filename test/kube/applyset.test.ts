import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  PART_OF_LABEL, applySetId, keptNamespaceManifest, planApplySets, planPrune, primaryNamespace, withNamespaces, type LiveApplySet,
} from '../../src/kube/applyset.js';
import type { JsonObject } from '../../src/resource.js';

const r = (apiVersion: string, kind: string, name: string, namespace?: string, labels?: Record<string, string>): JsonObject => ({
  apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}), ...(labels ? { labels } : {}) },
});

test('the ApplySet id is the one kubectl computes for a Secret parent', () => {
  // Read from the parent kubectl 1.32 created for --applyset=kforge-dev -n demo.
  assert.is(applySetId('kforge-dev', 'demo'), 'applyset-njwV4ixiZajkhiv0B90-C9GPsj4VDpYpLSxORyiyYbA-v1');
});

test('namespaced resources without a namespace get the context namespace; cluster-scoped ones stay without', () => {
  const out = withNamespaces([r('v1', 'ConfigMap', 'c'), r('v1', 'Namespace', 'n'), r('rbac.authorization.k8s.io/v1', 'ClusterRole', 'cr'), r('v1', 'Service', 's', 'x')], 'team');
  assert.equal(out.map((o) => (o.metadata as JsonObject).namespace ?? '-'), ['team', '-', '-', 'x']);
});

test('one ApplySet per namespace; cluster-scoped members join the set of the namespace with most resources', () => {
  const sets = planApplySets([
    r('v1', 'Namespace', 'a'), r('v1', 'Namespace', 'b'),
    r('v1', 'ConfigMap', 'c1', 'a'), r('v1', 'ConfigMap', 'c2', 'b'), r('v1', 'ConfigMap', 'c3', 'b'),
  ], 'dev', 'default');
  assert.equal(sets.map((s) => [s.namespace, s.name, s.resources.map((x) => (x.metadata as JsonObject).name)]), [
    ['b', 'kforge-dev', ['a', 'b', 'c2', 'c3']],
    ['a', 'kforge-dev', ['c1']],
  ]);
  for (const s of sets) for (const m of s.resources) assert.is(((m.metadata as JsonObject).labels as JsonObject)[PART_OF_LABEL], s.id);
  assert.is(primaryNamespace([r('v1', 'Namespace', 'a')], 'fallback'), 'fallback');
});

const sets = planApplySets([r('v1', 'Namespace', 'shop'), r('v1', 'ConfigMap', 'keep', 'shop')], 'dev', 'default');
const id = applySetId('kforge-dev', 'shop');
const live = (members: JsonObject[], namespace = 'shop', hasParent = true): LiveApplySet => ({ namespace, id: applySetId('kforge-dev', namespace), groupKinds: [], members, hasParent });

test('prune selects members of the set that left the render, and nothing without the set label', () => {
  const plan = planPrune(sets, [live([
    r('v1', 'ConfigMap', 'keep', 'shop', { [PART_OF_LABEL]: id }),
    r('v1', 'ConfigMap', 'gone', 'shop', { [PART_OF_LABEL]: id }),
    r('v1', 'ConfigMap', 'someone-elses', 'shop', { [PART_OF_LABEL]: 'applyset-other-v1' }),
    r('v1', 'ConfigMap', 'unlabelled', 'shop'),
    r('v1', 'ConfigMap', 'elsewhere', 'other', { [PART_OF_LABEL]: id }),
  ])], { pruneNamespaces: false });
  assert.equal(plan.prune.map((p) => [p.id.name, p.via]), [['gone', 'applyset']]);
});

test('Namespaces are kept unless prune-namespaces is given', () => {
  const members = [r('v1', 'Namespace', 'old', undefined, { [PART_OF_LABEL]: id })];
  const kept = planPrune(sets, [live(members)], { pruneNamespaces: false });
  assert.equal(kept.prune, []);
  assert.equal(kept.keptNamespaces.map((k) => (k.object.metadata as JsonObject).name), ['old']);
  const pruned = planPrune(sets, [live(members)], { pruneNamespaces: true });
  assert.equal(pruned.prune.map((p) => p.id.name), ['old']);
});

test('a render with zero resources never prunes', () => {
  const plan = planPrune([], [live([r('v1', 'ConfigMap', 'gone', 'shop', { [PART_OF_LABEL]: id })])], { pruneNamespaces: true });
  assert.equal(plan, { prune: [], keptNamespaces: [] });
});

test('members of a set whose namespace left the render are deleted by kforge, not by an ApplySet pass', () => {
  const oldId = applySetId('kforge-dev', 'legacy');
  const plan = planPrune(sets, [live([r('v1', 'ConfigMap', 'x', 'legacy', { [PART_OF_LABEL]: oldId })], 'legacy')], { pruneNamespaces: false });
  assert.equal(plan.prune.map((p) => [p.id.name, p.applySet, p.via]), [['x', 'legacy', 'delete']]);
});

test("members of a set without a parent yet are deleted by kforge: kubectl's first pass of a set prunes nothing", () => {
  const plan = planPrune(sets, [live([r('v1', 'ConfigMap', 'gone', 'shop', { [PART_OF_LABEL]: id })], 'shop', false)], { pruneNamespaces: false });
  assert.equal(plan.prune.map((p) => [p.id.name, p.via]), [['gone', 'delete']]);
});

test('a resource that moved to another set is not pruned from the old one', () => {
  const oldId = applySetId('kforge-dev', 'legacy');
  const plan = planPrune(sets, [live([r('v1', 'Namespace', 'shop', undefined, { [PART_OF_LABEL]: oldId })], 'legacy')], { pruneNamespaces: true });
  assert.equal(plan.prune, []);
});

test('a kept Namespace is re-applied with its live labels and annotations, so the pass changes nothing', () => {
  const m = keptNamespaceManifest({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'old', uid: 'u', labels: { team: 'a', 'kubernetes.io/metadata.name': 'old', [PART_OF_LABEL]: 'x' }, annotations: { note: 'n' } } }, 'applyset-new-v1');
  assert.equal(m, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'old', labels: { team: 'a', [PART_OF_LABEL]: 'applyset-new-v1' }, annotations: { note: 'n' } } });
});

test.run();
