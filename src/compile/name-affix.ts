// namePrefix / nameSuffix: renames resources (except CRDs and APIServices) and records the old id so that
// name references can be fixed afterwards. kustomize records the affix even when it is empty, because
// name-reference resolution compares the affix history of referrer and candidate.
import type { JsonValue } from '../resource.js';
import type { FieldSpec } from './fieldspec.js';
import { updateAtFieldSpecs } from './fieldspec.js';
import { gvkSelected, type GvkSelector } from './gvk.js';
import { orgId, storePreviousId, withObject, type Res } from './res.js';

export function addNameAffix(
  resources: readonly Res[],
  affix: { prefix?: string; suffix?: string },
  specs: { prefix: readonly FieldSpec[]; suffix: readonly FieldSpec[] },
  skip: readonly GvkSelector[],
): Res[] {
  let out = resources.slice();
  if (affix.prefix !== undefined) out = out.map((r) => applyOne(r, 'prefix', affix.prefix ?? '', specs.prefix, skip));
  if (affix.suffix !== undefined) out = out.map((r) => applyOne(r, 'suffix', affix.suffix ?? '', specs.suffix, skip));
  return out;
}

function applyOne(r0: Res, which: 'prefix' | 'suffix', value: string, specs: readonly FieldSpec[], skip: readonly GvkSelector[]): Res {
  const id = orgId(r0);
  if (skip.some((s) => gvkSelected(id, s))) return r0;
  // kustomize works on the node's text: a number gets the affix too, and a field created by the spec starts empty.
  const set = (v: JsonValue | undefined) => {
    if (v !== undefined && (v === null || typeof v === 'object')) return v;
    const text = v === undefined ? '' : String(v);
    return which === 'prefix' ? value + text : text + value;
  };
  let r = r0;
  for (const fs of specs) {
    if (!gvkSelected(id, fs)) continue;
    if (fs.path === 'metadata/name') {
      r = which === 'prefix' ? { ...r, prefixes: [...r.prefixes, value] } : { ...r, suffixes: [...r.suffixes, value] };
      if (value !== '') r = storePreviousId(r);
    }
    if (value !== '') r = withObject(r, updateAtFieldSpecs(r.object, id, [fs], 'scalar', set, true));
  }
  return r;
}
