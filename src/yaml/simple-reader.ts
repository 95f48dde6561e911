// A reader for the plain YAML most manifests are written in: block mappings and sequences indented with
// spaces, one-line plain and quoted scalars, literal block scalars, one-line flow collections, comments. It is
// several times faster than js-yaml, and it gives exactly what js-yaml gives with parse.ts's schema (the same
// objects, scalars resolved by the same function, the same flow-style mappings recorded) or nothing at all: as
// soon as the text leaves that subset it gives up, and js-yaml reads the document. Anchors, aliases, tags, merge
// keys, folded block scalars, multi-line scalars and flow collections, tabs, unusual indentation, non-string
// keys, values JSON cannot hold, and every error (with its message and line) are therefore js-yaml's business,
// as before; so are its quirks, where the reader gives up rather than read the text otherwise.
// test/yaml/simple-reader.test.ts holds the two readers to the same answers.
import { PlainScalar, resolvePlain, type Resolution } from './scalars.js';

/** Thrown inside the reader when the text leaves the subset; readSimpleYaml turns it into undefined. */
const GIVE_UP = new Error('not simple YAML');

function giveUp(): never {
  throw GIVE_UP;
}

/**
 * Characters the reader accepts anywhere: line feeds, printable ASCII, and printable non-ASCII (no C1 controls,
 * no BOM, no U+FFFE/U+FFFF, no lone surrogates). Tabs and carriage returns are left to js-yaml, whose rules
 * for them are subtle; the rest is what js-yaml would refuse as non-printable.
 */
const OUTSIDE_SUBSET = /[^\n\x20-\x7e\u00a0-\ud7ff\ue000-\ufefe\uff00-\ufffd\u{10000}-\u{10ffff}]/u;

/** Nesting beyond this is rare enough to leave to js-yaml, which enforces the real limit. */
const MAX_NESTING = 100;

/** js-yaml's escapes of one character in a double-quoted scalar; \x, \u, \U and line continuations are left to it. */
const SIMPLE_ESCAPES: Record<string, string> = {
  '0': '\x00', a: '\x07', b: '\x08', t: '\x09', n: '\x0a', v: '\x0b', f: '\x0c', r: '\x0d', e: '\x1b', ' ': ' ',
  '"': '"', '/': '/', '\\': '\\', N: '\x85', _: '\xa0', L: '\u2028', P: '\u2029',
};

const SPACE = 0x20;
const LF = 0x0a;
const HASH = 0x23;
const COLON = 0x3a;
const DASH = 0x2d;

const isFlowIndicator = (c: number) => c === 0x2c /* , */ || c === 0x5b /* [ */ || c === 0x5d /* ] */ || c === 0x7b /* { */ || c === 0x7d; /* } */

/** Characters that cannot start a plain scalar (js-yaml's readPlainScalar), besides white space and flow indicators. */
const NOT_PLAIN_START = new Set([...'#&*!|>\'"%@`'].map((c) => c.charCodeAt(0)));

const inFlowTrue = () => true;
const inFlowFalse = () => false;

/**
 * The value js-yaml would load from `text` (one document, no BOM, line feeds only), or undefined when the text
 * is not in the subset. `flowMappings` receives the mappings written in flow style, as parse.ts's listener
 * records them (resources only).
 */
export function readSimpleYaml(text: string, mode: Resolution, flowMappings: WeakSet<object> | undefined): unknown {
  if (OUTSIDE_SUBSET.test(text)) return undefined;
  // js-yaml reads a missing last line feed as there; so does the reader, and every line ends with one.
  const reader = new SimpleReader(text.endsWith('\n') ? text : `${text}\n`, mode, flowMappings);
  try {
    // The document is a block mapping or sequence starting at column 0; anything else (empty included) is js-yaml's.
    if (reader.nextLine() !== 0) return undefined;
    const value = reader.blockNode(0);
    return reader.nextLine() === -1 ? value : undefined;
  } catch (e) {
    if (e === GIVE_UP) return undefined;
    throw e;
  }
}

class SimpleReader {
  /** Between block nodes: the start of a line. */
  private pos = 0;
  /** Inside a line: just after what was read last. */
  private i = 0;
  private depth = 0;

  constructor(
    private readonly text: string,
    private readonly mode: Resolution,
    private readonly flowMappings: WeakSet<object> | undefined,
  ) {}

  /**
   * Moves to the next line with content (past blank and comment lines) and returns its indentation, or -1 at
   * the end. A document marker (`---`, `...`) at a line start gives up: go-yaml and js-yaml read those as such.
   */
  nextLine(): number {
    const t = this.text;
    for (;;) {
      const start = this.pos;
      if (start >= t.length) return -1;
      let i = start;
      while (t.charCodeAt(i) === SPACE) i++;
      const c = t.charCodeAt(i);
      if (c === LF) {
        this.pos = i + 1;
      } else if (c === HASH) {
        this.pos = t.indexOf('\n', i) + 1;
      } else {
        if (i === start && (t.startsWith('---', i) || t.startsWith('...', i))) giveUp();
        return i - start;
      }
    }
  }

  /** The block mapping or sequence whose first line is the current one, indented by `indent`. */
  blockNode(indent: number): unknown {
    if (++this.depth > MAX_NESTING) giveUp();
    const at = this.pos + indent;
    const node = this.isSequenceEntry(at) ? this.sequence(indent) : this.mapping(indent, at);
    this.depth--;
    return node;
  }

  private isSequenceEntry(at: number): boolean {
    const next = this.text.charCodeAt(at + 1);
    return this.text.charCodeAt(at) === DASH && (next === SPACE || next === LF);
  }

  /** A block mapping whose keys stand at column `indent`; the first one at `keyAt` (in a sequence entry, mid-line). */
  private mapping(indent: number, keyAt: number): Record<string, unknown> {
    const map: Record<string, unknown> = {};
    let at = keyAt;
    for (;;) {
      const key = this.key(at);
      // A duplicate is js-yaml's error to report.
      if (Object.prototype.hasOwnProperty.call(map, key)) giveUp();
      map[key] = this.mappingValue(indent);
      const next = this.nextLine();
      if (next < indent) return map;
      // Deeper: a plain scalar going on over lines, or an error. A `- ` here: an error.
      if (next > indent) giveUp();
      at = this.pos + indent;
      if (this.isSequenceEntry(at)) giveUp();
    }
  }

  /** A block mapping key ending in `: ` or `:` at the end of the line; leaves `i` after the colon. */
  private key(at: number): string {
    const t = this.text;
    const c = t.charCodeAt(at);
    let key: string;
    if (c === 0x22 /* " */ || c === 0x27 /* ' */) {
      key = c === 0x22 ? this.doubleQuoted(at) : this.singleQuoted(at);
      if (t.charCodeAt(this.i) !== COLON) giveUp();
    } else {
      const end = this.plainEnd(at, false);
      if (t.charCodeAt(end) !== COLON) giveUp();
      key = t.slice(at, end);
      // (`a : b`, with the space kept out of the key, is left to js-yaml)
      if (key.length === 0 || key.charCodeAt(key.length - 1) === SPACE) giveUp();
      // A key go-yaml does not read as a string (`1: x`, `true: x`) and a merge key are js-yaml's.
      if (key === '<<' || resolvePlain(key, inFlowFalse, this.mode) !== undefined) giveUp();
      this.i = end;
    }
    const next = t.charCodeAt(this.i + 1);
    if (next !== SPACE && next !== LF) giveUp();
    // js-yaml defines `__proto__` as an own property; parse.ts then copies it in its own way. Left to js-yaml.
    if (key === '__proto__' || key.length > 1024) giveUp();
    this.i++;
    return key;
  }

  /** The value after a block mapping key's colon (at `i`): on the same line, or on the lines below. */
  private mappingValue(indent: number): unknown {
    const inline = this.afterIndicator(this.i);
    if (inline >= 0) return this.lineValue(inline, indent);
    const next = this.nextLine();
    if (next > indent) return this.blockNode(next);
    // go-yaml and js-yaml allow a sequence at the same indentation as its key.
    if (next === indent && this.isSequenceEntry(this.pos + indent)) {
      if (++this.depth > MAX_NESTING) giveUp();
      const seq = this.sequence(indent);
      this.depth--;
      return seq;
    }
    return null;
  }

  /**
   * After `:` or `-` at `at - 1`: the position of the value on this line, or -1 when the line ends there (also
   * with a comment), having moved `pos` to the next line.
   */
  private afterIndicator(at: number): number {
    const t = this.text;
    let i = at;
    while (t.charCodeAt(i) === SPACE) i++;
    const c = t.charCodeAt(i);
    if (c === LF || (c === HASH && t.charCodeAt(i - 1) === SPACE)) {
      this.pos = t.indexOf('\n', i) + 1;
      return -1;
    }
    return i;
  }

  /** A block sequence whose entries' dashes stand at column `indent`. */
  private sequence(indent: number): unknown[] {
    const seq: unknown[] = [];
    for (;;) {
      const at = this.afterIndicator(this.pos + indent + 1);
      if (at < 0) {
        const next = this.nextLine();
        // js-yaml takes a `- ` line below an empty entry as this sequence's next entry even when it is less
        // indented (it belongs to an outer sequence); go-yaml does not. Keep js-yaml's reading by leaving it.
        if (next >= 0 && next < indent && this.isSequenceEntry(this.pos + next)) giveUp();
        seq.push(next > indent ? this.blockNode(next) : null);
      } else if (this.isSequenceEntry(at)) {
        giveUp(); // `- - a`
      } else if (this.startsKey(at)) {
        if (++this.depth > MAX_NESTING) giveUp();
        seq.push(this.mapping(at - this.pos, at));
        this.depth--;
      } else {
        seq.push(this.lineValue(at, indent));
      }
      const next = this.nextLine();
      if (next < indent) return seq;
      if (next > indent) giveUp();
      // A key at the sequence's indentation: the sequence was the value of the key above it.
      if (!this.isSequenceEntry(this.pos + indent)) return seq;
    }
  }

  /** Whether a sequence entry's content at `at` is the first key of a mapping (`- name: x`). */
  private startsKey(at: number): boolean {
    const t = this.text;
    const c = t.charCodeAt(at);
    let end: number;
    if (c === 0x22 /* " */ || c === 0x27 /* ' */) {
      end = c === 0x22 ? (this.doubleQuoted(at), this.i) : (this.singleQuoted(at), this.i);
    } else if (isFlowIndicator(c) || NOT_PLAIN_START.has(c)) {
      return false;
    } else {
      end = this.plainEnd(at, false);
    }
    if (t.charCodeAt(end) !== COLON) return false;
    const next = t.charCodeAt(end + 1);
    return next === SPACE || next === LF;
  }

  /**
   * A value that starts at `at` and must end its line (a comment may follow), or a literal block scalar;
   * moves `pos` to the next line. `indent`: that of the mapping or sequence holding the value.
   */
  private lineValue(at: number, indent: number): unknown {
    const t = this.text;
    if (t.charCodeAt(at) === 0x7c /* | */) return this.literalBlock(at, indent);
    const value = this.inlineValue(at, false);
    let i = this.i;
    while (t.charCodeAt(i) === SPACE) i++;
    const c = t.charCodeAt(i);
    if (c !== LF) {
      // Only a comment may follow, after a space; anything else (`a: b: c`, `"x" y`) is js-yaml's to judge.
      if (c !== HASH || t.charCodeAt(i - 1) !== SPACE) giveUp();
      i = t.indexOf('\n', i);
    }
    this.pos = i + 1;
    return value;
  }

  /**
   * A literal block scalar (`|`, `|-`, `|+`) whose header is at `at`, as js-yaml's readBlockScalar reads it; its
   * lines must be more indented than `indent`. Folded scalars, indentation indicators, blank lines before the
   * first line of text and empty scalars are left to js-yaml. Leaves `pos` at the first line after it.
   */
  private literalBlock(at: number, indent: number): string {
    const t = this.text;
    let i = at + 1;
    const chomp = t.charCodeAt(i);
    if (chomp === 0x2d /* - */ || chomp === 0x2b /* + */) i++;
    // Only a comment may follow the header, after a space.
    if (this.afterIndicator(i) >= 0) giveUp();
    let lineStart = this.pos;
    let textIndent = 0;
    while (t.charCodeAt(lineStart + textIndent) === SPACE) textIndent++;
    if (textIndent <= indent || t.charCodeAt(lineStart + textIndent) === LF) giveUp();
    let out = '';
    let emptyLines = 0;
    let readText = false;
    while (lineStart < t.length) {
      let i = lineStart;
      const indentEnd = lineStart + textIndent;
      while (i < indentEnd && t.charCodeAt(i) === SPACE) i++;
      const eol = t.indexOf('\n', i);
      if (i < indentEnd) {
        // Less indented: an empty line of the scalar, or the end of it.
        if (eol !== i) break;
        emptyLines++;
      } else if (eol === i) {
        emptyLines++;
      } else {
        out += (readText ? '\n'.repeat(1 + emptyLines) : '\n'.repeat(emptyLines)) + t.slice(i, eol);
        readText = true;
        emptyLines = 0;
      }
      lineStart = eol + 1;
    }
    // Chomping: `|+` keeps the line breaks at the end, `|` keeps one, `|-` none.
    if (chomp === 0x2b /* + */) out += '\n'.repeat(1 + emptyLines);
    else if (chomp !== 0x2d /* - */) out += '\n';
    this.pos = lineStart;
    return out;
  }

  /** A scalar or flow collection at `at`, on one line; leaves `i` after it. */
  private inlineValue(at: number, inFlow: boolean): unknown {
    const t = this.text;
    const c = t.charCodeAt(at);
    if (c === 0x22 /* " */) return this.doubleQuoted(at);
    if (c === 0x27 /* ' */) return this.singleQuoted(at);
    if (c === 0x5b /* [ */) return this.flowSequence(at);
    if (c === 0x7b /* { */) return this.flowMapping(at);
    const end = this.plainEnd(at, inFlow);
    let textEnd = end;
    while (t.charCodeAt(textEnd - 1) === SPACE) textEnd--;
    if (textEnd === at) giveUp();
    this.i = end;
    return this.plainValue(t.slice(at, textEnd), inFlow);
  }

  /** A plain scalar's value: its text, or what go-yaml reads it as. */
  private plainValue(text: string, inFlow: boolean): unknown {
    const resolved = resolvePlain(text, inFlow ? inFlowTrue : inFlowFalse, this.mode);
    if (resolved === undefined) return text;
    // .inf and .nan fail later with the scalar's line, which js-yaml keeps track of.
    if (typeof resolved.value === 'number' && !Number.isFinite(resolved.value)) giveUp();
    return resolved;
  }

  /**
   * Where the plain scalar starting at `at` stops on its line (js-yaml's readPlainScalar): at `: ` (or `:` before
   * a line end, or before a flow indicator in a flow collection), at ` #`, at a flow indicator in a flow
   * collection, or at the line end. Gives up when no plain scalar can start there.
   */
  private plainEnd(at: number, inFlow: boolean): number {
    const t = this.text;
    const c = t.charCodeAt(at);
    if (c === SPACE || c === LF || isFlowIndicator(c) || NOT_PLAIN_START.has(c)) giveUp();
    if (c === 0x3f /* ? */ || c === DASH || c === COLON) {
      const next = t.charCodeAt(at + 1);
      if (next === SPACE || next === LF || (inFlow && isFlowIndicator(next))) giveUp();
    }
    let i = at;
    for (;;) {
      const ch = t.charCodeAt(i);
      if (ch === LF) return i;
      if (ch === COLON) {
        const next = t.charCodeAt(i + 1);
        if (next === SPACE || next === LF || (inFlow && isFlowIndicator(next))) return i;
      } else if (ch === HASH) {
        if (t.charCodeAt(i - 1) === SPACE) return i;
      } else if (inFlow && isFlowIndicator(ch)) {
        return i;
      }
      i++;
    }
  }

  /** A one-line double-quoted scalar at `at`; leaves `i` after the closing quote. */
  private doubleQuoted(at: number): string {
    const t = this.text;
    let out = '';
    let from = at + 1;
    for (let i = from; ; i++) {
      const c = t.charCodeAt(i);
      if (c === 0x22 /* " */) {
        this.i = i + 1;
        return out + t.slice(from, i);
      }
      if (c === 0x5c /* \ */) {
        const escaped = SIMPLE_ESCAPES[t[i + 1]];
        if (escaped === undefined) giveUp();
        out += t.slice(from, i) + escaped;
        i++;
        from = i + 1;
      } else if (c === LF) {
        giveUp();
      }
    }
  }

  /** A one-line single-quoted scalar at `at`; leaves `i` after the closing quote. */
  private singleQuoted(at: number): string {
    const t = this.text;
    let out = '';
    let from = at + 1;
    for (let i = from; ; i++) {
      const c = t.charCodeAt(i);
      if (c === 0x27 /* ' */) {
        if (t.charCodeAt(i + 1) !== 0x27) {
          this.i = i + 1;
          return out + t.slice(from, i);
        }
        out += t.slice(from, i + 1);
        i++;
        from = i + 1;
      } else if (c === LF) {
        giveUp();
      }
    }
  }

  private skipSpaces(i: number): number {
    while (this.text.charCodeAt(i) === SPACE) i++;
    return i;
  }

  /** A one-line `[a, b]` at `at`; leaves `i` after the `]`. */
  private flowSequence(at: number): unknown[] {
    if (++this.depth > MAX_NESTING) giveUp();
    const t = this.text;
    const seq: unknown[] = [];
    let i = this.skipSpaces(at + 1);
    if (t.charCodeAt(i) !== 0x5d /* ] */) {
      for (;;) {
        seq.push(this.flowValue(i));
        i = this.skipSpaces(this.i);
        const c = t.charCodeAt(i);
        if (c === 0x5d /* ] */) break;
        // A pair (`[a: b]`), a line end, a trailing comma: js-yaml's.
        if (c !== 0x2c /* , */) giveUp();
        i = this.skipSpaces(i + 1);
        if (t.charCodeAt(i) === 0x5d /* ] */) giveUp();
      }
    }
    this.i = i + 1;
    this.depth--;
    return seq;
  }

  /** A one-line `{a: b, c}` at `at`; leaves `i` after the `}`. */
  private flowMapping(at: number): Record<string, unknown> {
    if (++this.depth > MAX_NESTING) giveUp();
    const t = this.text;
    const map: Record<string, unknown> = {};
    this.flowMappings?.add(map);
    let i = this.skipSpaces(at + 1);
    if (t.charCodeAt(i) !== 0x7d /* } */) {
      for (;;) {
        const key = this.flowKey(i);
        i = this.i;
        let value: unknown = null;
        if (t.charCodeAt(i) === COLON) {
          const next = t.charCodeAt(i + 1);
          if (next === SPACE) {
            i = this.skipSpaces(i + 1);
            const c = t.charCodeAt(i);
            if (c !== 0x2c /* , */ && c !== 0x7d /* } */) {
              value = this.flowValue(i);
              i = this.skipSpaces(this.i);
            }
          } else if (next === 0x2c /* , */ || next === 0x7d /* } */) {
            i++;
          } else {
            giveUp(); // `{"a":b}`
          }
        }
        if (Object.prototype.hasOwnProperty.call(map, key)) giveUp();
        map[key] = value;
        const c = t.charCodeAt(i);
        if (c === 0x7d /* } */) break;
        if (c !== 0x2c /* , */) giveUp();
        i = this.skipSpaces(i + 1);
        if (t.charCodeAt(i) === 0x7d /* } */) giveUp();
      }
    }
    this.i = i + 1;
    this.depth--;
    return map;
  }

  /** A flow mapping key at `at`; leaves `i` right after it (spaces before a `:` give up). */
  private flowKey(at: number): string {
    const t = this.text;
    const c = t.charCodeAt(at);
    let key: string;
    if (c === 0x22 /* " */ || c === 0x27 /* ' */) {
      key = c === 0x22 ? this.doubleQuoted(at) : this.singleQuoted(at);
    } else {
      const end = this.plainEnd(at, true);
      key = t.slice(at, end);
      if (key.length === 0 || key.charCodeAt(key.length - 1) === SPACE) giveUp();
      if (key === '<<' || resolvePlain(key, inFlowTrue, this.mode) !== undefined) giveUp();
      this.i = end;
    }
    if (key === '__proto__' || key.length > 1024) giveUp();
    return key;
  }

  /** An entry of a flow collection: a nested one or a scalar. */
  private flowValue(at: number): unknown {
    const c = this.text.charCodeAt(at);
    if (c === 0x2c /* , */ || c === 0x5d /* ] */ || c === 0x7d /* } */) giveUp();
    return this.inlineValue(at, true);
  }
}
