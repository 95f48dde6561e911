// The wave plan: which resources are applied together, in which order, and which of them must be ready before
// the next wave starts. Cluster-scoped prerequisites come first on their own; then waves by the
// kforge.dev/apply-wave annotation (default 0), lowest first, each in render order.
import { InputError } from '../errors.js';
import { describeId, isObject, metadataOf, resIdOf, type JsonObject, type ResId } from '../resource.js';

export const WAVE_ANNOTATION = 'kforge.dev/apply-wave';

/** Kinds other resources need to exist first: namespaces to live in, CRDs to be typed by, storage to bind. */
const PREREQUISITES = new Set(['/Namespace', 'apiextensions.k8s.io/CustomResourceDefinition', '/PersistentVolume', 'storage.k8s.io/StorageClass']);

export type ReadinessCheck = 'rollout' | 'complete';

export interface Workload {
  id: ResId;
  check: ReadinessCheck;
}

export interface Wave {
  /** "prerequisites" or the wave number as text. */
  name: string;
  resources: JsonObject[];
}

export function isPrerequisite(id: ResId): boolean {
  return PREREQUISITES.has(`${id.group}/${id.kind}`);
}

export function waveNumberOf(obj: JsonObject): number {
  const md = metadataOf(obj);
  const raw = isObject(md.annotations) ? md.annotations[WAVE_ANNOTATION] : undefined;
  if (raw === undefined) return 0;
  const text = String(raw).trim();
  if (!/^-?\d+$/.test(text)) {
    throw new InputError(`${describeId(resIdOf(obj))}: annotation ${WAVE_ANNOTATION} must be an integer, got '${String(raw)}'`);
  }
  return Number(text);
}

export function planWaves(resources: readonly JsonObject[]): Wave[] {
  const prereq: JsonObject[] = [];
  const byNumber = new Map<number, JsonObject[]>();
  for (const obj of resources) {
    if (isPrerequisite(resIdOf(obj))) {
      prereq.push(obj);
      continue;
    }
    const n = waveNumberOf(obj);
    byNumber.set(n, [...(byNumber.get(n) ?? []), obj]);
  }
  const waves: Wave[] = prereq.length ? [{ name: 'prerequisites', resources: prereq }] : [];
  for (const n of [...byNumber.keys()].sort((a, b) => a - b)) waves.push({ name: String(n), resources: byNumber.get(n)! });
  return waves;
}

/** Whether the object's pods are replaced only when deleted by hand: nothing rolls out, so there is nothing to await. */
function updatesOnDelete(obj: JsonObject): boolean {
  const spec = isObject(obj.spec) ? obj.spec : {};
  const strategy = isObject(spec.updateStrategy) ? spec.updateStrategy : {};
  return strategy.type === 'OnDelete';
}

/**
 * The resources of a wave whose readiness is awaited: rollouts for Deployments, StatefulSets, DaemonSets; Jobs
 * complete. OnDelete StatefulSets and DaemonSets are left out: `kubectl rollout status` refuses them.
 */
export function workloadsOf(resources: readonly JsonObject[]): Workload[] {
  const out: Workload[] = [];
  for (const obj of resources) {
    const id = resIdOf(obj);
    if (id.group === 'apps' && id.kind === 'Deployment') out.push({ id, check: 'rollout' });
    else if (id.group === 'apps' && (id.kind === 'StatefulSet' || id.kind === 'DaemonSet') && !updatesOnDelete(obj)) out.push({ id, check: 'rollout' });
    else if (id.group === 'batch' && id.kind === 'Job') out.push({ id, check: 'complete' });
  }
  return out;
}
