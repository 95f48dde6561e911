// Patches: strategic merge (patchesStrategicMerge, and `patches` entries whose content is a map) and
// JSON 6902 (patchesJson6902, and `patches` entries whose content is a list of operations).
// As in kustomize: a patch without a target applies to the one resource with the patch's own id (any past
// id counts); a target selects any number of resources; the target keeps its name, namespace and kind unless
// the patch's options allow a change.
import jsonpatch from 'fast-json-patch';
import { InputError } from '../errors.js';
import type { JsonObject, JsonValue, Origin, ResId } from '../resource.js';
import { isObject, resIdOf } from '../resource.js';
import type { CompileContext } from './context.js';
import { idDisplay, idEquals } from './gvk.js';
import { curId, storePreviousId, withObject, type Res } from './res.js';
import { compileSelector, type Selector } from './select.js';
import { applyStrategicMerge } from './strategic-merge.js';

export interface PatchOptions {
  allowNameChange?: boolean;
  allowKindChange?: boolean;
}

export type LoadedPatch =
  | { type: 'strategic'; docs: { object: JsonObject; origin: Origin }[]; target?: Selector; options: PatchOptions; source: string }
  | { type: 'json6902'; ops: JsonValue[]; target?: Selector; options: PatchOptions; source: string; origin: Origin };

/** Every id a resource has had, current last. */
function anyIdMatches(r: Res, id: ResId): boolean {
  return idEquals(curId(r), id) || r.prevIds.some((p) => idEquals(p, id));
}

/** kustomize's GetById: exactly one resource must have (had) this id. */
function uniqueById(resources: readonly Res[], id: ResId, what: string, origin: Origin): Res {
  const matches = resources.filter((r) => anyIdMatches(r, id));
  if (matches.length === 1) return matches[0];
  const found = matches.length === 0 ? 'no resource matches' : `${matches.length} resources match`;
  throw new InputError(`${what}: ${found} ${idDisplay(id)}`, { file: origin.file, line: origin.line }, matches.length === 0 ? 'check kind, name and namespace of the patch, or give it a target' : 'give the patch a target');
}

function setMeta(obj: JsonObject, field: 'name' | 'namespace', value: string): JsonObject {
  const md = isObject(obj.metadata) ? obj.metadata : {};
  if (field === 'namespace' && value === '' && !('namespace' in md)) return obj;
  if (md[field] === value) return obj;
  if (field === 'namespace' && value === '') {
    const { namespace: _drop, ...rest } = md;
    void _drop;
    return { ...obj, metadata: rest };
  }
  return { ...obj, metadata: { ...md, [field]: value } };
}

function applyOneStrategic(r0: Res, patch: JsonObject, options: PatchOptions, ctx: CompileContext, origin: Origin): Res | null {
  const before = curId(r0);
  const r = options.allowNameChange || options.allowKindChange ? storePreviousId(r0) : r0;
  // The patch's own id fields never rename the target unless the options say so.
  let p = patch;
  if (!options.allowKindChange) p = { ...p, kind: before.kind };
  if (!options.allowNameChange) p = setMeta(p, 'name', before.name);
  p = setMeta(p, 'namespace', before.namespace);
  const merged = applyStrategicMerge(r.object, p, (w) => ctx.warn(`${origin.file}: patch on ${idDisplay(before)}: ${w.path}: ${w.message}`));
  if (merged === null || Object.keys(merged).length === 0) return null;
  let obj = merged;
  if (!options.allowKindChange) obj = obj.kind === before.kind ? obj : { ...obj, kind: before.kind };
  if (!options.allowNameChange) obj = setMeta(obj, 'name', before.name);
  obj = setMeta(obj, 'namespace', before.namespace);
  return withObject(r, obj);
}

function applyStrategicTo(resources: readonly Res[], chosen: Res, patch: JsonObject, options: PatchOptions, ctx: CompileContext, origin: Origin): Res[] {
  const out: Res[] = [];
  for (const r of resources) {
    const next = r === chosen ? applyOneStrategic(r, patch, options, ctx, origin) : r;
    if (next) out.push(next);
  }
  return out;
}

function describeOp(op: JsonValue): string {
  return isObject(op) ? `${String(op.op)} ${String(op.path)}` : JSON.stringify(op);
}

function applyJson6902(r: Res, ops: JsonValue[], origin: Origin): Res {
  const doc = structuredClone(r.object);
  try {
    const result = jsonpatch.applyPatch(doc, ops as unknown as jsonpatch.Operation[], true, true).newDocument;
    return withObject(storePreviousId(r), result as JsonObject);
  } catch (e) {
    const err = e as { message?: string; index?: number; name?: string };
    const op = typeof err.index === 'number' ? ops[err.index] : undefined;
    const what = err.name === 'TEST_OPERATION_FAILED' ? 'test operation failed' : (err.message ?? String(e)).split('\n')[0];
    throw new InputError(
      `JSON patch ${op ? `op '${describeOp(op)}' ` : ''}failed on ${idDisplay(curId(r))}: ${what}`,
      { file: origin.file, line: origin.line },
    );
  }
}

/** Applies one loaded patch (all its documents) to the resource list. */
export function applyPatch(resources: readonly Res[], patch: LoadedPatch, ctx: CompileContext): Res[] {
  if (patch.type === 'json6902') {
    if (!patch.target) {
      throw new InputError(`JSON patch needs a target`, { file: patch.origin.file, line: patch.origin.line }, 'add target: {kind: ..., name: ...}');
    }
    const match = compileSelector(patch.target);
    const selected = resources.filter(match);
    if (selected.length === 0) ctx.warn(`${patch.source}: patch target ${JSON.stringify(patch.target)} selects no resource; the patch does nothing`);
    return resources.map((r) => (match(r) ? applyJson6902(r, patch.ops, patch.origin) : r));
  }
  let out = resources.slice();
  if (!patch.target) {
    for (const doc of patch.docs) {
      const id = resIdOf(doc.object);
      const target = uniqueById(out, id, `patch ${patch.source}`, doc.origin);
      out = applyStrategicTo(out, target, doc.object, patch.options, ctx, doc.origin);
    }
    return out;
  }
  const match = compileSelector(patch.target);
  const selected = out.map(match);
  if (!selected.some(Boolean)) ctx.warn(`${patch.source}: patch target ${JSON.stringify(patch.target)} selects no resource; the patch does nothing`);
  let slots: (Res | null)[] = out;
  for (const doc of patch.docs) {
    slots = slots.map((r, i) => (r && selected[i] ? applyOneStrategic(r, doc.object, patch.options, ctx, doc.origin) : r));
  }
  return slots.filter((r): r is Res => r !== null);
}
