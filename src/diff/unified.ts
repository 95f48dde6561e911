// A line diff (Myers' O(ND) algorithm) printed as a unified diff with context, like `diff -u`.

type Op = { op: ' ' | '-' | '+'; line: string };

/** Above this many differences the middle is shown as a plain replacement: readable, and bounded in memory. */
const MAX_EDIT_DISTANCE = 2000;

function myers(a: readonly string[], b: readonly string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = Math.min(n + m, MAX_EDIT_DISTANCE);
  const offset = max + 1;
  let v = new Int32Array(2 * max + 3);
  // trace[d] keeps only diagonals -d-1..d+1 of the state before step d: O(D^2) memory, not O(D * (n + m)).
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= max && found < 0; d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    const next = v.slice();
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && v[offset + k - 1] < v[offset + k + 1]) ? v[offset + k + 1] : v[offset + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) { x++; y++; }
      next[offset + k] = x;
      if (x >= n && y >= m) { found = d; break; }
    }
    v = next;
  }
  if (found < 0) return [...a.map((line) => ({ op: '-' as const, line })), ...b.map((line) => ({ op: '+' as const, line }))];
  // Walk the trace back from (n, m) to (0, 0), collecting the edit script in reverse.
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = found; d > 0; d--) {
    const vd = trace[d];
    const at = (k: number) => vd[d + 1 + k];
    const k = x - y;
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1));
    const prevK = down ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX + (down ? 0 : 1) && y > prevY + (down ? 1 : 0)) ops.push({ op: ' ', line: a[--x] }), y--;
    if (down) ops.push({ op: '+', line: b[--y] });
    else ops.push({ op: '-', line: a[--x] });
  }
  while (x > 0 && y > 0) ops.push({ op: ' ', line: a[--x] }), y--;
  return ops.reverse();
}

/** Splits text into lines; a final newline does not make an extra empty line. */
export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function diffLines(a: readonly string[], b: readonly string[]): Op[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) { endA--; endB--; }
  return [
    ...a.slice(0, start).map((line) => ({ op: ' ' as const, line })),
    ...myers(a.slice(start, endA), b.slice(start, endB)),
    ...a.slice(endA).map((line) => ({ op: ' ' as const, line })),
  ];
}

const range = (start: number, count: number) => (count === 1 ? `${start}` : `${count === 0 ? start - 1 : start},${count}`);

/** The hunks of a unified diff (no file headers); '' when the texts are equal. */
export function unifiedHunks(aText: string, bText: string, context = 3): string {
  const ops = diffLines(splitLines(aText), splitLines(bText));
  const changed = ops.map((o, i) => (o.op === ' ' ? -1 : i)).filter((i) => i >= 0);
  if (changed.length === 0) return '';
  // Group changes whose context windows touch into one hunk.
  const groups: [number, number][] = [];
  for (const i of changed) {
    const last = groups[groups.length - 1];
    if (last && i - last[1] <= 2 * context) last[1] = i;
    else groups.push([i, i]);
  }
  // Line numbers before each op, for the hunk headers.
  const posA: number[] = [];
  const posB: number[] = [];
  let la = 1;
  let lb = 1;
  for (const o of ops) {
    posA.push(la);
    posB.push(lb);
    if (o.op !== '+') la++;
    if (o.op !== '-') lb++;
  }
  const out: string[] = [];
  for (const [first, last] of groups) {
    const from = Math.max(0, first - context);
    const to = Math.min(ops.length - 1, last + context);
    const slice = ops.slice(from, to + 1);
    const countA = slice.filter((o) => o.op !== '+').length;
    const countB = slice.filter((o) => o.op !== '-').length;
    out.push(`@@ -${range(posA[from], countA)} +${range(posB[from], countB)} @@`);
    for (const o of slice) out.push(o.op + o.line);
  }
  return out.join('\n') + '\n';
}
