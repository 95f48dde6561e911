// The `images` field: rewrites container images by name (newName, newTag, digest), in the images field specs
// and, as kustomize's legacy filter does, in every `containers`/`initContainers` list anywhere in a resource.
import type { JsonValue } from '../resource.js';
import { isObject } from '../resource.js';
import type { FieldSpec } from './fieldspec.js';
import { updateAtFieldSpecs } from './fieldspec.js';
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

function matcher(name: string): RegExp {
  // kustomize builds this pattern from the name unescaped; names are plain registry paths in practice.
  return new RegExp(`^${name}(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$`);
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

function rewriteContainersEverywhere(node: JsonValue, set: (v: string) => string): JsonValue {
  if (Array.isArray(node)) {
    let out: JsonValue[] | undefined;
    node.forEach((n, i) => {
      const next = rewriteContainersEverywhere(n, set);
      if (next !== n) (out ??= node.slice())[i] = next;
    });
    return out ?? node;
  }
  if (!isObject(node)) return node;
  let out: typeof node | undefined;
  for (const [k, v] of Object.entries(node)) {
    let next = v;
    if ((k === 'containers' || k === 'initContainers') && Array.isArray(v)) {
      next = v.map((c) => (isObject(c) && typeof c.image === 'string' ? withImage(c, set(c.image)) : c));
      if ((next as JsonValue[]).every((c, i) => c === v[i])) next = v;
    } else {
      next = rewriteContainersEverywhere(v, set);
    }
    if (next !== v) (out ??= { ...node })[k] = next;
  }
  return out ?? node;
}

function withImage(c: Record<string, JsonValue>, image: string) {
  return c.image === image ? c : { ...c, image };
}

export function setImages(resources: readonly Res[], overrides: readonly ImageOverride[], specs: readonly FieldSpec[]): Res[] {
  let out = resources.slice();
  for (const o of overrides) {
    const re = matcher(o.name);
    const set = (v: string) => rewriteImage(v, o, re);
    const setField = (v: JsonValue | undefined) => (typeof v === 'string' ? set(v) : v);
    out = out.map((r) => {
      let obj = rewriteContainersEverywhere(r.object, set) as typeof r.object;
      // Field specs with create:true would add an image field where none exists; kustomize only rewrites.
      obj = updateAtFieldSpecs(obj, curId(r), specs.map((s) => ({ ...s, create: false })), 'scalar', setField);
      return withObject(r, obj);
    });
  }
  return out;
}
