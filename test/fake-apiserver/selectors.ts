// Label and field selectors in the syntax kubectl sends (`a=b,c!=d,e in (f,g),!h`), as the real server parses them.
import { isMap, type JsonMap } from './fields.js';

type Requirement = (labels: Record<string, string>) => boolean;

/** Splits at commas outside parentheses. */
function splitTerms(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim()) out.push(cur);
  return out.map((t) => t.trim()).filter(Boolean);
}

function parseTerm(t: string): Requirement {
  let m: RegExpMatchArray | null;
  if ((m = t.match(/^(\S+)\s+(in|notin)\s+\((.*)\)$/))) {
    const [, k, op, list] = m;
    const values = list.split(',').map((v) => v.trim());
    return op === 'in' ? (l) => k in l && values.includes(l[k]) : (l) => !(k in l) || !values.includes(l[k]);
  }
  if ((m = t.match(/^([^!=\s]+)\s*!=\s*(.*)$/))) {
    const [, k, v] = m;
    return (l) => l[k] !== v;
  }
  if ((m = t.match(/^([^!=\s]+)\s*==?\s*(.*)$/))) {
    const [, k, v] = m;
    return (l) => l[k] === v;
  }
  if ((m = t.match(/^!(\S+)$/))) {
    const k = m[1];
    return (l) => !(k in l);
  }
  const k = t;
  return (l) => k in l;
}

export function labelSelector(s: string | null): (obj: JsonMap) => boolean {
  if (!s) return () => true;
  const reqs = splitTerms(s).map(parseTerm);
  return (obj) => {
    const md = isMap(obj.metadata) ? obj.metadata : {};
    const labels = isMap(md.labels) ? (md.labels as Record<string, string>) : {};
    return reqs.every((r) => r(labels));
  };
}

/** Field selectors: the real server supports metadata.name and metadata.namespace on every kind. */
export function fieldSelector(s: string | null): ((obj: JsonMap) => boolean) | { error: string } {
  if (!s) return () => true;
  const tests: ((obj: JsonMap) => boolean)[] = [];
  for (const term of splitTerms(s)) {
    const m = term.match(/^([^!=]+)(==|=|!=)(.*)$/);
    if (!m) return { error: `invalid selector: '${s}'; can't understand '${term}'` };
    const [, field, op, value] = m;
    if (field !== 'metadata.name' && field !== 'metadata.namespace') return { error: `field label not supported: ${field}` };
    const key = field.slice('metadata.'.length);
    tests.push((obj) => {
      const md = isMap(obj.metadata) ? obj.metadata : {};
      const actual = typeof md[key] === 'string' ? md[key] : '';
      return op === '!=' ? actual !== value : actual === value;
    });
  }
  return (obj) => tests.every((t) => t(obj));
}
