// `kforge apply` as a straight list of steps: guard the target, read the source, diff, plan waves and prunes,
// confirm, apply wave by wave waiting for readiness, then prune through kubectl's ApplySets.
import { CheckFailedError, InternalError, isKforgeError, type KforgeError } from '../errors.js';
import type { Logger } from '../log.js';
import type { Environment, Project } from '../project/config.js';
import { describeId, resIdOf, type JsonObject, type ResId } from '../resource.js';
import {
  groupKindOf, identityKey, keptNamespaceManifest, planApplySets, planPrune, withNamespaces, type PrunePlan,
} from '../kube/applyset.js';
import { applyObjects, deleteOrphans, deleteParent, existingNamespaces, readLiveApplySets, serverDiff, typeName, waitReady } from '../kube/cluster.js';
import { colorizeDiff, diffNameOf, newObjectDiff, type DiffAction, type DiffSection } from '../kube/diff.js';
import { describeDuration } from '../kube/duration.js';
import { checkKubectl, createKubectl } from '../kube/kubectl.js';
import { readKubeconfig, resolveTarget, type Target } from '../kube/target.js';
import { planWaves, workloadsOf } from '../kube/waves.js';
import { confirmationFor, isConfirmed, type Prompter } from './confirm.js';
import { loadSource } from './source.js';

export interface ApplyOptions {
  project: Project;
  env: Environment;
  kubeconfig?: string;
  kubectlBin?: string;
  fromRelease?: boolean;
  allowDirty?: boolean;
  yes?: boolean;
  confirmEnv?: string;
  dryRun?: boolean;
  prune?: boolean;
  pruneNamespaces?: boolean;
  /** Take over fields another field manager owns (kubectl --force-conflicts), e.g. after client-side applies. */
  forceConflicts?: boolean;
  timeoutMs: number;
  logger: Logger;
  /** Where the diff goes (stdout for text output). */
  showDiff: (text: string) => void;
  color: boolean;
  prompter: Prompter;
}

export type Action = DiffAction | 'unchanged' | 'prune' | 'keep';
export type Outcome = 'applied' | 'unchanged' | 'pruned' | 'kept' | 'planned' | 'not-applied' | 'failed';

export interface ResourceOutcome {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  wave?: string;
  action: Action;
  outcome: Outcome;
}

export interface WaveReport {
  name: string;
  changed: number;
  status: 'unchanged' | 'ready' | 'not-ready' | 'planned' | 'not-applied' | 'failed';
  notReady: { resource: string; detail: string }[];
}

export interface ApplyReport {
  env: string;
  context: string;
  cluster: string;
  server: string;
  source: string;
  dryRun: boolean;
  changed: boolean;
  waves: WaveReport[];
  resources: ResourceOutcome[];
  /** Set when the apply stopped: the CLI prints the report, then this error. */
  failure?: KforgeError;
}

const gv = (id: ResId) => (id.group ? `${id.group}/${id.version}` : id.version);
const entryOf = (id: ResId, action: Action, outcome: Outcome, wave?: string): ResourceOutcome => ({
  apiVersion: gv(id), kind: id.kind, ...(id.namespace ? { namespace: id.namespace } : {}), name: id.name, ...(wave ? { wave } : {}), action, outcome,
});

export async function applyEnvironment(o: ApplyOptions): Promise<ApplyReport> {
  const { env, logger } = o;
  // 1. kubectl must be there and new enough; the target is decided from the kubeconfig before any request.
  await checkKubectl({ bin: o.kubectlBin });
  const target = resolveTarget(readKubeconfig({ kubeconfig: o.kubeconfig }), env);
  if (target.fromCurrentContext) logger.warn(`environment '${env.name}' names no kubeContext in kforge.yaml: using the current context '${target.context}'`);
  // Flags that can never lead to an apply (a protected env with --yes alone, no terminal to ask on) fail now.
  const confirmation = o.dryRun ? undefined : confirmationFor(env, `context '${target.context}' (${target.server})`, { yes: o.yes, confirmEnv: o.confirmEnv }, o.prompter.interactive);

  // 2. The resources: committed source at HEAD, the working tree (--allow-dirty) or the release branch.
  const source = await loadSource(o.project, env, { fromRelease: o.fromRelease, allowDirty: o.allowDirty, logger });
  for (const w of source.warnings) logger.warn(`env '${env.name}': ${w}`);
  const resources = withNamespaces(source.resources, target.namespace);
  const sets = planApplySets(resources, env.name, target.namespace);
  const labelled = new Map(sets.flatMap((s) => s.resources.map((r) => [identityKey(resIdOf(r)), r] as const)));
  const objects = resources.map((r) => labelled.get(identityKey(resIdOf(r)))!);
  const waves = planWaves(objects);
  printTarget(logger, target, source.label, objects);

  // 3. Diff against the cluster; objects in namespaces that do not exist yet are shown from the render.
  const kubectl = createKubectl(target.context, { bin: o.kubectlBin, kubeconfig: o.kubeconfig });
  const namespaces = [...new Set(objects.map((r) => resIdOf(r).namespace).filter(Boolean))];
  const existing = await existingNamespaces(kubectl, namespaces);
  const local = objects.filter((r) => resIdOf(r).namespace && !existing.has(resIdOf(r).namespace));
  const remote = objects.filter((r) => !local.includes(r));
  // The prune plan (step 4) reads the cluster independently of the diff: both run at once.
  const liveSets = o.prune && objects.length > 0
    ? readLiveApplySets(kubectl, env.name, new Map(sets.map((s) => [s.namespace, [...new Set(s.resources.map((r) => groupKindOf(resIdOf(r))))]] as const)))
    : Promise.resolve(undefined);
  const [diffed, live] = await Promise.all([serverDiff(kubectl, remote, o.forceConflicts), liveSets]);
  const sections = new Map<string, DiffSection>();
  for (const s of diffed) sections.set(s.name, s);
  for (const r of local) sections.set(diffNameOf(r), newObjectDiff(r));
  // A change kforge cannot tie to a rendered resource would otherwise be silently left out of the waves.
  const known = new Set(objects.map(diffNameOf));
  const stray = [...sections.keys()].filter((n) => !known.has(n));
  if (stray.length > 0) throw new InternalError(`kubectl diff reported changes to ${stray.join(', ')}, which match no rendered resource`);

  // 4. The prune plan, from kforge's own ApplySets only.
  let prune: PrunePlan = { prune: [], keptNamespaces: [] };
  if (o.prune && objects.length === 0) logger.warn('the render has no resources: nothing is pruned');
  if (live) prune = planPrune(sets, live, { pruneNamespaces: Boolean(o.pruneNamespaces) });

  const ordered = objects.map((r) => sections.get(diffNameOf(r))).filter((s): s is DiffSection => s !== undefined);
  const diffText = ordered.map((s) => s.text).join('') + prune.prune.map((p) => `# prune: ${describeId(p.id)}\n`).join('');
  if (diffText) o.showDiff(o.color ? colorizeDiff(diffText) : diffText);

  const report: ApplyReport = {
    env: env.name, context: target.context, cluster: target.cluster, server: target.server, source: source.label,
    dryRun: Boolean(o.dryRun), changed: ordered.length + prune.prune.length > 0, waves: [], resources: [],
  };
  const actionOf = (r: JsonObject): Action => sections.get(diffNameOf(r))?.action ?? 'unchanged';
  const waveOf = new Map<JsonObject, string>();
  for (const w of waves) for (const r of w.resources) waveOf.set(r, w.name);
  const outcomes = new Map<JsonObject, ResourceOutcome>();
  for (const r of objects) {
    const action = actionOf(r);
    outcomes.set(r, entryOf(resIdOf(r), action, action === 'unchanged' ? 'unchanged' : 'planned', waveOf.get(r)));
  }
  const pruneOutcomes = prune.prune.map((p) => entryOf(p.id, 'prune', 'planned'));
  const keptOutcomes = prune.keptNamespaces.map((k) => entryOf(resIdOf(k.object), 'keep', 'kept'));
  const finish = (failure?: KforgeError): ApplyReport => {
    report.resources = [...objects.map((r) => outcomes.get(r)!), ...pruneOutcomes, ...keptOutcomes];
    if (failure) report.failure = failure;
    return report;
  };
  for (const k of prune.keptNamespaces) logger.info(`keeping ${describeId(resIdOf(k.object))}: it left the render, and namespaces are pruned only with --prune-namespaces`);

  if (!report.changed) {
    logger.info('nothing to apply');
    report.waves = waves.map((w) => ({ name: w.name, changed: 0, status: 'unchanged', notReady: [] }));
    return finish();
  }

  // 5. The plan: waves in order with what changes in each, then the prunes.
  const changedIn = (w: (typeof waves)[number]) => w.resources.filter((r) => actionOf(r) !== 'unchanged');
  for (const w of waves) {
    const changed = changedIn(w);
    logger.info(`wave ${w.name}: ${changed.length === 0 ? 'unchanged' : changed.map((r) => `${actionOf(r)} ${describeId(resIdOf(r))}`).join(', ')}`);
  }
  if (prune.prune.length > 0) logger.info(`prune after all waves are ready: ${prune.prune.map((p) => describeId(p.id)).join(', ')}`);
  report.waves = waves.map((w) => ({ name: w.name, changed: changedIn(w).length, status: changedIn(w).length ? 'planned' : 'unchanged', notReady: [] }));
  if (o.dryRun) {
    logger.info('dry run: nothing was changed');
    return finish();
  }

  // 6. Confirmation.
  if (confirmation && confirmation.mode !== 'skip') {
    const applying = objects.filter((r) => actionOf(r) !== 'unchanged').length;
    logger.info(`about to apply ${applying} resource${applying === 1 ? '' : 's'}${prune.prune.length ? ` and prune ${prune.prune.length}: ${prune.prune.map((p) => describeId(p.id)).join(', ')}` : ''}`);
  }
  if (confirmation && confirmation.mode !== 'skip' && !isConfirmed(confirmation, await o.prompter.ask(confirmation.question))) {
    throw new CheckFailedError(`apply of environment '${env.name}' was not confirmed: nothing was changed`);
  }

  // 7. Waves: apply what changed, then wait for its workloads before the next wave starts.
  for (const [i, w] of waves.entries()) {
    const changed = changedIn(w);
    if (changed.length === 0) continue;
    logger.info(`applying wave ${w.name} (${changed.length} resource${changed.length === 1 ? '' : 's'})`);
    try {
      for (const line of await applyObjects(kubectl, changed, undefined, o.forceConflicts)) logger.verbose(line);
    } catch (e) {
      // kubectl applies one object after the other: some of this wave may be in the cluster now.
      for (const r of changed) outcomes.get(r)!.outcome = 'failed';
      report.waves[i].status = 'failed';
      markNotApplied(waves.slice(i + 1), report, outcomes, i + 1);
      if (isKforgeError(e)) return finish(e.within(`applying wave ${w.name}`));
      throw e;
    }
    for (const r of changed) outcomes.get(r)!.outcome = 'applied';
    const workloads = workloadsOf(changed);
    if (workloads.length > 0) {
      logger.info(`waiting up to ${describeDuration(o.timeoutMs)} for ${workloads.map((x) => describeId(x.id)).join(', ')}`);
      const notReady = await waitReady(kubectl, workloads, o.timeoutMs);
      if (notReady.length > 0) {
        report.waves[i].status = 'not-ready';
        report.waves[i].notReady = notReady.map((n) => ({ resource: describeId(n.id), detail: n.detail }));
        markNotApplied(waves.slice(i + 1), report, outcomes, i + 1);
        const later = waves.slice(i + 1).filter((x) => changedIn(x).length > 0).map((x) => x.name);
        return finish(new CheckFailedError(
          `wave ${w.name} is not ready (waited up to ${describeDuration(o.timeoutMs)}): ${notReady.map((n) => `${describeId(n.id)} (${n.detail})`).join('; ')}; ` +
            `${later.length ? `later waves (${later.join(', ')}) were not applied` : 'no later wave'}${prune.prune.length ? ', nothing was pruned' : ''}`,
        ));
      }
    }
    report.waves[i].status = 'ready';
  }

  // 8. Prune: one ApplySet pass per namespace over the whole set, then what those passes cannot prune.
  if (o.prune && objects.length > 0) {
    try {
      await pruneStep();
    } catch (e) {
      if (isKforgeError(e)) return finish(e.within('pruning (every wave is applied and ready)'));
      throw e;
    }
  }
  logger.info(`applied environment '${env.name}' to context '${target.context}'`);
  return finish();

  async function pruneStep() {
    const pruned = new Set<string>();
    for (const s of sets) {
      const kept = prune.keptNamespaces.filter((k) => k.applySet === s.namespace).map((k) => keptNamespaceManifest(k.object, s.id));
      for (const line of await applyObjects(kubectl, [...s.resources, ...kept], { name: s.name, namespace: s.namespace }, o.forceConflicts)) {
        logger.verbose(line);
        const m = line.match(/^(\S+) pruned$/);
        if (m) pruned.add(`${s.namespace}|${m[1]}`);
      }
    }
    const orphans = prune.prune.filter((p) => p.via === 'delete');
    if (orphans.length > 0) {
      for (const line of await deleteOrphans(kubectl, orphans)) logger.verbose(line);
      for (const p of orphans) pruned.add(`${p.applySet}|${typeName(p.id)}`);
      // The parent of a set that left the render goes too, unless a Namespace it tracks was kept.
      const emptied = [...new Set(orphans.map((p) => p.applySet))].filter((ns) => !sets.some((s) => s.namespace === ns) && !prune.keptNamespaces.some((k) => k.applySet === ns));
      for (const ns of emptied) await deleteParent(kubectl, env.name, ns);
    }
    prune.prune.forEach((p, i) => {
      if (pruned.has(`${p.applySet}|${typeName(p.id)}`)) pruneOutcomes[i].outcome = 'pruned';
      else logger.warn(`${describeId(p.id)} was planned for pruning but kubectl did not report it pruned`);
    });
    const count = pruneOutcomes.filter((p) => p.outcome === 'pruned').length;
    if (count > 0) logger.info(`pruned ${count} resource${count === 1 ? '' : 's'}`);
  }
}

function markNotApplied(waves: { resources: JsonObject[] }[], report: ApplyReport, outcomes: Map<JsonObject, ResourceOutcome>, firstIndex: number) {
  waves.forEach((w, j) => {
    for (const r of w.resources) {
      const out = outcomes.get(r)!;
      if (out.outcome === 'planned') out.outcome = 'not-applied';
    }
    if (report.waves[firstIndex + j].status === 'planned') report.waves[firstIndex + j].status = 'not-applied';
  });
}

function printTarget(logger: Logger, target: Target, source: string, objects: readonly JsonObject[]) {
  const namespaces = [...new Set(objects.map((r) => resIdOf(r).namespace).filter(Boolean))];
  logger.info(`target: context '${target.context}', cluster '${target.cluster}' at ${target.server}`);
  logger.info(`namespaces: ${namespaces.length ? namespaces.join(', ') : '(none: cluster-scoped resources only)'}`);
  logger.info(`source: ${source}, ${objects.length} resource${objects.length === 1 ? '' : 's'}`);
}
