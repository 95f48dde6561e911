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
}

/** The overrides of one `images` field, in order, and where to find those that can match an image by name. */
interface Overrides {
  list: readonly CompiledOverride[];
  /** Positions of the overrides by name, when every name is plain (holds no ':' or '@'): then only an image
   *  whose name part equals an override's name can match its pattern. Undefined otherwise. */
  byName?: Map<string, number[]>;
}

function compileOverrides(overrides: readonly ImageOverride[]): Overrides {
  const list = overrides.map((o) => ({ o, re: matcher(o.name) }));
  if (overrides.some((o) => /[:@]/.test(o.name))) return { list };
  const byName = new Map<string, number[]>();
  list.forEach(({ o }, i) => {
    const at = byName.get(o.name);
    if (at) at.push(i);
    else byName.set(o.name, [i]);
  });
  return { list, byName };
}

/** Applies the overrides in order, each to the image as the previous ones left it. */
function rewriteAll(image: string, overrides: Overrides, twice: boolean): string {
  const apply = (v: string, { o, re }: CompiledOverride) => {
    const once = rewriteImage(v, o, re);
    return twice ? rewriteImage(once, o, re) : once;
  };
  const { list, byName } = overrides;
  if (!byName) {
    let v = image;
    for (const c of list) if (v.startsWith(c.o.name)) v = apply(v, c);
    return v;
  }
  // Overlays list dozens of images: jump from one override naming the image to the next instead of testing each.
  let v = image;
  let from = 0;
  for (;;) {
    const at = byName.get(splitImage(v).name);
    const next = at?.find((i) => i >= from);
    if (next === undefined) return v;
    v = apply(v, list[next]);
    from = next + 1;
  }
}

// The legacy filter visits every containers/initContainers list anywhere in the resource. The path (without
// list indices) is kept as a stack of keys and joined only at such a list, to tell whether a field spec
// names it too.
function walk(node: JsonValue, path: string[], overrides: Overrides, specPaths: ReadonlySet<string>): JsonValue {
  if (typeof node !== 'object' || node === null) return node;
  if (Array.isArray(node)) {
    let out: JsonValue[] | undefined;
    for (let i = 0; i < node.length; i++) {
      const n = node[i];
      const next = walk(n, path, overrides, specPaths);
      if (next !== n) (out ??= node.slice())[i] = next;
    }
    return out ?? node;
  }
  let out: typeof node | undefined;
  for (const k in node) {
    const v = node[k];
    if (typeof v !== 'object' || v === null) continue;
    path.push(k);
    let next: JsonValue;
    if ((k === 'containers' || k === 'initContainers') && Array.isArray(v)) {
      const twice = specPaths.has(path.join('/'));
      let list: JsonValue[] | undefined;
      for (let i = 0; i < v.length; i++) {
        const c = v[i];
        let nc: JsonValue = c;
        if (isObject(c) && typeof c.image === 'string') {
          const image = rewriteAll(c.image, overrides, twice);
          if (image !== c.image) nc = { ...c, image };
        }
        path.push(String(i));
        nc = walk(nc, path, overrides, specPaths);
        path.pop();
        if (nc !== c) (list ??= v.slice())[i] = nc;
      }
      next = list ?? v;
    } else {
      next = walk(v, path, overrides, specPaths);
    }
    path.pop();
    if (next !== v) (out ??= { ...node })[k] = next;
  }
  return out ?? node;
}

const CONTAINER_IMAGE = /^(.*\/(?:containers|initContainers))\[\]\/image$/;

/** `specs` are the images field specs in force: kustomize's defaults (containers lists, which the walk above
 *  visits a second time) for the `images` field, only the plugin's own for an ImageTagTransformer. */
export function setImages(resources: readonly Res[], overrides: readonly ImageOverride[], specs: readonly FieldSpec[] = imageSpecs): Res[] {
  const compiled = compileOverrides(overrides);
  const anyKind = (f: FieldSpec) => !f.group && !f.version && !f.kind;
  const specPaths = new Set(specs.filter((f) => anyKind(f) && CONTAINER_IMAGE.test(f.path)).map((f) => f.path.replace(CONTAINER_IMAGE, '$1')));
  const extra = specs.filter((f) => !(anyKind(f) && CONTAINER_IMAGE.test(f.path)));
  const set = (v: JsonValue | undefined): JsonValue | undefined => (typeof v === 'string' ? rewriteAll(v, compiled, false) : v);
  return resources.map((r) => {
    let obj = walk(r.object, [], compiled, specPaths) as typeof r.object;
    if (extra.length) obj = updateAtFieldSpecs(obj, curId(r), extra, 'scalar', set, true);
    return withObject(r, obj);
  });
}
