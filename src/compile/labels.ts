// commonLabels, labels and commonAnnotations: set string pairs at every field spec that selects the
// resource (metadata, pod templates, selectors...), creating maps where the spec says so.
import type { JsonObject, JsonValue } from '../resource.js';
import { isObject } from '../resource.js';
import type { FieldSpec } from './fieldspec.js';
import { updateAtFieldSpecs } from './fieldspec.js';
import { curId, withObject, type Res } from './res.js';

export function setStringPairs(resources: readonly Res[], pairs: Readonly<Record<string, string>>, specs: readonly FieldSpec[]): Res[] {
  const entries = Object.entries(pairs);
  if (entries.length === 0) return resources.slice();
  const set = (v: JsonValue | undefined): JsonValue | undefined => {
    const base: JsonObject = isObject(v) ? v : {};
    if (v !== undefined && v !== null && !isObject(v)) return v;
    if (entries.every(([k, val]) => base[k] === val)) return v === undefined ? { ...base } : v;
    const out: JsonObject = { ...base };
    for (const [k, val] of entries) out[k] = val;
    return out;
  };
  return resources.map((r) => withObject(r, updateAtFieldSpecs(r.object, curId(r), specs, 'map', set, true)));
}
