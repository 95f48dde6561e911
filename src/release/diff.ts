// `kforge diff`: gathers the two renders to compare — a base revision (or the release branch) and a head
// revision (or the working tree) — and hands them to the pure comparison in diff/.
import type { Logger } from '../log.js';
import type { Environment, Project } from '../project/config.js';
import { PROVENANCE_ANNOTATION } from '../render.js';
import { compareRenders, type EnvResources, type RenderDiff } from '../diff/compare.js';
import type { DiffLabels } from '../diff/format.js';
import { defaultBranch, mergeBase, resolveCommit } from '../git/repo.js';
import { checkEnvNames, envResources, locateProject, pickEnvironments, readReleaseBranch, renderRevision, renderWorkingTree, type ProjectLocation } from './sources.js';

export interface DiffOptions {
  cwd?: string;
  config?: string;
  /** A git revision; default: the merge base of HEAD with the default branch. */
  base?: string;
  /** A git revision; default: the working tree. */
  head?: string;
  /** Compare with what the release branch holds instead of a base revision. */
  release?: boolean;
  envs?: string[];
  logger: Logger;
}

const short = (commit: string) => commit.slice(0, 12);

interface Side {
  label: string;
  envs: EnvResources[];
}

async function revisionSide(loc: ProjectLocation, ref: string, label: string, envs: string[] | undefined, known: Set<string>, logger: Logger): Promise<Side> {
  const commit = await resolveCommit(loc.repo, ref);
  const select = (p: Project): Environment[] => {
    for (const e of p.environments) known.add(e.name);
    return pickEnvironments(p, envs);
  };
  // diff shows what would change; refusing mutable tags is render's and release's job, not a reason to fail here.
  const rendered = await renderRevision(loc, commit, select, { logger, allowMutableTags: true });
  if (!rendered) logger.info(`${label} has no ${loc.configPath}: everything counts as new`);
  return { label: commit.startsWith(label) ? short(commit) : `${label} (${short(commit)})`, envs: envResources(rendered) };
}

export async function diffRenders(opts: DiffOptions): Promise<{ diff: RenderDiff; labels: DiffLabels }> {
  const { logger } = opts;
  const loc = await locateProject({ config: opts.config, cwd: opts.cwd });
  const known = new Set<string>();

  // Head: a revision, or the working tree as it is (uncommitted changes included).
  let head: Side;
  if (opts.head) {
    head = await revisionSide(loc, opts.head, opts.head, opts.envs, known, logger);
  } else {
    for (const e of loc.project.environments) known.add(e.name);
    const rendered = await renderWorkingTree(loc, pickEnvironments(loc.project, opts.envs), { logger, allowMutableTags: true });
    head = { label: 'working tree', envs: envResources(rendered) };
  }

  // Base: the release branch, a named revision, or where HEAD forked from the default branch.
  let base: Side;
  if (opts.release) {
    const branch = loc.project.releaseBranch;
    const names = opts.envs && opts.envs.length > 0 ? opts.envs : [...known];
    const held = await readReleaseBranch(loc.repo, branch, names);
    if (!held) logger.info(`release branch '${branch}' does not exist yet: everything counts as new`);
    base = { label: held ? `release branch ${branch} (${short(held.tip)})` : `release branch ${branch} (not created yet)`, envs: held?.envs ?? [] };
  } else if (opts.base) {
    base = await revisionSide(loc, opts.base, opts.base, opts.envs, known, logger);
  } else {
    const target = await defaultBranch(loc.repo);
    const fork = await mergeBase(loc.repo, 'HEAD', target);
    logger.verbose(`base: merge base of HEAD and ${target} is ${short(fork)}`);
    base = await revisionSide(loc, fork, `merge base with ${target}`, opts.envs, known, logger);
  }
  checkEnvNames(opts.envs, known);

  const diff = compareRenders(base.envs, head.envs, { ignoreAnnotations: [PROVENANCE_ANNOTATION] });
  return { diff, labels: { base: base.label, head: head.label } };
}
