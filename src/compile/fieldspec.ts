// Field specs: where in which kinds a transformer reads or writes (kustomize's `fieldSpecs`), and a
// copy-on-write walk that applies a setter at every place a path reaches.
// Path rules (kustomize fieldspec filter): segments split on '/', '\/' escapes a slash; a sequence met on the
// way is walked element by element without consuming a segment; 'name[]' marks a list and is never created.
import type { JsonObject, JsonValue, ResId } from '../resource.js';
import { isObject } from '../resource.js';
import { gvkSelected, idDisplay, type GvkSelector } from './gvk.js';
import { InputError } from '../errors.js';

export interface FieldSpec extends GvkSelector {
  path: string;
  create?: boolean;
}

export function splitPath(path: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < path.length; i++) {
    const c = path[i];
    if (c === '\\' && path[i + 1] === '/') {
      cur += '/';
      i++;
    } else if (c === '/') {
      out.push(cur);
      cur = '';
    } else {
      cur += c;
    }
  }
  out.push(cur);
  return out;
}

/**
 * Called at each place the path reaches. `value` is undefined when the field is being created.
 * Returns the new value, or the same value (by identity) for no change.
 */
export type FieldSetter = (value: JsonValue | undefined) => JsonValue | undefined;

export type CreateKind = 'map' | 'scalar';

const pathCache = new Map<string, string[]>();
function segmentsOf(path: string): string[] {
  let s = pathCache.get(path);
  if (!s) {
    s = splitPath(path);
    pathCache.set(path, s);
  }
  return s;
}

/** With `check`, the field a path reaches must be of the setter's kind (a map for labels, a scalar for names,
 *  namespaces, replicas), as kustomize's field-spec filter demands; `check` names the object for the error. */
export interface KindCheck {
  object: string;
}

/** Applies `set` along `path` in `obj`; returns `obj` itself when nothing changed. */
export function updateAtPath(obj: JsonObject, path: string, create: boolean, createKind: CreateKind, set: FieldSetter, check?: KindCheck): JsonObject {
  const guarded: FieldSetter = check ? (v) => (checkKind(v, createKind, path, check), set(v)) : set;
  return walk(obj, segmentsOf(path), 0, create, createKind, guarded, path) as JsonObject;
}

function checkKind(v: JsonValue | undefined, kind: CreateKind, path: string, check: KindCheck): void {
  if (v === undefined || v === null) return;
  const got = Array.isArray(v) ? 'SequenceNode' : isObject(v) ? 'MappingNode' : 'ScalarNode';
  const want = kind === 'map' ? 'MappingNode' : 'ScalarNode';
  if (got !== want) throw new InputError(`considering field '${path}' of object ${check.object}: wrong node kind: expected ${want} but got ${got}`);
}

function walk(node: JsonValue, segs: string[], i: number, create: boolean, createKind: CreateKind, set: FieldSetter, path: string): JsonValue {
  if (i === segs.length) {
    const v = set(node);
    return v === undefined ? node : v;
  }
  if (node === null) return node;
  if (Array.isArray(node)) {
    let out: JsonValue[] | undefined;
    for (let k = 0; k < node.length; k++) {
      const next = walk(node[k], segs, i, create, createKind, set, path);
      if (next !== node[k]) {
        out ??= node.slice();
        out[k] = next;
      }
    }
    return out ?? node;
  }
  if (!isObject(node)) {
    throw new InputError(`cannot walk field path '${path}': '${segs.slice(0, i).join('/')}' is a scalar, not a map or list`);
  }
  let seg = segs[i];
  const isSeq = seg.endsWith('[]');
  if (isSeq) seg = seg.slice(0, -2);
  const last = i === segs.length - 1;
  let child = node[seg];
  if (child === undefined || (child === null && create && !isSeq)) {
    if (!create || isSeq) return node;
    if (last && createKind === 'scalar') {
      const v = set(undefined);
      return v === undefined ? node : { ...node, [seg]: v };
    }
    child = {};
    const next = walk(child, segs, i + 1, create, createKind, set, path);
    return { ...node, [seg]: next };
  }
  const next = walk(child, segs, i + 1, create, createKind, set, path);
  return next === child ? node : { ...node, [seg]: next };
}

/** Applies `set` at every field spec that selects the resource's gvk. */
export function updateAtFieldSpecs(
  obj: JsonObject,
  id: ResId,
  specs: readonly FieldSpec[],
  createKind: CreateKind,
  set: FieldSetter,
  checkKinds = false,
): JsonObject {
  let out = obj;
  for (const fs of specs) {
    if (!gvkSelected(id, fs)) continue;
    out = updateAtPath(out, fs.path, fs.create ?? false, createKind, set, checkKinds ? { object: idDisplay(id) } : undefined);
  }
  return out;
}

/** Whether the path reaches at least one existing field (kustomize's resHasField optimisation). */
export function hasField(obj: JsonValue, path: string): boolean {
  return has(obj, segmentsOf(path), 0);
}

function has(node: JsonValue | undefined, segs: string[], i: number): boolean {
  if (node === undefined || node === null) return false;
  if (i === segs.length) return true;
  if (Array.isArray(node)) return node.some((n) => has(n, segs, i));
  if (!isObject(node)) return false;
  const seg = segs[i].endsWith('[]') ? segs[i].slice(0, -2) : segs[i];
  return has(node[seg], segs, i + 1);
}

/** Merges field spec lists, dropping exact duplicates (kustomize's FsSlice.MergeAll). */
export function mergeFieldSpecs(...lists: readonly (readonly FieldSpec[])[]): FieldSpec[] {
  const out: FieldSpec[] = [];
  const seen = new Set<string>();
  for (const list of lists) {
    for (const fs of list) {
      const key = `${fs.group ?? ''}|${fs.version ?? ''}|${fs.kind ?? ''}|${fs.path}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(fs);
    }
  }
  return out;
}
