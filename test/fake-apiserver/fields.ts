// managedFields-lite: server-side apply field ownership as the fake server models it. Maps merge key by key;
// lists are atomic (the real server merges keyed lists such as containers by name: kforge's tests never need two
// managers inside one list). Ownership is stored in metadata.managedFields in the real FieldsV1 shape.
import { isDeepStrictEqual } from 'node:util';

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type JsonMap = { [k: string]: Json };

export const isMap = (v: unknown): v is JsonMap => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Fields no manager owns: identity, server-set metadata and status. */
const SERVER_OWNED_METADATA = new Set(['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'managedFields', 'deletionTimestamp', 'selfLink']);

type Path = string[];
const key = (p: Path) => JSON.stringify(p);
const unkey = (k: string) => JSON.parse(k) as Path;

/** The leaf paths an applied configuration sets. */
export function fieldSet(obj: JsonMap): Set<string> {
  const out = new Set<string>();
  const walk = (v: Json, p: Path) => {
    if (isMap(v) && Object.keys(v).length > 0) {
      for (const [k, child] of Object.entries(v)) {
        if (p.length === 0 && (k === 'apiVersion' || k === 'kind' || k === 'status')) continue;
        if (p.length === 1 && p[0] === 'metadata' && SERVER_OWNED_METADATA.has(k)) continue;
        walk(child, [...p, k]);
      }
    } else if (p.length > 0) {
      out.add(key(p));
    }
  };
  walk(obj, []);
  return out;
}

export function getPath(obj: Json, p: Path): Json | undefined {
  let cur: Json | undefined = obj;
  for (const k of p) {
    if (!isMap(cur)) return undefined;
    cur = cur[k];
  }
  return cur;
}

function deletePath(obj: JsonMap, p: Path): void {
  const parents: JsonMap[] = [];
  let cur: JsonMap = obj;
  for (const k of p.slice(0, -1)) {
    const next = cur[k];
    if (!isMap(next)) return;
    parents.push(cur);
    cur = next;
  }
  delete cur[p[p.length - 1]];
  // Maps emptied by the removal go too, as the real server's merge does.
  for (let i = p.length - 2; i >= 0 && Object.keys(cur).length === 0; i--) {
    const parent = parents[i];
    delete parent[p[i]];
    cur = parent;
  }
}

/** Deep merge of an applied configuration into an object: maps merge, everything else replaces. */
export function mergeInto(target: JsonMap, patch: JsonMap): void {
  for (const [k, v] of Object.entries(patch)) {
    const cur = target[k];
    // Maps are granular: an empty map in an applied configuration keeps what others set inside it.
    if (isMap(v) && isMap(cur)) mergeInto(cur, v);
    else target[k] = structuredClone(v);
  }
}

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: JsonMap;
  subresource?: string;
}

export function toFieldsV1(fields: Set<string>): JsonMap {
  const root: JsonMap = {};
  for (const k of [...fields].sort()) {
    let cur = root;
    for (const seg of unkey(k)) {
      const next = cur[`f:${seg}`];
      cur = isMap(next) ? next : ((cur[`f:${seg}`] = {}) as JsonMap);
    }
  }
  return root;
}

export function fromFieldsV1(f: Json): Set<string> {
  const out = new Set<string>();
  const walk = (v: Json, p: Path) => {
    if (isMap(v) && Object.keys(v).length > 0) {
      for (const [k, child] of Object.entries(v)) if (k.startsWith('f:')) walk(child, [...p, k.slice(2)]);
    } else if (p.length > 0) out.add(key(p));
  };
  walk(f, []);
  return out;
}

const isPrefix = (a: Path, b: Path) => a.length <= b.length && a.every((s, i) => s === b[i]);

export interface Conflict {
  manager: string;
  apiVersion: string;
  field: string; // .spec.replicas
}

/**
 * Server-side apply of `applied` by `manager` onto `live` (undefined: create). Returns the merged object with its
 * managedFields, or the conflicts with other managers when `force` is false. Fields this manager set before
 * and no longer sets are removed unless another manager also owns them.
 */
export function serverSideApply(
  live: JsonMap | undefined,
  applied: JsonMap,
  manager: string,
  force: boolean,
  now: string,
): { object: JsonMap } | { conflicts: Conflict[] } {
  const object: JsonMap = live ? structuredClone(live) : {};
  const md = isMap(object.metadata) ? object.metadata : {};
  const entries: ManagedFieldsEntry[] = Array.isArray(md.managedFields) ? (structuredClone(md.managedFields) as unknown as ManagedFieldsEntry[]) : [];
  const newFields = fieldSet(applied);
  const apiVersion = String(applied.apiVersion);

  const conflicts: Conflict[] = [];
  const others = entries.filter((e) => !(e.manager === manager && e.operation === 'Apply') && !e.subresource);
  for (const other of others) {
    const owned = fromFieldsV1(other.fieldsV1);
    for (const nk of newFields) {
      const np = unkey(nk);
      for (const ok of owned) {
        const op = unkey(ok);
        if (!isPrefix(op, np) && !isPrefix(np, op)) continue;
        const at = op.length < np.length ? op : np;
        const mine = getPath(applied, at);
        if (isDeepStrictEqual(getPath(object, at), mine)) continue;
        if (at === np && isMap(mine) && Object.keys(mine).length === 0 && isMap(getPath(object, at))) continue;
        if (force) owned.delete(ok);
        else conflicts.push({ manager: other.manager, apiVersion: other.apiVersion, field: '.' + at.join('.') });
      }
    }
    if (force) other.fieldsV1 = toFieldsV1(owned);
  }
  if (conflicts.length > 0) return { conflicts };

  const mine = entries.find((e) => e.manager === manager && e.operation === 'Apply' && !e.subresource);
  const before = mine ? fromFieldsV1(mine.fieldsV1) : new Set<string>();
  const ownedByOthers = others.flatMap((o) => [...fromFieldsV1(o.fieldsV1)].map(unkey));
  for (const rk of before) {
    if (newFields.has(rk)) continue;
    const rp = unkey(rk);
    if (ownedByOthers.some((op) => isPrefix(op, rp) || isPrefix(rp, op))) continue;
    // A field still set below this one (now a map) stays: only the leaf goes.
    if ([...newFields].some((nk) => isPrefix(rp, unkey(nk)))) continue;
    deletePath(object, rp);
  }
  mergeInto(object, applied);

  const kept = entries.filter((e) => e !== mine && fromFieldsV1(e.fieldsV1).size > 0);
  const entry: ManagedFieldsEntry = { manager, operation: 'Apply', apiVersion, time: now, fieldsType: 'FieldsV1', fieldsV1: toFieldsV1(newFields) };
  const metadata = isMap(object.metadata) ? object.metadata : (object.metadata = {});
  metadata.managedFields = [...kept, entry] as unknown as Json;
  return { object };
}

/** Records an Update (PUT, merge/JSON patch) by `manager`: it takes ownership of the leaves that changed. */
export function recordUpdate(before: JsonMap | undefined, after: JsonMap, manager: string, now: string): void {
  const oldFields = before ? fieldSet(before) : new Set<string>();
  const changed = new Set<string>();
  for (const k of fieldSet(after)) {
    if (!oldFields.has(k) || !isDeepStrictEqual(getPath(before ?? {}, unkey(k)), getPath(after, unkey(k)))) changed.add(k);
  }
  const metadata = isMap(after.metadata) ? after.metadata : (after.metadata = {});
  const entries = Array.isArray(metadata.managedFields) ? (metadata.managedFields as unknown as ManagedFieldsEntry[]) : [];
  // Fields this update changed now belong to it alone.
  for (const e of entries) {
    if (e.manager === manager && e.operation === 'Update') continue;
    const owned = fromFieldsV1(e.fieldsV1);
    for (const c of changed) owned.delete(c);
    e.fieldsV1 = toFieldsV1(owned);
  }
  if (changed.size === 0) return;
  const mine = entries.find((e) => e.manager === manager && e.operation === 'Update');
  const fields = mine ? new Set([...fromFieldsV1(mine.fieldsV1), ...changed]) : changed;
  const entry: ManagedFieldsEntry = { manager, operation: 'Update', apiVersion: String(after.apiVersion), time: now, fieldsType: 'FieldsV1', fieldsV1: toFieldsV1(fields) };
  metadata.managedFields = [...entries.filter((e) => e !== mine && fromFieldsV1(e.fieldsV1).size > 0), entry] as unknown as Json;
}
