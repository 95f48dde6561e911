// Points the rendered workloads at the project's own images: every container/initContainer/ephemeralContainer
// image that names a project image (bare `name` or `<registry>/name`, any tag or none) becomes
// `<registry>/name:<tag>`, plus `@<digest>` when the lock file holds one for that tag. Then refuses images that
// are not reproducible (no tag and no digest, or `latest`), all reported together in one error.
import { InputError } from '../errors.js';
import { describeResource, isObject, type JsonObject, type JsonValue, type Resource } from '../resource.js';
import { formatImageRef, parseImageRef } from '../images/reference.js';

export interface ProjectImageTarget {
  name: string;
  /** `<registry>/<name>`, or `<name>` when the project has no registry. */
  repository: string;
  tag: string;
  digest?: string;
}

export interface ProjectImagesConfig {
  registry?: string;
  images: readonly ProjectImageTarget[];
  /** Let images without a tag, or tagged `latest`, through. */
  allowMutableTags?: boolean;
}

const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

/** Calls `visit` for every container object in any containers list anywhere in `v`, with its field path. */
function eachContainer(v: JsonValue, at: string, visit: (c: JsonObject, path: string) => void): void {
  if (Array.isArray(v)) {
    v.forEach((x, i) => eachContainer(x, `${at}[${i}]`, visit));
    return;
  }
  if (!isObject(v)) return;
  for (const [k, child] of Object.entries(v)) {
    const path = at ? `${at}.${k}` : k;
    if (CONTAINER_LISTS.has(k) && Array.isArray(child)) {
      child.forEach((c, i) => {
        if (isObject(c)) {
          visit(c, `${path}[${i}]`);
          eachContainer(c, `${path}[${i}]`, visit);
        }
      });
    } else {
      eachContainer(child, path, visit);
    }
  }
}

function targetFor(image: string, config: ProjectImagesConfig): ProjectImageTarget | undefined {
  const { repository } = parseImageRef(image);
  return config.images.find((t) => repository === t.name || repository === t.repository || (config.registry && repository === `${config.registry}/${t.name}`));
}

export function injectedReference(t: ProjectImageTarget): string {
  return formatImageRef({ repository: t.repository, tag: t.tag, digest: t.digest });
}

/** Why an image reference is not reproducible, or undefined when it is pinned by a tag other than latest or a digest. */
export function mutableTagProblem(image: string): string | undefined {
  const ref = parseImageRef(image);
  if (ref.digest) return undefined;
  if (!ref.tag) return 'has no tag';
  if (ref.tag === 'latest') return "is tagged 'latest'";
  return undefined;
}

/** Like eachContainer, but `fn` may return a changed container; only the path to a change is copied, so a
 *  render shares everything else with the build (which shares with other environments). */
function mapContainers(v: JsonValue, at: string, fn: (c: JsonObject, path: string) => JsonObject): JsonValue {
  if (Array.isArray(v)) {
    let out: JsonValue[] | undefined;
    v.forEach((x, i) => {
      const next = mapContainers(x, `${at}[${i}]`, fn);
      if (next !== x) (out ??= v.slice())[i] = next;
    });
    return out ?? v;
  }
  if (!isObject(v)) return v;
  let out: JsonObject | undefined;
  for (const [k, child] of Object.entries(v)) {
    const path = at ? `${at}.${k}` : k;
    let next: JsonValue;
    if (CONTAINER_LISTS.has(k) && Array.isArray(child)) {
      let list: JsonValue[] | undefined;
      child.forEach((c, i) => {
        if (!isObject(c)) return;
        const mapped = mapContainers(fn(c, `${path}[${i}]`), `${path}[${i}]`, fn);
        if (mapped !== c) (list ??= child.slice())[i] = mapped;
      });
      next = list ?? child;
    } else {
      next = mapContainers(child, path, fn);
    }
    if (next !== child) (out ??= { ...v })[k] = next;
  }
  return out ?? v;
}

export function injectProjectImages(resources: readonly Resource[], config: ProjectImagesConfig): Resource[] {
  // Nothing to pin and nothing to refuse: skip the walk over every container of every resource.
  if (config.images.length === 0 && config.allowMutableTags) return resources.slice();
  const problems: { resource: Resource; text: string; path: string }[] = [];
  const out = resources.map((r) => {
    const object = mapContainers(r.object, '', (c, path) => {
      if (typeof c.image !== 'string') return c;
      const t = targetFor(c.image, config);
      const image = t ? injectedReference(t) : c.image;
      const problem = config.allowMutableTags ? undefined : mutableTagProblem(image);
      if (problem) {
        const name = typeof c.name === 'string' ? c.name : '?';
        problems.push({ resource: r, path, text: `${describeResource(r)} container '${name}': image '${image}' ${problem}` });
      }
      return image === c.image ? c : { ...c, image };
    }) as JsonObject;
    return object === r.object ? r : { object, origin: r.origin };
  });
  if (problems.length) {
    const first = problems[0];
    throw new InputError(
      `${problems.length === 1 ? 'an image is' : `${problems.length} images are`} not reproducible: ${problems.map((p) => p.text).join('; ')}`,
      { file: first.resource.origin.file, line: first.resource.origin.line, path: `${first.path}.image` },
      'pin a tag or digest, declare the image in kforge.yaml, or pass --allow-mutable-tags',
    );
  }
  return out;
}

/** The project images the rendered objects use (after injection), by name. */
export function usedProjectImages(objects: readonly JsonObject[], config: ProjectImagesConfig): string[] {
  const used = new Set<string>();
  for (const o of objects) {
    eachContainer(o, '', (c) => {
      if (typeof c.image === 'string') {
        const t = targetFor(c.image, config);
        if (t) used.add(t.name);
      }
    });
  }
  return config.images.map((t) => t.name).filter((n) => used.has(n));
}
