// What `images build` would do and why: per image its tag, whether the registry has it, and the changes since
// the state it was last built from. Pure: the registry answers and last-built states are passed in.
import { entryLine } from './image-hash.js';
import type { HashedImage } from './project-hashes.js';

/** What an image was last built (or found present) from: enough to say which inputs changed since. */
export interface BuiltState {
  tag: string;
  dockerfileSha256: string;
  target: string;
  platforms: string[];
  buildArgs: Record<string, string>;
  /** Project base images by name, with the tag each had. */
  bases: Record<string, string>;
  /** Context entries by path, as hashed (kind, exec bit, sha256). */
  entries: Record<string, string>;
}

export function builtStateOf(img: HashedImage, tags: ReadonlyMap<string, string>): BuiltState {
  return {
    tag: img.tag,
    dockerfileSha256: img.dockerfileSha256,
    target: img.spec.target ?? '',
    platforms: [...(img.spec.platforms ?? [])].sort(),
    buildArgs: Object.fromEntries(Object.entries(img.spec.buildArgs ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))),
    bases: Object.fromEntries(img.deps.map((d) => [d, tags.get(d) ?? ''])),
    entries: Object.fromEntries(img.entries.map((e) => [e.path, entryLine(e).split(' ').slice(0, 2).join(' ')])),
  };
}

/** Human-readable changes from `prev` to `now`: `Dockerfile`, `build args`, `base <name>`, `+path`, `-path`, `~path`. */
export function changesSince(prev: BuiltState, now: BuiltState): string[] {
  const out: string[] = [];
  if (prev.dockerfileSha256 !== now.dockerfileSha256) out.push('Dockerfile');
  if (prev.target !== now.target) out.push('target');
  if (JSON.stringify(prev.platforms) !== JSON.stringify(now.platforms)) out.push('platforms');
  if (JSON.stringify(prev.buildArgs) !== JSON.stringify(now.buildArgs)) out.push('build args');
  for (const b of new Set([...Object.keys(prev.bases), ...Object.keys(now.bases)])) {
    if (prev.bases[b] !== now.bases[b]) out.push(`base ${b}`);
  }
  const paths = [...new Set([...Object.keys(prev.entries), ...Object.keys(now.entries)])].sort();
  for (const p of paths) {
    const a = prev.entries[p];
    const b = now.entries[p];
    if (a === b) continue;
    out.push(`${a === undefined ? '+' : b === undefined ? '-' : '~'}${p}`);
  }
  return out;
}

export type RegistryAnswer = { exists: boolean; digest?: string } | { error: string };

export interface PlannedImage {
  name: string;
  tag: string;
  hash: string;
  reference: string;
  /** Project images it is built FROM. */
  deps: string[];
  /** undefined when the registry could not be asked. */
  inRegistry?: boolean;
  digest?: string;
  registryError?: string;
  action: 'build' | 'present' | 'unknown';
  reasons: string[];
  /** Changes since the last build on this machine; undefined when there is no record of one. */
  changes?: string[];
}

/** The plan, in the order given (dependency order). */
export function planImages(
  images: readonly HashedImage[],
  registry: ReadonlyMap<string, RegistryAnswer>,
  previous: ReadonlyMap<string, BuiltState>,
  opts: { force?: boolean } = {},
): PlannedImage[] {
  const tags = new Map(images.map((i) => [i.name, i.tag]));
  return images.map((img) => {
    const answer = registry.get(img.name);
    const prev = previous.get(img.name);
    const changes = prev ? changesSince(prev, builtStateOf(img, tags)) : undefined;
    const base = { name: img.name, tag: img.tag, hash: img.hash, reference: img.reference, deps: img.deps, changes };
    const why = changes?.length ? [`changed since the last build: ${changes.join(', ')}`] : [];
    if (!answer || 'error' in answer) {
      const registryError = answer ? answer.error : 'no registry in kforge.yaml';
      if (opts.force) return { ...base, registryError, action: 'build', reasons: ['--force', ...why] };
      return { ...base, registryError, action: 'unknown', reasons: [`registry not checked: ${registryError}`, ...why] };
    }
    if (opts.force) return { ...base, inRegistry: answer.exists, digest: answer.digest, action: 'build', reasons: ['--force', ...why] };
    if (answer.exists) return { ...base, inRegistry: true, digest: answer.digest, action: 'present', reasons: [`tag ${img.tag} is in the registry`] };
    return { ...base, inRegistry: false, action: 'build', reasons: [`tag ${img.tag} is not in the registry`, ...why] };
  });
}
