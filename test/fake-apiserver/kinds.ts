// The API resources the fake server serves, and the discovery and OpenAPI v3 documents kubectl reads about them.
// Shapes follow what kube-apiserver 1.32 returns; only what kubectl 1.32 reads is filled in.

export interface KindInfo {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames?: string[];
  categories?: string[];
  /** The fake controller that drives its status, if any. */
  controller?: 'deployment' | 'statefulset' | 'daemonset' | 'job';
}

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

export const KINDS: KindInfo[] = [
  { group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', singular: 'namespace', namespaced: false, shortNames: ['ns'] },
  { group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', singular: 'configmap', namespaced: true, shortNames: ['cm'] },
  { group: '', version: 'v1', kind: 'Secret', plural: 'secrets', singular: 'secret', namespaced: true },
  { group: '', version: 'v1', kind: 'Service', plural: 'services', singular: 'service', namespaced: true, shortNames: ['svc'], categories: ['all'] },
  { group: '', version: 'v1', kind: 'ServiceAccount', plural: 'serviceaccounts', singular: 'serviceaccount', namespaced: true, shortNames: ['sa'] },
  { group: '', version: 'v1', kind: 'PersistentVolumeClaim', plural: 'persistentvolumeclaims', singular: 'persistentvolumeclaim', namespaced: true, shortNames: ['pvc'] },
  { group: '', version: 'v1', kind: 'PersistentVolume', plural: 'persistentvolumes', singular: 'persistentvolume', namespaced: false, shortNames: ['pv'] },
  { group: '', version: 'v1', kind: 'Pod', plural: 'pods', singular: 'pod', namespaced: true, shortNames: ['po'], categories: ['all'] },
  { group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', singular: 'deployment', namespaced: true, shortNames: ['deploy'], categories: ['all'], controller: 'deployment' },
  { group: 'apps', version: 'v1', kind: 'StatefulSet', plural: 'statefulsets', singular: 'statefulset', namespaced: true, shortNames: ['sts'], categories: ['all'], controller: 'statefulset' },
  { group: 'apps', version: 'v1', kind: 'DaemonSet', plural: 'daemonsets', singular: 'daemonset', namespaced: true, shortNames: ['ds'], categories: ['all'], controller: 'daemonset' },
  { group: 'apps', version: 'v1', kind: 'ReplicaSet', plural: 'replicasets', singular: 'replicaset', namespaced: true, shortNames: ['rs'], categories: ['all'] },
  { group: 'batch', version: 'v1', kind: 'Job', plural: 'jobs', singular: 'job', namespaced: true, categories: ['all'], controller: 'job' },
  { group: 'batch', version: 'v1', kind: 'CronJob', plural: 'cronjobs', singular: 'cronjob', namespaced: true, shortNames: ['cj'], categories: ['all'] },
  { group: 'networking.k8s.io', version: 'v1', kind: 'Ingress', plural: 'ingresses', singular: 'ingress', namespaced: true, shortNames: ['ing'] },
  { group: 'networking.k8s.io', version: 'v1', kind: 'NetworkPolicy', plural: 'networkpolicies', singular: 'networkpolicy', namespaced: true, shortNames: ['netpol'] },
  { group: 'policy', version: 'v1', kind: 'PodDisruptionBudget', plural: 'poddisruptionbudgets', singular: 'poddisruptionbudget', namespaced: true, shortNames: ['pdb'] },
  { group: 'autoscaling', version: 'v2', kind: 'HorizontalPodAutoscaler', plural: 'horizontalpodautoscalers', singular: 'horizontalpodautoscaler', namespaced: true, shortNames: ['hpa'], categories: ['all'] },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'Role', plural: 'roles', singular: 'role', namespaced: true },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'RoleBinding', plural: 'rolebindings', singular: 'rolebinding', namespaced: true },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRole', plural: 'clusterroles', singular: 'clusterrole', namespaced: false },
  { group: 'rbac.authorization.k8s.io', version: 'v1', kind: 'ClusterRoleBinding', plural: 'clusterrolebindings', singular: 'clusterrolebinding', namespaced: false },
  { group: 'storage.k8s.io', version: 'v1', kind: 'StorageClass', plural: 'storageclasses', singular: 'storageclass', namespaced: false, shortNames: ['sc'] },
  { group: 'apiextensions.k8s.io', version: 'v1', kind: 'CustomResourceDefinition', plural: 'customresourcedefinitions', singular: 'customresourcedefinition', namespaced: false, shortNames: ['crd', 'crds'] },
];

/** Groups in the order discovery lists them (core first, then as the real server orders its built-in groups). */
export function groups(): { name: string; versions: string[] }[] {
  const out: { name: string; versions: string[] }[] = [];
  for (const k of KINDS) {
    let g = out.find((x) => x.name === k.group);
    if (!g) out.push((g = { name: k.group, versions: [] }));
    if (!g.versions.includes(k.version)) g.versions.push(k.version);
  }
  return out;
}

export function kindsOf(group: string, version: string): KindInfo[] {
  return KINDS.filter((k) => k.group === group && k.version === version);
}

export function findByPlural(group: string, version: string, plural: string): KindInfo | undefined {
  return KINDS.find((k) => k.group === group && k.version === version && k.plural === plural);
}

export function findByKind(apiVersion: string, kind: string): KindInfo | undefined {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  return KINDS.find((k) => k.group === group && k.version === version && k.kind === kind);
}

export const apiVersionOf = (k: KindInfo) => (k.group ? `${k.group}/${k.version}` : k.version);
const gvPath = (group: string, version: string) => (group ? `apis/${group}/${version}` : `api/${version}`);

/** `application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList` for /api (core only) or /apis. */
export function aggregatedDiscovery(core: boolean) {
  return {
    kind: 'APIGroupDiscoveryList',
    apiVersion: 'apidiscovery.k8s.io/v2',
    metadata: {},
    items: groups()
      .filter((g) => (g.name === '') === core)
      .map((g) => ({
        metadata: g.name ? { name: g.name } : {},
        versions: g.versions.map((version) => ({
          version,
          resources: kindsOf(g.name, version).map((k) => ({
            resource: k.plural,
            responseKind: { group: k.group, version: k.version, kind: k.kind },
            scope: k.namespaced ? 'Namespaced' : 'Cluster',
            singularResource: k.singular,
            verbs: VERBS,
            ...(k.shortNames ? { shortNames: k.shortNames } : {}),
            ...(k.categories ? { categories: k.categories } : {}),
            ...(k.controller || k.kind === 'Namespace'
              ? { subresources: [{ subresource: 'status', responseKind: { group: k.group, version: k.version, kind: k.kind }, verbs: ['get', 'patch', 'update'] }] }
              : {}),
          })),
          freshness: 'Current',
        })),
      })),
  };
}

export function legacyApiVersions(serverAddress: string) {
  return { kind: 'APIVersions', versions: ['v1'], serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }] };
}

export function legacyGroupList() {
  return {
    kind: 'APIGroupList',
    apiVersion: 'v1',
    groups: groups()
      .filter((g) => g.name !== '')
      .map((g) => ({
        name: g.name,
        versions: g.versions.map((v) => ({ groupVersion: `${g.name}/${v}`, version: v })),
        preferredVersion: { groupVersion: `${g.name}/${g.versions[0]}`, version: g.versions[0] },
      })),
  };
}

export function legacyResourceList(group: string, version: string) {
  const kinds = kindsOf(group, version);
  if (kinds.length === 0) return undefined;
  const resources: object[] = [];
  for (const k of kinds) {
    resources.push({ name: k.plural, singularName: k.singular, namespaced: k.namespaced, kind: k.kind, verbs: VERBS, ...(k.shortNames ? { shortNames: k.shortNames } : {}), ...(k.categories ? { categories: k.categories } : {}) });
    if (k.controller || k.kind === 'Namespace') resources.push({ name: `${k.plural}/status`, singularName: '', namespaced: k.namespaced, kind: k.kind, verbs: ['get', 'patch', 'update'] });
  }
  return { kind: 'APIResourceList', apiVersion: 'v1', groupVersion: group ? `${group}/${version}` : version, resources };
}

/** The /openapi/v3 index: one entry per group-version, each with a content hash in its URL as the real one has. */
export function openApiIndex() {
  const paths: Record<string, { serverRelativeURL: string }> = {};
  for (const g of groups()) for (const v of g.versions) {
    const p = gvPath(g.name, v);
    paths[p] = { serverRelativeURL: `/openapi/v3/${p}?hash=${hashOf(p)}` };
  }
  return { paths };
}

function hashOf(s: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).toUpperCase().padStart(8, '0').repeat(4);
}

const QUERY_PARAMS = ['dryRun', 'fieldManager', 'fieldValidation', 'force'].map((name) => ({
  name,
  in: 'query',
  description: name,
  schema: { type: name === 'force' ? 'boolean' : 'string', uniqueItems: true },
}));

/** A generated stub of the per-group-version OpenAPI v3 document: every PATCH lists `fieldValidation`, schemas are permissive. */
export function openApiGroupVersion(group: string, version: string) {
  const kinds = kindsOf(group, version);
  if (kinds.length === 0) return undefined;
  const prefix = `/${gvPath(group, version)}`;
  const paths: Record<string, object> = {};
  const schemas: Record<string, object> = {};
  for (const k of kinds) {
    const gvk = { group: k.group, version: k.version, kind: k.kind };
    const ref = `io.k8s.api.${k.group ? k.group.split('.')[0] : 'core'}.${k.version}.${k.kind}`;
    const item = `${prefix}${k.namespaced ? '/namespaces/{namespace}' : ''}/${k.plural}/{name}`;
    const op = (action: string, params: object[]) => ({
      operationId: `${action}${k.kind}`,
      parameters: params,
      responses: { '200': { description: 'OK', content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } } } },
      'x-kubernetes-action': action,
      'x-kubernetes-group-version-kind': gvk,
    });
    paths[item] = { get: op('get', []), put: op('put', QUERY_PARAMS), patch: op('patch', QUERY_PARAMS), delete: op('delete', QUERY_PARAMS.slice(0, 1)) };
    paths[`${prefix}${k.namespaced ? '/namespaces/{namespace}' : ''}/${k.plural}`] = { get: op('list', []), post: op('post', QUERY_PARAMS.slice(0, 3)) };
    schemas[ref] = { type: 'object', 'x-kubernetes-group-version-kind': [gvk], 'x-kubernetes-preserve-unknown-fields': true };
  }
  return { openapi: '3.0.0', info: { title: 'Kubernetes', version: 'v1.32.4' }, paths, components: { schemas } };
}
