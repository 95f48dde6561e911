// The `images` field: rewrites container images by name (newName, newTag, digest), in the images field specs
// and, as kustomize's legacy filter does, in every `containers`/`initContainers` list anywhere in a resource.
import type { JsonValue } from '../resource.js';
import { isObject } from '../resource.js';
import { imageSpecs } from './builtin-fieldspecs.js';
import { updateAtFieldSpecs, type FieldSpec } from './fieldspec.js';
import { curId, withObject, type Res } from './res.js';

export interface ImageOverride {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
  tagSuffix?: string;
}

/** Splits an image reference into name, tag and digest, looking for ':' only after the first '/'. */
export function splitImage(image: string): { name: string; tag: string; digest: string } {
  const slash = image.indexOf('/');
  const offset = slash > 0 ? slash : 0;
  const search = image.slice(offset);
  const at = search.indexOf('@');
  const colon = search.indexOf(':');
  if (colon < 0 && at < 0) return { name: image, tag: '', digest: '' };
  if (at >= 0 && (at < colon || colon < 0)) {
    return { name: image.slice(0, offset + at), tag: '', digest: image.slice(offset + at + 1) };
  }
  if (at >= 0 && colon >= 0) {
    return { name: image.slice(0, offset + colon), tag: image.slice(offset + colon + 1, offset + at), digest: image.slice(offset + at + 1) };
  }
  return { name: image.slice(0, offset + colon), tag: image.slice(offset + colon + 1), digest: '' };
}

// Compiled once per process: every environment of a project repeats the same overrides.
const matchers = new Map<string, RegExp>();
function matcher(name: string): RegExp {
  let re = matchers.get(name);
  if (!re) {
    // kustomize builds this pattern from the name unescaped; names are plain registry paths in practice.
    re = new RegExp(`^${name}(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$`);
    matchers.set(name, re);
  }
  return re;
}

export function rewriteImage(value: string, o: ImageOverride, re: RegExp): string {
  if (!re.test(value)) return value;
  let { name, tag, digest } = splitImage(value);
  if (o.newName) name = o.newName;
  if (o.newTag && o.digest) {
    tag = o.newTag;
    digest = o.digest;
  } else if (o.newTag) {
    tag = o.newTag;
    digest = '';
  } else if (o.digest) {
    tag = '';
    digest = o.digest;
  }
  if (o.tagSuffix) tag += o.tagSuffix;
  return name + (tag ? `:${tag}` : '') + (digest ? `@${digest}` : '');
}

// kustomize runs, per override, a legacy filter over every `containers`/`initContainers` list anywhere in a
// resource, then the images field specs (spec/containers, spec/template/spec/containers, ...). A container at a
// field-spec path therefore sees each override twice; with kustomize's rewrites that is idempotent except for
// tagSuffix. We walk each resource once and apply the overrides in order to each image found.

interface CompiledOverride {
  o: ImageOverride;
  re: RegExp;
  /** The name holds no ':' or '@', so only an image whose name part equals it can match the pattern. */
  byName: boolean;
}

function rewriteAll(image: string, overrides: readonly CompiledOverride[], twice: boolean): string {
  let v = image;
  // Overlays list dozens of images: comparing the image's name first skips nearly all of them cheaply.
  let name = splitImage(v).name;
  for (const { o, re, byName } of overrides) {
    if (byName ? o.name !== name : !v.startsWith(o.name)) continue;
    const before = v;
    v = rewriteImage(v, o, re);
    if (twice) v = rewriteImage(v, o, re);
    if (v !== before) name = splitImage(v).name;
  }
  return v;
}

// Whether a value holds a containers/initContainers list anywhere. Objects are immutable and shared between the
// overlays of a base, so the answer is kept per object: the walk then skips metadata, data and most of a spec.
const holdsContainers = new WeakMap<object, boolean>();
function mayHoldContainers(node: JsonValue): boolean {
  if (typeof node !== 'object' || node === null) return false;
  let known = holdsContainers.get(node);
  if (known === undefined) {
    known = false;
    if (Array.isArray(node)) {
      for (const n of node) if (mayHoldContainers(n)) known = true;
    } else {
      for (const k in node) {
        const v = node[k];
        if (((k === 'containers' || k === 'initContainers') && Array.isArray(v)) || mayHoldContainers(v)) known = true;
      }
    }
    holdsContainers.set(node, known);
  }
  return known;
}

function walk(node: JsonValue, path: string, overrides: readonly CompiledOverride[], specPaths: ReadonlySet<string>): JsonValue {
  if (!mayHoldContainers(node)) return node;
  if (Array.isArray(node)) {
    let out: JsonValue[] | undefined;
    node.forEach((n, i) => {
      const next = walk(n, path, overrides, specPaths);
      if (next !== n) (out ??= node.slice())[i] = next;
    });
    return out ?? node;
  }
  if (!isObject(node)) return node;
  let out: typeof node | undefined;
  for (const k in node) {
    const v = node[k];
    if (typeof v !== 'object' || v === null) continue;
    const isList = (k === 'containers' || k === 'initContainers') && Array.isArray(v);
    if (!isList && !mayHoldContainers(v)) continue;
    const p = path ? `${path}/${k}` : k;
    let next: JsonValue;
    if (isList) {
      const twice = specPaths.has(p);
      let list: JsonValue[] | undefined;
      v.forEach((c, i) => {
        let nc: JsonValue = c;
        if (isObject(c) && typeof c.image === 'string') {
          const image = rewriteAll(c.image, overrides, twice);
          if (image !== c.image) nc = { ...c, image };
        }
        nc = walk(nc, `${p}/${i}`, overrides, specPaths);
        if (nc !== c) (list ??= v.slice())[i] = nc;
      });
      next = list ?? v;
    } else {
      next = walk(v, p, overrides, specPaths);
    }
    if (next !== v) (out ??= { ...node })[k] = next;
  }
  return out ?? node;
}

const CONTAINER_IMAGE = /^(.*\/(?:containers|initContainers))\[\]\/image$/;

/** `specs` are the images field specs in force: kustomize's defaults (containers lists, which the walk above
 *  visits a second time) for the `images` field, only the plugin's own for an ImageTagTransformer. */
export function setImages(resources: readonly Res[], overrides: readonly ImageOverride[], specs: readonly FieldSpec[] = imageSpecs): Res[] {
  const compiled = overrides.map((o) => ({ o, re: matcher(o.name), byName: !/[:@]/.test(o.name) }));
  const anyKind = (f: FieldSpec) => !f.group && !f.version && !f.kind;
  const specPaths = new Set(specs.filter((f) => anyKind(f) && CONTAINER_IMAGE.test(f.path)).map((f) => f.path.replace(CONTAINER_IMAGE, '$1')));
  const extra = specs.filter((f) => !(anyKind(f) && CONTAINER_IMAGE.test(f.path)));
  const set = (v: JsonValue | undefined): JsonValue | undefined => (typeof v === 'string' ? rewriteAll(v, compiled, false) : v);
  return resources.map((r) => {
    let obj = walk(r.object, '', compiled, specPaths) as typeof r.object;
    if (extra.length) obj = updateAtFieldSpecs(obj, curId(r), extra, 'scalar', set, true);
    return withObject(r, obj);
  });
}
