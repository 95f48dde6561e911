// The compiler's view of a resource: the object plus the history kustomize keeps beside it (previous ids for
// name-reference fix-ups, prefixes/suffixes applied, generator options). Values are immutable: every
// transformer returns new Res values and shares untouched data.
import type { JsonObject, Origin, ResId, Resource } from '../resource.js';
import { resIdOf } from '../resource.js';

export type Behavior = 'create' | 'merge' | 'replace';

/** Where a resource came from, for buildMetadata originAnnotations: a file, or the generator that made it
 *  (absolute paths; made relative to the top kustomization when written). */
export type Provenance = { path: string } | Transformation;
/** A builtin transformer or generator configured in a kustomization file (or a plugin config file). */
export interface Transformation {
  configuredIn: string;
  configuredBy: { kind: string; name?: string };
}

export interface Res extends Resource {
  readonly object: JsonObject;
  readonly origin: Origin;
  /** Ids this resource had before each rename or namespace change, oldest first (kustomize's PrevIds). */
  readonly prevIds: readonly ResId[];
  /** namePrefix/nameSuffix values applied at each level, innermost first ('' where a level had none). */
  readonly prefixes: readonly string[];
  readonly suffixes: readonly string[];
  /** Set on generated ConfigMaps/Secrets. */
  readonly generator?: { behavior: Behavior; hash: boolean };
  /** Names of the `vars` that refer to this resource (kustomize's RefVarNames). */
  readonly refVarNames?: readonly string[];
  readonly provenance?: Provenance;
  /** Transformers that ran over this resource, for buildMetadata transformerAnnotations. */
  readonly transformations?: readonly Transformation[];
}

export function makeRes(object: JsonObject, origin: Origin): Res {
  return { object, origin, prevIds: [], prefixes: [], suffixes: [] };
}

// Objects are immutable, so an object's id never changes: computing it once per object saves the many lookups
// that selection, sorting and name references make. The id is kept on the Res beside the object it belongs to
// (a symbol key, so it stays out of comparisons and copies along with spreads of the Res); a Res made with
// another object recomputes it. A WeakMap keyed by object did the same but cost more than computing the id.
const ID = Symbol('kforge.resId');
interface IdMemo {
  object: JsonObject;
  id: ResId;
}

export function curId(r: Res): ResId {
  const memo = (r as { [ID]?: IdMemo })[ID];
  if (memo !== undefined && memo.object === r.object) return memo.id;
  const id = resIdOf(r.object);
  (r as { [ID]?: IdMemo })[ID] = { object: r.object, id };
  return id;
}

/** The id the resource had when it was first read (kustomize's OrgId). */
export function orgId(r: Res): ResId {
  return r.prevIds[0] ?? curId(r);
}

export function withObject(r: Res, object: JsonObject): Res {
  return object === r.object ? r : { ...r, object };
}

/** Records the current id as a previous id (kustomize's StorePreviousId). */
export function storePreviousId(r: Res): Res {
  return { ...r, prevIds: [...r.prevIds, curId(r)] };
}

/** Notes a transformer on every resource, as kustomize's AddTransformerAnnotation. */
export function recordTransformation(resources: readonly Res[], t: Transformation): Res[] {
  return resources.map((r) => ({ ...r, transformations: [...(r.transformations ?? []), t] }));
}
