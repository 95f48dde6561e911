// Which line of a YAML file holds the value at a field path: a light scan of block-style YAML (keys at one
// indentation per mapping, `- ` items per sequence), so a schema finding can name file:line without a second
// parser that keeps positions. Flow collections and anything the scan does not follow give the line of the
// deepest enclosing field it did find, which is still the right neighbourhood.

export type PathSegment = string | number;

interface Node {
  line: number; // 0-based line where the node's content starts
  col: number; // column of the content on that line
}

const isBlank = (s: string) => /^\s*(#.*)?$/.test(s);
const indentOf = (s: string) => s.length - s.trimStart().length;

/** The key of a block mapping entry that starts at `text` (already at the key's column), or undefined. */
function keyAt(text: string): { key: string; rest: string } | undefined {
  const m = /^(?:"((?:[^"\\]|\\.)*)"|'((?:[^']|'')*)'|([^\s#'"{[\-?:][^:#]*?|-[^\s:][^:#]*?))\s*:(?:\s+|$)(.*)$/.exec(text);
  if (!m) return undefined;
  const key = m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2] !== undefined ? m[2].replace(/''/g, "'") : m[3].trimEnd();
  return { key, rest: m[4] };
}

/** The node holding the value of the entry whose key is on `line` (value after the colon, or on the next lines). */
function valueNode(lines: readonly string[], line: number, restCol: number, keyCol: number): Node | undefined {
  const rest = lines[line].slice(restCol);
  if (!isBlank(rest) && !/^[|>]/.test(rest.trim())) return { line, col: restCol };
  for (let j = line + 1; j < lines.length; j++) {
    if (isBlank(lines[j])) continue;
    const c = indentOf(lines[j]);
    // A block sequence may sit at its key's own indentation ("indentless").
    if (c > keyCol || (c === keyCol && /^-(\s|$)/.test(lines[j].slice(c)))) return { line: j, col: c };
    return undefined;
  }
  return undefined;
}

/** Finds the child `seg` of the node at `n`: the line of its key (or `-`), and its value's node if block style. */
function child(lines: readonly string[], n: Node, seg: PathSegment): { line: number; node?: Node } | undefined {
  const first = lines[n.line].slice(n.col);
  if (typeof seg === 'number' || /^-(\s|$)/.test(first)) {
    if (!/^-(\s|$)/.test(first)) return undefined;
    const index = typeof seg === 'number' ? seg : Number(seg);
    if (!Number.isInteger(index)) return undefined;
    let count = -1;
    for (let j = n.line; j < lines.length; j++) {
      const text = j === n.line ? first : lines[j];
      if (j !== n.line && isBlank(text)) continue;
      const c = j === n.line ? n.col : indentOf(text);
      const body = j === n.line ? text : text.slice(c);
      if (c < n.col) return undefined;
      if (c > n.col) continue;
      if (!/^-(\s|$)/.test(body)) return undefined;
      if (++count === index) {
        const after = body.slice(1);
        const pad = after.length - after.trimStart().length;
        if (isBlank(after)) return { line: j, node: valueNode(lines, j, c + 1, c) };
        return { line: j, node: { line: j, col: c + 1 + pad } };
      }
    }
    return undefined;
  }
  for (let j = n.line; j < lines.length; j++) {
    const c = j === n.line ? n.col : indentOf(lines[j]);
    if (j !== n.line && isBlank(lines[j])) continue;
    if (c < n.col) return undefined;
    if (c > n.col) continue;
    const entry = keyAt(lines[j].slice(c));
    if (!entry) {
      if (j === n.line) return undefined;
      continue;
    }
    if (entry.key === seg) return { line: j, node: valueNode(lines, j, lines[j].length - entry.rest.length, c) };
  }
  return undefined;
}

/**
 * The 1-based line of the value at `path` in the YAML document that starts at 1-based line `docLine` of
 * `text`; the line of the deepest ancestor found when the scan cannot follow the path to its end.
 */
export function lineOfPath(text: string, path: readonly PathSegment[], docLine = 1): number {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let start = Math.max(0, docLine - 1);
  while (start < lines.length && (isBlank(lines[start]) || /^(---|%)/.test(lines[start]))) start++;
  if (start >= lines.length) return docLine;
  let node: Node = { line: start, col: indentOf(lines[start]) };
  let best = start;
  for (const seg of path) {
    const next = child(lines, node, seg);
    if (!next) break;
    // A key whose value is on the next lines is reported at the key's own line.
    best = next.line;
    if (!next.node) break;
    node = next.node;
  }
  return best + 1;
}

/** Splits a JSON pointer (ajv's instancePath) into segments; array indexes become numbers. */
export function pointerSegments(pointer: string): PathSegment[] {
  if (!pointer) return [];
  return pointer.slice(1).split('/').map((s) => {
    const t = s.replace(/~1/g, '/').replace(/~0/g, '~');
    return /^(0|[1-9][0-9]*)$/.test(t) ? Number(t) : t;
  });
}

/** `spec.template.spec.containers[0].image`, the way kubectl names fields. */
export function dottedPath(segs: readonly PathSegment[]): string {
  let out = '';
  for (const s of segs) out += typeof s === 'number' ? `[${s}]` : out ? `.${s}` : s;
  return out;
}
