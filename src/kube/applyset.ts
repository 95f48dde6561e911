// ApplySet bookkeeping and the prune plan. kubectl's ApplySet (KUBECTL_APPLYSET=true, --applyset, --prune) is
// the only prune that works with server-side apply in kubectl 1.32, and a namespaced parent only takes members
// in its own namespace, so kforge keeps one ApplySet per environment and namespace: a Secret `kforge-<env>` in
// each namespace the render uses. Cluster-scoped resources belong to the set of the primary namespace.
import crypto from 'node:crypto';
import { isNamespaced } from '../compile/schema.js';
import { cloneJson, isObject, metadataOf, resIdOf, type JsonObject, type ResId } from '../resource.js';

export const PART_OF_LABEL = 'applyset.kubernetes.io/part-of';
export const ID_LABEL = 'applyset.kubernetes.io/id';
export const GROUP_KINDS_ANNOTATION = 'applyset.kubernetes.io/contains-group-kinds';

export const parentName = (env: string) => `kforge-${env}`;

/** kubectl's ApplySet id: base64url(sha256("<name>.<namespace>.<Kind>.<group>")), here for a Secret parent. */
export function applySetId(name: string, namespace: string): string {
  return `applyset-${crypto.createHash('sha256').update(`${name}.${namespace}.Secret.`).digest('base64url')}-v1`;
}

export interface ApplySetPlan {
  namespace: string;
  name: string;
  id: string;
  /** Members as kforge applies them: the part-of label set, namespaces filled in. */
  resources: JsonObject[];
}

const apiVersionOf = (id: ResId) => (id.group ? `${id.group}/${id.version}` : id.version);
export const identityKey = (id: ResId) => `${id.group}/${id.kind}/${id.namespace}/${id.name}`;

/** Namespaced resources that name no namespace go where kubectl would put them: the context's namespace. */
export function withNamespaces(resources: readonly JsonObject[], defaultNamespace: string): JsonObject[] {
  return resources.map((obj) => {
    const id = resIdOf(obj);
    if (id.namespace || !isNamespaced(apiVersionOf(id), id.kind)) return obj;
    const copy = cloneJson(obj);
    (copy.metadata as JsonObject).namespace = defaultNamespace;
    return copy;
  });
}

function labelled(obj: JsonObject, id: string): JsonObject {
  const copy = cloneJson(obj);
  const md = isObject(copy.metadata) ? copy.metadata : (copy.metadata = {});
  md.labels = { ...(isObject(md.labels) ? md.labels : {}), [PART_OF_LABEL]: id };
  return copy;
}

/** The namespace holding the most resources (the first such in render order), else the context's. */
export function primaryNamespace(resources: readonly JsonObject[], fallback: string): string {
  const counts = new Map<string, number>();
  for (const obj of resources) {
    const ns = resIdOf(obj).namespace;
    if (ns) counts.set(ns, (counts.get(ns) ?? 0) + 1);
  }
  let best = fallback;
  let max = 0;
  for (const [ns, n] of counts) if (n > max) [best, max] = [ns, n];
  return best;
}

/** Splits a render (namespaces already filled in) into its ApplySets, in the order namespaces first appear. */
export function planApplySets(resources: readonly JsonObject[], env: string, fallbackNamespace: string): ApplySetPlan[] {
  const primary = primaryNamespace(resources, fallbackNamespace);
  const sets = new Map<string, ApplySetPlan>();
  const setFor = (ns: string) => {
    let s = sets.get(ns);
    if (!s) sets.set(ns, (s = { namespace: ns, name: parentName(env), id: applySetId(parentName(env), ns), resources: [] }));
    return s;
  };
  setFor(primary);
  for (const obj of resources) {
    const s = setFor(resIdOf(obj).namespace || primary);
    s.resources.push(labelled(obj, s.id));
  }
  return [...sets.values()];
}

/** An ApplySet kforge finds in the cluster: its parent's namespace and the objects labelled as its members. */
export interface LiveApplySet {
  namespace: string;
  id: string;
  /** Group-kinds the parent records (`contains-group-kinds`), e.g. ["ConfigMap", "Deployment.apps"]. */
  groupKinds: string[];
  /** Whether the parent Secret exists; members labelled by applies without --prune may exist before it does. */
  hasParent: boolean;
  members: JsonObject[];
}

export interface PruneItem {
  id: ResId;
  /** Namespace of the ApplySet it belongs to. */
  applySet: string;
  /**
   * 'applyset': kubectl prunes it in the set's final pass. 'delete': kforge deletes it, because its set has left
   * the render (kubectl refuses an empty pass) or has no parent yet (kubectl's first pass of a set prunes nothing).
   */
  via: 'applyset' | 'delete';
}

export interface PrunePlan {
  prune: PruneItem[];
  /** Namespaces that left the render but stay (no --prune-namespaces); kept in their set's final pass. */
  keptNamespaces: { applySet: string; object: JsonObject }[];
}

export function parseGroupKinds(annotation: string | undefined): string[] {
  return (annotation ?? '').split(',').map((s) => s.trim()).filter(Boolean);
}

/** `Deployment.apps` for a resource id, as the contains-group-kinds annotation spells it. */
export const groupKindOf = (id: ResId) => (id.group ? `${id.kind}.${id.group}` : id.kind);

/**
 * What a prune deletes: members of kforge's ApplySets for this environment that the render no longer contains,
 * exactly as kubectl's ApplySet prune selects them (members in the parent's namespace or cluster-scoped).
 * Nothing outside those sets is ever a candidate. A render with zero resources prunes nothing.
 */
export function planPrune(planned: readonly ApplySetPlan[], live: readonly LiveApplySet[], opts: { pruneNamespaces: boolean }): PrunePlan {
  const plan: PrunePlan = { prune: [], keptNamespaces: [] };
  const rendered = new Set(planned.flatMap((s) => s.resources.map((r) => identityKey(resIdOf(r)))));
  if (rendered.size === 0) return plan;
  const plannedNamespaces = new Set(planned.map((s) => s.namespace));
  for (const set of live) {
    const via = plannedNamespaces.has(set.namespace) && set.hasParent ? 'applyset' : 'delete';
    for (const member of set.members) {
      const md = metadataOf(member);
      const labels = isObject(md.labels) ? md.labels : {};
      if (labels[PART_OF_LABEL] !== set.id) continue;
      const id = resIdOf(member);
      if (id.namespace && id.namespace !== set.namespace) continue;
      if (rendered.has(identityKey(id))) continue;
      if (id.group === '' && id.kind === 'Namespace' && !opts.pruneNamespaces) {
        plan.keptNamespaces.push({ applySet: set.namespace, object: member });
        continue;
      }
      plan.prune.push({ id, applySet: set.namespace, via });
    }
  }
  return plan;
}

/**
 * A Namespace kept out of a prune, as it is re-applied in its set's final pass: its current labels and
 * annotations, so the pass changes nothing and kubectl's prune does not see it as gone.
 */
export function keptNamespaceManifest(live: JsonObject, setId: string): JsonObject {
  const md = metadataOf(live);
  const labels = isObject(md.labels) ? { ...md.labels } : {};
  const annotations = isObject(md.annotations) ? { ...md.annotations } : undefined;
  delete labels['kubernetes.io/metadata.name'];
  return {
    apiVersion: 'v1',
    kind: 'Namespace',
    metadata: { name: String(md.name), labels: { ...labels, [PART_OF_LABEL]: setId }, ...(annotations && Object.keys(annotations).length ? { annotations } : {}) },
  };
}
