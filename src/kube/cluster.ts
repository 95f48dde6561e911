// The kubectl calls of an apply, each a thin wrapper: diff, namespaces that exist, apply (optionally as an
// ApplySet pass with prune), readiness waits, reading kforge's ApplySets, deleting orphaned members.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { emitDocuments } from '../emit/yaml.js';
import { isObject, metadataOf, type JsonObject, type ResId } from '../resource.js';
import { GROUP_KINDS_ANNOTATION, ID_LABEL, PART_OF_LABEL, applySetId, parentName, parseGroupKinds, type LiveApplySet, type PruneItem } from './applyset.js';
import { parseKubectlDiff, type DiffSection } from './diff.js';
import { kubectlDuration } from './duration.js';
import type { Kubectl } from './kubectl.js';
import type { Workload } from './waves.js';

/** `deployment.apps/web`: the TYPE/NAME argument kubectl resolves for a resource id. */
export const typeName = (id: ResId) => `${id.kind.toLowerCase()}${id.group ? `.${id.group}` : ''}/${id.name}`;

async function withManifest<T>(objects: readonly JsonObject[], fn: (file: string) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kforge-apply-'));
  try {
    const file = path.join(dir, 'manifests.yaml');
    fs.writeFileSync(file, emitDocuments(objects));
    return await fn(file);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** `kubectl diff --server-side`: exit 0 no change, 1 changes, anything else an error. */
export async function serverDiff(kubectl: Kubectl, objects: readonly JsonObject[], forceConflicts = false): Promise<DiffSection[]> {
  if (objects.length === 0) return [];
  return withManifest(objects, async (file) => {
    const r = await kubectl.run(['diff', '--server-side', '--field-manager=kforge', ...(forceConflicts ? ['--force-conflicts'] : []), '-f', file], { allowExitCodes: [1] });
    return r.exitCode === 0 ? [] : parseKubectlDiff(r.stdout);
  });
}

/** Which of `names` exist as Namespaces in the cluster. */
export async function existingNamespaces(kubectl: Kubectl, names: readonly string[]): Promise<Set<string>> {
  if (names.length === 0) return new Set();
  const r = await kubectl.run(['get', 'namespaces', ...names, '--ignore-not-found', '-o', 'json']);
  return new Set(itemsOf(r.stdout).map((o) => String(metadataOf(o).name)));
}

function itemsOf(json: string): JsonObject[] {
  if (!json.trim()) return [];
  const doc = JSON.parse(json) as JsonObject;
  if (Array.isArray(doc.items)) return doc.items.filter(isObject);
  return isObject(doc) && doc.kind !== 'List' ? [doc] : [];
}

export interface ApplySetPass {
  name: string;
  namespace: string;
}

/** `kubectl apply --server-side --field-manager=kforge`; as an ApplySet pass it also prunes. Returns kubectl's lines. */
export async function applyObjects(kubectl: Kubectl, objects: readonly JsonObject[], applySet?: ApplySetPass, forceConflicts = false): Promise<string[]> {
  if (objects.length === 0) return [];
  // kubectl sets the part-of label itself in an ApplySet pass and refuses input that already carries it; with the
  // same field manager the label's ownership is the same as when the waves applied it.
  return withManifest(applySet ? objects.map(withoutPartOf) : objects, async (file) => {
    const args = ['apply', '--server-side', '--field-manager=kforge', ...(forceConflicts ? ['--force-conflicts'] : []), '-f', file];
    const r = applySet
      ? await kubectl.run([...args, `--applyset=${applySet.name}`, '--prune', '-n', applySet.namespace], { env: { KUBECTL_APPLYSET: 'true' } })
      : await kubectl.run(args);
    return r.stdout.split('\n').filter(Boolean);
  });
}

function withoutPartOf(obj: JsonObject): JsonObject {
  const md = metadataOf(obj);
  if (!isObject(md.labels) || !(PART_OF_LABEL in md.labels)) return obj;
  const labels = { ...md.labels };
  delete labels[PART_OF_LABEL];
  const metadata: JsonObject = { ...md, labels };
  if (Object.keys(labels).length === 0) delete metadata.labels;
  return { ...obj, metadata };
}

export interface NotReady {
  id: ResId;
  detail: string;
}

/** Waits, all at once and each up to `timeoutMs`, for rollouts to finish and Jobs to complete. */
export async function waitReady(kubectl: Kubectl, workloads: readonly Workload[], timeoutMs: number): Promise<NotReady[]> {
  const timeout = `--timeout=${kubectlDuration(timeoutMs)}`;
  const results = await Promise.all(
    workloads.map(async (w) => {
      const ns = w.id.namespace ? ['-n', w.id.namespace] : [];
      if (w.check === 'complete') {
        const outcome = await waitJob(kubectl, typeName(w.id), ns, timeout);
        if (outcome === 'complete') return undefined;
        return { id: w.id, detail: outcome === 'failed' ? 'the Job failed' : 'timed out waiting for the Job to complete' };
      }
      const r = await kubectl.run(['rollout', 'status', typeName(w.id), ...ns, timeout], { allowExitCodes: [1] });
      if (r.exitCode === 0) return undefined;
      const progress = r.stdout.trim().split('\n').filter(Boolean).pop();
      const error = r.stderr.trim().split('\n').filter(Boolean).pop() ?? 'not ready';
      return { id: w.id, detail: progress ? `${error.replace(/^error: /, '')}; last status: ${progress}` : error.replace(/^error: /, '') };
    }),
  );
  return results.filter((r): r is NotReady => r !== undefined);
}

/** Races `kubectl wait` for the Job's Complete and Failed conditions, so a failed Job does not wait out the timeout. */
async function waitJob(kubectl: Kubectl, job: string, ns: string[], timeout: string): Promise<'complete' | 'failed' | 'timeout'> {
  const stop = new AbortController();
  try {
    return await new Promise((resolve, reject) => {
      let pending = 2;
      for (const condition of ['complete', 'failed'] as const) {
        kubectl.run(['wait', `--for=condition=${condition}`, job, ...ns, timeout], { allowExitCodes: [1], signal: stop.signal }).then(
          (r) => {
            if (r.exitCode === 0 && !r.canceled) resolve(condition);
            else if (--pending === 0) resolve('timeout');
          },
          reject,
        );
      }
    });
  } finally {
    stop.abort();
  }
}

/**
 * kforge's ApplySets for an environment: parents named kforge-<env> in any namespace, and their members, listed
 * by the part-of label for every group-kind the parent records plus `extraGroupKinds` (those about to be applied).
 */
export async function readLiveApplySets(kubectl: Kubectl, env: string, extraGroupKinds: ReadonlyMap<string, readonly string[]>): Promise<LiveApplySet[]> {
  const name = parentName(env);
  const r = await kubectl.run(['get', 'secrets', '--all-namespaces', `--field-selector=metadata.name=${name}`, '-l', ID_LABEL, '-o', 'json']);
  const recorded = new Map<string, string[]>();
  for (const parent of itemsOf(r.stdout)) {
    const md = metadataOf(parent);
    const namespace = String(md.namespace ?? '');
    const labels = isObject(md.labels) ? md.labels : {};
    if (labels[ID_LABEL] !== applySetId(name, namespace)) continue;
    const annotations = isObject(md.annotations) ? md.annotations : {};
    recorded.set(namespace, parseGroupKinds(typeof annotations[GROUP_KINDS_ANNOTATION] === 'string' ? annotations[GROUP_KINDS_ANNOTATION] : undefined));
  }
  // A set without a parent yet still has members when earlier applies labelled them: kubectl's first
  // prune pass lists the kinds it applies by that label, so the plan does too.
  const sets: LiveApplySet[] = [];
  for (const namespace of new Set([...recorded.keys(), ...extraGroupKinds.keys()])) {
    const id = applySetId(name, namespace);
    const groupKinds = recorded.get(namespace) ?? [];
    const kinds = [...new Set([...groupKinds, ...(extraGroupKinds.get(namespace) ?? [])])];
    let members: JsonObject[] = [];
    if (kinds.length > 0) {
      const types = kinds.map((gk) => gk.toLowerCase()).join(',');
      const list = await kubectl.run(['get', types, '--all-namespaces', '-l', `${PART_OF_LABEL}=${id}`, '-o', 'json']);
      members = itemsOf(list.stdout);
    }
    sets.push({ namespace, id, groupKinds, members, hasParent: recorded.has(namespace) });
  }
  return sets;
}

/** Deletes ApplySet members kubectl's pass would not prune (see PruneItem.via). */
export async function deleteOrphans(kubectl: Kubectl, items: readonly PruneItem[]): Promise<string[]> {
  const lines: string[] = [];
  const byNamespace = new Map<string, ResId[]>();
  for (const item of items) byNamespace.set(item.id.namespace, [...(byNamespace.get(item.id.namespace) ?? []), item.id]);
  for (const [ns, ids] of byNamespace) {
    const r = await kubectl.run(['delete', ...ids.map(typeName), ...(ns ? ['-n', ns] : []), '--ignore-not-found', '--wait=false']);
    lines.push(...r.stdout.split('\n').filter(Boolean));
  }
  return lines;
}

/** Removes the parent Secret of an ApplySet whose members are all gone. */
export async function deleteParent(kubectl: Kubectl, env: string, namespace: string): Promise<void> {
  await kubectl.run(['delete', 'secret', parentName(env), '-n', namespace, '--ignore-not-found', '--wait=false']);
}
