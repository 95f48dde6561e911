// `kforge release`: render the committed source (HEAD), refuse plaintext Secrets, plan the release branch
// update, and commit it with plumbing and a compare-and-swap, retrying on the new tip when another release wins.
import path from 'node:path';
import type { Logger } from '../log.js';
import { LOCK_FILE } from '../images/lock.js';
import type { Project } from '../project/config.js';
import { CommandError, InputError, NotFoundError } from '../errors.js';
import { gitTry } from '../git/run.js';
import { blobId, commitSubject, isAncestor, objectFormat, refTip, resolveCommit, uncommittedPaths } from '../git/repo.js';
import { commitFiles, compareAndSwapRef, fetchBranch, pushBranch, readBranch, readSnapshotFile } from '../git/commit-files.js';
import { OWNED_FILES, planIsEmpty, planRelease, type EnvChange } from './plan.js';
import { refuseSecrets } from './secrets.js';
import { imagesOf } from './images.js';
import { releaseMessage } from './message.js';
import { kforgeVersion } from './version.js';
import { checkEnvNames, locateProject, pickEnvironments, renderRevision } from './sources.js';

export interface ReleaseOptions {
  cwd?: string;
  config?: string;
  envs?: string[];
  allowDirty?: boolean;
  /** Let images without a tag, or tagged latest, into the release (as `render --allow-mutable-tags`). */
  allowMutableTags?: boolean;
  dryRun?: boolean;
  /** Push the branch to this remote afterwards. */
  push?: string;
  logger: Logger;
  /** How many times to rebuild on a branch tip that another writer moved. */
  attempts?: number;
}

export interface ReleaseResult {
  branch: string;
  sourceCommit: string;
  /** The new release commit; undefined when nothing changed or on a dry run. */
  commit?: string;
  changes: EnvChange[];
  images: string[];
  dryRun: boolean;
  pushed?: string;
}

/** `lockFile` (repository-relative) may differ: `images build` updates it just before a release in CI. */
async function refuseDirty(repo: string, lockFile: string): Promise<void> {
  const paths = (await uncommittedPaths(repo)).filter((p) => p !== lockFile);
  if (paths.length === 0) return;
  const shown = paths.slice(0, 5).join(', ') + (paths.length > 5 ? ` and ${paths.length - 5} more` : '');
  throw new InputError(`the working tree has uncommitted changes (${shown})`, {}, 'release renders HEAD: commit them first, or pass --allow-dirty to release HEAD without them');
}

// Moving a branch that a worktree has checked out would leave that worktree showing the release as changes.
async function refuseReleaseCheckout(repo: string, ref: string): Promise<void> {
  const head = await gitTry(['symbolic-ref', '--quiet', 'HEAD'], { cwd: repo });
  if (head.ok && head.stdout.trim() === ref) {
    throw new InputError(`HEAD is the release branch ${ref}`, {}, 'check out the source branch: release commits rendered output onto the release branch');
  }
  const worktrees = await gitTry(['worktree', 'list', '--porcelain'], { cwd: repo });
  const blocks = worktrees.ok ? worktrees.stdout.split('\n\n') : [];
  const other = blocks.find((b) => b.split('\n').includes(`branch ${ref}`));
  if (other) {
    const dir = other.split('\n')[0].replace(/^worktree /, '');
    throw new InputError(`the release branch ${ref} is checked out in the worktree ${dir}`, {}, 'check out another branch there first');
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function release(opts: ReleaseOptions): Promise<ReleaseResult> {
  const { logger } = opts;
  const loc = await locateProject({ config: opts.config, cwd: opts.cwd });
  if (!opts.allowDirty) await refuseDirty(loc.repo, path.posix.join(path.posix.dirname(loc.configPath), LOCK_FILE));

  // 1. Render HEAD as committed, with HEAD's own kforge.yaml.
  const source = await resolveCommit(loc.repo, 'HEAD');
  const select = (p: Project) => {
    checkEnvNames(opts.envs, p.environments.map((e) => e.name));
    return pickEnvironments(p, opts.envs);
  };
  const provenance = (p: Project) => (p.spec.release?.provenanceAnnotation ? source : undefined);
  const rendered = await renderRevision(loc, source, select, { logger, provenance, allowMutableTags: opts.allowMutableTags });
  if (!rendered) throw new NotFoundError(`${loc.configPath} is not committed at HEAD`, {}, 'commit the project file first');
  for (const e of rendered.environments) for (const w of e.warnings) logger.warn(`env '${e.env.name}': ${w}`);
  const branch = rendered.project.releaseBranch;
  const ref = `refs/heads/${branch}`;
  if (!(await gitTry(['check-ref-format', ref], { cwd: loc.repo })).ok) throw new InputError(`'${branch}' is not a valid branch name`, { file: loc.configPath, path: 'release.branch' });
  await refuseReleaseCheckout(loc.repo, ref);

  // 2. Credentials never go into git unless an environment explicitly allows it.
  refuseSecrets(rendered.environments.map((e) => ({ name: e.env.name, allowSecrets: e.env.allowSecrets, resources: e.resources })));

  // 3. Plan against the branch tip and commit; a lost compare-and-swap means someone else released: plan again.
  const outputs = rendered.environments.map((e) => ({ name: e.env.name, files: e.files }));
  const format = await objectFormat(loc.repo);
  const hash = (content: string) => blobId(content, format);
  const subject = await commitSubject(loc.repo, source);
  const attempts = opts.attempts ?? 8;
  if (opts.push && !opts.dryRun && !(await fetchBranch(loc.repo, opts.push, branch))) {
    logger.verbose(`could not fetch ${branch} from ${opts.push} (it may not exist there yet)`);
  }
  for (let attempt = 1; attempt <= attempts; attempt++) {
    let snap = await readBranch(loc.repo, ref);
    const expected = snap.tip;
    // Continue the remote's history when it is ahead (a fresh clone, or another machine released), so the
    // push that follows is a fast-forward. When pushing, the remote wins over unpushed local release commits.
    const remoteRef = `refs/remotes/${opts.push || 'origin'}/${branch}`;
    const remoteTip = await refTip(loc.repo, remoteRef);
    if (remoteTip && snap.tip !== remoteTip && !(snap.tip && (await isAncestor(loc.repo, remoteTip, snap.tip)))) {
      const behind = !snap.tip || (await isAncestor(loc.repo, snap.tip, remoteTip));
      if (behind || opts.push) {
        if (!behind) logger.warn(`local ${branch} has release commits that ${remoteRef} lacks; releasing on top of ${remoteRef} instead`);
        snap = await readBranch(loc.repo, remoteRef);
      }
    }
    const plan = planRelease({ files: snap.files, ownedText: await readSnapshotFile(loc.repo, snap, OWNED_FILES) }, outputs, hash);
    const changedEnvs = new Set(plan.changes.map((c) => c.env));
    const images = imagesOf(rendered.environments.filter((e) => changedEnvs.has(e.env.name)).flatMap((e) => e.resources));
    const result: ReleaseResult = { branch, sourceCommit: source, changes: plan.changes, images, dryRun: !!opts.dryRun };
    if (planIsEmpty(plan) || opts.dryRun) {
      if (!opts.dryRun && opts.push && expected && snap.tip === expected) result.pushed = await push(loc.repo, opts.push, branch);
      return result;
    }
    const message = releaseMessage({ sourceCommit: source, sourceSubject: subject, version: kforgeVersion(), changes: plan.changes, images });
    const commit = await commitFiles(loc.repo, { parent: snap.tip, writes: plan.writes, deletes: plan.deletes, message });
    if (await compareAndSwapRef(loc.repo, ref, commit, expected, `kforge release from ${source.slice(0, 12)}`)) {
      result.commit = commit;
      if (opts.push) result.pushed = await push(loc.repo, opts.push, branch);
      return result;
    }
    logger.verbose(`release branch ${branch} moved while releasing (attempt ${attempt} of ${attempts}); planning again on its new tip`);
    await pause(20 + Math.floor(Math.random() * 80 * attempt));
  }
  throw new CommandError('git update-ref', undefined, '', `release branch '${branch}' kept moving while releasing (${attempts} attempts); nothing was committed, run the release again`);
}

async function push(repo: string, remote: string, branch: string): Promise<string> {
  try {
    await pushBranch(repo, remote, branch);
  } catch (e) {
    if (e instanceof CommandError) {
      throw new CommandError(e.command, e.commandExitCode, e.stderrTail, `pushing ${branch} to ${remote} failed: ${e.stderrTail || 'git push failed'} (the local release commit is kept; run the release with --push again)`);
    }
    throw e;
  }
  return remote;
}
