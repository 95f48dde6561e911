// Strategic merge of one patch document into one resource, exactly as kustomize v5.5.0 does it: a port of kyaml's
// merge2 walker (walk/map.go, walk/associative_sequence.go, merge2/merge2.go, smpdirective.go and the yaml filters
// they use) over plain JSON, plus the name/kind/namespace restore of kustomize's Resource.ApplySmPatch.
//
// kyaml mutates YAML nodes in place and several of its quirks come from node identity (a merged list item is the
// same node as the base item, so later lookups see the merge). Inside a list we therefore keep items in mutable
// cells; everywhere else values are treated as immutable and unchanged subtrees are returned as is.
import { InputError } from '../errors.js';
import { isObject, type JsonObject, type JsonValue } from '../resource.js';
import { fieldSchema, fieldStrategy, itemSchema, listMergeInfo, schemaForKind, type SchemaNode } from './schema.js';

export interface MergeWarning {
  path: string;
  message: string;
}

export interface StrategicMergeOptions {
  /** kustomize's patch option allowNameChange: keep a metadata.name the patch sets. */
  allowNameChange?: boolean;
  /** kustomize's patch option allowKindChange: keep a kind the patch sets. */
  allowKindChange?: boolean;
}

type Warn = (w: MergeWarning) => void;

/** A list item as kyaml sees it: a node whose identity outlives a merge into it. */
interface Cell {
  v: JsonValue;
}
/** A list node: sources may share one (a list the patch adds is walked against itself). */
interface Seq {
  cells: Cell[];
}

const DIRECTIVE = '$patch';
type Directive = 'merge' | 'replace' | 'delete' | 'unknown';

// A walked value: undefined clears the field. A null that comes out of a walk is a base null the patch did not
// mention (kyaml re-creates it untagged, so it survives); a null from the patch clears the field instead.
type Walked = JsonValue | undefined;

/**
 * Applies one strategic-merge patch document to one resource, as kustomize v5.5.0 (kyaml merge2) does.
 * Returns null when the patch deletes the whole resource (`$patch: delete` at top level).
 */
export function applyStrategicMerge(
  target: JsonObject,
  patch: JsonObject,
  warn: (w: MergeWarning) => void,
  options: StrategicMergeOptions = {},
): JsonObject | null {
  const m = new Merger(warn);
  const rootDirective = mapDirective(patch);
  if (rootDirective === 'delete') return null;
  if (rootDirective === 'replace') {
    // kyaml returns the patch as a new root node, but kustomize only keeps in-place edits of the resource's own
    // node, so a top-level replace changes nothing.
    warn({ path: DIRECTIVE, message: 'kustomize ignores `$patch: replace` at the top level of a patch; the resource is left unchanged' });
    return target;
  }
  const merged = m.walk(target, patch, undefined, '');
  if (!isObject(merged)) return null;
  return restoreIdentity(merged, target, patch, warn, options);
}

// kustomize's Resource.ApplySmPatch puts back the target's name and kind (unless the patch options allow a change)
// and always its namespace. The apiVersion never changes either: a patch without a target only matches a resource
// with the same group and version, and resWrangler.ApplySmPatch gives a targeted patch the target's.
function restoreIdentity(merged: JsonObject, target: JsonObject, patch: JsonObject, warn: Warn, options: StrategicMergeOptions): JsonObject {
  const tmeta = isObject(target.metadata) ? target.metadata : {};
  const name = typeof tmeta.name === 'string' ? tmeta.name : '';
  const namespace = typeof tmeta.namespace === 'string' ? tmeta.namespace : '';
  const pmeta = isObject(patch.metadata) ? patch.metadata : {};
  if (typeof pmeta.namespace === 'string' && pmeta.namespace !== namespace) {
    warn({
      path: 'metadata.namespace',
      message: `kustomize ignores a namespace set by a patch (${JSON.stringify(pmeta.namespace)}); the resource keeps ${namespace ? JSON.stringify(namespace) : 'no namespace'}`,
    });
  }
  let out = merged;
  if (typeof target.apiVersion === 'string' && out.apiVersion !== target.apiVersion) {
    if (typeof patch.apiVersion === 'string') {
      warn({ path: 'apiVersion', message: `kustomize keeps the resource's apiVersion ${target.apiVersion}; the patch's ${patch.apiVersion} is ignored` });
    }
    out = { ...out, apiVersion: target.apiVersion };
  }
  if (!options.allowKindChange && out.kind !== target.kind && typeof target.kind === 'string') out = { ...out, kind: target.kind };
  const meta = isObject(out.metadata) ? out.metadata : undefined;
  let newMeta: JsonObject | undefined = meta;
  if (!options.allowNameChange && newMeta?.name !== name) newMeta = { ...(newMeta ?? {}), name };
  if (namespace === '') {
    if (newMeta !== undefined && 'namespace' in newMeta) {
      const { namespace: _dropped, ...rest } = newMeta;
      newMeta = rest;
    }
  } else if (newMeta?.namespace !== namespace) {
    newMeta = { ...(newMeta ?? {}), namespace };
  }
  if (newMeta !== meta && newMeta !== undefined) out = { ...out, metadata: newMeta };
  return out;
}

class Merger {
  constructor(private readonly warn: Warn) {}

  /** kyaml Walker.Walk over [dest, origin]. */
  walk(dest: Walked, origin: Walked, schema: SchemaNode | undefined, path: string): Walked {
    if (origin === undefined && isPresent(dest)) return this.walkBaseOnly(dest, schema ?? schemaFromMeta(dest), path);
    const s = schema ?? schemaFromMeta(dest) ?? schemaFromMeta(origin);
    const kind = nodeKind(isPresent(dest) ? dest : origin);
    if (kind !== 'null') {
      for (const [v, side] of [[dest, 'base'], [origin, 'patch']] as const) {
        if (isPresent(v) && nodeKind(v) !== kind) {
          throw new InputError(
            `wrong node kind: expected ${kindName(kind)} but got ${kindName(nodeKind(v))} in the ${side}`,
            { path: displayPath(path) },
            'the patch and the resource disagree on the type of this field',
          );
        }
      }
    }
    switch (kind) {
      case 'map':
      case 'null':
        return this.walkMap(dest, origin, s, path);
      case 'seq':
        return isAssociative(s) ? this.walkAssociative(dest, origin, s, path) : this.walkNonAssociative(dest, origin, s, path);
      default:
        // VisitScalar: the patch wins when present; a patch null deletes.
        if (origin !== undefined) return origin === null ? undefined : origin;
        return dest;
    }
  }

  /**
   * The walk of a base subtree the patch does not mention. kyaml still walks all of it, and only its merge-keyed
   * lists can come out different (duplicate or keyless items collapse); a list whose items are maps with distinct,
   * complete key values, or distinct scalars, comes out as it went in, so that case skips the list algorithm.
   */
  private walkBaseOnly(dest: Exclude<JsonValue, null>, schema: SchemaNode | undefined, path: string): JsonValue {
    if (Array.isArray(dest)) {
      if (!isAssociative(schema)) return dest;
      // Without a patch list kyaml never deletes the list; an empty result is still a list.
      const { keys } = listMergeInfo(schema);
      if (!canonicalList(dest, keys)) return this.walkAssociative(dest, undefined, schema, path) ?? [];
      const elemSchema = itemSchema(schema);
      let out: JsonValue[] | undefined;
      for (let i = 0; i < dest.length; i++) {
        const item = dest[i];
        if (!isObject(item)) continue;
        const r = this.walkBaseOnly(item, elemSchema ?? schemaFromMeta(item), itemPath(path, keys, item));
        if (r !== item) (out ??= dest.slice())[i] = r;
      }
      return out ?? dest;
    }
    if (!isObject(dest)) return dest;
    let out: JsonObject | undefined;
    for (const key in dest) {
      const v = dest[key];
      if (v === null || typeof v !== 'object') continue;
      const fs = schema === undefined ? undefined : fieldSchema(schema, key);
      const r = this.walkBaseOnly(v, fs ?? schemaFromMeta(v), path ? `${path}.${key}` : key);
      if (r !== v) (out ??= { ...dest })[key] = r;
    }
    return out ?? dest;
  }

  private walkMap(dest: Walked, origin: Walked, schema: SchemaNode | undefined, path: string): Walked {
    // VisitMap
    let base: Walked;
    let src = origin;
    if (!isPresent(dest)) {
      const d = mapDirectiveLenient(origin);
      src = d.elided;
      if (d.directive === 'delete') return undefined;
      // kyaml keeps a base null the patch does not mention ("preserve explicitly set null in Dest").
      if (origin === undefined && dest === null) return null;
      base = src;
    } else {
      if (origin === null) return undefined;
      const d = isObject(origin) ? mapDirectiveStrict(origin, path) : { directive: 'merge' as Directive, elided: origin };
      src = d.elided;
      if (d.directive === 'delete') return undefined;
      // Eliding the directive edits the patch node, which is the base node too inside a subtree the patch added.
      base = d.directive === 'replace' || dest === origin ? src : dest;
    }
    if (base === undefined) return undefined;
    if (!isObject(base)) return base === null ? undefined : base;
    const srcObj = isObject(src) ? src : undefined;
    // walkMap: every field of either source, in sorted order, is walked and set on the result.
    const names = new Set(Object.keys(base));
    if (srcObj && srcObj !== base) for (const k of Object.keys(srcObj)) names.add(k);
    let out: JsonObject | undefined;
    for (const key of [...names].sort()) {
      const before = base[key];
      const fieldPath = path ? `${path}.${key}` : key;
      if (key.startsWith('$') && srcObj && key in srcObj && key !== DIRECTIVE) this.warnDirectiveField(key, fieldPath);
      const val = this.walk(before, srcObj?.[key], schema === undefined ? undefined : fieldSchema(schema, key), fieldPath);
      if (schema !== undefined && isObject(before) && isObject(srcObj?.[key]) && fieldStrategy(schema, key) === 'replace' && !sameJson(val, srcObj[key])) {
        this.warn({
          path: displayPath(fieldPath),
          message: 'kustomize merges this map although its patch strategy is replace, so base keys the patch leaves out stay; use `$patch: replace` to replace it',
        });
      }
      if (val === before && (before !== null || key in base)) continue;
      out ??= { ...base };
      if (val === undefined) delete out[key];
      else out[key] = val;
    }
    if (schema !== undefined && srcObj && isPresent(dest) && isObject(dest)) this.checkRetainKeys(dest, srcObj, schema, path);
    return out ?? base;
  }

  private walkNonAssociative(dest: Walked, origin: Walked, schema: SchemaNode | undefined, path: string): Walked {
    if (origin === undefined) return dest;
    if (origin === null) return undefined;
    if (Array.isArray(origin)) {
      if (origin.some((e) => isObject(e) && DIRECTIVE in e)) {
        this.warn({ path: displayPath(path), message: 'this list has no merge strategy, so kustomize replaces it and copies the `$patch` item into the output literally' });
      }
      if (schema === undefined && Array.isArray(dest)) this.warnSchemalessReplace(dest, origin, path);
    }
    return origin;
  }

  private walkAssociative(dest: Walked, origin: Walked, schema: SchemaNode | undefined, path: string): Walked {
    const keys = [...listMergeInfo(schema).keys];
    const destSeq = toSeq(dest);
    // A list the patch added is walked against itself: one node, so edits through either source show in both.
    let originSeq = origin === dest ? destSeq : toSeq(origin);
    // VisitList
    let seq: Seq | undefined;
    if (!isPresent(dest)) {
      seq = originSeq;
      if (Array.isArray(origin) && origin.some((e) => isObject(e) && DIRECTIVE in e)) {
        this.warn({ path: displayPath(path), message: 'the base has no such list, so kustomize adds the patch list as is and ignores its `$patch` directive item' });
      }
    } else {
      if (origin === null) return undefined;
      const d = seqDirective(originSeq, path);
      originSeq = d.elided;
      if (d.directive === 'delete') return undefined;
      seq = d.directive === 'replace' ? originSeq : destSeq;
    }
    if (seq === undefined) return undefined;
    if (seq === destSeq && Array.isArray(dest) && originSeq && originSeq !== destSeq) {
      const fast = this.mergeCanonical(dest, originSeq.cells.map((c) => c.v), keys, schema, path);
      if (fast !== undefined) return fast;
    }
    // setDestNode: the walked list becomes the first source.
    const sources: [Seq, Seq | undefined] = [seq, seq === originSeq ? seq : originSeq];
    const elemSchema = itemSchema(schema);
    this.warnBaseItems(seq === destSeq ? destSeq : undefined, keys, path);
    const valuesList = keys.length > 0 ? elementValues(sources, keys) : [];
    const result =
      valuesList.length !== 0 || keys.length > 0
        ? this.setElements(valuesList, keys, seq, sources, elemSchema, path)
        : this.setElements(elementPrimitiveValues(sources), [''], seq, sources, elemSchema, path);
    if (result === undefined) return undefined;
    // Structural sharing: hand back the base array when the walk left it as it was.
    if (Array.isArray(dest) && dest.length === result.cells.length && result.cells.every((c, i) => c.v === dest[i])) return dest;
    return result.cells.map((c) => c.v);
  }

  /**
   * The outcome of kyaml's list algorithm, computed directly, when both lists are canonical (see canonicalList) and
   * no patch item carries `$patch`: patch items first in patch order, then the base items the patch does not name.
   * With several keys, kyaml's appendListNode re-appends every base item, so there the base items keep their
   * order after the patch's new items. Returns undefined when the general algorithm must run.
   */
  private mergeCanonical(dest: JsonValue[], patch: JsonValue[], keys: string[], schema: SchemaNode | undefined, path: string): JsonValue[] | undefined {
    if (!canonicalList(dest, keys) || !canonicalList(patch, keys)) return undefined;
    if (patch.some((p) => isObject(p) && DIRECTIVE in p)) return undefined;
    const id = (v: JsonValue): string => (keys.length === 0 ? text(v) : keys.map((k) => text((v as JsonObject)[k])).join('\u0000'));
    const destById = new Map<string, number>();
    dest.forEach((d, i) => destById.set(id(d), i));
    const elemSchema = itemSchema(schema);
    const merged = new Map<number, JsonValue>();
    const added: JsonValue[] = [];
    const order: JsonValue[] = [];
    for (const p of patch) {
      const i = destById.get(id(p));
      // A scalar the base also has stays the base's node (appendListNode sets the base item over it), so "true"
      // in the base stays a string when the patch writes true.
      const r = i !== undefined && keys.length === 0 ? dest[i] : this.walk(i === undefined ? undefined : dest[i], p, elemSchema, itemPath(path, keys, p));
      if (r === undefined || r === null || isEmptyMap(r)) return undefined;
      if (i === undefined) added.push(r);
      else merged.set(i, r);
      order.push(r);
    }
    const rest = dest.map((d, i) => merged.get(i) ?? (d === null ? d : this.walkBaseOnly(d, elemSchema ?? schemaFromMeta(d), itemPath(path, keys, d))));
    if (keys.length > 1) return [...added, ...rest];
    return [...order, ...rest.filter((_, i) => !merged.has(i))];
  }

  /** kyaml setAssociativeSequenceElements with ListIncreaseDirection = prepend. */
  private setElements(valuesList: string[][], keys: string[], dest: Seq, sources: [Seq, Seq | undefined], elemSchema: SchemaNode | undefined, path: string): Seq {
    const items: Seq = { cells: [] };
    // Where each patch item's merge ended up, to tell afterwards which patch items kyaml silently lost.
    const patchItems = sources[1] && sources[1] !== sources[0] ? sources[1].cells.map((c) => ({ cell: c, value: c.v })) : [];
    const landedIn = new Map<Cell, Cell | undefined>();
    if (keys.length > 1) mergeValues(valuesList);
    let validKeys: string[] = [];
    let validValues: string[] = [];
    for (const values of valuesList) {
      if (values.length === 0) continue;
      [validKeys, validValues] = validateKeys(valuesList, values, keys);
      // elementValueList looks items up by the keys this one tuple has values for.
      const [lk, lv] = validateKeys([validValues], validValues, validKeys);
      const destCell = elementList(sources[0], lk, lv);
      const originCell = sources[1] ? elementList(sources[1], lk, lv) : undefined;
      const itemPath = `${path}[${lk.map((k, i) => (k ? `${k}=${lv[i]}` : lv[i])).join(',')}]`;
      const val = this.walkElement(destCell, originCell, elemSchema, itemPath);
      if (originCell) landedIn.set(originCell, val);
      let exit = false;
      for (let i = 0; i < validKeys.length; i++) {
        if (val === undefined || val.v === null || isEmptyMap(val.v)) {
          dest.cells = elementSetter(dest.cells, undefined, validKeys, validValues, path);
          exit = true;
        } else if (validKeys[i] !== '' && validValues[i] !== '' && isObject(val.v) && !(validKeys[i] in val.v)) {
          // "make sure the key is set on the field": kyaml writes the key back as an untagged scalar.
          val.v = { ...val.v, [validKeys[i]]: resolvePlain(validValues[i]) };
        }
      }
      if (exit || val === undefined) continue;
      items.cells = elementSetter(items.cells, val, validKeys, validValues, path);
    }
    let out = dest;
    if (valuesList.length > 0) out = appendListNode(items, dest, validKeys, path);
    if (keys[0] !== '') this.warnLostItems(patchItems, landedIn, out, sources[0], keys, path);
    return out;
  }

  // A patch item that is not a `$patch` directive and whose merge is not in the resulting list was dropped.
  private warnLostItems(patchItems: { cell: Cell; value: JsonValue }[], landedIn: Map<Cell, Cell | undefined>, out: Seq, base: Seq, keys: string[], path: string): void {
    const result = new Set(out.cells);
    const seen = new Set<string>();
    for (const { cell, value } of patchItems) {
      if (!isObject(value) || DIRECTIVE in value) continue;
      const pv = keyValues(value, keys);
      const id = pv.join('\u0000');
      const duplicate = seen.has(id);
      seen.add(id);
      const landed = landedIn.get(cell);
      if (landed !== undefined && result.has(landed)) continue;
      const where = itemPath(path, keys, value);
      if (duplicate) {
        this.warn({ path: where, message: `the patch has an earlier item with the same ${keys.join(' and ')}; kustomize ignores this one` });
        continue;
      }
      // #4752: mergeValues treats a port with and one without protocol as one item, then finds only the base's.
      const near = base.cells.map((c) => keyValues(c.v, keys)).find((bv) => bv.some((x, i) => x !== pv[i]) && matchValues(pv, bv) !== undefined);
      if (near) {
        const differ = keys.filter((_, i) => (pv[i] === '') !== (near[i] === ''));
        this.warn({
          path: where,
          message: `kustomize matches these items on ${keys.join(' and ')} and silently drops this patch item because it and the base item differ in whether they set ${differ.join(', ')} (kustomize issue 4752); set ${differ.join(', ')} the same way in the patch`,
        });
      } else {
        this.warn({ path: where, message: `kustomize silently drops this patch item: kyaml's list merge on ${keys.join(' and ')} loses it` });
      }
    }
  }

  /** Walks one list item pair; the result lives in the cell kyaml's node identity says it does. */
  private walkElement(destCell: Cell | undefined, originCell: Cell | undefined, schema: SchemaNode | undefined, path: string): Cell | undefined {
    const d = destCell?.v;
    const o = originCell?.v;
    const r = this.walk(d, o, schema, path);
    // merge2 elides a valid `$patch` from the patch node it examined; a later lookup of the same item sees that.
    if (originCell && isObject(o) && DIRECTIVE in o && isDirective(o[DIRECTIVE])) originCell.v = elide(o);
    if (r === undefined) return undefined;
    // VisitMap returns the base node unless the base has none or the patch replaces it; VisitScalar returns the
    // patch node whenever there is one. Either node is then edited in place.
    const intoOrigin =
      nodeKind(isPresent(d) ? d : o) === 'scalar' ? o !== undefined : !isPresent(d) || (isObject(o) && o[DIRECTIVE] === 'replace');
    const cell = (intoOrigin ? originCell : destCell) ?? { v: r };
    cell.v = r;
    return cell;
  }

  private warnDirectiveField(key: string, path: string): void {
    const what = key.split('/')[0];
    this.warn({
      path: displayPath(path),
      message: `kustomize does not support the ${what} directive; it copies \`${key}\` into the output as an ordinary field`,
    });
  }

  private warnBaseItems(dest: Seq | undefined, keys: string[], path: string): void {
    if (!dest || keys.length === 0) return;
    const seen = new Set<string>();
    for (const cell of dest.cells) {
      if (!isObject(cell.v)) continue;
      const v = keyValues(cell.v, keys);
      if (v[0] === '') {
        this.warn({ path: displayPath(path), message: `a base item has no ${keys[0]}, the merge key of this list; kustomize's merge can drop or reorder items of such a list` });
        return;
      }
      const id = JSON.stringify(v);
      if (seen.has(id)) {
        this.warn({ path: `${displayPath(path)}[${keys[0]}=${v[0]}]`, message: `the base has two items with the same ${keys.join(' and ')}; kustomize keeps only the last of them` });
        return;
      }
      seen.add(id);
    }
  }

  // Without a schema (custom resources, fields newer than Kubernetes 1.21) kyaml merges no list by key.
  private warnSchemalessReplace(dest: JsonValue[], origin: JsonValue[], path: string): void {
    const names = (l: JsonValue[]) => l.filter(isObject).map((e) => e.name).filter((n): n is string => typeof n === 'string');
    const patchNames = new Set(names(origin));
    const baseNames = names(dest);
    if (baseNames.some((n) => patchNames.has(n)) && baseNames.some((n) => !patchNames.has(n))) {
      this.warn({
        path: displayPath(path),
        message: 'kustomize has no schema for this list, so it replaces the whole list instead of merging items by name; base items the patch does not repeat are dropped',
      });
    }
  }

  // kyaml ignores the retainKeys strategy: switching a union member (a volume source, a Deployment strategy
  // type) keeps the base's old member, which the API server then rejects.
  private checkRetainKeys(dest: JsonObject, origin: JsonObject, schema: SchemaNode, path: string): void {
    for (const key of Object.keys(origin)) {
      // ('retainKeys' is no part of another strategy's name: a substring test needs no split.)
      if (!fieldStrategy(schema, key).includes('retainKeys')) continue;
      const info = listMergeInfo(fieldSchema(schema, key));
      const b = dest[key];
      const p = origin[key];
      if (Array.isArray(b) && Array.isArray(p)) {
        for (const pi of p) {
          if (!isObject(pi)) continue;
          const bi = b.find((x) => isObject(x) && info.keys.every((k) => x[k] === pi[k]));
          if (isObject(bi)) this.retainKeysWarning(bi, pi, info.keys, `${path ? `${path}.` : ''}${key}[${info.keys.map((k) => `${k}=${String(pi[k])}`).join(',')}]`);
        }
      } else if (isObject(b) && isObject(p)) {
        this.retainKeysWarning(b, p, [], `${path ? `${path}.` : ''}${key}`);
      }
    }
  }

  private retainKeysWarning(base: JsonObject, patch: JsonObject, keys: readonly string[], path: string): void {
    if (DIRECTIVE in patch) return;
    const kept = Object.keys(base).filter((k) => !(k in patch) && !keys.includes(k));
    const switched = Object.keys(patch).some((k) => !(k in base)) || ('type' in patch && patch.type !== base.type);
    if (kept.length && switched) {
      this.warn({
        path: displayPath(path),
        message: `kustomize ignores the retainKeys strategy and keeps ${kept.join(', ')} from the base next to what the patch sets; set ${kept.length > 1 ? 'them' : 'it'} to null in the patch or use \`$patch: replace\``,
      });
    }
  }
}

// ---- kyaml node helpers over JSON ------------------------------------------------------------------------------

type NodeKind = 'map' | 'seq' | 'scalar' | 'null';

function isPresent(v: Walked): v is Exclude<JsonValue, null> {
  return v !== undefined && v !== null;
}

function nodeKind(v: Walked): NodeKind {
  if (v === undefined || v === null) return 'null';
  if (Array.isArray(v)) return 'seq';
  return typeof v === 'object' ? 'map' : 'scalar';
}

function kindName(k: NodeKind): string {
  return k === 'map' ? 'MappingNode' : k === 'seq' ? 'SequenceNode' : 'ScalarNode';
}

function sameJson(a: Walked, b: Walked): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => sameJson((a as JsonObject)[k], (b as JsonObject)[k]));
}

function isEmptyMap(v: JsonValue): boolean {
  if (!isObject(v)) return false;
  for (const _ in v) return false;
  return true;
}

// A merge-keyed list kyaml's algorithm returns unchanged when the patch has no such list: map items whose key
// texts are all non-empty and distinct (so mergeValues and ElementSetter see no near-duplicates), or distinct
// non-null scalars for a list without keys.
function canonicalList(items: JsonValue[], keys: readonly string[]): boolean {
  const seen = new Set<string>();
  for (const item of items) {
    let id: string;
    if (keys.length === 0) {
      if (item === null || typeof item === 'object') return false;
      id = text(item);
    } else {
      if (!isObject(item)) return false;
      id = '';
      for (const k of keys) {
        const v = item[k];
        if (v === undefined || v === null || typeof v === 'object') return false;
        const t = text(v);
        if (t === '') return false;
        id += `${t}\u0000`;
      }
    }
    if (seen.has(id)) return false;
    seen.add(id);
  }
  return true;
}

/** A scalar's text as go-yaml holds it; collections have none. */
function text(v: JsonValue | undefined): string {
  if (v === undefined) return '';
  if (v === null) return 'null';
  if (typeof v === 'object') return '';
  return String(v);
}

// kyaml's RNode.IsNilOrEmpty
function isNilOrEmpty(v: JsonValue | undefined): boolean {
  if (v === undefined || v === null) return true;
  if (Array.isArray(v)) return v.length === 0;
  return isObject(v) && Object.keys(v).length === 0;
}

function keyValues(v: JsonValue, keys: readonly string[]): string[] {
  return keys.map((k) => (isObject(v) && !isNilOrEmpty(v[k]) ? text(v[k]) : ''));
}

function schemaFromMeta(v: Walked): SchemaNode | undefined {
  if (!isObject(v)) return undefined;
  const { apiVersion, kind } = v;
  if (typeof apiVersion !== 'string' || typeof kind !== 'string' || !apiVersion || !kind) return undefined;
  return schemaForKind(apiVersion, kind);
}

function isAssociative(schema: SchemaNode | undefined): boolean {
  return schema !== undefined && listMergeInfo(schema).strategy.split(',').includes('merge');
}

function toSeq(v: Walked): Seq | undefined {
  return Array.isArray(v) ? { cells: v.map((x) => ({ v: x })) } : undefined;
}

function isDirective(v: JsonValue): boolean {
  return v === 'merge' || v === 'replace' || v === 'delete';
}

function mapDirective(patch: JsonObject): Directive {
  if (!(DIRECTIVE in patch)) return 'merge';
  const v = patch[DIRECTIVE];
  return isDirective(v) ? (v as Directive) : 'unknown';
}

function elide(o: JsonObject): JsonObject {
  const { [DIRECTIVE]: _d, ...rest } = o;
  return rest;
}

// determineSmpDirective where merge2 ignores its error (the base has no such map).
function mapDirectiveLenient(origin: Walked): { directive: Directive; elided: Walked } {
  if (origin === undefined) return { directive: 'merge', elided: origin };
  if (!isObject(origin)) return { directive: 'unknown', elided: origin };
  const d = mapDirective(origin);
  return { directive: d, elided: d === 'unknown' ? origin : DIRECTIVE in origin ? elide(origin) : origin };
}

function mapDirectiveStrict(origin: JsonObject, path: string): { directive: Directive; elided: JsonObject } {
  const d = mapDirective(origin);
  if (d === 'unknown') throw new InputError(`unknown patch strategy '${text(origin[DIRECTIVE])}'`, { path: displayPath(path) }, 'use merge, replace or delete');
  return { directive: d, elided: DIRECTIVE in origin ? elide(origin) : origin };
}

// determineSequenceNodePatchStrategy: only the first item with a `$patch` field counts, and only when it has no
// other field.
function seqDirective(origin: Seq | undefined, path: string): { directive: Directive; elided: Seq | undefined } {
  if (!origin) return { directive: 'merge', elided: origin };
  const item = origin.cells.find((c) => isObject(c.v) && DIRECTIVE in c.v);
  if (!item || !isObject(item.v) || Object.keys(item.v).length > 1) return { directive: 'merge', elided: origin };
  const v = item.v[DIRECTIVE];
  if (!isDirective(v)) throw new InputError(`unknown patch strategy '${text(v)}'`, { path: displayPath(path) }, 'use merge, replace or delete');
  return { directive: v as Directive, elided: { cells: elementSetter(origin.cells, undefined, [DIRECTIVE], [text(v)], path) } };
}

// mergeValues: tuples that share a value and differ only where one is empty (a port with and one without
// protocol) are both rewritten to the fuller tuple; the lookups that follow then miss the item lacking the field,
// which is how a patch port without protocol gets dropped (kustomize issue 4752). Go's range semantics kept:
// the outer tuple is read once per outer step.
function mergeValues(valuesList: string[][]): void {
  for (let i = 0; i < valuesList.length; i++) {
    const v1 = valuesList[i];
    for (let j = 0; j < valuesList.length; j++) {
      const m = matchValues(v1, valuesList[j]);
      if (m) {
        valuesList[i] = m;
        valuesList[j] = m;
      }
    }
  }
}

function matchValues(a: string[], b: string[]): string[] | undefined {
  if (a.length !== b.length) return undefined;
  let common = false;
  const res: string[] = [];
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) {
      common = true;
      res.push(a[i]);
      continue;
    }
    if (a[i] !== '' && b[i] !== '') return undefined;
    res.push(a[i] !== '' ? a[i] : b[i]);
  }
  return common ? res : undefined;
}

function validateKeys(valuesList: string[][], values: string[], keys: string[]): [string[], string[]] {
  const valid = new Set<string>();
  for (const vs of valuesList) vs.forEach((v, i) => v !== '' && valid.add(keys[i]));
  if (valid.size === 0) return [keys, values];
  return [keys.filter((k) => valid.has(k)), values.filter((v, i) => v !== '' || valid.has(keys[i]))];
}

/** elementValues with prepend: patch items first, then base items; tuples deduplicated. */
function elementValues(sources: [Seq, Seq | undefined], keys: string[]): string[][] {
  const out: string[][] = [];
  const seen = new Set<string>();
  for (const src of [sources[1], sources[0]]) {
    if (!src) continue;
    for (const c of src.cells) {
      const vs = keyValues(c.v, keys);
      const id = JSON.stringify(vs);
      if (vs.length === 0 || seen.has(id)) continue;
      seen.add(id);
      out.push(vs);
    }
  }
  return out;
}

function elementPrimitiveValues(sources: [Seq, Seq | undefined]): string[][] {
  const out: string[][] = [];
  const seen = new Set<string>();
  for (const src of [sources[1], sources[0]]) {
    if (!src) continue;
    for (const c of src.cells) {
      const t = text(c.v);
      if (seen.has(t)) continue;
      seen.add(t);
      out.push([t]);
    }
  }
  return out;
}

// RNode.ElementList: the first map item whose key fields have exactly these texts.
function elementList(seq: Seq, keys: string[], values: string[]): Cell | undefined {
  if (keys.length === 0 || keys[0] === '') return seq.cells.find((c) => text(c.v) === (values[0] ?? ''));
  return seq.cells.find((c) => isObject(c.v) && keys.every((k, i) => k in (c.v as JsonObject) && text((c.v as JsonObject)[k]) === values[i]));
}

// FieldMatcher{Name, StringValue} as ElementSetter uses it: an empty value matches any item that has the field.
function fieldMatch(v: JsonValue, name: string, value: string, path: string): boolean {
  if (v === null) return false;
  if (name === '') {
    if (typeof v === 'object') throw new InputError('wrong node kind: expected ScalarNode but got a list item that is not a scalar', { path: displayPath(path) });
    return text(v) === value;
  }
  if (!isObject(v)) throw new InputError('wrong node kind: expected MappingNode but got a list item that is not a map', { path: displayPath(path) });
  if (!(name in v)) return false;
  return value === '' || text(v[name]) === value;
}

// kyaml ElementSetter: drops null and empty-map items, replaces every match with `element` (or deletes matches
// when element is undefined), appends when nothing matched.
function elementSetter(cells: Cell[], element: Cell | undefined, keysIn: string[], values: string[], path: string): Cell[] {
  const keys = keysIn.length === 0 ? [''] : keysIn;
  const mappingSetter = keys[0] !== '' && values.length > 0 && values[0] !== '';
  const out: Cell[] = [];
  let found = false;
  for (const c of cells) {
    if (c.v === null || isEmptyMap(c.v)) continue;
    if (!isObject(c.v) && mappingSetter) {
      out.push(c);
      continue;
    }
    let matched = false;
    let ok = true;
    for (let j = 0; j < keys.length; j++) {
      if (j < values.length) matched = fieldMatch(c.v, keys[j], values[j], path);
      if (!matched) {
        ok = false;
        break;
      }
    }
    if (!ok) {
      if (values.length > 0) out.push(c);
      continue;
    }
    found = true;
    if (element === undefined) continue;
    out.push(element);
  }
  if (element === undefined || element.v === null) return out;
  if (!found) out.push(element);
  return out;
}

// appendListNode(itemsToBeAdded, dest): the base items are set into the new list after the patch's items.
function appendListNode(dst: Seq, src: Seq, keys: string[], path: string): Seq {
  for (const elem of src.cells) {
    if (keys[0] === '') {
      dst.cells = elementSetter(dst.cells, elem, [''], [text(elem.v)], path);
      continue;
    }
    const v: string[] = [];
    for (const key of keys) {
      if (elem.v === null) {
        dst.cells = [...dst.cells, elem];
        continue;
      }
      if (!isObject(elem.v)) throw new InputError('wrong node kind: expected MappingNode but got a list item that is not a map', { path: displayPath(path) });
      if (!(key in elem.v)) {
        // kyaml appends the item and goes on with the next key, so the item may land twice.
        dst.cells = [...dst.cells, elem];
        continue;
      }
      v.push(text(elem.v[key]));
    }
    if (keys.length > 1) dst.cells = elementSetter(dst.cells, undefined, keys, v, path);
    dst.cells = elementSetter(dst.cells, elem, keys, v, path);
  }
  return dst;
}

// How go-yaml resolves an untagged plain scalar once kustomize turns the node into data.
function resolvePlain(t: string): JsonValue {
  if (/^-?(0|[1-9][0-9]*)$/.test(t)) return Number(t);
  if (t === 'true' || t === 'false') return t === 'true';
  if (t === 'null' || t === '~') return null;
  return t;
}

/** `containers[name=web]`: a list item named by the merge keys it has. */
function itemPath(path: string, keys: readonly string[], item: JsonValue): string {
  if (keys.length === 0 || !isObject(item)) return `${path}[${text(item)}]`;
  const named = keys.filter((k) => !isNilOrEmpty(item[k])).map((k) => `${k}=${text(item[k])}`);
  return `${path}[${named.join(',')}]`;
}

function displayPath(path: string): string {
  return path === '' ? '.' : path;
}
