// The diff step: `kubectl diff --server-side` on what will be applied (exit 0 no change, 1 changes, >1 error),
// read back per resource. Resources in namespaces that do not exist yet cannot be dry-run by the server (it
// answers NotFound for the namespace), so they are shown as new from the render itself, Secret values redacted.
import { isObject, resIdOf, type JsonObject } from '../resource.js';
import { emitYaml } from '../emit/yaml.js';

export type DiffAction = 'create' | 'update';

export interface DiffSection {
  /** kubectl's name for the object: `[<group>.]<version>.<Kind>.<namespace>.<name>`. */
  name: string;
  action: DiffAction;
  text: string;
}

/** The file name kubectl diff gives an object (InfoObject.Name in kubectl's diff.go). */
export function diffNameOf(obj: JsonObject): string {
  const id = resIdOf(obj);
  return `${id.group ? `${id.group}.` : ''}${id.version}.${id.kind}.${id.namespace}.${id.name}`;
}

/** Splits `kubectl diff` output into one section per object; an empty live side (`@@ -0,0`) means a create. */
export function parseKubectlDiff(text: string): DiffSection[] {
  const sections: DiffSection[] = [];
  let cur: string[] | undefined;
  const flush = () => {
    if (!cur) return;
    const header = cur[0];
    const m = header.match(/^diff -u -N \S*\/LIVE-[^/\s]+\/(\S+) /);
    const name = m ? m[1] : header;
    const hunk = cur.find((l) => l.startsWith('@@'));
    sections.push({ name, action: hunk?.startsWith('@@ -0,0 ') ? 'create' : 'update', text: cur.join('\n') + '\n' });
  };
  for (const line of text.split('\n')) {
    if (line.startsWith('diff -u -N ')) {
      flush();
      cur = [line];
    } else if (cur && (line !== '' || cur.length > 0)) cur.push(line);
  }
  if (cur) {
    while (cur.length > 1 && cur[cur.length - 1] === '') cur.pop();
    flush();
  }
  return sections;
}

/** Secret values as kubectl diff masks them: the keys stay, the values do not. */
export function redactSecret(obj: JsonObject): JsonObject {
  const id = resIdOf(obj);
  if (id.group !== '' || id.kind !== 'Secret') return obj;
  const copy: JsonObject = { ...obj };
  for (const field of ['data', 'stringData']) {
    const v = obj[field];
    if (isObject(v)) copy[field] = Object.fromEntries(Object.keys(v).map((k) => [k, '***']));
  }
  return copy;
}

/** A unified diff creating `obj`, for objects the server cannot dry-run yet (their namespace is new too). */
export function newObjectDiff(obj: JsonObject): DiffSection {
  const name = diffNameOf(obj);
  const lines = emitYaml(redactSecret(obj)).replace(/\n$/, '').split('\n');
  const text = [`diff -u -N /dev/null NEW/${name}`, '--- /dev/null', `+++ NEW/${name}`, `@@ -0,0 +1,${lines.length} @@`, ...lines.map((l) => `+${l}`)].join('\n') + '\n';
  return { name, action: 'create', text };
}

/** Colours a unified diff for a terminal: removals red, additions green, hunks cyan, file headers bold. */
export function colorizeDiff(text: string): string {
  return text
    .split('\n')
    .map((l) => {
      if (l.startsWith('diff ') || l.startsWith('+++') || l.startsWith('---')) return `\x1b[1m${l}\x1b[0m`;
      if (l.startsWith('@@')) return `\x1b[36m${l}\x1b[0m`;
      if (l.startsWith('+')) return `\x1b[32m${l}\x1b[0m`;
      if (l.startsWith('-')) return `\x1b[31m${l}\x1b[0m`;
      return l;
    })
    .join('\n');
}
