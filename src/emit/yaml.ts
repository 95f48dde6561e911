// Serialises resources byte for byte as kustomize v5.5.0 prints them. kustomize turns each resource into JSON
// and back through sigs.k8s.io/yaml, so what we reproduce is go-yaml v2's encoder (YAML 1.1 quoting, keys in
// its "natural" order, sequences flush with their key, literal blocks for multi-line strings, folding at 80
// columns) fed with what Go's encoding/json made of the numbers. The emitter below follows libyaml's state
// (column, indent, whitespace, indention) so wrapping and indentation fall where go-yaml puts them.
import { InputError, isKforgeError } from '../errors.js';
import { describeId, resIdOf, type JsonObject, type JsonValue } from '../resource.js';

const INT64_MIN = -(1n << 63n);
const INT64_MAX = (1n << 63n) - 1n;
const UINT64_MAX = (1n << 64n) - 1n;

const BEST_WIDTH = 80;
const BEST_INDENT = 2;
/** go-yaml writes a mapping key as `? key` once it is longer than this many UTF-8 bytes. */
const MAX_SIMPLE_KEY_BYTES = 128;

type Style = 'plain' | 'single' | 'double' | 'literal';

// ---------------------------------------------------------------------------------------------------------
// Character classes, on code points, as libyaml defines them over UTF-8 bytes.

const LINE_BREAK = /[\n\r\u0085\u2028\u2029]/;
const isBreak = (c: number) => c === 0x0a || c === 0x0d || c === 0x85 || c === 0x2028 || c === 0x2029;
const isBlank = (c: number) => c === 0x20 || c === 0x09;
/** libyaml's is_printable: tab, C1 controls, DEL, BOM, non-BMP characters and U+FFFE/F are not. */
const isPrintable = (c: number) =>
  c === 0x0a || (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd && c !== 0xfeff);
/** Characters go-yaml v2's reader rejects ("control characters are not allowed") when kustomize re-reads its
 * own JSON: Go's encoding/json leaves these unescaped, so kustomize fails on them and so do we. */
const REJECTED_BY_GO_YAML = /[\u007f-\u0084\u0086-\u009f\ufffe\uffff]/;

function codePoints(s: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) {
    const c = s.codePointAt(i)!;
    out.push(c);
    if (c > 0xffff) i++;
  }
  return out;
}

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

// ---------------------------------------------------------------------------------------------------------
// Which strings go-yaml v2 must quote: those its YAML 1.1 resolver would read back as something else.

const V2_NON_STRINGS = new Set([
  'y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON',
  'n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF',
  '', '~', 'null', 'Null', 'NULL',
  '.nan', '.NaN', '.NAN', '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF',
]);
/** First characters for which go-yaml's resolver looks further (its resolve table); any other start is a string. */
const RESOLVE_HINT = /^[-+0-9.yYnNtTfFoO~]/;
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
const BASE60_FLOAT = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

/**
 * Go's strconv.ParseInt(s, 0, 64), then ParseUint(s, 0, 64), as go-yaml tries them on a scalar whose
 * underscores it removed: base prefixes 0x/0o/0b, a leading 0 for octal. Undefined if neither parses.
 */
export function parseGoInteger(plain: string): bigint | undefined {
  const m = /^([-+]?)(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO][0-7]+|0[0-7]*|[1-9][0-9]*)$/.exec(plain);
  if (!m) return undefined;
  const body = m[2];
  let digits: string;
  if (/^0[xXbBoO]/.test(body)) digits = `0${body[1].toLowerCase()}${body.slice(2)}`;
  else if (body.length > 1 && body[0] === '0') digits = `0o${body.slice(1)}`;
  else digits = body;
  const magnitude = BigInt(digits);
  const v = m[1] === '-' ? -magnitude : magnitude;
  if (v >= INT64_MIN && v <= INT64_MAX) return v;
  return m[1] === '' && v <= UINT64_MAX ? v : undefined;
}

/** Go's underscoreOK: underscores only between digits (or after a base prefix). */
export function goUnderscoresOk(s: string): boolean {
  let saw = '^';
  let i = 0;
  if (s[0] === '+' || s[0] === '-') i = 1;
  for (; i < s.length; i++) {
    const c = s[i];
    if (c >= '0' && c <= '9') saw = '0';
    else if (c === '_') {
      if (saw !== '0') return false;
      saw = '_';
    } else {
      if (saw === '_') return false;
      saw = '!';
    }
  }
  return saw !== '_';
}

/** Go's strconv.ParseFloat succeeds (finite) on a decimal float; it allows underscores between digits. */
function goParsesAsFloat(s: string): boolean {
  if (!goUnderscoresOk(s)) return false;
  const plain = s.includes('_') ? s.replace(/_/g, '') : s;
  return YAML_STYLE_FLOAT.test(plain) && Number.isFinite(Number(plain));
}

const TIMESTAMP =
  /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:([Tt])|( ))(\d{1,2}):(\d{1,2}):(\d{1,2})(?:[.,](\d+))?(Z|[+-]\d{2}:\d{2})?)?$/;

export interface GoTimestamp {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  fraction: string; // digits after the point, as written
  offset: string | undefined; // 'Z', '+hh:mm', or undefined (UTC)
  dateOnly: boolean;
}

const daysIn = (month: number, year: number) =>
  month === 2 ? ((year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;

/** go-yaml's parseTimestamp: Go's time.Parse with the layouts 2006-1-2T15:4:5.999999999Z07:00 (also with a
 * lower-case t), "2006-1-2 15:4:5.999999999" (no zone) and 2006-1-2, including Go's range checks. */
export function parseGoTimestamp(s: string): GoTimestamp | undefined {
  const m = TIMESTAMP.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, tee, space, h, mi, se, frac, zone] = m;
  const dateOnly = h === undefined;
  // The 'T' layouts need a zone; the space layout must not have one.
  if (!dateOnly && ((tee !== undefined && zone === undefined) || (space !== undefined && zone !== undefined))) return undefined;
  const year = Number(y), month = Number(mo), day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > daysIn(month, year)) return undefined;
  const hour = dateOnly ? 0 : Number(h), minute = dateOnly ? 0 : Number(mi), second = dateOnly ? 0 : Number(se);
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  if (zone && zone !== 'Z' && (Number(zone.slice(1, 3)) > 24 || Number(zone.slice(4, 6)) > 60)) return undefined;
  return { year, month, day, hour, minute, second, fraction: frac ?? '', offset: zone, dateOnly };
}

/** The string go-yaml v2 would read back as a non-string (so it must be double-quoted). */
function v2ResolvesAsNonString(s: string): boolean {
  if (!RESOLVE_HINT.test(s)) return s === '';
  if (V2_NON_STRINGS.has(s)) return true;
  const c = s.charCodeAt(0);
  if (c === 0x2e /* . */) return goParsesAsFloat(s);
  if (c === 0x2b || c === 0x2d || (c >= 0x30 && c <= 0x39)) {
    if (parseGoTimestamp(s)) return true;
    const plain = s.includes('_') ? s.replace(/_/g, '') : s;
    if (parseGoInteger(plain) !== undefined) return true;
    return YAML_STYLE_FLOAT.test(plain) && Number.isFinite(Number(plain));
  }
  return false;
}

/**
 * Go's JSON leaves U+0085 (NEL) unescaped, and go-yaml v2 reads it back inside a double-quoted scalar as a
 * line break, which YAML folds: spaces around it go, one break becomes a space, n breaks become n-1 newlines.
 */
/** A NEL starts a new line for go-yaml's reader, and a line starting with `--- ` or `... ` ends the document. */
const NEL_DOCUMENT_MARKER = /\u0085(?:---|\.\.\.)[ \u0085]/;

function foldNextLines(s: string): string {
  return s.replace(/ *\u0085[ \u0085]*/g, (run) => {
    let breaks = 0;
    for (const c of run) if (c === '\u0085') breaks++;
    return breaks === 1 ? ' ' : '\n'.repeat(breaks - 1);
  });
}

function requestedStringStyle(s: string): Style {
  if (s.includes('\n')) return 'literal';
  const base60 = BASE60_FLOAT.test(s);
  return !base60 && !v2ResolvesAsNonString(s) ? 'plain' : 'double';
}

// ---------------------------------------------------------------------------------------------------------
// Numbers: Go's encoding/json writes float64 with 'f' below 1e21 (so integral values come back as integers
// when they fit int64/uint64), then go-yaml v2 prints floats with strconv.FormatFloat(f, 'g', -1, 64).


export function formatNumber(n: number): string {
  // Most numbers in a resource (ports, replicas): exact in JSON, printed alike by Go and JavaScript.
  if (Number.isSafeInteger(n)) return String(n);
  if (!Number.isFinite(n)) throw new InputError(`kustomize cannot print the number ${n} (JSON has no ${n})`);
  if (Number.isInteger(n) && Math.abs(n) < 1e21) {
    // Below 1e21 both Go's JSON ('f', shortest) and JavaScript write the shortest round-trip digits without
    // an exponent; go-yaml then reads them back as an integer if they fit int64 or uint64.
    const digits = String(n === 0 ? 0 : n);
    const big = BigInt(digits);
    if (big >= INT64_MIN && big <= UINT64_MAX) return digits;
  }
  return formatFloatG(n);
}

/** strconv.FormatFloat(n, 'g', -1, 64): shortest digits, exponent form when exp < -4 || exp >= 21. */
function formatFloatG(n: number): string {
  if (n === 0) return '0';
  const sign = n < 0 ? '-' : '';
  const [mantissa, e] = Math.abs(n).toExponential().split('e');
  const digits = mantissa.replace('.', '');
  const exp = Number(e);
  // For the shortest form Go decides with precision 6: %e when exp < -4 || exp >= 6 (1.2345675e+06, 1e-05).
  if (exp < -4 || exp >= 6) {
    const frac = digits.length > 1 ? `.${digits.slice(1)}` : '';
    const abs = Math.abs(exp);
    return `${sign}${digits[0]}${frac}e${exp < 0 ? '-' : '+'}${abs < 10 ? '0' : ''}${abs}`;
  }
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
  const fracPart = digits.slice(exp + 1);
  return `${sign}${intPart}${fracPart ? `.${fracPart}` : ''}`;
}

// ---------------------------------------------------------------------------------------------------------
// Key order: go-yaml's keyList.Less, a "natural" order (letters after other characters, digit runs compared
// as int64 numbers, wrapping like Go does). It is not a consistent order on some key sets (digit runs with
// leading zeros next to other characters, e.g. "091", "0x1F", "9]"; runs over 18 digits): kustomize then
// prints such maps in an order that changes from run to run (Go's map iteration is random), and kforge
// prints one deterministic order of its own. On consistent key sets both sorts give the same order.

const isLetterCp = (c: number) =>
  c < 0x80 ? (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) : /\p{L}/u.test(String.fromCodePoint(c));
const isDigitCp = (c: number) => (c < 0x80 ? c >= 0x30 && c <= 0x39 : /\p{Nd}/u.test(String.fromCodePoint(c)));

function digitRun(cps: number[], start: number, initial: number): { value: bigint | number; end: number } {
  let end = start;
  while (end < cps.length && isDigitCp(cps[end])) end++;
  if (end - start <= 15) {
    let v = initial;
    for (let k = start; k < end; k++) v = v * 10 + (cps[k] - 0x30);
    return { value: v, end };
  }
  let v = BigInt(initial);
  for (let k = start; k < end; k++) v = BigInt.asIntN(64, v * 10n + BigInt(cps[k] - 0x30));
  return { value: v, end };
}

function keyLess(ar: number[], br: number[]): boolean {
  for (let i = 0; i < ar.length && i < br.length; i++) {
    const a = ar[i], b = br[i];
    if (a === b) continue;
    const al = isLetterCp(a), bl = isLetterCp(b);
    if (al && bl) return a < b;
    if (al || bl) return bl;
    let initial = 0;
    if (a === 0x30 || b === 0x30) {
      for (let j = i - 1; j >= 0 && isDigitCp(ar[j]); j--) {
        if (ar[j] !== 0x30) {
          initial = 1;
          break;
        }
      }
    }
    const an = digitRun(ar, i, initial), bn = digitRun(br, i, initial);
    if (an.value !== bn.value) {
      if (typeof an.value === 'number' && typeof bn.value === 'number') return an.value < bn.value;
      return BigInt(an.value) < BigInt(bn.value);
    }
    if (an.end !== bn.end) return an.end < bn.end;
    return a < b;
  }
  return ar.length < br.length;
}

const ASCII_LETTERS = /^[A-Za-z]+$/;

function sortKeys(keys: string[]): string[] {
  if (keys.length < 2) return keys;
  // Fast path: between letter-only keys (most Kubernetes field names) the order is by code point.
  if (keys.every((k) => ASCII_LETTERS.test(k))) return keys.sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  const cps = new Map(keys.map((k) => [k, codePoints(k)]));
  return keys.sort((x, y) => {
    const a = cps.get(x)!, b = cps.get(y)!;
    return keyLess(a, b) ? -1 : keyLess(b, a) ? 1 : 0;
  });
}

// Most objects of a render share a few shapes (metadata, containers, ports...), so the key order is worked out
// once per shape and kept in a tree keyed by an object's keys in its own order.

/** How objects of one shape print: their keys in go-yaml's order, and where each key's value is. */
interface KeyOrder {
  readonly keys: readonly string[];
  /** For each key, the index of its value in Object.values(obj) (which lists them as Object.keys does). */
  readonly positions: readonly number[];
  /** Each key as printed (see printedKeys), filled in when first printed: printing a key can fail, and the
   * error names the key's path. */
  readonly printed: (PrintedKey | null | undefined)[];
}

function keyOrderOf(keys: readonly string[], values: readonly unknown[]): KeyOrder {
  // A key whose value is undefined is absent, as in JSON.
  const sorted = sortKeys(keys.filter((_, i) => values[i] !== undefined));
  const index = new Map(keys.map((k, i) => [k, i]));
  return { keys: sorted, positions: sorted.map((k) => index.get(k)!), printed: sorted.map(() => undefined) };
}

interface Shape {
  readonly next: Map<string, Shape>;
  order?: KeyOrder;
}
const shapes: Shape = { next: new Map() };
let shapeCount = 0;
/** Objects with many keys are mostly one of a kind (a ConfigMap's data): they are sorted each time. */
const MAX_SHAPE_KEYS = 32;
/** Bounds the tree over a long-lived process (a render of a hundred apps makes under a hundred nodes). */
const MAX_SHAPES = 10_000;

/** `values` is Object.values(obj). The order is shared between objects of one shape. */
function keyOrder(obj: JsonObject, values: readonly unknown[]): KeyOrder {
  const keys = Object.keys(obj);
  let shape: Shape | undefined = shapes;
  for (let i = 0; i < keys.length; i++) {
    // Which keys print depends on the values then, so such objects are not remembered.
    if (values[i] === undefined) return keyOrderOf(keys, values);
    shape = shape?.next.get(keys[i]);
  }
  if (shape?.order !== undefined) return shape.order;
  const order = keyOrderOf(keys, values);
  if (keys.length <= MAX_SHAPE_KEYS) {
    if (shapeCount + keys.length > MAX_SHAPES) {
      shapes.next.clear();
      shapes.order = undefined;
      shapeCount = 0;
    }
    let node = shapes;
    for (const key of keys) {
      let next = node.next.get(key);
      if (next === undefined) {
        next = { next: new Map() };
        node.next.set(key, next);
        shapeCount++;
      }
      node = next;
    }
    node.order = order;
  }
  return order;
}

export function sortedKeys(obj: JsonObject): string[] {
  return [...keyOrder(obj, Object.values(obj)).keys];
}

// ---------------------------------------------------------------------------------------------------------
// The emitter.

interface Analysis {
  multiline: boolean;
  flowPlainAllowed: boolean;
  blockPlainAllowed: boolean;
  singleQuotedAllowed: boolean;
  blockAllowed: boolean;
}

/** libyaml's yaml_emitter_analyze_scalar, as in go-yaml v2 (tabs count as special characters). */
function analyzeScalar(cps: number[]): Analysis {
  if (cps.length === 0) {
    return { multiline: false, flowPlainAllowed: false, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: false };
  }
  let blockIndicators = false, flowIndicators = false, lineBreaks = false, specialCharacters = false;
  let leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false;
  let breakSpace = false, spaceBreak = false, previousSpace = false, previousBreak = false;
  if (cps.length >= 3 && ((cps[0] === 0x2d && cps[1] === 0x2d && cps[2] === 0x2d) || (cps[0] === 0x2e && cps[1] === 0x2e && cps[2] === 0x2e))) {
    blockIndicators = true;
    flowIndicators = true;
  }
  let precededByWhitespace = true;
  const n = cps.length;
  for (let i = 0; i < n; i++) {
    const c = cps[i];
    const followedByWhitespace = i + 1 >= n || isBlank(cps[i + 1]);
    if (i === 0) {
      switch (c) {
        case 0x23: case 0x2c: case 0x5b: case 0x5d: case 0x7b: case 0x7d: case 0x26: case 0x2a:
        case 0x21: case 0x7c: case 0x3e: case 0x27: case 0x22: case 0x25: case 0x40: case 0x60:
          flowIndicators = true;
          blockIndicators = true;
          break;
        case 0x3f: case 0x3a:
          flowIndicators = true;
          if (followedByWhitespace) blockIndicators = true;
          break;
        case 0x2d:
          if (followedByWhitespace) {
            flowIndicators = true;
            blockIndicators = true;
          }
          break;
      }
    } else {
      switch (c) {
        case 0x2c: case 0x3f: case 0x5b: case 0x5d: case 0x7b: case 0x7d:
          flowIndicators = true;
          break;
        case 0x3a:
          flowIndicators = true;
          if (followedByWhitespace) blockIndicators = true;
          break;
        case 0x23:
          if (precededByWhitespace) {
            flowIndicators = true;
            blockIndicators = true;
          }
          break;
      }
    }
    if (!isPrintable(c)) specialCharacters = true;
    if (c === 0x20) {
      if (i === 0) leadingSpace = true;
      if (i === n - 1) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(c)) {
      lineBreaks = true;
      if (i === 0) leadingBreak = true;
      if (i === n - 1) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousSpace = false;
      previousBreak = true;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlank(c) || isBreak(c) || c === 0;
  }
  const a: Analysis = { multiline: lineBreaks, flowPlainAllowed: true, blockPlainAllowed: true, singleQuotedAllowed: true, blockAllowed: true };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) a.flowPlainAllowed = a.blockPlainAllowed = false;
  if (trailingSpace) a.blockAllowed = false;
  if (breakSpace) a.flowPlainAllowed = a.blockPlainAllowed = a.singleQuotedAllowed = false;
  if (spaceBreak || specialCharacters) {
    a.flowPlainAllowed = a.blockPlainAllowed = a.singleQuotedAllowed = false;
    a.blockAllowed = false;
  }
  if (lineBreaks) a.flowPlainAllowed = a.blockPlainAllowed = false;
  if (flowIndicators) a.flowPlainAllowed = false;
  if (blockIndicators) a.blockPlainAllowed = false;
  return a;
}

/** Plain in a block wherever it stands, as analyzeScalar would find: starts with no indicator, holds no space,
 * hash or non-ASCII, and a colon only between other characters (image references, URLs, host:port). */
const SAFE_PLAIN = /^[A-Za-z0-9_/][A-Za-z0-9_./+=@-]*(?::[A-Za-z0-9_./+=@-]+)*$/;

const DOUBLE_ESCAPES: Record<number, string> = {
  0x00: '0', 0x07: 'a', 0x08: 'b', 0x09: 't', 0x0a: 'n', 0x0b: 'v', 0x0c: 'f', 0x0d: 'r', 0x1b: 'e',
  0x22: '"', 0x5c: '\\', 0x85: 'N', 0xa0: '_', 0x2028: 'L', 0x2029: 'P',
};

function escapeFor(c: number): string {
  const short = DOUBLE_ESCAPES[c];
  if (short !== undefined) return `\\${short}`;
  const hex = c.toString(16).toUpperCase();
  if (c <= 0xff) return `\\x${hex.padStart(2, '0')}`;
  if (c <= 0xffff) return `\\u${hex.padStart(4, '0')}`;
  return `\\U${hex.padStart(8, '0')}`;
}

// ---------------------------------------------------------------------------------------------------------
// Scalars as printed. How a string prints (style, quotes, escapes) depends on the string alone, and where it
// is printed matters only when the printer may fold it (a space past column 80) or lays it out as a literal
// block (lines at the indentation). The same keys and values repeat thousands of times in a render
// (`apiVersion`, `name`, label values), so the decision is made once per string and kept.

/** How a string prints as a value (or as a `? ` key, which prints like one). */
interface PrintedValue {
  /** The string after go-yaml's reader folded its NELs: what is printed. */
  text: string;
  requested: Style;
  /** The scalar in one piece, as printed when nothing folds it; undefined when it is a literal block or holds
   * a line break, whose lines depend on the indentation. */
  token: string | undefined;
  /** Columns it takes: libyaml counts characters (code points). */
  width: number;
  /** Holds a space, where the printer starts a new line once it is past column 80. */
  foldable: boolean;
}

/** A simple key as printed, with its `:`. */
interface PrintedKey {
  text: string;
  width: number;
}

/** Longer strings are not remembered: they seldom repeat, and each would be kept alive by the cache. */
const MAX_REMEMBERED_LENGTH = 256;
/** Bounds the caches over a long-lived process with endless distinct values; refilling is cheap. */
const MAX_REMEMBERED_STRINGS = 100_000;

class StringCache<T> {
  private readonly map = new Map<string, T>();

  get(s: string): T | undefined {
    return this.map.get(s);
  }

  remember(s: string, value: T): T {
    if (s.length <= MAX_REMEMBERED_LENGTH) {
      if (this.map.size >= MAX_REMEMBERED_STRINGS) this.map.clear();
      this.map.set(s, value);
    }
    return value;
  }
}

const printedValues = new StringCache<PrintedValue>();
/** null: the key is printed in the `? key` form, as a value would be. */
const printedKeys = new StringCache<PrintedKey | null>();

/** libyaml's yaml_emitter_select_scalar_style for a block context (kforge never prints flow collections
 * with anything in them, so there is no flow context). */
function selectStyle(requested: Style, a: Analysis, empty: boolean, simpleKey: boolean): Style {
  let style = requested;
  if (simpleKey && a.multiline) style = 'double';
  if (style === 'plain') {
    if (!a.blockPlainAllowed) style = 'single';
    if (empty && simpleKey) style = 'single';
  }
  if (style === 'single' && !a.singleQuotedAllowed) style = 'double';
  if (style === 'literal' && (!a.blockAllowed || simpleKey)) style = 'double';
  return style;
}

const SPACES: string[] = [];
const spaces = (n: number) => (SPACES[n] ??= ' '.repeat(n));
const NEW_LINES: string[] = [];
/** A line break and the indentation of the next line, in one piece. */
const newLine = (indent: number) => (NEW_LINES[indent] ??= `\n${' '.repeat(indent)}`);

class Emitter {
  // Chunks joined once at the end. Appending to one string is faster while printing, but V8 keeps such a string
  // as a rope of all its pieces until it is read, and render keeps every file's text until it writes them:
  // measured that way, appending took 2.5x as long, most of it in the GC.
  private readonly parts: string[] = [];
  private column = 0;
  private whitespace = true;
  private indention = true;
  private indent = -1;
  private readonly indents: number[] = [];
  private readonly path: (string | number)[] = [];

  result(): string {
    return this.parts.join('');
  }

  document(value: JsonValue): void {
    this.node(value, false);
    this.writeIndent();
  }

  /** The scalar printed on its own, where nothing can fold it: what a cached token holds. */
  private static unfolded(style: Style, cps: number[], text: string): { token: string; width: number } {
    const e = new Emitter();
    if (style === 'plain') e.writePlain(text, cps, false);
    else if (style === 'single') e.writeSingleQuoted(cps, false);
    else e.writeDoubleQuoted(cps, false);
    return { token: e.result(), width: e.column };
  }

  // --- low-level writers (libyaml put/put_break/write_indent/write_indicator) ---

  private putBreak(): void {
    this.parts.push('\n');
    this.column = 0;
    this.indention = true;
  }

  private writeIndent(): void {
    const indent = this.indent < 0 ? 0 : this.indent;
    if (!this.indention || this.column > indent || (this.column === indent && !this.whitespace)) {
      this.parts.push(newLine(indent));
      this.indention = true;
    } else if (this.column < indent) {
      this.parts.push(spaces(indent - this.column));
    }
    this.column = indent;
    this.whitespace = true;
  }

  private writeIndicator(indicator: string, needWhitespace: boolean, isWhitespace: boolean, isIndention: boolean): void {
    if (needWhitespace && !this.whitespace) {
      this.parts.push(' ');
      this.column++;
    }
    this.parts.push(indicator);
    this.column += indicator.length;
    this.whitespace = isWhitespace;
    this.indention = this.indention && isIndention;
  }

  /** A scalar that prints the same wherever it stands (what writePlain and the quoted writers do with it). */
  private writeToken(token: string, width: number): void {
    if (!this.whitespace) {
      this.parts.push(' ');
      this.column++;
    }
    this.parts.push(token);
    this.column += width;
    this.whitespace = false;
    this.indention = false;
  }

  private writeBreak(c: number): void {
    if (c === 0x0a) this.putBreak();
    else {
      this.parts.push(String.fromCodePoint(c));
      this.column = 0;
      this.indention = true;
    }
  }

  private increaseIndent(flow: boolean, indentless: boolean): void {
    this.indents.push(this.indent);
    if (this.indent < 0) this.indent = flow ? BEST_INDENT : 0;
    else if (!indentless) this.indent += BEST_INDENT;
  }

  private popIndent(): void {
    this.indent = this.indents.pop()!;
  }

  // --- nodes ---

  private where(): string {
    return this.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${p}`)).join('').replace(/^\./, '') || '(root)';
  }

  /** Any value but a simple key (printKey). `mapping`: the value of a mapping entry. */
  private node(value: JsonValue, mapping: boolean): void {
    switch (typeof value) {
      case 'string':
        return this.stringValue(value);
      case 'number': {
        if (!Number.isFinite(value)) {
          throw new InputError(`kustomize cannot print the number ${value} (JSON has no ${value})`, { path: this.where() });
        }
        // Digits, '.', 'e' and signs: a plain scalar that needs no quotes and never folds.
        const text = formatNumber(value);
        return this.writeToken(text, text.length);
      }
      case 'boolean':
        return value ? this.writeToken('true', 4) : this.writeToken('false', 5);
    }
    // undefined can slip in from code that builds objects; JSON (and so kustomize) would write null in a list.
    if (value === null || value === undefined) return this.writeToken('null', 4);
    // Empty collections print as `[]` and `{}`, written as a token would be.
    if (Array.isArray(value)) {
      if (value.length === 0) return this.writeToken('[]', 2);
      return this.blockSequence(value, mapping);
    }
    const values = Object.values(value);
    const order = keyOrder(value, values);
    if (order.keys.length === 0) return this.writeToken('{}', 2);
    return this.blockMapping(values, order);
  }

  private stringValue(value: string): void {
    const p = printedValues.get(value) ?? printedValues.remember(value, this.printValue(value));
    if (p.token !== undefined) {
      // The writers start a new line only at a space past column 80, so a token that ends by then prints whole.
      const start = this.whitespace ? this.column : this.column + 1;
      if (!p.foldable || start + p.width <= BEST_WIDTH) return this.writeToken(p.token, p.width);
    }
    this.scalar(p.text, p.requested);
  }

  private printValue(value: string): PrintedValue {
    if (REJECTED_BY_GO_YAML.test(value)) {
      throw new InputError('kustomize cannot print a string with a DEL or C1 control character', { path: this.where() });
    }
    if (NEL_DOCUMENT_MARKER.test(value)) {
      throw new InputError('kustomize cannot print a string where U+0085 (NEXT LINE) is followed by --- or ...', { path: this.where() });
    }
    const text = value.includes('\u0085') ? foldNextLines(value) : value;
    const requested = requestedStringStyle(text);
    if (requested === 'plain' && SAFE_PLAIN.test(text)) return { text, requested, token: text, width: text.length, foldable: false };
    const cps = codePoints(text);
    const style = selectStyle(requested, analyzeScalar(cps), cps.length === 0, false);
    if (style === 'literal' || cps.some(isBreak)) return { text, requested, token: undefined, width: 0, foldable: false };
    return { text, requested, ...Emitter.unfolded(style, cps, text), foldable: cps.includes(0x20) };
  }

  private printKey(key: string): PrintedKey | null {
    if (key.includes('\u0085')) {
      // go-yaml reads the raw NEL that Go's JSON leaves in the key as a line break, which a key cannot hold.
      throw new InputError('kustomize cannot print a mapping key containing U+0085 (NEXT LINE)', { path: this.where() });
    }
    // A UTF-16 unit is at most 3 UTF-8 bytes, so short keys without line breaks are simple keys.
    if (LINE_BREAK.test(key) || (key.length * 3 > MAX_SIMPLE_KEY_BYTES && utf8Length(key) > MAX_SIMPLE_KEY_BYTES)) return null;
    if (REJECTED_BY_GO_YAML.test(key)) {
      throw new InputError('kustomize cannot print a string with a DEL or C1 control character', { path: this.where() });
    }
    const requested = requestedStringStyle(key);
    if (requested === 'plain' && SAFE_PLAIN.test(key)) return { text: `${key}:`, width: key.length + 1 };
    const cps = codePoints(key);
    const { token, width } = Emitter.unfolded(selectStyle(requested, analyzeScalar(cps), cps.length === 0, true), cps, key);
    return { text: `${token}:`, width: width + 1 };
  }

  private blockSequence(items: JsonValue[], mapping: boolean): void {
    this.increaseIndent(false, mapping && !this.indention);
    for (let i = 0; i < items.length; i++) {
      this.writeIndent();
      this.writeIndicator('-', true, false, true);
      this.path.push(i);
      this.node(items[i], false);
      this.path.pop();
    }
    this.popIndent();
  }

  private blockMapping(values: readonly JsonValue[], order: KeyOrder): void {
    this.increaseIndent(false, false);
    const { keys, positions } = order;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      this.path.push(key);
      this.writeIndent();
      let printed = order.printed[i];
      if (printed === undefined) printed = order.printed[i] = printedKeys.get(key) ?? printedKeys.remember(key, this.printKey(key));
      if (printed !== null) {
        // After the indentation: no space before the key, none between it and the colon.
        this.parts.push(printed.text);
        this.column += printed.width;
        this.whitespace = false;
        this.indention = false;
      } else {
        this.writeIndicator('?', true, false, true);
        this.node(key, true);
        this.writeIndent();
        this.writeIndicator(':', true, false, true);
      }
      this.node(values[positions[i]], true);
      this.path.pop();
    }
    this.popIndent();
  }

  /** A value scalar that may fold or is a literal block: simple keys never get here (printKey). */
  private scalar(value: string, requested: Style): void {
    const cps = codePoints(value);
    const style = selectStyle(requested, analyzeScalar(cps), cps.length === 0, false);
    this.increaseIndent(true, false);
    switch (style) {
      case 'plain':
        this.writePlain(value, cps, true);
        break;
      case 'single':
        this.writeSingleQuoted(cps, true);
        break;
      case 'double':
        this.writeDoubleQuoted(cps, true);
        break;
      case 'literal':
        this.writeLiteral(cps);
        break;
    }
    this.popIndent();
  }

  private writePlain(value: string, cps: number[], allowBreaks: boolean): void {
    if (cps.length > 0 && !this.whitespace) {
      this.parts.push(' ');
      this.column++;
    }
    // A space can only start a new line once the column passed BEST_WIDTH; if the whole value ends before
    // that, write it in one go.
    if (!allowBreaks || this.column + cps.length <= BEST_WIDTH + 1) {
      this.parts.push(value);
      this.column += cps.length;
    } else {
      let spaces = false;
      let run = '';
      for (let i = 0; i < cps.length; i++) {
        const c = cps[i];
        if (c === 0x20) {
          if (!spaces && this.column > BEST_WIDTH && cps[i + 1] !== 0x20) {
            this.parts.push(run);
            run = '';
            this.writeIndent();
          } else {
            run += ' ';
            this.column++;
          }
          spaces = true;
        } else {
          run += String.fromCodePoint(c);
          this.column++;
          this.indention = false;
          spaces = false;
        }
      }
      this.parts.push(run);
    }
    if (cps.length > 0) this.whitespace = false;
    this.indention = false;
  }

  private writeSingleQuoted(cps: number[], allowBreaks: boolean): void {
    this.writeIndicator("'", true, false, false);
    let spaces = false, breaks = false;
    for (let i = 0; i < cps.length; i++) {
      const c = cps[i];
      if (c === 0x20) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < cps.length - 1 && cps[i + 1] !== 0x20) {
          this.writeIndent();
        } else {
          this.parts.push(' ');
          this.column++;
        }
        spaces = true;
      } else if (isBreak(c)) {
        if (!breaks && c === 0x0a) this.putBreak();
        this.writeBreak(c);
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        if (c === 0x27) {
          this.parts.push("'");
          this.column++;
        }
        this.parts.push(String.fromCodePoint(c));
        this.column++;
        this.indention = false;
        spaces = false;
        breaks = false;
      }
    }
    this.writeIndicator("'", false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeDoubleQuoted(cps: number[], allowBreaks: boolean): void {
    this.writeIndicator('"', true, false, false);
    let spaces = false;
    for (let i = 0; i < cps.length; i++) {
      const c = cps[i];
      if (!isPrintable(c) || c === 0xfeff || isBreak(c) || c === 0x22 || c === 0x5c) {
        const esc = escapeFor(c);
        this.parts.push(esc);
        this.column += esc.length;
        spaces = false;
      } else if (c === 0x20) {
        if (allowBreaks && !spaces && this.column > BEST_WIDTH && i > 0 && i < cps.length - 1) {
          this.writeIndent();
          if (cps[i + 1] === 0x20) {
            this.parts.push('\\');
            this.column++;
          }
        } else {
          this.parts.push(' ');
          this.column++;
        }
        spaces = true;
      } else {
        this.parts.push(String.fromCodePoint(c));
        this.column++;
        spaces = false;
      }
    }
    this.writeIndicator('"', false, false, false);
    this.whitespace = false;
    this.indention = false;
  }

  private writeLiteral(cps: number[]): void {
    this.writeIndicator('|', true, false, false);
    // Block scalar hints: an indentation indicator when the text starts with a space or a break, and the
    // chomping indicator that makes the trailing line breaks read back exactly.
    if (cps.length > 0 && (cps[0] === 0x20 || isBreak(cps[0]))) this.writeIndicator(String(BEST_INDENT), false, false, false);
    let chomp = '';
    const last = cps.length - 1;
    if (cps.length === 0 || !isBreak(cps[last])) chomp = '-';
    else if (last === 0 || isBreak(cps[last - 1])) chomp = '+';
    if (chomp) this.writeIndicator(chomp, false, false, false);
    // go-yaml v2 ends the indicator line here, so a leading line break in the text shows as an empty line.
    this.putBreak();
    this.whitespace = true;
    let breaks = true;
    let line = '';
    for (let i = 0; i < cps.length; i++) {
      const c = cps[i];
      if (isBreak(c)) {
        this.parts.push(line);
        line = '';
        this.writeBreak(c);
        breaks = true;
      } else {
        if (breaks) this.writeIndent();
        line += String.fromCodePoint(c);
        this.column++;
        this.indention = false;
        breaks = false;
      }
    }
    this.parts.push(line);
  }
}

/** One resource (or any JSON value) as kustomize prints it, ending in a newline. */
export function emitYaml(value: JsonValue): string {
  const e = new Emitter();
  e.document(value);
  return e.result();
}

/** Prints one resource; an error names the resource, since the printer only knows field paths. */
export function emitResource(obj: JsonObject): string {
  try {
    return emitYaml(obj);
  } catch (e) {
    // The resource's name is worked out only on failure: printing is hot, failing is rare.
    if (isKforgeError(e)) throw e.within(describeId(resIdOf(obj)));
    throw e;
  }
}

/** Resources as `kustomize build` prints them: documents joined by `---`. */

export function emitDocuments(objects: readonly JsonObject[]): string {
  return objects.map(emitResource).join('---\n');
}
