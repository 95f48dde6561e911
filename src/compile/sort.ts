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
function ranks(first: readonly string[], last: readonly string[]): Map<string, number> {
  const rank = new Map<string, number>();
  first.forEach((k, i) => rank.set(k, i - first.length));
  last.forEach((k, i) => rank.set(k, i + 1));
  return rank;
}
const defaultRank = ranks(orderFirst, orderLast);

/** kustomize's legacy sort; sortOptions.legacySortOptions replaces both kind lists. */
export function legacySort(resources: readonly Res[], options?: { orderFirst: readonly string[]; orderLast: readonly string[] }): Res[] {
  const rank = options ? ranks(options.orderFirst, options.orderLast) : defaultRank;
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
