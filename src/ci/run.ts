// `kforge ci`: one pipeline step for a CI job. It reads the branch (CI variables, else git), and then either
// writes the render diff of a pull request as markdown, or, for a branch that releases environments: builds
// the images whose tags the registry lacks, scans them, releases (and pushes), and notifies. A run whose
// inputs did not move since the last successful run on this machine stops early, so it is safe to run hourly.
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../log.js';
import { CheckFailedError, NotFoundError, isKforgeError } from '../errors.js';
import { gitTry } from '../git/run.js';
import { mergeBase, refTip, resolveCommit } from '../git/repo.js';
import { buildPlanned, planProject, type BuildResult } from '../images/build.js';
import { createBuilder, detectBuilder, type BuilderKind } from '../images/builder.js';
import { createRegistryClient } from '../images/registry.js';
import { cacheDir, hashProjectImages } from '../images/project-hashes.js';
import { plainProgress, type Progress } from '../images/progress.js';
import { release, type ReleaseResult } from '../release/release.js';
import { diffRenders } from '../release/diff.js';
import { locateProject } from '../release/sources.js';
import { kforgeVersion } from '../release/version.js';
import { envSummary, formatDiff } from '../diff/format.js';
import { notifyWebhook, type NotifySummary } from '../notify/webhook.js';
import { ciContextFromEnv, type CiContext } from './context.js';
import { environmentsForBranch } from './branches.js';
import { readLastRun, readPassedScans, sameRun, writeLastRun, writePassedScans, type LastRun } from './last-run.js';
import { pinnedImage, runScan, type ScanOutcome } from './scan.js';

export interface CiOptions {
  cwd?: string;
  config?: string;
  /** The job's environment: CI variables, the webhook URL, the builder's settings. */
  env: Readonly<Record<string, string | undefined>>;
  /** Overrides the branch the CI variables name. */
  branch?: string;
  /** Treat the run as a pull request into this branch. */
  pullRequestTarget?: string;
  /** Where a pull request's markdown diff goes (relative to cwd). */
  diffFile: string;
  push?: string;
  /** Ignore the record of the last run: ask the registry and the release branch again. */
  recheck?: boolean;
  /** Say what would be built and released; build, scan, commit, push and notify nothing. */
  dryRun?: boolean;
  builder?: BuilderKind;
  insecureRegistries?: string[];
  jobs?: number;
  logger: Logger;
  /** Build progress for the images being planned (default: one log line per status change). */
  progress?: (names: readonly string[]) => Progress;
}

export interface CiResult {
  /** release: the branch releases environments; pull-request: a diff was written; none: the branch releases nothing. */
  mode: 'release' | 'pull-request' | 'none';
  outcome: 'released' | 'unchanged' | 'diff' | 'nothing-to-do';
  branch?: string;
  /** Which CI variable (or git) named the branch. */
  branchSource: string;
  sourceCommit: string;
  environments: string[];
  /** Set when the run stopped early because nothing moved since the last run. */
  sameAsLastRun?: boolean;
  dryRun?: boolean;
  /** On a dry run: the images a real run would build. */
  wouldBuild?: string[];
  images: BuildResult[];
  scans: ScanOutcome[];
  release?: ReleaseResult;
  diff?: { file: string; changed: boolean; base: string; head: string; environments: { name: string; summary: string }[] };
  notified?: boolean;
}

async function context(opts: CiOptions, repo: string): Promise<CiContext> {
  const fromEnv = opts.branch ? { branch: opts.branch, source: '--branch' } : ciContextFromEnv(opts.env);
  const ctx: CiContext = opts.pullRequestTarget ? { ...fromEnv, pullRequest: { target: opts.pullRequestTarget } } : fromEnv;
  // A known CI that builds a tag: no branch, and git's checkout must not be taken for one.
  if (ctx.branch || ctx.pullRequest || ctx.source !== 'none') return ctx;
  // Not a known CI: the branch checked out, if any.
  const head = await gitTry(['symbolic-ref', '--quiet', '--short', 'HEAD'], { cwd: repo });
  if (head.ok) return { branch: head.stdout.trim(), source: 'git' };
  throw new NotFoundError('cannot tell which branch this job builds (no CI branch variable, and HEAD is detached)', {}, 'pass --branch NAME');
}

/** The base a pull request's diff starts from: where it forked from its target branch (as the CI fetched it). */
async function pullRequestBase(repo: string, target: string | undefined, logger: Logger): Promise<string | undefined> {
  if (!target) return undefined;
  for (const ref of [`refs/remotes/origin/${target}`, `refs/heads/${target}`]) {
    if (await refTip(repo, ref)) return mergeBase(repo, 'HEAD', ref);
  }
  logger.warn(`the pull request's target branch '${target}' is not fetched; diffing against the default branch instead (fetch it, e.g. actions/checkout with fetch-depth: 0)`);
  return undefined;
}

export async function runCi(opts: CiOptions): Promise<CiResult> {
  const { logger } = opts;
  const loc = await locateProject({ config: opts.config, cwd: opts.cwd });
  const { project } = loc;
  const ctx = await context(opts, loc.repo);
  const sourceCommit = await resolveCommit(loc.repo, 'HEAD');
  const base = { branch: ctx.branch, branchSource: ctx.source, sourceCommit, images: [], scans: [] };

  // 1. A pull request: the diff of the render, as markdown for the pipeline to post. Nothing is built or released.
  if (ctx.pullRequest) {
    logger.info(`pull request${ctx.pullRequest.number ? ` #${ctx.pullRequest.number}` : ''} from ${ctx.branch ?? 'an unnamed branch'} into ${ctx.pullRequest.target ?? 'the default branch'} (${ctx.source})`);
    const baseRev = await pullRequestBase(loc.repo, ctx.pullRequest.target, logger);
    const { diff, labels } = await diffRenders({ cwd: opts.cwd, config: opts.config, base: baseRev, head: 'HEAD', logger });
    const file = path.resolve(opts.cwd ?? process.cwd(), opts.diffFile);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, formatDiff(diff, 'markdown', labels));
    const environments = diff.environments.map((e) => ({ name: e.name, summary: envSummary(e) }));
    return { ...base, mode: 'pull-request', outcome: 'diff', environments: environments.map((e) => e.name), diff: { file, changed: diff.changed, base: labels.base, head: labels.head, environments } };
  }

  // 2. The environments this branch releases (a tag build releases none).
  if (!ctx.branch) {
    logger.info(`this job builds a tag (${ctx.source}), not a branch: it releases no environment; nothing to do`);
    return { ...base, mode: 'none', outcome: 'nothing-to-do', environments: [] };
  }
  const branch = ctx.branch;
  const envs = environmentsForBranch(project.environments, branch).map((e) => e.name);
  if (envs.length === 0) {
    logger.info(`branch '${branch}' (${ctx.source}) releases no environment: no environments.<env>.branches in ${loc.configPath} matches it; nothing to do`);
    return { ...base, mode: 'none', outcome: 'nothing-to-do', environments: [] };
  }
  logger.info(`branch '${branch}' (${ctx.source}) releases ${envs.join(', ')}`);

  // 3. Nothing moved since the last successful run here: stop before asking the registry or rendering.
  const cache = cacheDir(project);
  const hashed = await hashProjectImages(project);
  const scanText = project.spec.scan === undefined ? undefined : JSON.stringify(project.spec.scan);
  const releaseRef = `refs/heads/${project.releaseBranch}`;
  const stamp = (tip: string): LastRun => ({
    kforgeVersion: kforgeVersion(), head: sourceCommit, environments: envs, tags: Object.fromEntries(hashed.map((i) => [i.name, i.tag])),
    releaseTip: tip, pushed: opts.push, scan: scanText,
  });
  const tipBefore = await refTip(loc.repo, releaseRef);
  if (!opts.recheck && tipBefore && sameRun(readLastRun(cache), stamp(tipBefore))) {
    logger.info(`nothing changed since the last run: ${sourceCommit.slice(0, 12)} is already released to ${project.releaseBranch} (${tipBefore.slice(0, 12)}) and its image tags are the same; nothing to do`);
    return { ...base, mode: 'release', outcome: 'unchanged', environments: envs, sameAsLastRun: true };
  }

  // A dry run: the plan and the release branch's would-be changes, nothing built, written or sent.
  if (opts.dryRun) {
    const planned = hashed.length > 0 ? (await planProject(project, createRegistryClient({ insecureHosts: opts.insecureRegistries, env: { ...opts.env } }))).plan : [];
    const released = await release({ cwd: opts.cwd, config: opts.config, envs, dryRun: true, logger });
    const wouldBuild = planned.filter((p) => p.action !== 'present').map((p) => p.name);
    return { ...base, mode: 'release', outcome: released.changes.length ? 'released' : 'unchanged', environments: envs, release: released, dryRun: true, wouldBuild };
  }

  const summary = (s: Partial<NotifySummary> & Pick<NotifySummary, 'outcome'>): NotifySummary => ({
    event: 'ci', environments: envs, images: [], sourceCommit, branch, releaseBranch: project.releaseBranch, ...s,
  });
  // Any failure from here on is reported to the webhook too (once), then raised as it was.
  let refs: string[] = [];
  try {
    // 4. Images: build and push what the registry lacks, bases first; the lock gets every digest (present ones too),
    // so the release pins the same digests whichever machine runs it.
    let images: BuildResult[] = [];
    if (hashed.length > 0) {
      const registry = createRegistryClient({ insecureHosts: opts.insecureRegistries, env: { ...opts.env } });
      const planned = await planProject(project, registry);
      const needsBuild = planned.plan.some((p) => p.action === 'build');
      // Without anything to build no builder runs, so an hourly job on a machine without one still works.
      const builder = needsBuild ? createBuilder(await detectBuilder(opts.builder, { ...opts.env }), { ...opts.env }) : createBuilder(opts.builder ?? 'buildah', { ...opts.env });
      images = await buildPlanned(project, planned, { builder, registry, progress: opts.progress?.(planned.plan.map((p) => p.name)) ?? plainProgress(logger), jobs: opts.jobs });
      const failed = images.filter((r) => r.action === 'failed' || r.action === 'skipped');
      if (failed.length) {
        throw new CheckFailedError(`${failed.length} image(s) not built, nothing was released: ${failed.map((r) => `${r.name} (${r.error})`).join('; ')}`);
      }
    }
    refs = images.map((r) => (r.digest ? `${r.reference}@${r.digest}` : r.reference));

    // 5. Scan each image (once per digest on this machine); any finding stops the release.
    const scans: ScanOutcome[] = [];
    if (project.spec.scan !== undefined && images.length > 0) {
      const passed = readPassedScans(cache);
      for (const r of images) {
        const target = { name: r.name, reference: r.reference, repository: r.reference.slice(0, r.reference.length - r.tag.length - 1), digest: r.digest };
        const key = `${scanText} ${pinnedImage(target)}`;
        if (passed.has(key)) {
          logger.verbose(`scan: ${r.name}: ${pinnedImage(target)} passed before`);
          continue;
        }
        logger.info(`scan: ${r.name}: ${pinnedImage(target)}`);
        const outcome = await runScan(project.spec.scan, target, { cwd: project.root, env: { ...opts.env }, onLine: (l) => logger.verbose(`${r.name} scan | ${l}`) });
        scans.push(outcome);
        if (outcome.passed) passed.add(key);
        else for (const l of outcome.outputTail) logger.info(`${r.name} scan | ${l}`);
      }
      writePassedScans(cache, passed);
      const failed = scans.filter((s) => !s.passed);
      if (failed.length) {
        const which = failed.map((s) => `${s.name} (${s.image}: exit code ${s.exitCode})`).join('; ');
        throw new CheckFailedError(`scan failed for ${which}; nothing was released`, {}, `the scan command of ${loc.configPath}`);
      }
    }

    // 6. Release HEAD to the release branch (and push); then remember this run and tell the team.
    const released = await release({ cwd: opts.cwd, config: opts.config, envs, push: opts.push, logger });
    const tip = (await refTip(loc.repo, releaseRef)) ?? '';
    writeLastRun(cache, stamp(tip));
    const result: CiResult = { ...base, mode: 'release', outcome: released.commit ? 'released' : 'unchanged', environments: envs, images, scans, release: released };
    if (released.commit) {
      result.notified = await notifyWebhook(summary({ outcome: 'released', images: released.images, releaseCommit: released.commit, environments: released.changes.map((c) => c.env) }), {
        webhook: project.spec.notify?.webhook, env: opts.env, logger,
      });
    }
    return result;
  } catch (e) {
    const error = isKforgeError(e) ? e.format() : e instanceof Error ? e.message : String(e);
    await notifyWebhook(summary({ outcome: 'failed', error, images: refs }), { webhook: project.spec.notify?.webhook, env: opts.env, logger });
    throw e;
  }
}
