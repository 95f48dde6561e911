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
import { applyStrategicMerge, type MergeWarning } from './strategic-merge.js';

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

function applyOneStrategic(r0: Res, patch: JsonObject, options: PatchOptions, ctx: CompileContext, origin: Origin, target?: Selector): Res | null {
  const before = curId(r0);
  const r = options.allowNameChange || options.allowKindChange ? storePreviousId(r0) : r0;
  const warn = (w: MergeWarning) => ctx.warn(`${origin.file}: patch on ${idDisplay(before)}: ${w.path}: ${w.message}`);
  const pName = isObject(patch.metadata) ? patch.metadata.name : undefined;
  // With a target the patch's own name is often a placeholder; it signals a rename only when the target
  // picks the resource by name, or when there is no target at all.
  const namesTarget = !target || target.name !== undefined;
  if (namesTarget && typeof pName === 'string' && pName !== before.name && !options.allowNameChange) {
    warn({ path: 'metadata.name', message: `the patch names '${pName}' but kustomize keeps '${before.name}' unless options.allowNameChange is true` });
  }
  const kindsTarget = !target || target.kind !== undefined;
  if (kindsTarget && typeof patch.kind === 'string' && patch.kind !== before.kind && !options.allowKindChange) {
    warn({ path: 'kind', message: `the patch says kind ${patch.kind} but kustomize keeps ${before.kind} unless options.allowKindChange is true` });
  }
  const merged = applyStrategicMerge(r.object, patch, warn, options);
  if (merged === null || Object.keys(merged).length === 0) return null;
  return withObject(r, merged);
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

/** kustomize keeps internal annotations on every resource while it builds, so `metadata.annotations` always
 *  exists for a JSON patch: `add /metadata/annotations/x` works on a resource without annotations. Other
 *  missing parents make `add` fail, as in kustomize ("doc is missing path"). */
function ensureParents(doc: JsonObject, op: JsonValue): void {
  if (!isObject(op) || op.op !== 'add' || typeof op.path !== 'string' || !op.path.startsWith('/metadata/annotations/')) return;
  const md = doc.metadata;
  if (isObject(md) && (md.annotations === undefined || md.annotations === null)) md.annotations = {};
}

/** Shallow-copies the containers along a JSON pointer, so mutating the end of that path leaves the input
 *  (shared with other overlays) untouched; everything off the path stays shared. */
function copyAlong(doc: JsonValue, pointer: unknown): JsonValue {
  if (typeof pointer !== 'string') return doc;
  const parts = pointer.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  const root: JsonValue = Array.isArray(doc) ? doc.slice() : isObject(doc) ? { ...doc } : doc;
  let node: JsonValue = root;
  for (const key of parts.slice(0, -1)) {
    if (Array.isArray(node)) {
      const i = Number(key);
      const child: JsonValue | undefined = node[i];
      if (child === undefined || child === null || typeof child !== 'object') break;
      node = node[i] = Array.isArray(child) ? child.slice() : { ...child };
    } else if (isObject(node)) {
      const child: JsonValue | undefined = node[key];
      if (child === undefined || child === null || typeof child !== 'object') break;
      node = node[key] = Array.isArray(child) ? child.slice() : { ...child };
    } else break;
  }
  return root;
}

const decode = (segment: string) => segment.replace(/~1/g, '/').replace(/~0/g, '~');

/** Whether a JSON pointer names an existing value, looking at own properties only (never `constructor` & co). */
function pointerExists(doc: JsonValue, pointer: string): boolean {
  let node: JsonValue | undefined = doc;
  for (const segment of pointer.split('/').slice(1).map(decode)) {
    if (Array.isArray(node)) node = /^(0|[1-9][0-9]*)$/.test(segment) ? node[Number(segment)] : undefined;
    else if (isObject(node) && Object.prototype.hasOwnProperty.call(node, segment)) node = node[segment];
    else return false;
    if (node === undefined) return false;
  }
  return true;
}

/** What kustomize's JSON patch library refuses before applying an op, and JavaScript would otherwise get wrong. */
function invalidOp(doc: JsonValue, op: JsonValue): string | undefined {
  if (!isObject(op)) return undefined;
  for (const field of ['path', 'from'] as const) {
    const v = op[field];
    if (typeof v === 'string' && v !== '' && !v.startsWith('/')) return `'${field}' must be a JSON pointer starting with '/'`;
  }
  if ((op.op === 'move' || op.op === 'copy') && typeof op.from === 'string') {
    if (!pointerExists(doc, op.from)) return `doc is missing from path: ${op.from}`;
    if (op.op === 'move' && typeof op.path === 'string' && (op.from === '' || op.path.startsWith(`${op.from}/`))) {
      return `cannot move ${op.from || 'the whole document'} into itself (${op.path})`;
    }
  }
  return undefined;
}

function applyJson6902(r: Res, ops: JsonValue[], origin: Origin): Res {
  let doc: JsonValue = r.object;
  ops.forEach((op, index) => {
    const invalid = invalidOp(doc, op);
    if (invalid) throw new InputError(`JSON patch op ${index + 1} '${describeOp(op)}' failed on ${idDisplay(curId(r))}: ${invalid}`, { file: origin.file, line: origin.line });
    try {
      if (isObject(op)) {
        doc = copyAlong(doc, op.path);
        if (op.op === 'move') doc = copyAlong(doc, op.from);
        // Values copied or added from the patch must not be shared with the patch document itself.
        if ('value' in op) op = { ...op, value: structuredClone(op.value) };
      }
      if (isObject(doc)) ensureParents(doc, op);
      doc = jsonpatch.applyOperation(doc, op as unknown as jsonpatch.Operation, true, true, true, index).newDocument as JsonValue;
    } catch (e) {
      const err = e as { message?: string; name?: string };
      const what = err.name === 'TEST_OPERATION_FAILED' ? 'test failed' : (err.message ?? String(e)).split('\n')[0];
      throw new InputError(`JSON patch op ${index + 1} '${describeOp(op)}' failed on ${idDisplay(curId(r))}: ${what}`, { file: origin.file, line: origin.line });
    }
  });
  if (!isObject(doc)) throw new InputError(`JSON patch turned ${idDisplay(curId(r))} into something that is not an object`, { file: origin.file, line: origin.line });
  return withObject(storePreviousId(r), doc);
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
    slots = slots.map((r, i) => (r && selected[i] ? applyOneStrategic(r, doc.object, patch.options, ctx, doc.origin, patch.target) : r));
  }
  return slots.filter((r): r is Res => r !== null);
}
