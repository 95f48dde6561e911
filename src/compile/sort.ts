// kustomize's legacy output order: some kinds first (Namespace, ..., Deployment), webhooks last, the rest in
// between; ties broken by group/version/kind, then name and namespace.
import { gvkString, idString } from './gvk.js';
import { curId, type Res } from './res.js';

const orderFirst = [
  'Namespace', 'ResourceQuota', 'StorageClass', 'CustomResourceDefinition', 'ServiceAccount', 'PodSecurityPolicy',
  'Role', 'ClusterRole', 'RoleBinding', 'ClusterRoleBinding', 'ConfigMap', 'Secret', 'Endpoints', 'Service',
  'LimitRange', 'PriorityClass', 'PersistentVolume', 'PersistentVolumeClaim', 'Deployment', 'StatefulSet',
  'CronJob', 'PodDisruptionBudget',
];
const orderLast = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];
const rank = new Map<string, number>();
orderFirst.forEach((k, i) => rank.set(k, i - orderFirst.length));
orderLast.forEach((k, i) => rank.set(k, i + 1));

export function legacySort(resources: readonly Res[]): Res[] {
  const keyed = resources.map((r) => {
    const id = curId(r);
    return { r, rank: rank.get(id.kind) ?? 0, gvk: gvkString(id), id: idString(id) };
  });
  keyed.sort((a, b) => {
    if (a.gvk !== b.gvk) {
      if (a.rank !== b.rank) return a.rank - b.rank;
      return a.gvk < b.gvk ? -1 : 1;
    }
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
  return keyed.map((k) => k.r);
}
