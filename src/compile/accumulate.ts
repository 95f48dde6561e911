// Adding resources to a build: ids must stay unique, and generated ConfigMaps/Secrets with behavior merge or
// replace fold into the one they name (kustomize's appendReplaceOrMerge).
import { InputError } from '../errors.js';
import type { JsonObject } from '../resource.js';
import { isObject, metadataOf } from '../resource.js';
import { idDisplay, idEquals } from './gvk.js';
import { curId, type Res } from './res.js';

function matchesAnyId(r: Res, other: Res): boolean {
  const id = curId(other);
  return idEquals(curId(r), id) || r.prevIds.some((p) => idEquals(p, id));
}

/** Appends `added`, refusing an id already present (current ids only, as kustomize's Append). */
export function appendUnique(list: readonly Res[], added: readonly Res[]): Res[] {
  const out = list.slice();
  const seen = new Map<string, Res>();
  const key = (r: Res) => {
    const id = curId(r);
    return `${id.group}|${id.version}|${id.kind}|${id.name}|${id.namespace || 'default'}`;
  };
  for (const r of out) seen.set(key(r), r);
  for (const r of added) {
    const k = key(r);
    const prior = seen.get(k);
    if (prior && idEquals(curId(prior), curId(r))) {
      throw new InputError(
        `may not add resource with an already registered id: ${idDisplay(curId(r))}`,
        { file: r.origin.file, line: r.origin.line },
        `first defined in ${prior.origin.file}`,
      );
    }
    seen.set(k, r);
    out.push(r);
  }
  return out;
}

function stringMapOf(obj: JsonObject, field: 'labels' | 'annotations' | 'data' | 'binaryData'): JsonObject | undefined {
  const v = field === 'data' || field === 'binaryData' ? obj[field] : metadataOf(obj)[field];
  return isObject(v) ? v : undefined;
}

/** Folds a generated resource into the list according to its behavior. */
export function absorbGenerated(list: readonly Res[], gen: Res): Res[] {
  const behavior = gen.generator?.behavior ?? 'create';
  const matches = list.filter((r) => matchesAnyId(r, gen));
  if (matches.length === 0) {
    if (behavior !== 'create') {
      throw new InputError(`generator '${curId(gen).name}' has behavior ${behavior} but ${idDisplay(curId(gen))} does not exist; cannot merge or replace`, { file: gen.origin.file });
    }
    return appendUnique(list, [gen]);
  }
  if (matches.length > 1) {
    throw new InputError(`found multiple objects that could accept merge of ${idDisplay(curId(gen))}`, { file: gen.origin.file });
  }
  const old = matches[0];
  if (behavior === 'create') {
    throw new InputError(`${idDisplay(curId(gen))} exists already; generator behavior must be merge or replace`, { file: gen.origin.file }, 'set behavior: merge or behavior: replace');
  }
  const oldMd = metadataOf(old.object);
  const newMd = metadataOf(gen.object);
  const labels = { ...(stringMapOf(old.object, 'labels') ?? {}), ...(stringMapOf(gen.object, 'labels') ?? {}) };
  const annotations = { ...(stringMapOf(old.object, 'annotations') ?? {}), ...(stringMapOf(gen.object, 'annotations') ?? {}) };
  const metadata: JsonObject = { ...newMd, name: oldMd.name ?? newMd.name };
  if (typeof oldMd.namespace === 'string' && oldMd.namespace) metadata.namespace = oldMd.namespace;
  else delete metadata.namespace;
  if (Object.keys(labels).length) metadata.labels = labels;
  else delete metadata.labels;
  if (Object.keys(annotations).length) metadata.annotations = annotations;
  else delete metadata.annotations;
  const object: JsonObject = { ...gen.object, metadata };
  if (behavior === 'merge') {
    for (const field of ['data', 'binaryData'] as const) {
      const merged = { ...(stringMapOf(old.object, field) ?? {}), ...(stringMapOf(gen.object, field) ?? {}) };
      if (Object.keys(merged).length) object[field] = merged;
    }
  }
  const merged: Res = {
    object,
    origin: gen.origin,
    prevIds: old.prevIds,
    prefixes: old.prefixes,
    suffixes: old.suffixes,
    ...(old.refVarNames ? { refVarNames: old.refVarNames } : {}),
    // kustomize keeps the origin of the resource merged into, and takes the replacing generator's.
    ...((behavior === 'merge' ? old.provenance : gen.provenance) ? { provenance: behavior === 'merge' ? old.provenance : gen.provenance } : {}),
    // A hash suffix only when both sides want one (measured with kustomize v5.5.0): a plain resource merged
    // into or replaced gets none, and disableNameSuffixHash on either generator wins.
    generator: { behavior: 'create', hash: (old.generator?.hash ?? false) && (gen.generator?.hash ?? false) },
  };
  return list.map((r) => (r === old ? merged : r));
}
