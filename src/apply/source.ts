// What an apply applies: the environment rendered from the committed source at HEAD (materialised in a temp
// folder, the checkout untouched), the working tree when --allow-dirty lets uncommitted changes through, or the
// environment's folder on the release branch (--from-release).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InputError, NotFoundError } from '../errors.js';
import { listTree, materialize, readBlobs, refTip, repoRoot, resolveCommit, uncommittedPaths } from '../git/repo.js';
import type { Environment, Project } from '../project/config.js';
import { renderEnvironment, type RenderedEnvironment } from '../render.js';
import { projectImagesConfig, withDigestsFromLock } from '../images/render-images.js';
import { HashCache } from '../images/hash-cache.js';
import { addIgnoredBuildInputs } from '../release/sources.js';
import { legacySort } from '../compile/sort.js';
import { makeRes } from '../compile/res.js';
import { isObject, type JsonObject } from '../resource.js';
import type { Logger } from '../log.js';
import { parseYamlDocuments } from '../yaml/parse.js';

export interface ApplySource {
  /** One line for the user: where the resources come from. */
  label: string;
  resources: JsonObject[];
  warnings: string[];
}

export interface SourceOptions {
  fromRelease?: boolean;
  allowDirty?: boolean;
  logger?: Logger;
}

const short = (commit: string) => commit.slice(0, 12);

export async function loadSource(project: Project, env: Environment, opts: SourceOptions = {}): Promise<ApplySource> {
  if (opts.allowDirty && env.protected) {
    throw new InputError(`--allow-dirty is refused for protected environment '${env.name}'`, {}, 'commit your changes: a protected environment is applied only from committed source');
  }
  const repo = fs.realpathSync(await repoRoot(project.root));
  if (opts.fromRelease) return fromReleaseBranch(repo, project, env);
  const head = await resolveCommit(repo, 'HEAD').catch(() => {
    throw new NotFoundError('the repository has no commit yet', {}, 'kforge apply renders the committed source at HEAD: commit first');
  });
  // The same render `kforge render` and `kforge release` make: project images pinned to their content-hash
  // tags, and the source commit annotated when kforge.yaml opts in.
  const provenance = project.spec.release?.provenanceAnnotation ? head : undefined;
  const atHead = await renderAt(repo, head, project, env, provenance, opts.logger);
  const dirty = await dirtyProjectPaths(repo, project);
  if (dirty.length === 0) return { label: `HEAD ${short(head)}`, resources: atHead.resources, warnings: atHead.warnings };

  const projectFile = path.relative(repo, fs.realpathSync(path.resolve(project.root, path.basename(project.file)))).split(path.sep).join('/');
  const worktree = await renderWorktree(project, env, provenance, opts.logger).catch(() => undefined);
  const differs = dirty.includes(projectFile) || !worktree || !sameRender(atHead, worktree);
  if (!differs) return { label: `HEAD ${short(head)} (uncommitted changes elsewhere do not change this environment)`, resources: atHead.resources, warnings: atHead.warnings };
  const listed = dirty.slice(0, 5).join(', ') + (dirty.length > 5 ? `, and ${dirty.length - 5} more` : '');
  if (env.protected) {
    throw new InputError(`uncommitted changes would change protected environment '${env.name}': ${listed}`, {}, 'commit them; a protected environment is applied only from committed source');
  }
  if (!opts.allowDirty) {
    throw new InputError(`uncommitted changes would change environment '${env.name}': ${listed}`, {}, 'commit them, or pass --allow-dirty to apply the working tree');
  }
  // Rendered again without the provenance annotation: the working tree is not HEAD (and a failed render shows its error now).
  const applied = await renderWorktree(project, env, undefined, opts.logger);
  return { label: 'working tree (uncommitted changes, --allow-dirty)', resources: applied.resources, warnings: applied.warnings };
}

async function renderWorktree(project: Project, env: Environment, sourceCommit: string | undefined, logger?: Logger): Promise<RenderedEnvironment> {
  const images = await projectImagesConfig(project);
  return renderEnvironment(project, env, { logger, images, sourceCommit });
}

function sameRender(a: RenderedEnvironment, b: RenderedEnvironment): boolean {
  return a.files.length === b.files.length && a.files.every((f, i) => f.path === b.files[i].path && f.content === b.files[i].content);
}

/** Paths under the project folder with uncommitted changes (untracked included), relative to the repository. */
async function dirtyProjectPaths(repo: string, project: Project): Promise<string[]> {
  const prefix = path.relative(repo, fs.realpathSync(project.root)).split(path.sep).join('/');
  return (await uncommittedPaths(repo)).filter((p) => !prefix || p === prefix || p.startsWith(`${prefix}/`));
}

async function renderAt(repo: string, commit: string, project: Project, env: Environment, sourceCommit: string | undefined, logger?: Logger): Promise<RenderedEnvironment> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kforge-head-'));
  try {
    await materialize(repo, commit, tmp);
    const configPath = path.relative(repo, fs.realpathSync(path.resolve(project.root, path.basename(project.file)))).split(path.sep).join('/');
    // Build inputs git ignores (the example's busybox) come from the working tree, as release does: otherwise
    // the image tags would be those of an image nobody can build.
    await addIgnoredBuildInputs({ repo, configPath }, project, tmp);
    const sourceRoot = path.join(tmp, path.relative(repo, fs.realpathSync(project.root)));
    // An in-memory hash cache: the project's cache file records paths of the checkout, not of this temp copy.
    // Digests missing from HEAD's lock come from the working tree's, as release does: an uncommitted lock
    // that `images build` just wrote does not make the source dirty.
    const images = withDigestsFromLock(await projectImagesConfig(project, { sourceRoot, cache: HashCache.memory() }), project.root);
    return renderEnvironment(project, env, { sourceRoot, logger, images, sourceCommit });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

async function fromReleaseBranch(repo: string, project: Project, env: Environment): Promise<ApplySource> {
  const branch = project.releaseBranch;
  const ref = (await refTip(repo, `refs/heads/${branch}`)) ? `refs/heads/${branch}` : (await refTip(repo, `refs/remotes/origin/${branch}`)) ? `refs/remotes/origin/${branch}` : undefined;
  if (!ref) throw new NotFoundError(`release branch '${branch}' does not exist`, {}, 'run kforge release first, or fetch the branch');
  const commit = await resolveCommit(repo, ref);
  const prefix = `${env.name}/`;
  const entries = (await listTree(repo, commit)).filter((e) => e.type === 'blob' && e.path.startsWith(prefix) && !e.path.slice(prefix.length).includes('/') && /\.ya?ml$/.test(e.path));
  if (entries.length === 0) throw new NotFoundError(`release branch '${branch}' has no folder ${prefix}`, {}, `release environment '${env.name}' first`);
  const blobs = await readBlobs(repo, entries.map((e) => e.oid));
  const resources: JsonObject[] = [];
  for (const e of [...entries].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    for (const doc of parseYamlDocuments(blobs.get(e.oid)!.toString('utf8'), `${branch}:${e.path}`)) {
      if (isObject(doc.value) && typeof doc.value.apiVersion === 'string' && typeof doc.value.kind === 'string') resources.push(doc.value);
    }
  }
  // The folder's files are named, not ordered: put them back in the order a render has (kustomize's legacy sort).
  const sorted = legacySort(resources.map((r, i) => makeRes(r, { file: `${branch}:${prefix}`, index: i }))).map((r) => r.object);
  return { label: `release branch '${branch}' ${short(commit)}, folder ${prefix}`, resources: sorted, warnings: [] };
}
