// go-yaml's resolution of plain scalars, shared by the js-yaml schema and the simple reader: what a plain
// scalar is (a string, or a PlainScalar holding a number, boolean, null or timestamp) under go-yaml v3 as
// kustomize reads resources, or under go-yaml v2 as it reads kustomization files.
import type { JsonValue } from '../resource.js';
import { goUnderscoresOk, parseGoInteger, parseGoTimestamp, type GoTimestamp } from '../emit/yaml.js';

/**
 * How plain scalars resolve. 'resource': as kustomize reads resources and patches (go-yaml v3 through kyaml,
 * annotations as text). 'kustomization': as it reads kustomization files (sigs.k8s.io/yaml, go-yaml v2: `yes`,
 * `on`, `y` are booleans, timestamps stay text), so a loader can reject `namePrefix: yes` as kustomize does.
 */
export type Resolution = 'resource' | 'kustomization';

/**
 * A plain (or explicitly tagged) scalar that go-yaml v3 does not read as a string. Keeps its source text:
 * kustomize rewrites `metadata.annotations` as strings of that text, and mapping keys use it too.
 */
export class PlainScalar {
  /**
   * 0-based line inside the document, set when js-yaml closes the node (for error messages; the simple reader
   * leaves the scalars whose errors need it to js-yaml).
   */
  line: number | undefined;
  constructor(
    readonly raw: string,
    readonly value: JsonValue,
  ) {}
  // js-yaml turns mapping keys into strings with String(); the marker lets us tell them from quoted keys.
  get [Symbol.toStringTag](): string {
    return 'PlainScalar';
  }
  toString(): string {
    return `${NON_STRING_KEY}${this.line ?? 0}:${this.raw}`;
  }
}
export const NON_STRING_KEY = '\u0000kforge-key:';

// --- go-yaml v3's resolver for plain scalars ---------------------------------------------------------------

export const V3_MAP = new Map<string, JsonValue>([
  ['true', true], ['True', true], ['TRUE', true], ['false', false], ['False', false], ['FALSE', false],
  ['~', null], ['null', null], ['Null', null], ['NULL', null],
  ['.nan', NaN], ['.NaN', NaN], ['.NAN', NaN],
  ['.inf', Infinity], ['.Inf', Infinity], ['.INF', Infinity], ['+.inf', Infinity], ['+.Inf', Infinity], ['+.INF', Infinity],
  ['-.inf', -Infinity], ['-.Inf', -Infinity], ['-.INF', -Infinity],
]);
const YAML_STYLE_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;
/** RFC 3339 with nanoseconds, as Go's time.Time marshals to JSON. */
function formatGoTime(t: GoTimestamp): string {
  const p2 = (n: number) => String(n).padStart(2, '0');
  const frac = t.fraction.slice(0, 9).replace(/0+$/, '');
  const zone = !t.offset || t.offset === 'Z' || /^[+-]00:00$/.test(t.offset) ? 'Z' : t.offset;
  return `${String(t.year).padStart(4, '0')}-${p2(t.month)}-${p2(t.day)}T${p2(t.hour)}:${p2(t.minute)}:${p2(t.second)}${frac ? `.${frac}` : ''}${zone}`;
}

/** YAML 1.1 booleans that go-yaml v2 (sigs.k8s.io/yaml, which reads kustomization files) adds to v3's. */
const V2_ONLY_BOOLS = new Map<string, boolean>([
  ['y', true], ['Y', true], ['yes', true], ['Yes', true], ['YES', true], ['on', true], ['On', true], ['ON', true],
  ['n', false], ['N', false], ['no', false], ['No', false], ['NO', false], ['off', false], ['Off', false], ['OFF', false],
]);

/**
 * The ASCII characters a plain scalar that is not a string can start with: bit 1 for go-yaml v3 (true/false/null
 * words, `~`, `.nan`/`.inf`, numbers, timestamps), bit 2 for the booleans go-yaml v2 adds. Most plain scalars
 * are words that start elsewhere and are strings without a look at the maps or the regexes.
 */
const NON_STRING_START = new Uint8Array(128);
for (const c of '0123456789+-.') NON_STRING_START[c.charCodeAt(0)] |= 1;
for (const k of V3_MAP.keys()) NON_STRING_START[k.charCodeAt(0)] |= 1;
for (const k of V2_ONLY_BOOLS.keys()) NON_STRING_START[k.charCodeAt(0)] |= 2;

/** What go-yaml makes of a plain scalar; undefined when it is a string. */
export function resolvePlain(s: string, inFlow: () => boolean, mode: Resolution = 'resource'): PlainScalar | undefined {
  const c = s.charCodeAt(0);
  if (!(c < 128 && (NON_STRING_START[c] & (mode === 'kustomization' ? 3 : 1)) !== 0)) return undefined;
  const word = V3_MAP.get(s);
  if (word !== undefined) return new PlainScalar(s, word);
  if (mode === 'kustomization' && V2_ONLY_BOOLS.has(s)) return new PlainScalar(s, V2_ONLY_BOOLS.get(s)!);
  if (c === 0x2e /* . */) {
    if (goUnderscoresOk(s) && YAML_STYLE_FLOAT.test(s.replace(/_/g, ''))) {
      const f = Number(s.replace(/_/g, ''));
      if (Number.isFinite(f)) return new PlainScalar(s, f);
    }
    return undefined;
  }
  if (!(c === 0x2b || c === 0x2d || (c >= 0x30 && c <= 0x39))) return undefined;
  // Most numbers in manifests are small decimal integers: what ParseInt gives without a regex or a BigInt
  // (digits only, so never a timestamp).
  if (isSmallDecimal(s)) return new PlainScalar(s, Number(s));
  // Quantities and versions (`10m`, `32Mi`, `1.2.3-rc`) hold a character no number or timestamp has.
  if (!onlyNumericChars(s)) return undefined;
  const t = parseGoTimestamp(s);
  // go-yaml v2 hands timestamps to interface{} values as their text.
  if (t && mode === 'kustomization') return undefined;
  if (t) {
    // kustomize re-serialises each resource before decoding it; a timestamp holding ':' inside a flow
    // collection comes back double-quoted, so it stays the text it was.
    if (!t.dateOnly && inFlow()) return new PlainScalar(s, s);
    return new PlainScalar(s, formatGoTime(t));
  }
  const plain = s.includes('_') ? s.replace(/_/g, '') : s;
  const int = parseGoInteger(plain);
  // Beyond 2^53 a JavaScript number is not exact: a documented gap, such integers are rare in manifests.
  if (int !== undefined) return new PlainScalar(s, Number(int));
  if (YAML_STYLE_FLOAT.test(plain)) {
    const f = Number(plain);
    // ParseFloat fails on overflow, and go-yaml then keeps the text as a string.
    if (Number.isFinite(f)) return new PlainScalar(s, f);
  }
  return undefined;
}

/**
 * Every character a number or timestamp that go-yaml reads can hold (the union of what parseGoTimestamp,
 * parseGoInteger and YAML_STYLE_FLOAT accept, with underscores): digits, hex digits (with b and e), base
 * prefixes x and o, signs, `_`, `.`, `,`, `:`, the date-time separators T, t and space, and the zone Z.
 */
const NUMERIC_CHAR = new Uint8Array(128);
for (const c of '0123456789abcdefABCDEFxXoOtTZ_.,:+- ') NUMERIC_CHAR[c.charCodeAt(0)] = 1;

function onlyNumericChars(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 128 || NUMERIC_CHAR[c] === 0) return false;
  }
  return true;
}

/** `0`, or up to 15 digits not starting with 0 (a leading 0 is octal): exact as a double. */
function isSmallDecimal(s: string): boolean {
  const n = s.length;
  if (n > 15) return false;
  const first = s.charCodeAt(0);
  if (first === 0x30 /* 0 */) return n === 1;
  if (first < 0x31 || first > 0x39) return false;
  for (let i = 1; i < n; i++) {
    const d = s.charCodeAt(i);
    if (d < 0x30 || d > 0x39) return false;
  }
  return true;
}
