// The deprecated `vars`: a var names a field of one resource; `$(NAME)` in kustomize's varReference fields
// is replaced by that field's final value. Each kustomization binds its vars to the resource they refer to
// (kustomize's MergeVars, at the end of that kustomization), so the binding follows later renames; the values
// are read and substituted once, on the final build, after hash suffixes and name references.
import { InputError } from '../errors.js';
import type { JsonObject, JsonValue, ResId } from '../resource.js';
import { isObject } from '../resource.js';
import type { CompileContext } from './context.js';
import { updateAtFieldSpecs, type FieldSpec } from './fieldspec.js';
import { idEquals, isClusterScoped } from './gvk.js';
import { curId, withObject, type Res } from './res.js';

export interface VarDef {
  name: string;
  objref: { group: string; version: string; kind: string; name: string; namespace: string };
  fieldPath: string;
}

/** kustomize prints a var as its Go struct: {NAME Kind.version.group/name.ns {fieldpath}}. */
export function describeVar(v: VarDef): string {
  const o = v.objref;
  const ns = o.namespace ? `.${o.namespace}` : '';
  return `{${v.name} ${o.kind}.${o.version || '[noVer]'}.${o.group || '[noGrp]'}${o.name ? `/${o.name}` : ''}${ns} {${v.fieldPath}}}`;
}

function gvknEquals(a: ResId, b: ResId): boolean {
  return a.group === b.group && a.version === b.version && a.kind === b.kind && a.name === b.name;
}

/** kustomize's MergeVars: marks the one resource each var refers to (by any id it had) with the var's name. */
export function bindVars(resources: readonly Res[], vars: readonly VarDef[], known: ReadonlySet<string>): Res[] {
  let out = resources.slice();
  const seen = new Set(known);
  for (const v of vars) {
    const target: ResId = v.objref;
    const exact = target.namespace !== '' || isClusterScoped(target);
    const matches = (id: ResId) => (exact ? idEquals(id, target) : gvknEquals(id, target));
    const found = out.filter((r) => matches(curId(r)) || r.prevIds.some(matches));
    if (found.length > 1) throw new InputError(`found ${found.length} resId matches for var ${describeVar(v)} (unable to disambiguate)`);
    if (found.length === 1) {
      const hit = found[0];
      out = out.map((r) => (r === hit ? { ...r, refVarNames: [...(r.refVarNames ?? []), v.name] } : r));
    }
    if (seen.has(v.name)) throw new InputError(`var '${v.name}' already encountered`);
    seen.add(v.name);
  }
  return out;
}

/** kyaml's GetFieldValue path: dots, with `name[0]` meaning the list index 0. */
function fieldValue(obj: JsonObject, path: string): JsonValue | undefined {
  const parts: string[] = [];
  for (const p of path.split('.')) {
    const m = p.match(/^(.*)\[(\d+)\]$/);
    if (m) parts.push(...(m[1] ? [m[1]] : []), m[2]);
    else parts.push(p);
  }
  let cur: JsonValue | undefined = obj;
  for (const p of parts) {
    if (Array.isArray(cur) && /^\d+$/.test(p)) cur = cur[Number(p)];
    else if (isObject(cur)) cur = cur[p];
    else return undefined;
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** kustomize's expansion.Expand: `$(NAME)` is replaced, `$$` escapes, unknown names stay as written. A string
 *  that is exactly one reference takes the value with its type. */
export function expand(input: string, lookup: (name: string) => JsonValue | undefined): JsonValue {
  let buf = '';
  let checkpoint = 0;
  for (let cursor = 0; cursor < input.length; cursor++) {
    if (input[cursor] !== '$' || cursor + 1 >= input.length) continue;
    buf += input.slice(checkpoint, cursor);
    const rest = input.slice(cursor + 1);
    let read: string;
    let isVar = false;
    let advance = 1;
    if (rest[0] === '$') read = '$';
    else if (rest[0] === '(') {
      const close = rest.indexOf(')', 1);
      if (close < 0) read = '$(';
      else {
        read = rest.slice(1, close);
        isVar = true;
        advance = close + 1;
      }
    } else read = `$${rest[0]}`;
    if (isVar) {
      const v = lookup(read);
      const mapped: JsonValue = v === undefined ? `$(${read})` : v;
      if (input === `$(${read})`) return mapped;
      buf += typeof mapped === 'string' ? mapped : JSON.stringify(mapped);
    } else buf += read;
    cursor += advance;
    checkpoint = cursor + 1;
  }
  return buf + input.slice(checkpoint);
}

/** kustomize's ResolveVars on the final build. */
export function resolveVars(resources: readonly Res[], vars: readonly VarDef[], specs: readonly FieldSpec[], ctx: CompileContext): Res[] {
  if (vars.length === 0) return resources.slice();
  const values = new Map<string, JsonValue>();
  for (const v of [...vars].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const holder = resources.find((r) => r.refVarNames?.includes(v.name));
    if (!holder) throw new InputError(`var '${describeVar(v)}' cannot be mapped to a field in the set of known resources`);
    const value = fieldValue(holder.object, v.fieldPath);
    if (value === undefined) throw new InputError(`field specified in var '${describeVar(v)}' not found in corresponding resource`);
    values.set(v.name, value);
  }
  const used = new Set<string>();
  const lookup = (name: string) => {
    const v = values.get(name);
    if (v !== undefined) used.add(name);
    return v;
  };
  const expandString = (s: string): JsonValue => (s.includes('$') ? expand(s, lookup) : s);
  const set = (v: JsonValue | undefined): JsonValue | undefined => {
    if (v === undefined || v === null) return v;
    if (typeof v === 'string') return expandString(v);
    if (Array.isArray(v)) {
      let changed = false;
      const next = v.map((e) => {
        if (typeof e !== 'string') throw new InputError('vars: invalid value type expect a string');
        const n = expandString(e);
        if (n !== e) changed = true;
        return n;
      });
      return changed ? next : v;
    }
    if (isObject(v)) {
      let out: JsonObject | undefined;
      for (const [k, e] of Object.entries(v)) {
        if (typeof e !== 'string') continue;
        const n = expandString(e);
        if (n !== e) (out ??= { ...v })[k] = n;
      }
      return out ?? v;
    }
    return v;
  };
  const out = resources.map((r) => withObject(r, updateAtFieldSpecs(r.object, curId(r), specs, 'scalar', set)));
  const unused = [...values.keys()].filter((n) => !used.has(n));
  if (unused.length) ctx.warn(`well-defined vars that were never replaced: ${unused.join(',')}`);
  return out;
}
