// Appends the content hash to generated ConfigMaps/Secrets. It runs once, on the final build, so the hash
// covers what overlays merged in; the old name is recorded so references get fixed.
import type { JsonObject } from '../resource.js';
import { metadataOf } from '../resource.js';
import { contentHash } from './generators.js';
import { storePreviousId, withObject, type Res } from './res.js';

export function addHashSuffixes(resources: readonly Res[]): Res[] {
  return resources.map((r) => {
    if (!r.generator?.hash) return r;
    const md = metadataOf(r.object);
    const hashed = storePreviousId(r);
    const object: JsonObject = { ...r.object, metadata: { ...md, name: `${String(md.name)}-${contentHash(r.object)}` } };
    return withObject(hashed, object);
  });
}
