// The `replacements` field and ReplacementTransformer: copy one field of a source resource into fields of
// target resources, as kustomize's replacement filter does. Field paths are kyaml's: parts split on '.'
// outside brackets; `[k=v]` picks list elements whose k matches the regular expression v (unanchored, as
// kyaml's PathMatcher), `[=v]` picks scalar elements, a number picks an index, `*` every element.
import { InputError } from '../errors.js';
import type { JsonObject, JsonValue, ResId } from '../resource.js';
import { isObject } from '../resource.js';
import { effectiveNamespace, gvkSelected } from './gvk.js';
import { curId, withObject, type Res } from './res.js';
import { parseLabelSelector, type Selector } from './select.js';

/** The fields of a patch target, read as kustomize's ResId selector: name and namespace match exactly here,
 *  not as regular expressions. */
export type ReplacementSelector = Selector;

export interface FieldOptions {
  delimiter?: string;
  index?: number;
  create?: boolean;
}

export interface ReplacementSource extends ReplacementSelector {
  fieldPath?: string;
  options?: FieldOptions;
}

export interface ReplacementTarget {
  select?: ReplacementSelector;
  reject: ReplacementSelector[];
  fieldPaths: string[];
  options?: FieldOptions;
}

export interface Replacement {
  source?: ReplacementSource;
  targets: ReplacementTarget[];
}

const DEFAULT_FIELD_PATH = 'metadata.name';

/** kyaml's SmarterPathSplitter: splits on '.' except inside brackets. */
export function splitFieldPath(path: string): string[] {
  const out: string[] = [];
  let cur = '';
  let depth = 0;
  for (const c of path) {
    if (c === '[') depth++;
    if (c === ']') depth = Math.max(0, depth - 1);
    if (c === '.' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += c;
  }
  out.push(cur);
  return out.map((s) => s.trim()).filter((s) => s !== '');
}

type Part =
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'match'; field: string; value: string; re: RegExp }
  | { kind: 'every' };

const compiled = new Map<string, Part[]>();

function compilePath(path: string): Part[] {
  let parts = compiled.get(path);
  if (parts) return parts;
  parts = splitFieldPath(path).map((p): Part => {
    if (/^-?\d+$/.test(p)) return { kind: 'index', index: Number(p) };
    if (p === '*') return { kind: 'every' };
    if (p.startsWith('[') && p.endsWith(']')) {
      const body = p.slice(1, -1);
      const eq = body.indexOf('=');
      if (eq < 0) throw new InputError(`fieldPath '${path}': list selector '${p}' must have the form [name=value]`);
      const value = body.slice(eq + 1);
      let re: RegExp;
      try {
        re = new RegExp(value);
      } catch {
        throw new InputError(`fieldPath '${path}': '${value}' is not a valid regular expression`);
      }
      return { kind: 'match', field: body.slice(0, eq), value, re };
    }
    return { kind: 'field', name: p };
  });
  compiled.set(path, parts);
  return parts;
}

/** The text kyaml holds for a scalar node. */
function scalarText(v: JsonValue): string {
  if (typeof v === 'string') return v;
  if (v === null) return 'null';
  return String(v);
}

/** How a plain YAML scalar written by kyaml reads back (YAML 1.2 core, as go-yaml v3 resolves it). */
function resolvePlain(s: string): JsonValue {
  if (s === 'true' || s === 'True' || s === 'TRUE') return true;
  if (s === 'false' || s === 'False' || s === 'FALSE') return false;
  if (s === '' || s === '~' || s === 'null' || s === 'Null' || s === 'NULL') return null;
  if (/^[-+]?(0|[1-9][0-9]*)$/.test(s)) {
    const n = Number(s);
    if (Number.isSafeInteger(n)) return n;
  }
  if (/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(s) && String(Number(s)) === s) return Number(s);
  return s;
}

const isScalar = (v: JsonValue | undefined): v is string | number | boolean | null => v === null || typeof v !== 'object';

function describeSelector(s: ReplacementSelector | undefined): string {
  if (!s) return '{}';
  const parts = (['group', 'version', 'kind', 'name', 'namespace', 'labelSelector', 'annotationSelector'] as const)
    .filter((k) => s[k])
    .map((k) => `${k}: ${s[k]}`);
  return `{${parts.join(', ')}}`;
}

/** kustomize's ResId.IsSelectedBy: empty selector fields match anything; names are compared exactly. */
function idSelectedBy(id: ResId, sel: ReplacementSelector): boolean {
  if (sel.name && sel.name !== id.name) return false;
  if (sel.namespace && effectiveNamespace({ ...id, namespace: sel.namespace }) !== effectiveNamespace(id)) return false;
  return gvkSelected(id, sel);
}

function hasResId(sel: ReplacementSelector): boolean {
  return !!(sel.group || sel.version || sel.kind || sel.name || sel.namespace);
}

function allIds(r: Res): ResId[] {
  return [curId(r), ...r.prevIds];
}

function stringMap(obj: JsonObject, field: 'labels' | 'annotations'): Record<string, string> {
  const md = isObject(obj.metadata) ? obj.metadata[field] : undefined;
  const out: Record<string, string> = {};
  if (isObject(md)) for (const [k, v] of Object.entries(md)) out[k] = scalarText(v);
  return out;
}

type Matcher = (r: Res) => boolean;

function labelMatcher(sel: ReplacementSelector): Matcher | undefined {
  const labels = sel.labelSelector ? parseLabelSelector(sel.labelSelector) : undefined;
  const annotations = sel.annotationSelector ? parseLabelSelector(sel.annotationSelector, 'annotationSelector') : undefined;
  if (!labels && !annotations) return undefined;
  return (r) => {
    if (labels && !labels.every((q) => q(stringMap(r.object, 'labels')))) return false;
    if (annotations && !annotations.every((q) => q(stringMap(r.object, 'annotations')))) return false;
    return true;
  };
}

/** Finds fields along `parts` (kyaml's PathGetter, used for the source): exact list matches, no wildcard. */
function lookup(node: JsonValue | undefined, parts: readonly Part[]): JsonValue | undefined {
  let cur = node;
  for (const p of parts) {
    if (cur === undefined || cur === null) return undefined;
    if (p.kind === 'field') cur = isObject(cur) ? cur[p.name] : undefined;
    else if (p.kind === 'every') cur = isObject(cur) ? cur['*'] : undefined;
    else if (!Array.isArray(cur)) return undefined;
    else if (p.kind === 'index') cur = cur[p.index];
    else {
      const { field, value } = p;
      cur = cur.find((e) => (field === '' ? isScalar(e) && scalarText(e) === value : isObject(e) && e[field] !== undefined && scalarText(e[field]) === value));
    }
  }
  return cur;
}

function isNilOrEmpty(v: JsonValue | undefined): boolean {
  if (v === undefined || v === null) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (isObject(v)) return Object.keys(v).length === 0;
  return false;
}

type CreateKind = 'none' | 'scalar' | 'map' | 'seq';

function kindOf(v: JsonValue): CreateKind {
  return Array.isArray(v) ? 'seq' : isObject(v) ? 'map' : 'scalar';
}

/** The kind kyaml creates for a missing node, from the part that follows it. */
function nextKind(next: Part | undefined, leaf: CreateKind): CreateKind {
  if (!next) return leaf;
  return next.kind === 'index' || next.kind === 'match' ? 'seq' : 'map';
}

function emptyOf(kind: CreateKind): JsonValue | undefined {
  return kind === 'map' ? {} : kind === 'seq' ? [] : undefined;
}

function wrongKind(path: string, expected: string, node: JsonValue): never {
  const got = Array.isArray(node) ? 'SequenceNode' : isObject(node) ? 'MappingNode' : 'ScalarNode';
  throw new InputError(`fieldPath '${path}': wrong node kind: expected ${expected} but got ${got}`);
}

/**
 * kyaml's PathMatcher with copy-on-write: calls `set` at every node the path reaches (undefined for a node
 * just created) and returns the new tree plus how many nodes were reached.
 */
function update(
  node: JsonValue | undefined,
  parts: readonly Part[],
  i: number,
  create: CreateKind,
  set: (v: JsonValue | undefined) => JsonValue,
  path: string,
  hits: { n: number },
): JsonValue | undefined {
  if (i === parts.length) {
    hits.n++;
    return set(node);
  }
  const p = parts[i];
  if (node === undefined) return node;
  if (p.kind === 'field') {
    if (!isObject(node)) return node;
    let child: JsonValue | undefined = node[p.name];
    if (child === undefined && create !== 'none') child = emptyOf(nextKind(parts[i + 1], create));
    else if (child === undefined) return node;
    const next = update(child, parts, i + 1, create, set, path, hits);
    if (next === undefined || next === node[p.name]) return node;
    return { ...node, [p.name]: next };
  }
  if (node === null) return node;
  if (!Array.isArray(node)) wrongKind(path, 'SequenceNode', node);
  if (p.kind === 'index') {
    let list = node;
    if (p.index === list.length && create !== 'none') {
      const fresh = emptyOf(nextKind(parts[i + 1], create));
      list = [...list, fresh ?? null];
      if (fresh === undefined) {
        const v = update(undefined, parts, i + 1, create, set, path, hits);
        return v === undefined ? node : [...node, v];
      }
    }
    if (p.index < 0 || p.index >= list.length) {
      throw new InputError(`fieldPath '${path}': index ${p.index} specified but only ${list.length} elements found`);
    }
    const next = update(list[p.index], parts, i + 1, create, set, path, hits);
    if (next === list[p.index] && list === node) return node;
    const out = list.slice();
    if (next !== undefined) out[p.index] = next;
    return out;
  }
  const matches = (e: JsonValue): boolean => {
    if (p.kind === 'every') return true;
    if (p.field === '') return isScalar(e) && p.re.test(scalarText(e).trim());
    return isObject(e) && e[p.field] !== undefined && e[p.field] !== null && p.re.test(scalarText(e[p.field]).trim());
  };
  let list: JsonValue[] = node;
  if (p.kind === 'match' && create !== 'none' && !list.some(matches)) {
    // kyaml appends an untagged scalar holding the selector's text (or a map holding one), so what is set
    // there reads back as plain YAML.
    if (p.field === '' && i + 1 === parts.length) {
      hits.n++;
      const v = set(p.value);
      return [...list, typeof v === 'string' ? resolvePlain(v) : v];
    }
    list = [...list, p.field === '' ? resolvePlain(p.value) : { [p.field]: resolvePlain(p.value) }];
  }
  let out: JsonValue[] | undefined;
  list.forEach((e, k) => {
    if (!matches(e)) return;
    const next = update(e, parts, i + 1, create, set, path, hits);
    if (next !== undefined && next !== e) (out ??= list.slice())[k] = next;
  });
  return out ?? (list === node ? node : list);
}

function refine(value: JsonValue, options: FieldOptions | undefined): JsonValue {
  if (!options?.delimiter) return value;
  if (!isScalar(value)) throw new InputError('delimiter option can only be used with scalar nodes');
  const text = scalarText(value);
  const parts = text.split(options.delimiter);
  const index = options.index ?? 0;
  if (index >= parts.length || index < 0) throw new InputError(`options.index ${index} is out of bounds for value ${text}`);
  return parts[index];
}

/** The text of a yaml.Node as kyaml reads it: a map or list has none. */
function nodeValue(v: JsonValue): string {
  return isScalar(v) ? scalarText(v) : '';
}

/** go-yaml's tag for a plain scalar's text. */
function plainTag(text: string): 'str' | 'int' | 'float' | 'bool' | 'null' {
  const v = resolvePlain(text);
  if (v === null) return 'null';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) && !/[.eE]/.test(text) ? 'int' : 'float';
  return 'str';
}

/**
 * kustomize's setFieldValue: a scalar target keeps its node (and so its tag) and takes the value's text, a
 * map or list value's text being empty; other targets are replaced by the value. Text that does not fit the
 * kept tag fails when kustomize decodes the result, with go-yaml's message.
 */
function setter(value: JsonValue, options: FieldOptions | undefined): (target: JsonValue | undefined) => JsonValue {
  return (target) => {
    let v = value;
    if (options?.delimiter) {
      if (target !== undefined && !isScalar(target)) throw new InputError('delimiter option can only be used with scalar nodes');
      const tv = target === undefined ? [''] : scalarText(target).split(options.delimiter);
      const text = nodeValue(value);
      const index = options.index ?? 0;
      if (index < 0) tv.unshift(text);
      else if (index >= tv.length) tv.push(text);
      else tv[index] = text;
      v = tv.join(options.delimiter);
    }
    if (target === undefined) return isScalar(v) ? resolvePlain(scalarText(v)) : v;
    if (!isScalar(target)) return v;
    const text = nodeValue(v);
    if (typeof target === 'string' || target === null) return text;
    const want = typeof target === 'boolean' ? 'bool' : Number.isInteger(target) ? 'int' : 'float';
    const got = plainTag(text);
    if (got === want || (want === 'float' && got === 'int')) return resolvePlain(text);
    throw new InputError(`replacements: yaml: cannot decode !!${got} \`${text}\` as a !!${want}`);
  };
}

function selectSource(resources: readonly Res[], source: ReplacementSource): Res {
  const found = resources.filter((r) => allIds(r).some((id) => idSelectedBy(id, source)));
  if (found.length > 1) throw new InputError(`replacements: multiple matches for source selector ${describeSelector(source)}`);
  if (found.length === 0) throw new InputError(`replacements: nothing selected by source selector ${describeSelector(source)}`);
  return found[0];
}

export function applyReplacements(resources: readonly Res[], replacements: readonly Replacement[]): Res[] {
  let out = resources.slice();
  for (const rep of replacements) {
    if (!rep.source) throw new InputError('replacements: a replacement needs a source');
    const source = selectSource(out, rep.source);
    const fieldPath = rep.source.fieldPath || DEFAULT_FIELD_PATH;
    const raw = lookup(source.object, compilePath(fieldPath));
    if (isNilOrEmpty(raw)) {
      throw new InputError(`replacements: fieldPath '${fieldPath}' is missing for replacement source ${describeSelector(rep.source)}`);
    }
    const value = refine(raw as JsonValue, rep.source.options);
    for (const t of rep.targets) {
      if (!t.select) throw new InputError('replacements: target must specify resources to select');
      const sel = t.select;
      const selLabels = labelMatcher(sel);
      const rejectLabels = t.reject.map(labelMatcher).filter((m): m is Matcher => m !== undefined);
      const rejectIds = t.reject.filter(hasResId);
      const paths = (t.fieldPaths.length ? t.fieldPaths : [DEFAULT_FIELD_PATH]).map((fp) => ({ fp, parts: compilePath(fp) }));
      const create: CreateKind = t.options?.create ? kindOf(value) : 'none';
      const set = setter(value, t.options);
      out = out.map((r) => {
        if (selLabels && !selLabels(r)) return r;
        if (rejectLabels.some((m) => m(r))) return r;
        const chosen = allIds(r).some((id) => idSelectedBy(id, sel) && !rejectIds.some((rj) => idSelectedBy(id, rj)));
        if (!chosen) return r;
        let obj: JsonObject = r.object;
        for (const { fp, parts } of paths) {
          const hits = { n: 0 };
          const next = update(obj, parts, 0, create, set, fp, hits);
          if (hits.n === 0) {
            throw new InputError(`replacements: unable to find ${create === 'none' ? '' : 'or create '}field "${fp}" in replacement target ${curId(r).kind}/${curId(r).name}`);
          }
          if (isObject(next)) obj = next;
        }
        return withObject(r, obj);
      });
    }
  }
  return out;
}
