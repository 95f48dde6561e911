// kustomize v5.5.0's default field specs (its builtinpluginconsts), as data. The pod-spec based lists are
// expanded from the workload kinds below so the long tables stay readable.
import type { FieldSpec } from './fieldspec.js';
import type { GvkSelector } from './gvk.js';

const fs = (path: string, sel: GvkSelector = {}, create?: boolean): FieldSpec => ({ path, ...sel, ...(create === undefined ? {} : { create }) });

export const namespaceSpecs: FieldSpec[] = [
  fs('metadata/namespace', {}, true),
  fs('metadata/name', { kind: 'Namespace' }, true),
  fs('subjects', { kind: 'RoleBinding' }),
  fs('subjects', { kind: 'ClusterRoleBinding' }),
  fs('spec/service/namespace', { group: 'apiregistration.k8s.io', kind: 'APIService' }, true),
  fs('spec/conversion/webhook/clientConfig/service/namespace', { group: 'apiextensions.k8s.io', kind: 'CustomResourceDefinition' }),
];

export const namePrefixSpecs: FieldSpec[] = [fs('metadata/name')];
export const nameSuffixSpecs: FieldSpec[] = [fs('metadata/name')];
/** Kinds the prefix/suffix transformers never rename. */
export const prefixSuffixSkip: GvkSelector[] = [{ kind: 'Namespace' }, { kind: 'CustomResourceDefinition' }, { group: 'apiregistration.k8s.io', kind: 'APIService' }];

export const metadataLabelSpecs: FieldSpec[] = [
  fs('metadata/labels', {}, true),
  fs('spec/template/metadata/labels', { version: 'v1', kind: 'ReplicationController' }, true),
  fs('spec/template/metadata/labels', { kind: 'Deployment' }, true),
  fs('spec/template/metadata/labels', { kind: 'ReplicaSet' }, true),
  fs('spec/template/metadata/labels', { kind: 'DaemonSet' }, true),
  fs('spec/template/metadata/labels', { group: 'apps', kind: 'StatefulSet' }, true),
  fs('spec/volumeClaimTemplates[]/metadata/labels', { group: 'apps', kind: 'StatefulSet' }, true),
  fs('spec/template/metadata/labels', { group: 'batch', kind: 'Job' }, true),
  fs('spec/jobTemplate/metadata/labels', { group: 'batch', kind: 'CronJob' }, true),
  fs('spec/jobTemplate/spec/template/metadata/labels', { group: 'batch', kind: 'CronJob' }, true),
];

/** Template labels only (labels[].includeTemplates without includeSelectors). */
export const templateLabelSpecs: FieldSpec[] = metadataLabelSpecs.filter((f) => f.path !== 'metadata/labels');

const affinityPaths = [
  'spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels',
  'spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels',
  'spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels',
  'spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels',
  'spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels',
];

export const commonLabelSpecs: FieldSpec[] = [
  fs('spec/selector', { version: 'v1', kind: 'Service' }, true),
  fs('spec/selector', { version: 'v1', kind: 'ReplicationController' }, true),
  fs('spec/selector/matchLabels', { kind: 'Deployment' }, true),
  ...affinityPaths.map((p) => fs(p, { group: 'apps', kind: 'Deployment' }, false)),
  fs('spec/selector/matchLabels', { kind: 'ReplicaSet' }, true),
  fs('spec/selector/matchLabels', { kind: 'DaemonSet' }, true),
  fs('spec/selector/matchLabels', { group: 'apps', kind: 'StatefulSet' }, true),
  fs('spec/volumeClaimTemplates[]/metadata/labels', { group: 'apps', kind: 'StatefulSet' }, true),
  ...affinityPaths.map((p) => fs(p, { group: 'apps', kind: 'StatefulSet' }, false)),
  fs('spec/selector/matchLabels', { group: 'batch', kind: 'Job' }, false),
  fs('spec/jobTemplate/spec/selector/matchLabels', { group: 'batch', kind: 'CronJob' }, false),
  fs('spec/selector/matchLabels', { group: 'policy', kind: 'PodDisruptionBudget' }, false),
  fs('spec/podSelector/matchLabels', { group: 'networking.k8s.io', kind: 'NetworkPolicy' }, false),
  fs('spec/ingress/from/podSelector/matchLabels', { group: 'networking.k8s.io', kind: 'NetworkPolicy' }, false),
  fs('spec/egress/to/podSelector/matchLabels', { group: 'networking.k8s.io', kind: 'NetworkPolicy' }, false),
  ...metadataLabelSpecs,
];

export const commonAnnotationSpecs: FieldSpec[] = [
  fs('metadata/annotations', {}, true),
  fs('spec/template/metadata/annotations', { version: 'v1', kind: 'ReplicationController' }, true),
  fs('spec/template/metadata/annotations', { kind: 'Deployment' }, true),
  fs('spec/template/metadata/annotations', { kind: 'ReplicaSet' }, true),
  fs('spec/template/metadata/annotations', { kind: 'DaemonSet' }, true),
  fs('spec/template/metadata/annotations', { kind: 'StatefulSet' }, true),
  fs('spec/template/metadata/annotations', { group: 'batch', kind: 'Job' }, true),
  fs('spec/jobTemplate/metadata/annotations', { group: 'batch', kind: 'CronJob' }, true),
  fs('spec/jobTemplate/spec/template/metadata/annotations', { group: 'batch', kind: 'CronJob' }, true),
];

export const replicaSpecs: FieldSpec[] = [
  fs('spec/replicas', { kind: 'Deployment' }, true),
  fs('spec/replicas', { kind: 'ReplicationController' }, true),
  fs('spec/replicas', { kind: 'ReplicaSet' }, true),
  fs('spec/replicas', { kind: 'StatefulSet' }, true),
];

export interface NameReference {
  /** The kind whose name is referred to (the referral target). */
  target: GvkSelector;
  /** Where referrers hold that name. */
  referrers: FieldSpec[];
}

// Pod specs and where each workload kind keeps one.
const podSpecHolders: [string, GvkSelector][] = [
  ['spec', { version: 'v1', kind: 'Pod' }],
  ['template/spec', { kind: 'PodTemplate' }],
  ['spec/template/spec', { kind: 'Deployment' }],
  ['spec/template/spec', { kind: 'ReplicaSet' }],
  ['spec/template/spec', { kind: 'DaemonSet' }],
  ['spec/template/spec', { kind: 'StatefulSet' }],
  ['spec/template/spec', { kind: 'Job' }],
  ['spec/jobTemplate/spec/template/spec', { kind: 'CronJob' }],
];

function inPodSpecs(subpaths: string[], holders = podSpecHolders): FieldSpec[] {
  return holders.flatMap(([prefix, sel]) => subpaths.map((p) => fs(`${prefix}/${p}`, sel)));
}

const configMapInPod = [
  'volumes/configMap/name',
  'containers/env/valueFrom/configMapKeyRef/name',
  'initContainers/env/valueFrom/configMapKeyRef/name',
  'containers/envFrom/configMapRef/name',
  'initContainers/envFrom/configMapRef/name',
  'volumes/projected/sources/configMap/name',
];
const secretInPod = [
  'volumes/secret/secretName',
  'containers/env/valueFrom/secretKeyRef/name',
  'initContainers/env/valueFrom/secretKeyRef/name',
  'containers/envFrom/secretRef/name',
  'initContainers/envFrom/secretRef/name',
  'imagePullSecrets/name',
  'volumes/projected/sources/secret/name',
];
const podHoldersWithRC: [string, GvkSelector][] = [
  ['spec', { kind: 'Pod' }],
  ['spec/template/spec', { kind: 'StatefulSet' }],
  ['spec/template/spec', { kind: 'Deployment' }],
  ['spec/template/spec', { kind: 'ReplicationController' }],
  ['spec/jobTemplate/spec/template/spec', { kind: 'CronJob' }],
  ['spec/template/spec', { kind: 'Job' }],
  ['spec/template/spec', { kind: 'DaemonSet' }],
];
const scaleTarget = fs('spec/scaleTargetRef/name', { kind: 'HorizontalPodAutoscaler' });

export const nameReferences: NameReference[] = [
  { target: { kind: 'Deployment' }, referrers: [scaleTarget] },
  { target: { kind: 'ReplicationController' }, referrers: [scaleTarget] },
  { target: { kind: 'ReplicaSet' }, referrers: [scaleTarget] },
  { target: { kind: 'StatefulSet' }, referrers: [scaleTarget] },
  {
    target: { version: 'v1', kind: 'ConfigMap' },
    referrers: [
      ...inPodSpecs(configMapInPod),
      fs('spec/configSource/configMap', { kind: 'Node' }),
      fs('rules/resourceNames', { kind: 'Role' }),
      fs('rules/resourceNames', { kind: 'ClusterRole' }),
      fs('metadata/annotations/nginx.ingress.kubernetes.io\\/fastcgi-params-configmap', { kind: 'Ingress' }),
    ],
  },
  {
    target: { version: 'v1', kind: 'Secret' },
    referrers: [
      ...inPodSpecs(secretInPod),
      fs('spec/tls/secretName', { kind: 'Ingress' }),
      fs('metadata/annotations/ingress.kubernetes.io\\/auth-secret', { kind: 'Ingress' }),
      fs('metadata/annotations/nginx.ingress.kubernetes.io\\/auth-secret', { kind: 'Ingress' }),
      fs('metadata/annotations/nginx.ingress.kubernetes.io\\/auth-tls-secret', { kind: 'Ingress' }),
      fs('imagePullSecrets/name', { kind: 'ServiceAccount' }),
      fs('parameters/secretName', { kind: 'StorageClass' }),
      fs('parameters/adminSecretName', { kind: 'StorageClass' }),
      fs('parameters/userSecretName', { kind: 'StorageClass' }),
      fs('parameters/secretRef', { kind: 'StorageClass' }),
      fs('rules/resourceNames', { kind: 'Role' }),
      fs('rules/resourceNames', { kind: 'ClusterRole' }),
      fs('spec/template/spec/containers/env/valueFrom/secretKeyRef/name', { group: 'serving.knative.dev', version: 'v1', kind: 'Service' }),
      fs('spec/azureFile/secretName', { kind: 'PersistentVolume' }),
    ],
  },
  {
    target: { version: 'v1', kind: 'Service' },
    referrers: [
      fs('spec/serviceName', { group: 'apps', kind: 'StatefulSet' }),
      fs('spec/rules/http/paths/backend/serviceName', { kind: 'Ingress' }),
      fs('spec/backend/serviceName', { kind: 'Ingress' }),
      fs('spec/rules/http/paths/backend/service/name', { kind: 'Ingress' }),
      fs('spec/defaultBackend/service/name', { kind: 'Ingress' }),
      fs('spec/service/name', { group: 'apiregistration.k8s.io', kind: 'APIService' }),
      fs('webhooks/clientConfig/service', { group: 'admissionregistration.k8s.io', kind: 'ValidatingWebhookConfiguration' }),
      fs('webhooks/clientConfig/service', { group: 'admissionregistration.k8s.io', kind: 'MutatingWebhookConfiguration' }),
      fs('spec/rules/backendRefs/name', { kind: 'HTTPRoute' }),
    ],
  },
  { target: { group: 'rbac.authorization.k8s.io', kind: 'Role' }, referrers: [fs('roleRef/name', { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding' })] },
  {
    target: { group: 'rbac.authorization.k8s.io', kind: 'ClusterRole' },
    referrers: [
      fs('roleRef/name', { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding' }),
      fs('roleRef/name', { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' }),
    ],
  },
  {
    target: { version: 'v1', kind: 'ServiceAccount' },
    referrers: [
      fs('subjects', { group: 'rbac.authorization.k8s.io', kind: 'RoleBinding' }),
      fs('subjects', { group: 'rbac.authorization.k8s.io', kind: 'ClusterRoleBinding' }),
      ...podHoldersWithRC.map(([p, sel]) => fs(`${p}/serviceAccountName`, sel)),
    ],
  },
  {
    target: { version: 'v1', kind: 'PersistentVolumeClaim' },
    referrers: podHoldersWithRC.map(([p, sel]) => fs(`${p}/volumes/persistentVolumeClaim/claimName`, sel)),
  },
  {
    target: { version: 'v1', kind: 'PersistentVolume' },
    referrers: [fs('spec/volumeName', { kind: 'PersistentVolumeClaim' }), fs('rules/resourceNames', { kind: 'ClusterRole' })],
  },
  {
    target: { group: 'storage.k8s.io', version: 'v1', kind: 'StorageClass' },
    referrers: [
      fs('spec/storageClassName', { kind: 'PersistentVolume' }),
      fs('spec/storageClassName', { kind: 'PersistentVolumeClaim' }),
      fs('spec/volumeClaimTemplates/spec/storageClassName', { kind: 'StatefulSet' }),
    ],
  },
  {
    target: { group: 'scheduling.k8s.io', version: 'v1', kind: 'PriorityClass' },
    referrers: podHoldersWithRC.map(([p, sel]) => fs(`${p}/priorityClassName`, sel)),
  },
  // kustomize's table says group 'networking.k8s.io/v1' here, which never matches a real group: keep it so.
  { target: { group: 'networking.k8s.io/v1', version: 'v1', kind: 'IngressClass' }, referrers: [fs('spec/ingressClassName', { kind: 'Ingress' })] },
];

// Where kustomize's ImageTagTransformer looks (the legacy containers walk in images.ts covers the rest).
export const imageSpecs: FieldSpec[] = [
  fs('spec/containers[]/image', {}, true),
  fs('spec/initContainers[]/image', {}, true),
  fs('spec/template/spec/containers[]/image', {}, true),
  fs('spec/template/spec/initContainers[]/image', {}, true),
];

// Where `vars` may be referenced as $(NAME) (kustomize's varreference.go).
const varInContainers = ['containers/args', 'containers/command', 'containers/env/value', 'containers/volumeMounts/mountPath'].flatMap((p) => [p, `init${p[0].toUpperCase()}${p.slice(1)}`]);
export const varReferenceSpecs: FieldSpec[] = [
  ...varInContainers.map((p) => fs(`spec/jobTemplate/spec/template/spec/${p}`, { kind: 'CronJob' })),
  ...varInContainers.map((p) => fs(`spec/template/spec/${p}`, { kind: 'DaemonSet' })),
  ...varInContainers.map((p) => fs(`spec/template/spec/${p}`, { kind: 'Deployment' })),
  fs('spec/rules/host', { kind: 'Ingress' }),
  fs('spec/tls/hosts', { kind: 'Ingress' }),
  fs('spec/tls/secretName', { kind: 'Ingress' }),
  ...varInContainers.map((p) => fs(`spec/template/spec/${p}`, { kind: 'Job' })),
  ...varInContainers.map((p) => fs(`spec/${p}`, { kind: 'Pod' })),
  ...varInContainers.map((p) => fs(`spec/template/spec/${p}`, { kind: 'ReplicaSet' })),
  fs('spec/ports/port', { kind: 'Service' }),
  fs('spec/ports/targetPort', { kind: 'Service' }),
  ...varInContainers.map((p) => fs(`spec/template/spec/${p}`, { kind: 'StatefulSet' })),
  fs('metadata/labels'),
];
