// Target selection shared by patches and other transformers: kustomize's Select (group/version/kind exact,
// name and namespace as anchored regular expressions matched against the original or current id, label and
// annotation selectors in Kubernetes' selector syntax).
import { InputError } from '../errors.js';
import type { JsonObject } from '../resource.js';
import { isObject, metadataOf } from '../resource.js';
import { effectiveNamespace, gvkSelected } from './gvk.js';
import { curId, orgId, type Res } from './res.js';

export interface Selector {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

type Requirement = (values: Record<string, string>) => boolean;

/** Parses a Kubernetes label selector: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`. */
export function parseLabelSelector(text: string, what = 'labelSelector'): Requirement[] {
  const reqs: Requirement[] = [];
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const c of text) {
    if (c === '(') depth++;
    if (c === ')') depth--;
    if (c === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += c;
  }
  if (cur.trim() !== '' || parts.length) parts.push(cur);
  for (const raw of parts) {
    const p = raw.trim();
    let m: RegExpMatchArray | null;
    if ((m = p.match(/^([^\s!=()]+)\s+(in|notin)\s+\(([^)]*)\)$/))) {
      const [, key, op, list] = m;
      const set = new Set(list.split(',').map((s) => s.trim()).filter((s) => s !== ''));
      reqs.push(op === 'in' ? (v) => key in v && set.has(v[key]) : (v) => !(key in v) || !set.has(v[key]));
    } else if ((m = p.match(/^([^\s!=()]+)\s*(==|=|!=)\s*([^\s!=()]*)$/))) {
      const [, key, op, value] = m;
      reqs.push(op === '!=' ? (v) => v[key] !== value : (v) => v[key] === value);
    } else if ((m = p.match(/^!\s*([^\s!=()]+)$/))) {
      const key = m[1];
      reqs.push((v) => !(key in v));
    } else if ((m = p.match(/^([^\s!=()]+)$/))) {
      const key = m[1];
      reqs.push((v) => key in v);
    } else {
      throw new InputError(`invalid ${what} '${text}'`, {}, "use Kubernetes selector syntax, e.g. 'app=web,tier in (a,b)'");
    }
  }
  return reqs;
}

function stringMap(obj: JsonObject, field: 'labels' | 'annotations'): Record<string, string> {
  const m = metadataOf(obj)[field];
  const out: Record<string, string> = {};
  if (isObject(m)) for (const [k, v] of Object.entries(m)) out[k] = typeof v === 'string' ? v : String(v);
  return out;
}

/** A name or namespace pattern: kustomize anchors it as a regular expression; most are plain names, compared
 *  as text (the same answer: a pattern without metacharacters matches exactly itself). */
function anchored(re: string | undefined, what: string): ((s: string) => boolean) | undefined {
  if (!re) return undefined;
  if (/^[A-Za-z0-9_-]+$/.test(re)) return (s) => s === re;
  try {
    const compiled = new RegExp(`^(?:${re})$`);
    return (s) => compiled.test(s);
  } catch {
    throw new InputError(`invalid ${what} regular expression '${re}'`);
  }
}

/** Compiles a selector once; the returned predicate is used for every resource. */
export function compileSelector(sel: Selector): (r: Res) => boolean {
  const name = anchored(sel.name, 'name');
  const namespace = anchored(sel.namespace, 'namespace');
  const labels = sel.labelSelector ? parseLabelSelector(sel.labelSelector) : undefined;
  const annotations = sel.annotationSelector ? parseLabelSelector(sel.annotationSelector, 'annotationSelector') : undefined;
  const kind = sel.kind;
  return (r) => {
    // The cheap test first: most resources of a list are of another kind (the id's kind is the object's).
    if (kind && r.object.kind !== kind) return false;
    const cur = curId(r);
    if (!gvkSelected(cur, sel)) return false;
    const org = orgId(r);
    if (namespace && !namespace(effectiveNamespace(org)) && !namespace(effectiveNamespace(cur))) return false;
    if (name && !name(org.name) && !name(cur.name)) return false;
    if (labels) {
      const v = stringMap(r.object, 'labels');
      if (!labels.every((req) => req(v))) return false;
    }
    if (annotations) {
      const v = stringMap(r.object, 'annotations');
      if (!annotations.every((req) => req(v))) return false;
    }
    return true;
  };
}

export function select(resources: readonly Res[], sel: Selector): Res[] {
  const match = compileSelector(sel);
  return resources.filter(match);
}
