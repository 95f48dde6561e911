// Where release and diff get their renders: the project as committed at a git revision (materialised in a temp
// folder, the user's checkout untouched), the working tree as it is, or what the release branch holds.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Environment, Project } from '../project/config.js';
import { loadProject, parseProject } from '../project/config.js';
import type { Rendered } from '../render.js';
import { renderProject } from '../render.js';
import type { Logger } from '../log.js';
import type { JsonObject } from '../resource.js';
import { isObject } from '../resource.js';
import { isKforgeError, NotFoundError, withContextAsync } from '../errors.js';
import { parseYamlDocuments } from '../yaml/parse.js';
import { ignoredFiles, materialize, readBlobs, repoRoot } from '../git/repo.js';
import type { ProjectImagesConfig } from '../compile/project-images.js';
import { projectImagesConfig, withDigestsFromLock } from '../images/render-images.js';
import { HashCache } from '../images/hash-cache.js';
import { readBranch, readSnapshotFile } from '../git/commit-files.js';
import type { EnvResources } from '../diff/compare.js';
import { OWNED_FILES, parseOwnedFiles } from './plan.js';

/** The project in the working tree, and where it sits in its git repository. */
export interface ProjectLocation {
  project: Project;
  repo: string; // absolute top folder of the repository
  configPath: string; // the project file, relative to repo, '/'-separated
}

export async function locateProject(opts: { config?: string; cwd?: string }): Promise<ProjectLocation> {
  const project = loadProject(opts);
  const repo = fs.realpathSync(await repoRoot(project.root));
  const file = fs.realpathSync(path.resolve(project.root, path.basename(project.file)));
  return { project, repo, configPath: path.relative(repo, file).split(path.sep).join('/') };
}

/** The project's environments named by `--env` (all when none); names it does not know are skipped here. */
export function pickEnvironments(project: Project | undefined, names: readonly string[] | undefined): Environment[] {
  const all = project?.environments ?? [];
  return names && names.length > 0 ? all.filter((e) => names.includes(e.name)) : all;
}

/** A name that no side of a comparison knows is an error; a name only one side knows is fine. */
export function checkEnvNames(names: readonly string[] | undefined, known: Iterable<string>): void {
  const set = new Set(known);
  for (const n of names ?? []) {
    if (!set.has(n)) throw new NotFoundError(`unknown environment '${n}'`, {}, `known: ${[...set].join(', ') || 'none'}`);
  }
}

export interface RenderChoices {
  logger?: Logger;
  /** The source commit to annotate resources with, decided from that revision's project. */
  provenance?: (project: Project) => string | undefined;
  allowMutableTags?: boolean;
}

// Build inputs git does not hold (e.g. a binary a README says to copy in, ignored by .gitignore) are the same
// for every revision: take them from the working tree, so a revision's image tags are what `images build`
// would compute for it, not tags of an image that can never be built.
// Apply renders HEAD the same way (src/apply/source.ts), so both deploy the tags `images build` pushed.
export async function addIgnoredBuildInputs(loc: Pick<ProjectLocation, 'repo' | 'configPath'>, project: Project, tmp: string): Promise<void> {
  const prefix = path.posix.dirname(loc.configPath);
  const contexts = (project.spec.images ?? []).map((i) => path.posix.normalize(path.posix.join(prefix, i.context)));
  for (const f of await ignoredFiles(loc.repo, contexts)) {
    const target = path.join(tmp, f);
    if (fs.existsSync(target)) continue;
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.copyFileSync(path.join(loc.repo, f), target);
  }
}

/**
 * The project's image tags for a render of a revision: hashed from that revision's sources; digests from the
 * revision's lock file, else from the working tree's (a digest applies only to its exact tag, so a lock that
 * `images build` just updated and nobody committed yet is still right).
 */
async function revisionImages(loc: ProjectLocation, project: Project, allowMutableTags?: boolean): Promise<ProjectImagesConfig> {
  const config = await projectImagesConfig(project, { sourceRoot: project.root, cache: HashCache.memory(), allowMutableTags });
  return withDigestsFromLock(config, loc.project.root);
}

/**
 * Renders the project as committed at `commit`. Returns undefined when that revision has no project file (the
 * project was added later). `select` picks the environments from that revision's own kforge.yaml.
 */
export async function renderRevision(
  loc: ProjectLocation,
  commit: string,
  select: (project: Project) => readonly Environment[],
  opts: RenderChoices = {},
): Promise<Rendered | undefined> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `kforge-${commit.slice(0, 12)}-`));
  try {
    await materialize(loc.repo, commit, tmp);
    const file = path.join(tmp, loc.configPath);
    if (!fs.existsSync(file)) return undefined;
    return await withContextAsync(`at commit ${commit.slice(0, 12)}`, async () => {
      try {
        const project = parseProject(fs.readFileSync(file, 'utf8'), file);
        const envs = select(project);
        await addIgnoredBuildInputs(loc, project, tmp);
        const images = await revisionImages(loc, project, opts.allowMutableTags);
        return renderProject(project, envs, { sourceRoot: project.root, logger: opts.logger, sourceCommit: opts.provenance?.(project), images });
      } catch (e) {
        // Paths inside the temp copy mean nothing to the user: show them relative to the repository instead.
        if (isKforgeError(e)) {
          const strip = (text: string) => text.split(`${tmp}${path.sep}`).join('').split(tmp).join('.');
          e.message = strip(e.message);
          if (e.location.file) e.location.file = strip(e.location.file);
          e.context.forEach((c, i) => (e.context[i] = strip(c)));
        }
        throw e;
      }
    });
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/** The working tree as it is, image tags hashed from it as `kforge render` does. */
export async function renderWorkingTree(loc: ProjectLocation, envs: readonly Environment[], opts: RenderChoices = {}): Promise<Rendered> {
  const images = await projectImagesConfig(loc.project, { allowMutableTags: opts.allowMutableTags });
  return renderProject(loc.project, envs, { logger: opts.logger, images });
}

export function envResources(rendered: Rendered | undefined): EnvResources[] {
  return (rendered?.environments ?? []).map((e) => ({ name: e.env.name, resources: e.resources }));
}

/**
 * The resources the release branch holds per environment folder: the files kforge wrote there (or every YAML
 * file of the folder when the branch has no list of owned files). Undefined when the branch does not exist.
 */
export async function readReleaseBranch(repo: string, branch: string, names: readonly string[]): Promise<{ tip: string; envs: EnvResources[] } | undefined> {
  const snap = await readBranch(repo, `refs/heads/${branch}`);
  if (!snap.tip) return undefined;
  const owned = parseOwnedFiles(await readSnapshotFile(repo, snap, OWNED_FILES));
  const envs: EnvResources[] = [];
  for (const name of names) {
    const inFolder = [...snap.files.keys()].filter((p) => p.startsWith(`${name}/`));
    if (inFolder.length === 0) continue;
    const files = owned.size > 0 ? inFolder.filter((p) => owned.has(p)) : inFolder.filter((p) => /\.ya?ml$/.test(p));
    const blobs = await readBlobs(repo, files.map((p) => snap.files.get(p)!));
    const resources: JsonObject[] = [];
    for (const p of files.sort()) {
      for (const doc of parseYamlDocuments(blobs.get(snap.files.get(p)!)!.toString('utf8'), `${branch}:${p}`)) {
        if (isObject(doc.value)) resources.push(doc.value);
      }
    }
    envs.push({ name, resources });
  }
  return { tip: snap.tip, envs };
}
