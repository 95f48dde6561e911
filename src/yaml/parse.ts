// Parses YAML text into plain JSON data, one entry per document, with the line each document starts at, and
// with the values kustomize v5.5.0 would see: go-yaml v3's resolution of plain scalars (only true/false are
// booleans, 0777 is octal, 1_000 is 1000, dates become RFC 3339 timestamps), then what Go's encoding/json keeps
// of them. Guards against what kustomize itself chokes on: alias bombs and absurd nesting fail fast.
import yaml from 'js-yaml';
import { InputError } from '../errors.js';
import type { JsonObject, JsonValue } from '../resource.js';
import { NON_STRING_KEY, PlainScalar, resolvePlain, V3_MAP, type Resolution } from './scalars.js';
import { readSimpleYaml } from './simple-reader.js';

export type { Resolution } from './scalars.js';

export interface YamlDocument {
  value: JsonValue;
  line: number; // 1-based line where the document's content starts
  index: number;
}

/** Largest number of nodes a document may expand to once aliases are followed. */
const MAX_EXPANDED_NODES = 2_000_000;
const MAX_DEPTH = 500;

// --- the js-yaml schema: failsafe (str, seq, map) plus types that follow go-yaml v3 ------------------------

export interface ParseOptions {
  resolution?: Resolution;
  /**
   * A null annotation value (`a: null`, `a: ~`, `a:`). 'keep' (default): null, as a strategic-merge patch
   * needs it to delete the annotation. 'text': what kustomize prints for a resource file ("null", "~", ""):
   * pass it when reading files listed under `resources`.
   */
  nullAnnotations?: 'keep' | 'text';
  /**
   * A mapping key go-yaml does not read as a string, below the top level (`data: {8080: http}`). Resources
   * always refuse it: go-yaml v3 decodes such a mapping into a map JSON cannot hold. 'text' (default for
   * kustomization resolution): the key's source text. 'refuse': refuse it there too.
   */
  nestedNonStringKeys?: 'text' | 'refuse';
}

interface ParseState {
  input: string;
  mode: Resolution;
  /** Positions where the nodes being composed start, to tell whether a scalar sits in a flow collection. */
  open: number[];
  /** Mappings written in flow style: an empty value there reads back as "" in kustomize, not null (resources only). */
  flowMappings: WeakSet<object>;
  /** Each anchor's binding as go-yaml sees it: the definition that started last, and where it started. */
  anchors: Map<string, { start: number; value: unknown }>;
}
let current: ParseState | undefined;

/** Whether the node js-yaml started composing at `pos` is a flow collection (skips space, comments, tags, anchors). */
function startsFlowCollection(input: string, pos: number): boolean {
  let i = pos;
  for (;;) {
    let c = input.charCodeAt(i);
    while (isSpaceOrBreak(c)) c = input.charCodeAt(++i);
    if (c === 0x23 /* # */) {
      while (i < input.length && input.charCodeAt(i) !== 0x0a) i++;
    } else if (c === 0x21 /* ! */ || c === 0x26 /* & */) {
      while (i < input.length && !isSpaceOrBreak(input.charCodeAt(i))) i++;
    } else {
      return c === 0x5b /* [ */ || c === 0x7b /* { */;
    }
  }
}

function isSpaceOrBreak(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
}

function insideFlowCollection(): boolean {
  if (!current) return false;
  const { input, open } = current;
  // The last entry is the scalar itself; every other one is an enclosing node.
  for (let k = open.length - 2; k >= 0; k--) {
    if (startsFlowCollection(input, open[k])) return true;
  }
  return false;
}

interface ComposerState {
  position: number;
  line: number;
  kind: string | null;
  result: unknown;
  /** The anchor of the node being closed, and js-yaml's table of anchors (for the redefinition fix below). */
  anchor: string | null;
  anchorMap: Record<string, unknown>;
}

function listen(state: ParseState, event: 'open' | 'close', s: ComposerState): void {
  if (event === 'open') {
    state.open.push(s.position);
    return;
  }
  const start = state.open.pop()!;
  const result = s.result;
  if (s.anchor !== null) {
    // An anchor defined again inside its own node (`a: &x {b: &x {...}, c: *x}`): go-yaml binds an alias to the
    // definition that started last, js-yaml re-binds the outer node when it closes. Keep go-yaml's binding.
    const later = state.anchors.get(s.anchor);
    if (later && later.start > start) s.anchorMap[s.anchor] = later.value;
    else state.anchors.set(s.anchor, { start, value: result });
  }
  if (result instanceof PlainScalar) {
    // An alias closes on the same object later; the anchor's line is the one to report.
    if (result.line === undefined) result.line = s.line;
  } else if (s.kind === 'mapping' && state.mode === 'resource' && typeof result === 'object' && result !== null && startsFlowCollection(state.input, start)) {
    state.flowMappings.add(result);
  }
}

// js-yaml asks `resolve` whether a plain scalar is of this type, then right away asks `construct` for its value
// (nothing is composed in between): the resolution is kept so that each scalar is resolved once.
let resolvedText: string | undefined;
let resolvedValue: PlainScalar | undefined;

const plainType = new yaml.Type('tag:kforge.dev,2026:plain', {
  kind: 'scalar',
  resolve: (data: string | null) => {
    resolvedText = data ?? undefined;
    resolvedValue = data === null ? undefined : resolvePlain(data, insideFlowCollection, current?.mode);
    return resolvedValue !== undefined;
  },
  construct: (data: string) => {
    const value = data === resolvedText && resolvedValue !== undefined ? resolvedValue : resolvePlain(data, insideFlowCollection, current?.mode);
    resolvedText = resolvedValue = undefined;
    return value;
  },
});

/** An explicit tag (`!!int 12`, `!!float "1"`) asks go-yaml for that kind; the text must resolve to it. */
function taggedType(tag: string, accepts: (v: JsonValue) => boolean, convert: (v: JsonValue) => JsonValue = (v) => v) {
  const resolve = (data: string | null) => {
    const r = resolvePlain(data ?? '', () => false, current?.mode);
    const v = data === null || data === '' ? null : r?.value;
    return v !== undefined && accepts(v);
  };
  return new yaml.Type(`tag:yaml.org,2002:${tag}`, {
    kind: 'scalar',
    resolve,
    construct: (data: string | null) => {
      const raw = data ?? '';
      const v = raw === '' ? null : resolvePlain(raw, () => false, current?.mode)!.value;
      return new PlainScalar(raw, convert(v));
    },
  });
}

const binaryType = new yaml.Type('tag:yaml.org,2002:binary', {
  kind: 'scalar',
  resolve: (data: string | null) => data !== null && /^[A-Za-z0-9+/=\s]*$/.test(data),
  construct: (data: string) => Buffer.from(data.replace(/\s/g, ''), 'base64').toString('utf8'),
});

// js-yaml expands `<<` itself when the key carries the merge tag.
const mergeType = new yaml.Type('tag:yaml.org,2002:merge', { kind: 'scalar', resolve: (data: string | null) => data === '<<' });

// go-yaml decodes nodes with tags it does not know (`!Ref x`, `!!set`, `!!omap`) by their kind: text, list, map.
const unknownTags = ['!', 'tag:yaml.org,2002:'].flatMap((prefix) =>
  (['scalar', 'sequence', 'mapping'] as const).map(
    (kind) => new yaml.Type(prefix, { kind, multi: true, construct: (data: unknown) => (data === null && kind === 'scalar' ? '' : data) }),
  ),
);

const SCHEMA = yaml.FAILSAFE_SCHEMA.extend({
  implicit: [mergeType, plainType],
  explicit: [
    ...unknownTags,
    taggedType('int', (v) => typeof v === 'number' && Number.isInteger(v)),
    taggedType('float', (v) => typeof v === 'number'),
    taggedType('bool', (v) => typeof v === 'boolean'),
    taggedType('null', (v) => v === null),
    taggedType('timestamp', (v) => typeof v === 'string'),
    binaryType,
  ],
});

// --- from js-yaml's values to kustomize's JSON data ---------------------------------------------------------

interface Walk {
  file: string;
  line: number; // where the document starts
  nodes: number;
  /**
   * The keys and indices leading to the node being copied: entries [0, depth) are its path, later ones are
   * left over from earlier siblings. Written in place, so that no path is built unless an error names it.
   */
  path: (string | number)[];
  /** Whether the document defines anchors: without them no node is reached twice and none is its own child. */
  aliases: boolean;
  onPath: Set<object>;
  flowMappings: WeakSet<object>;
  /** The document is a `kind: ...List` whose items kustomize reads as resources of their own. */
  list: boolean;
  mode: Resolution;
  nullAnnotations: 'keep' | 'text';
  refuseNestedNonStringKeys: boolean;
}

/** The key `annotations` at `depth` in the walk's path is metadata.annotations of the document, or of an item of a List. */
function isObjectMetadata(w: Walk, depth: number): boolean {
  if (depth === 1) return w.path[0] === 'metadata';
  return w.list && depth === 3 && w.path[0] === 'items' && w.path[2] === 'metadata';
}

function isListDocument(v: unknown): boolean {
  if (!isMapping(v)) return false;
  const kind = (v as Record<string, unknown>).kind;
  return typeof kind === 'string' && kind.endsWith('List') && Array.isArray((v as Record<string, unknown>).items);
}

function tooBig(w: Walk): never {
  throw new InputError(`YAML aliases expand to more than ${MAX_EXPANDED_NODES} nodes`, { file: w.file, line: w.line }, 'an alias bomb? kforge refuses it instead of hanging');
}

/** The path of the node at `depth`, as errors show it. */
function describePath(w: Walk, depth: number): string {
  return w.path.slice(0, depth).join('.') || '(root)';
}

/**
 * Copies js-yaml's result into fresh JSON data (aliases expanded, so later stages may treat every object as
 * their own), counting nodes against alias bombs.
 */
function toJson(v: unknown, w: Walk, depth: number): JsonValue {
  if (++w.nodes > MAX_EXPANDED_NODES) tooBig(w);
  if (v === null || typeof v === 'string' || typeof v === 'boolean' || typeof v === 'number') return v;
  if (v instanceof PlainScalar) {
    const value = v.value;
    if (typeof value === 'number' && !Number.isFinite(value)) {
      const line = w.line + (v.line ?? 0);
      throw new InputError(`${v.raw} is not a number kustomize can write (JSON has no ${value})`, { file: w.file, line, path: describePath(w, depth) }, 'quote it if you mean the text');
    }
    return value;
  }
  if (depth > MAX_DEPTH) {
    throw new InputError(`YAML nesting deeper than ${MAX_DEPTH} levels`, { file: w.file, line: w.line }, 'this looks like generated or malicious input');
  }
  if (typeof v !== 'object') {
    throw new InputError(`unsupported YAML value of type ${typeof v}`, { file: w.file, line: w.line, path: describePath(w, depth) });
  }
  if (w.aliases) {
    if (w.onPath.has(v)) throw new InputError('YAML alias refers to itself', { file: w.file, line: w.line });
    w.onPath.add(v);
  }
  const out = Array.isArray(v) ? arrayToJson(v, w, depth) : mappingToJson(v as Record<string, unknown>, w, depth);
  if (w.aliases) w.onPath.delete(v);
  return out;
}

function arrayToJson(v: unknown[], w: Walk, depth: number): JsonValue[] {
  const arr: JsonValue[] = new Array(v.length);
  for (let i = 0; i < v.length; i++) {
    w.path[depth] = i;
    arr[i] = toJson(v[i], w, depth + 1);
  }
  return arr;
}

function mappingToJson(v: Record<string, unknown>, w: Walk, depth: number): JsonObject {
  const res: JsonObject = {};
  const resource = w.mode === 'resource';
  for (const rawKey of Object.keys(v)) {
    const child = v[rawKey];
    let key = rawKey;
    if (rawKey.charCodeAt(0) === 0 && rawKey.startsWith(NON_STRING_KEY)) {
      const { text, line } = nonStringKey(rawKey);
      key = text;
      const where = { file: w.file, line: w.line + line, path: describePath(w, depth) };
      // go-yaml v3 decodes the top-level mapping into map[string]interface{} (any scalar key becomes its
      // text) but nested ones into map[interface{}]interface{}, which JSON cannot hold.
      if (depth > 0 && w.refuseNestedNonStringKeys) throw new InputError(`mapping key ${key} is not a string`, where, `kustomize cannot encode it; quote it: "${key}"`);
      if (V3_MAP.has(key) && V3_MAP.get(key) === null) throw new InputError('a mapping key is null', where, `quote it if you mean the text "${key}"`);
    }
    // A JavaScript object cannot hold this key as data: assigning it sets the object's prototype, so the key
    // would vanish and its fields turn into inherited ones. Refused rather than rendered wrong.
    if (key === '__proto__') throw new InputError('a mapping key __proto__ is not supported by kforge', { file: w.file, line: w.line, path: describePath(w, depth) }, 'rename the key');
    if (child === null && resource && w.flowMappings.has(v)) {
      // kustomize re-serialises `{a, b: }` as `{a: "", b: ""}`.
      res[key] = '';
      continue;
    }
    w.path[depth] = key;
    const inAnnotations = resource && key === 'annotations' && isMapping(child) && isObjectMetadata(w, depth);
    res[key] = inAnnotations ? annotationValues(child as Record<string, unknown>, w) : toJson(child, w, depth + 1);
  }
  return res;
}

function nonStringKey(marked: string): { text: string; line: number } {
  const rest = marked.slice(NON_STRING_KEY.length);
  const colon = rest.indexOf(':');
  return { text: rest.slice(colon + 1), line: Number(rest.slice(0, colon)) };
}

function isMapping(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof PlainScalar);
}

/**
 * kustomize rewrites metadata.annotations as map[string]string: scalars keep their source text and anything
 * else becomes "". A null stays null unless asked: in a patch it deletes the annotation.
 */
function annotationValues(map: Record<string, unknown>, w: Walk): JsonObject {
  const out: JsonObject = {};
  for (const rawKey of Object.keys(map)) {
    const key = rawKey.startsWith(NON_STRING_KEY) ? nonStringKey(rawKey).text : rawKey;
    if (key === '__proto__') throw new InputError('a mapping key __proto__ is not supported by kforge', { file: w.file, line: w.line }, 'rename the key');
    if (++w.nodes > MAX_EXPANDED_NODES) tooBig(w);
    out[key] = annotationText(map[rawKey], w);
  }
  return out;
}

function annotationText(v: unknown, w: Walk): string | null {
  if (typeof v === 'string') return v;
  const isNull = v === null || (v instanceof PlainScalar && v.value === null);
  if (isNull && w.nullAnnotations === 'keep') return null;
  if (v instanceof PlainScalar) return v.raw;
  return '';
}

// --- documents ----------------------------------------------------------------------------------------------

/** Whether the line at `pos` starts with `---` or `...`, as document markers do. */
function startsMarker(text: string, pos: number): boolean {
  const c = text.charCodeAt(pos);
  return (c === 0x2d /* - */ || c === 0x2e) /* . */ && text.charCodeAt(pos + 1) === c && text.charCodeAt(pos + 2) === c;
}

const isDocStart = (line: string) => /^---(\s|$)/.test(line);
const isDocEnd = (line: string) => /^\.\.\.\s*$/.test(line);
const isBlankOrComment = (line: string) => /^\s*(#|$)/.test(line);

/**
 * The documents of a stream as kustomize (kyaml's ByteReader) finds them, each with the 1-based line where its
 * text starts. kyaml splits the text at separator lines (a line starting `---` after a line break, not right
 * after another separator; anything but a comment after the dashes is an error), and go-yaml decodes the first
 * document of each part only, so:
 * - a BOM that starts a part is dropped (go-yaml skips one at the start of a stream);
 * - a part whose first token is `...` fails ("did not find expected node content");
 * - after the part's first document ends (`...`, or a `---` that starts a second one), the rest is ignored.
 * Separator lines become empty lines, so js-yaml's line numbers stay those of the file.
 */
function splitDocuments(text: string, file: string): { body: string; line: number }[] {
  const docs: { body: string; line: number }[] = [];
  // Line starts of the file, scanned once; a part is [start, end) with its first line `line`.
  const part = (start: number, end: number, line: number, separator: boolean) => {
    // Walk the part's lines until its first document ends; only line starts are looked at.
    let pos = start;
    let l = line;
    let started = false; // go-yaml has seen the first document begin (content or an explicit `---`)
    let cut = end;
    while (pos < end) {
      const nl = text.indexOf('\n', pos);
      // Once the document has begun, only a line that starts `...` or `---` can matter.
      if (!started || startsMarker(text, pos)) {
        const lineEnd = nl < 0 || nl > end ? end : nl;
        const lineText = text.slice(pos, Math.min(lineEnd, pos + 80));
        const first = l === line;
        if (first && separator) {
          // the separator line itself: not part of the document
        } else if (isDocEnd(lineText)) {
          if (!started) throw new InputError('invalid YAML: did not find expected node content', { file, line: l + 1 }, 'a document end (...) with no document before it; kustomize refuses it too');
          cut = pos;
          break;
        } else if (isDocStart(lineText)) {
          if (started) {
            cut = pos;
            break;
          }
          started = true;
        } else if (!started && !isBlankOrComment(lineText.replace(/^\ufeff/, '')) && !lineText.startsWith('%')) {
          // (a %YAML or %TAG directive comes before its document's `---`)
          started = true;
        }
      }
      if (nl < 0 || nl >= end) break;
      pos = nl + 1;
      l++;
    }
    let body = text.slice(start, cut);
    if (separator) {
      const nl = body.indexOf('\n');
      body = nl < 0 ? '' : body.slice(nl);
      if (body.charCodeAt(1) === 0xfeff) body = `\n${body.slice(2)}`;
    } else if (body.charCodeAt(0) === 0xfeff) {
      body = body.slice(1);
    }
    docs.push({ body, line: line + 1 });
  };
  let start = 0;
  let startLine = 0;
  let separator = false; // the current part starts with a separator line
  let line = 0;
  let pos = 0;
  let afterSeparator = false;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    if (nl < 0) break; // a separator needs its line break: a last `---` line is go-yaml's to read
    if (pos > 0 && !afterSeparator && text.charCodeAt(pos) === 0x2d /* - */ && text.startsWith('---', pos)) {
      const rest = text.slice(pos + 3, nl).trim();
      if (rest !== '' && rest[0] !== '#') {
        throw new InputError(`invalid document separator: ${oneLine(text.slice(pos, nl).trim().slice(0, 80))}`, { file, line: line + 1 }, 'only a comment may follow --- on its line');
      }
      part(start, pos, startLine, separator);
      start = pos;
      startLine = line;
      separator = true;
      afterSeparator = true;
    } else {
      afterSeparator = false;
    }
    pos = nl + 1;
    line++;
  }
  part(start, text.length, startLine, separator);
  return docs;
}

/** js-yaml quotes the input in some reasons (a tag name can hold line breaks): an error stays one line. */
function oneLine(reason: string): string {
  const flat = reason.replace(/\r\n|\n/g, '\\n').replace(/[\r\u0085\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return flat.length > 200 ? `${flat.slice(0, 200)}...` : flat;
}

function looksBinary(text: string): boolean {
  return text.includes('\u0000') || /[\u0001-\u0008\u000e-\u001f]/.test(text.slice(0, 8192));
}

/** js-yaml's value for a document, with go-yaml's scalars, anchors and flow-style mappings (see `listen`). */
function loadWithJsYaml(doc: { body: string; line: number }, file: string, mode: Resolution, flowMappings: WeakSet<object>): unknown {
  const state: ParseState = { input: doc.body, mode, open: [], flowMappings, anchors: new Map() };
  current = state;
  try {
    return yaml.load(doc.body, {
      schema: SCHEMA,
      filename: file,
      json: false,
      maxDepth: MAX_DEPTH,
      // js-yaml's typings do not describe the listener, which receives its internal composer state.
      listener: (event: 'open' | 'close', s: ComposerState) => listen(state, event, s),
    } as unknown as yaml.LoadOptions);
  } catch (e) {
    if (e instanceof yaml.YAMLException) {
      const line = e.mark ? doc.line + e.mark.line : doc.line;
      if (/maxDepth/.test(e.reason)) {
        throw new InputError(`YAML nesting deeper than ${MAX_DEPTH} levels`, { file, line }, 'this looks like generated or malicious input');
      }
      throw new InputError(`invalid YAML: ${oneLine(e.reason)}`, { file, line });
    }
    if (e instanceof RangeError) {
      throw new InputError('YAML nesting too deep to parse', { file, line: doc.line });
    }
    throw e;
  } finally {
    current = undefined;
  }
}

/** js-yaml's value for one document and the mappings it reads in flow style: what readSimpleYaml must match (tests). */
export function loadWithJsYamlForTest(body: string, mode: Resolution): { value: unknown; flowMappings: WeakSet<object> } {
  const flowMappings = new WeakSet<object>();
  return { value: loadWithJsYaml({ body, line: 1 }, 'test.yaml', mode, flowMappings), flowMappings };
}

/** Parses a YAML stream; empty documents are dropped (as kustomize does). */
export function parseYamlDocuments(text: string, file: string, opts: ParseOptions = {}): YamlDocument[] {
  const mode = opts.resolution ?? 'resource';
  if (looksBinary(text)) throw new InputError('not a YAML file: it contains binary data', { file });
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.includes('\r')) text = text.replace(/\r\n/g, '\n');
  const out: YamlDocument[] = [];
  let index = 0;
  for (const doc of splitDocuments(text, file)) {
    const flowMappings = new WeakSet<object>();
    // Most documents are in the subset the simple reader knows, which gives js-yaml's value much faster.
    const value = readSimpleYaml(doc.body, mode, mode === 'resource' ? flowMappings : undefined) ?? loadWithJsYaml(doc, file, mode, flowMappings);
    if (value === undefined || value === null) continue;
    const walk: Walk = {
      file,
      line: doc.line,
      nodes: 0,
      path: [],
      aliases: doc.body.includes('&'),
      onPath: new Set(),
      flowMappings,
      list: isListDocument(value),
      mode,
      nullAnnotations: opts.nullAnnotations ?? 'keep',
      refuseNestedNonStringKeys: mode === 'resource' || opts.nestedNonStringKeys === 'refuse',
    };
    const json = toJson(value, walk, 0);
    if (json === null) continue;
    out.push({ value: json, line: doc.line, index: index++ });
  }
  return out;
}

/** Parses a single-document YAML file (a kustomization, kforge.yaml). */
export function parseYamlDocument(text: string, file: string, opts: ParseOptions = {}): JsonValue | undefined {
  const docs = parseYamlDocuments(text, file, opts);
  if (docs.length > 1) throw new InputError(`expected one YAML document, found ${docs.length}`, { file, line: docs[1].line });
  return docs[0]?.value;
}
