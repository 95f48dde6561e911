// Compares two renders resource by resource: matched by group/kind/namespace/name per environment, with
// kustomize hash-suffix renames paired up, and Secret values redacted before any text is produced.
import type { JsonObject, ResId } from '../resource.js';
import { isObject, metadataOf, resIdOf } from '../resource.js';
import { emitYaml } from '../emit/yaml.js';
import { fileNameFor } from '../emit/layout.js';
import { unifiedHunks } from './unified.js';

export interface EnvResources {
  name: string;
  resources: readonly JsonObject[];
}

export type ChangeKind = 'added' | 'removed' | 'changed' | 'renamed';

export interface ResourceChange {
  change: ChangeKind;
  base?: ResId;
  head?: ResId;
  /** A unified diff with `---`/`+++` headers naming the files of the render layout; Secret values redacted. */
  diff: string;
}

export interface EnvDiff {
  name: string;
  /** Whether the environment exists on each side (an environment added to kforge.yaml is only in head). */
  inBase: boolean;
  inHead: boolean;
  added: number;
  changed: number; // renamed included
  removed: number;
  changes: ResourceChange[];
}

export interface RenderDiff {
  changed: boolean;
  environments: EnvDiff[];
}

export interface CompareOptions {
  /** Annotations left out of the comparison, e.g. the provenance annotation that every commit changes. */
  ignoreAnnotations?: readonly string[];
}

export const REDACTED = '<redacted>';
export const REDACTED_CHANGED = '<redacted, changed>';

const matchKey = (id: ResId) => `${id.group}|${id.kind}|${id.namespace}|${id.name}`;
const isSecret = (id: ResId) => id.group === '' && id.kind === 'Secret';

// kustomize's name hash is 10 characters of hex with 0,1,3,a,e replaced by g,h,k,m,t (api/hasher/hasher.go).
const HASH_SUFFIX = /^(.+)-[24-9bcdfghkmt]{10}$/;

function withoutAnnotations(obj: JsonObject, keys: readonly string[]): JsonObject {
  const md = metadataOf(obj);
  if (keys.length === 0 || !isObject(md.annotations) || !keys.some((k) => k in (md.annotations as JsonObject))) return obj;
  const annotations = { ...(md.annotations as JsonObject) };
  for (const k of keys) delete annotations[k];
  const metadata: JsonObject = { ...md, annotations };
  if (Object.keys(annotations).length === 0) delete metadata.annotations;
  return { ...obj, metadata };
}

/** Replaces Secret values; a value that differs between the two sides is marked, so the diff still shows it. */
function redactPair(base: JsonObject | undefined, head: JsonObject | undefined): [JsonObject | undefined, JsonObject | undefined] {
  const redact = (obj: JsonObject | undefined, other: JsonObject | undefined, marker: string): JsonObject | undefined => {
    if (!obj || !isSecret(resIdOf(obj))) return obj;
    const out: JsonObject = { ...obj };
    for (const field of ['data', 'stringData']) {
      const values = obj[field];
      if (values === undefined) continue;
      const others = other?.[field];
      if (!isObject(values)) {
        out[field] = values === others ? REDACTED : marker;
        continue;
      }
      out[field] = Object.fromEntries(
        Object.entries(values).map(([k, v]) => {
          const changed = other !== undefined && isObject(others) && k in others && others[k] !== v;
          return [k, changed ? marker : REDACTED];
        }),
      );
    }
    return out;
  };
  return [redact(base, head, REDACTED), redact(head, base, REDACTED_CHANGED)];
}

function resourceDiff(env: string, base: JsonObject | undefined, head: JsonObject | undefined): string {
  const [b, h] = redactPair(base, head);
  const hunks = unifiedHunks(b ? emitYaml(b) : '', h ? emitYaml(h) : '');
  const from = b ? `a/${env}/${fileNameFor(b)}` : '/dev/null';
  const to = h ? `b/${env}/${fileNameFor(h)}` : '/dev/null';
  return `--- ${from}\n+++ ${to}\n${hunks}`;
}

function compareEnv(name: string, base: EnvResources | undefined, head: EnvResources | undefined, opts: CompareOptions): EnvDiff {
  const ignore = opts.ignoreAnnotations ?? [];
  const index = (env: EnvResources | undefined) =>
    new Map((env?.resources ?? []).map((r) => withoutAnnotations(r, ignore)).map((r) => [matchKey(resIdOf(r)), r]));
  const before = index(base);
  const after = index(head);
  const changes: ResourceChange[] = [];
  const removed: JsonObject[] = [];
  const added: JsonObject[] = [];
  for (const [key, b] of before) {
    const h = after.get(key);
    if (!h) removed.push(b);
    // Same JSON text means same YAML; only objects that differ there pay for two YAML emits.
    else if (JSON.stringify(b) !== JSON.stringify(h) && emitYaml(b) !== emitYaml(h)) changes.push({ change: 'changed', base: resIdOf(b), head: resIdOf(h), diff: resourceDiff(name, b, h) });
  }
  for (const [key, h] of after) if (!before.has(key)) added.push(h);

  // A generated ConfigMap/Secret whose content changed gets a new hash suffix: pair it up as a rename when the
  // name without the suffix identifies exactly one removed and one added resource of the same kind.
  const stemKey = (r: JsonObject) => {
    const id = resIdOf(r);
    const m = HASH_SUFFIX.exec(id.name);
    return m ? matchKey({ ...id, version: '', name: m[1] }) : undefined;
  };
  const count = (list: JsonObject[]) => {
    const n = new Map<string, number>();
    for (const r of list) { const k = stemKey(r); if (k) n.set(k, (n.get(k) ?? 0) + 1); }
    return n;
  };
  const removedStems = count(removed);
  const addedStems = count(added);
  const renamed = new Set<JsonObject>();
  for (const h of added) {
    const k = stemKey(h);
    if (!k || removedStems.get(k) !== 1 || addedStems.get(k) !== 1) continue;
    const b = removed.find((r) => stemKey(r) === k)!;
    renamed.add(b).add(h);
    changes.push({ change: 'renamed', base: resIdOf(b), head: resIdOf(h), diff: resourceDiff(name, b, h) });
  }
  for (const b of removed) if (!renamed.has(b)) changes.push({ change: 'removed', base: resIdOf(b), diff: resourceDiff(name, b, undefined) });
  for (const h of added) if (!renamed.has(h)) changes.push({ change: 'added', head: resIdOf(h), diff: resourceDiff(name, undefined, h) });

  const sortKey = (c: ResourceChange) => {
    const id = c.head ?? c.base!;
    return `${id.namespace}\u0000${id.kind}\u0000${id.group}\u0000${id.name}`;
  };
  changes.sort((x, y) => (sortKey(x) < sortKey(y) ? -1 : sortKey(x) > sortKey(y) ? 1 : 0));
  return {
    name,
    inBase: base !== undefined,
    inHead: head !== undefined,
    added: changes.filter((c) => c.change === 'added').length,
    changed: changes.filter((c) => c.change === 'changed' || c.change === 'renamed').length,
    removed: changes.filter((c) => c.change === 'removed').length,
    changes,
  };
}

/** Environments are reported in head's order, then those that only base has. */
export function compareRenders(base: readonly EnvResources[], head: readonly EnvResources[], opts: CompareOptions = {}): RenderDiff {
  const names = [...new Set([...head.map((e) => e.name), ...base.map((e) => e.name)])];
  const environments = names.map((n) => compareEnv(n, base.find((e) => e.name === n), head.find((e) => e.name === n), opts));
  return { changed: environments.some((e) => e.changes.length > 0), environments };
}
