// What a render needs to point workloads at the project's images: each image's content-hash tag (computed from
// the sources being rendered) and the digest kforge.lock.json records for that tag; and, for
// `render --require-images`, a check that the tags the render uses are in the registry.
import type { Project } from '../project/config.js';
import { CheckFailedError } from '../errors.js';
import type { ProjectImagesConfig } from '../compile/project-images.js';
import { lockedDigest, lockPath, readLock } from './lock.js';
import { hashProjectImages, type HashOptions } from './project-hashes.js';
import type { RegistryClient } from './registry.js';

export async function projectImagesConfig(project: Project, opts: HashOptions & { allowMutableTags?: boolean } = {}): Promise<ProjectImagesConfig> {
  const images = await hashProjectImages(project, opts);
  const lock = readLock(lockPath(opts.sourceRoot ?? project.root));
  return {
    registry: project.spec.registry,
    allowMutableTags: opts.allowMutableTags,
    images: images.map((i) => ({ name: i.name, repository: i.repository, tag: i.tag, digest: lockedDigest(lock, i.name, i.tag) })),
  };
}

/**
 * Fills in digests that the lock file under `root` holds for tags `config` has no digest for. A revision's own
 * lock may lag: the lock `images build` just updated, and nobody committed yet, still pins those exact tags.
 */
export function withDigestsFromLock(config: ProjectImagesConfig, root: string): ProjectImagesConfig {
  const lock = readLock(lockPath(root));
  return { ...config, images: config.images.map((i) => ({ ...i, digest: i.digest ?? lockedDigest(lock, i.name, i.tag) })) };
}

/** Fails, naming every missing one, when a used image's tag is not in the registry. */
export async function requireImagesInRegistry(config: ProjectImagesConfig, used: readonly string[], registry: RegistryClient): Promise<void> {
  const missing: string[] = [];
  await Promise.all(
    config.images.filter((t) => used.includes(t.name)).map(async (t) => {
      const m = await registry.manifest(t.repository, t.tag);
      if (!m.exists) missing.push(`${t.repository}:${t.tag}`);
      else if (t.digest && m.digest !== t.digest) missing.push(`${t.repository}:${t.tag} (registry has ${m.digest}, kforge.lock.json says ${t.digest})`);
    }),
  );
  if (missing.length) throw new CheckFailedError(`images not in the registry: ${missing.sort().join(', ')}`, {}, 'run kforge images build');
}
