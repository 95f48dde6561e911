// Computes every project image's content hash and tag: reads each Dockerfile and build context, hashes the
// files (cached), finds which project images each is built FROM, and combines in dependency order.
import fs from 'node:fs';
import path from 'node:path';
import { InputError, NotFoundError, withContext } from '../errors.js';
import type { ImageSpec, Project } from '../project/config.js';
import { listContext, type ContextEntry } from './context.js';
import { parseDockerfile, type Dockerfile, type ImageUse } from './dockerfile.js';
import { hashFiles } from './file-hash.js';
import { HashCache } from './hash-cache.js';
import { dependencyOrder } from './graph.js';
import { imageHash, sha256Hex, tagOf, type HashedEntry } from './image-hash.js';
import { matchProjectImage, projectRepository } from './reference.js';

export interface HashedImage {
  name: string;
  spec: ImageSpec;
  contextDir: string;
  dockerfilePath: string;
  dockerfile: Dockerfile;
  dockerfileSha256: string;
  /** Project images this one is built FROM (direct). */
  deps: string[];
  /** The uses in the Dockerfile that name a project image, with the image they name. */
  projectUses: { use: ImageUse; image: string }[];
  entries: HashedEntry[];
  hash: string;
  tag: string;
  /** `<registry>/<name>` (just `<name>` when kforge.yaml has no registry). */
  repository: string;
  /** `<repository>:<tag>`. */
  reference: string;
}

export interface HashOptions {
  /** Read sources here instead of project.root (e.g. a worktree of another revision). */
  sourceRoot?: string;
  /** Default: `<project root>/.kforge-cache/hash-cache.json`; pass HashCache.memory() to not persist. */
  cache?: HashCache;
  concurrency?: number;
}

export const cacheDir = (project: Project) => path.join(project.root, '.kforge-cache');

/** All images of kforge.yaml, hashed, in dependency order (bases first). */
export async function hashProjectImages(project: Project, opts: HashOptions = {}): Promise<HashedImage[]> {
  const specs = project.spec.images ?? [];
  if (specs.length === 0) return [];
  const root = opts.sourceRoot ?? project.root;
  const names = specs.map((s) => s.name);
  const registry = project.spec.registry;
  const cache = opts.cache ?? HashCache.load(path.join(cacheDir(project), 'hash-cache.json'));

  const read = specs.map((spec) =>
    withContext(`image '${spec.name}'`, () => {
      const contextDir = path.resolve(root, spec.context);
      // Like compose: `dockerfile` is relative to the context.
      const dockerfilePath = path.resolve(contextDir, spec.dockerfile ?? 'Dockerfile');
      let text: string;
      try {
        text = fs.readFileSync(dockerfilePath, 'utf8');
      } catch (e) {
        throw new NotFoundError(`cannot read Dockerfile: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file: dockerfilePath });
      }
      const dockerfile = parseDockerfile(text, dockerfilePath, { buildArgs: spec.buildArgs, target: spec.target });
      const projectUses: HashedImage['projectUses'] = [];
      for (const use of dockerfile.images) {
        const image = matchProjectImage(use.value, names, registry);
        if (image === spec.name) throw new InputError(`image '${spec.name}' is built FROM itself`, { file: dockerfilePath, line: use.instruction.startLine + 1 });
        if (image) projectUses.push({ use, image });
      }
      const listed = listContext(contextDir);
      return { spec, contextDir, dockerfilePath, dockerfile, text, projectUses, listed };
    }),
  );

  const files = read.flatMap((r) => r.listed.filter((e) => e.kind === 'file'));
  const shas = await hashFiles(files, cache, { concurrency: opts.concurrency });
  cache.prune(read.map((r) => r.contextDir), new Set(files.map((f) => f.abs)));
  try {
    cache.save();
  } catch {
    // A cache that cannot be written only costs time next run.
  }

  const toEntry = (e: ContextEntry): HashedEntry => ({
    path: e.path,
    kind: e.kind,
    exec: e.exec,
    sha256: e.kind === 'file' ? shas.get(e.abs)! : e.kind === 'symlink' ? sha256Hex(e.linkTarget!) : '',
  });
  const nodes = read.map((r) => ({ name: r.spec.name, deps: [...new Set(r.projectUses.map((u) => u.image))] }));
  const order = dependencyOrder(nodes, project.file);
  const done = new Map<string, HashedImage>();
  for (const name of order) {
    const r = read.find((x) => x.spec.name === name)!;
    const deps = nodes.find((n) => n.name === name)!.deps;
    const entries = r.listed.map(toEntry);
    const dockerfileSha256 = sha256Hex(r.text);
    const hash = imageHash({
      dockerfileSha256,
      target: r.spec.target,
      platforms: r.spec.platforms,
      buildArgs: r.spec.buildArgs,
      bases: deps.map((d) => ({ name: d, hash: done.get(d)!.hash })),
      entries,
    });
    const tag = tagOf(hash);
    const repository = projectRepository(registry, name);
    done.set(name, {
      name,
      spec: r.spec,
      contextDir: r.contextDir,
      dockerfilePath: r.dockerfilePath,
      dockerfile: r.dockerfile,
      dockerfileSha256,
      deps,
      projectUses: r.projectUses,
      entries,
      hash,
      tag,
      repository,
      reference: `${repository}:${tag}`,
    });
  }
  return order.map((n) => done.get(n)!);
}
