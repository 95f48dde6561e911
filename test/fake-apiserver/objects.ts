// What the fake API server does to an object on its way in: strict field validation, validation (422 Invalid),
// defaulting, and the status its fake controllers write. Each mirrors a real kube-apiserver/controller rule.
import crypto from 'node:crypto';
import { isMap, type Json, type JsonMap } from './fields.js';
import type { KindInfo } from './kinds.js';

/** Top-level fields each kind's schema declares; `fieldValidation=Strict` rejects the rest as the real server does. */
const TOP_LEVEL: Record<string, string[]> = {
  ConfigMap: ['data', 'binaryData', 'immutable'],
  Secret: ['data', 'stringData', 'type', 'immutable'],
  ServiceAccount: ['secrets', 'imagePullSecrets', 'automountServiceAccountToken'],
  Role: ['rules'],
  ClusterRole: ['rules', 'aggregationRule'],
  RoleBinding: ['roleRef', 'subjects'],
  ClusterRoleBinding: ['roleRef', 'subjects'],
  StorageClass: ['provisioner', 'parameters', 'reclaimPolicy', 'mountOptions', 'allowVolumeExpansion', 'volumeBindingMode', 'allowedTopologies'],
};
const COMMON = ['apiVersion', 'kind', 'metadata'];

/** Unknown top-level fields of `obj`, or [] (kinds with a spec accept spec and status). */
export function unknownFields(info: KindInfo, obj: JsonMap): string[] {
  const allowed = new Set([...COMMON, ...(TOP_LEVEL[info.kind] ?? ['spec', 'status'])]);
  return Object.keys(obj).filter((k) => !allowed.has(k));
}

export interface FieldError {
  field: string;
  message: string;
  value?: Json;
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_KINDS = new Set(['Namespace', 'Service']);

function str(v: Json | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** Validation as the real server runs it; `old` is the stored object on update (immutable fields). */
export function validate(info: KindInfo, obj: JsonMap, old: JsonMap | undefined): FieldError[] {
  const errs: FieldError[] = [];
  const md = isMap(obj.metadata) ? obj.metadata : {};
  const name = str(md.name) ?? '';
  if (!name) errs.push({ field: 'metadata.name', message: 'Required value: name or generateName is required' });
  else if (LABEL_KINDS.has(info.kind) ? !DNS_LABEL.test(name) || name.length > 63 : !DNS_SUBDOMAIN.test(name) || name.length > 253) {
    errs.push({
      field: 'metadata.name',
      value: name,
      message: LABEL_KINDS.has(info.kind)
        ? "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character"
        : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
    });
  }
  if (info.kind === 'ConfigMap' && isMap(obj.data)) {
    for (const [k, v] of Object.entries(obj.data)) if (typeof v !== 'string') errs.push({ field: `data[${k}]`, value: v, message: 'must be a string' });
  }
  if (info.kind === 'Deployment' || info.kind === 'StatefulSet' || info.kind === 'DaemonSet') {
    const spec = isMap(obj.spec) ? obj.spec : {};
    const selector = isMap(spec.selector) ? spec.selector : undefined;
    const template = isMap(spec.template) ? spec.template : {};
    const tmd = isMap(template.metadata) ? template.metadata : {};
    const labels = isMap(tmd.labels) ? tmd.labels : {};
    if (!selector) errs.push({ field: 'spec.selector', message: 'Required value' });
    else {
      const matchLabels = isMap(selector.matchLabels) ? selector.matchLabels : {};
      if (Object.keys(matchLabels).length === 0 && !Array.isArray(selector.matchExpressions)) {
        errs.push({ field: 'spec.selector', value: selector, message: 'Invalid value: empty selector is invalid for deployment' });
      }
      if (!Object.entries(matchLabels).every(([k, v]) => labels[k] === v)) {
        errs.push({ field: 'spec.template.metadata.labels', value: labels, message: '`selector` does not match template `labels`' });
      }
      const oldSpec = old && isMap(old.spec) ? old.spec : undefined;
      if (oldSpec && JSON.stringify(oldSpec.selector) !== JSON.stringify(selector)) {
        errs.push({ field: 'spec.selector', value: selector, message: 'field is immutable' });
      }
    }
    const containers = isMap(template.spec) && Array.isArray(template.spec.containers) ? template.spec.containers : [];
    if (containers.length === 0) errs.push({ field: 'spec.template.spec.containers', message: 'Required value' });
  }
  if (info.kind === 'Job' && old) {
    const before = isMap(old.spec) ? old.spec.template : undefined;
    const after = isMap(obj.spec) ? obj.spec.template : undefined;
    if (JSON.stringify(before) !== JSON.stringify(after)) errs.push({ field: 'spec.template', value: after ?? null, message: 'field is immutable' });
  }
  return errs;
}

const setDefault = (m: JsonMap, k: string, v: Json) => {
  if (m[k] === undefined) m[k] = v;
};
const mapAt = (m: JsonMap, k: string): JsonMap => (isMap(m[k]) ? (m[k] as JsonMap) : ((m[k] = {}) as JsonMap));

export function shortHash(s: string, n = 10): string {
  return crypto.createHash('sha256').update(s).digest('hex').slice(0, n);
}

/** The real server's defaulting for the fields kubectl's status checks read (and the diff shows). */
export function applyDefaults(info: KindInfo, obj: JsonMap, old: JsonMap | undefined): void {
  const md = mapAt(obj, 'metadata');
  const name = str(md.name) ?? '';
  switch (info.kind) {
    case 'Namespace': {
      mapAt(md, 'labels')['kubernetes.io/metadata.name'] = name;
      setDefault(mapAt(obj, 'spec'), 'finalizers', ['kubernetes']);
      obj.status = { phase: 'Active' };
      break;
    }
    case 'Secret': {
      setDefault(obj, 'type', 'Opaque');
      // stringData is write-only: the server folds it into data.
      if (isMap(obj.stringData)) {
        const data = mapAt(obj, 'data');
        for (const [k, v] of Object.entries(obj.stringData)) data[k] = Buffer.from(String(v)).toString('base64');
        delete obj.stringData;
      }
      break;
    }
    case 'Service': {
      const spec = mapAt(obj, 'spec');
      setDefault(spec, 'type', 'ClusterIP');
      setDefault(spec, 'sessionAffinity', 'None');
      setDefault(spec, 'internalTrafficPolicy', 'Cluster');
      setDefault(spec, 'ipFamilyPolicy', 'SingleStack');
      setDefault(spec, 'ipFamilies', ['IPv4']);
      const oldSpec = old && isMap(old.spec) ? old.spec : {};
      const h = parseInt(shortHash(`${str(md.namespace)}/${name}`, 4), 16);
      setDefault(spec, 'clusterIP', oldSpec.clusterIP ?? `10.96.${(h >> 8) & 0xff}.${h & 0xff || 1}`);
      setDefault(spec, 'clusterIPs', [spec.clusterIP as Json]);
      if (Array.isArray(spec.ports)) for (const p of spec.ports) if (isMap(p)) {
        setDefault(p, 'protocol', 'TCP');
        setDefault(p, 'targetPort', p.port ?? null);
      }
      break;
    }
    case 'Deployment': {
      const spec = mapAt(obj, 'spec');
      setDefault(spec, 'replicas', 1);
      setDefault(spec, 'strategy', { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } });
      setDefault(spec, 'revisionHistoryLimit', 10);
      setDefault(spec, 'progressDeadlineSeconds', 600);
      break;
    }
    case 'StatefulSet': {
      const spec = mapAt(obj, 'spec');
      setDefault(spec, 'replicas', 1);
      setDefault(spec, 'updateStrategy', { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
      setDefault(spec, 'podManagementPolicy', 'OrderedReady');
      setDefault(spec, 'revisionHistoryLimit', 10);
      break;
    }
    case 'DaemonSet': {
      const spec = mapAt(obj, 'spec');
      setDefault(spec, 'updateStrategy', { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
      setDefault(spec, 'revisionHistoryLimit', 10);
      break;
    }
    case 'Job': {
      const spec = mapAt(obj, 'spec');
      setDefault(spec, 'parallelism', 1);
      setDefault(spec, 'completions', 1);
      setDefault(spec, 'backoffLimit', 6);
      break;
    }
  }
}

/** The real server keeps metadata.generation only for kinds whose spec a controller observes (not ConfigMaps, Services, RBAC). */
export function tracksGeneration(info: KindInfo): boolean {
  return !['', 'rbac.authorization.k8s.io', 'storage.k8s.io'].includes(info.group);
}

/** Whether a change touched anything a controller acts on (everything but metadata and status). */
export function specChanged(before: JsonMap | undefined, after: JsonMap): boolean {
  if (!before) return true;
  const strip = (o: JsonMap) => JSON.stringify(Object.fromEntries(Object.entries(o).filter(([k]) => k !== 'metadata' && k !== 'status').sort()));
  return strip(before) !== strip(after);
}

/** The status a fake controller writes: progressing (and, for 'never', staying so), ready, or (Jobs) failed. */
export function controllerStatus(info: KindInfo, obj: JsonMap, state: 'progressing' | 'ready' | 'failed', now: string): JsonMap {
  const ready = state === 'ready';
  const md = isMap(obj.metadata) ? obj.metadata : {};
  const spec = isMap(obj.spec) ? obj.spec : {};
  const generation = typeof md.generation === 'number' ? md.generation : 1;
  const n = typeof spec.replicas === 'number' ? spec.replicas : 1;
  const cond = (type: string, status: boolean, reason: string, message: string) => ({ type, status: status ? 'True' : 'False', lastUpdateTime: now, lastTransitionTime: now, reason, message });
  switch (info.controller) {
    case 'deployment':
      if (state === 'failed') {
        return { observedGeneration: generation, replicas: n, updatedReplicas: n, unavailableReplicas: n, conditions: [cond('Available', false, 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.'), cond('Progressing', false, 'ProgressDeadlineExceeded', `ReplicaSet "${String(md.name)}" has timed out progressing.`)] };
      }
      return ready
        ? { observedGeneration: generation, replicas: n, updatedReplicas: n, readyReplicas: n, availableReplicas: n, conditions: [cond('Available', true, 'MinimumReplicasAvailable', 'Deployment has minimum availability.'), cond('Progressing', true, 'NewReplicaSetAvailable', `ReplicaSet "${String(md.name)}" has successfully progressed.`)] }
        : { observedGeneration: generation, replicas: n, updatedReplicas: n, unavailableReplicas: n, conditions: [cond('Available', false, 'MinimumReplicasUnavailable', 'Deployment does not have minimum availability.'), cond('Progressing', true, 'ReplicaSetUpdated', `ReplicaSet "${String(md.name)}" is progressing.`)] };
    case 'statefulset': {
      const revision = `${String(md.name)}-${shortHash(String(generation))}`;
      return ready
        ? { observedGeneration: generation, replicas: n, readyReplicas: n, currentReplicas: n, updatedReplicas: n, availableReplicas: n, currentRevision: revision, updateRevision: revision, collisionCount: 0 }
        : { observedGeneration: generation, replicas: n, readyReplicas: 0, currentReplicas: 0, updatedReplicas: n, availableReplicas: 0, currentRevision: `${String(md.name)}-previous`, updateRevision: revision, collisionCount: 0 };
    }
    case 'daemonset':
      return { observedGeneration: generation, desiredNumberScheduled: 1, currentNumberScheduled: 1, updatedNumberScheduled: 1, numberMisscheduled: 0, numberReady: ready ? 1 : 0, numberAvailable: ready ? 1 : 0, ...(ready ? {} : { numberUnavailable: 1 }) };
    case 'job':
      if (state === 'failed') {
        return { startTime: now, failed: 1, ready: 0, terminating: 0, uncountedTerminatedPods: {}, conditions: [cond('FailureTarget', true, 'BackoffLimitExceeded', 'Job has reached the specified backoff limit'), cond('Failed', true, 'BackoffLimitExceeded', 'Job has reached the specified backoff limit')] };
      }
      return ready
        ? { startTime: now, completionTime: now, succeeded: 1, ready: 0, terminating: 0, uncountedTerminatedPods: {}, conditions: [cond('SuccessCriteriaMet', true, 'CompletionsReached', 'Reached expected number of succeeded pods'), cond('Complete', true, 'CompletionsReached', 'Reached expected number of succeeded pods')] }
        : { startTime: now, active: 1, ready: 0, terminating: 0, uncountedTerminatedPods: {} };
    default:
      return {};
  }
}
