// configMapGenerator / secretGenerator: builds ConfigMaps and Secrets from already-read key/value sources,
// and kustomize's content hash for the name suffix.
import { createHash } from 'node:crypto';
import type { JsonObject } from '../resource.js';
import { isObject } from '../resource.js';
import type { Behavior } from './res.js';

export interface GeneratorOptions {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  disableNameSuffixHash?: boolean;
  immutable?: boolean;
}

/** One key's value; `binary` values are raw bytes that are not valid UTF-8. */
export interface GeneratedEntry {
  key: string;
  value: string | Uint8Array;
}

export interface GeneratorSpec {
  kind: 'ConfigMap' | 'Secret';
  name: string;
  namespace?: string;
  behavior: Behavior;
  type?: string; // Secret type
  entries: GeneratedEntry[];
  options: GeneratorOptions;
}

/** Local options win over the kustomization's generatorOptions (kustomize's MergeGlobalOptionsIntoLocal). */
export function mergeGeneratorOptions(local: GeneratorOptions | undefined, global: GeneratorOptions | undefined): GeneratorOptions {
  const out: GeneratorOptions = { ...(local ?? {}) };
  if (!global) return out;
  if (global.labels) out.labels = { ...global.labels, ...(out.labels ?? {}) };
  if (global.annotations) out.annotations = { ...global.annotations, ...(out.annotations ?? {}) };
  if (global.disableNameSuffixHash) out.disableNameSuffixHash = true;
  if (global.immutable) out.immutable = true;
  return out;
}

/** kustomize's encodeBase64: lines of 70 characters, each ending in a newline, once the text reaches 70. */
export function b64(v: string | Uint8Array): string {
  const enc = Buffer.from(v).toString('base64');
  if (enc.length < 70) return enc;
  let out = '';
  for (let i = 0; i < enc.length; i += 70) out += enc.slice(i, i + 70) + '\n';
  return out;
}

export function generateObject(spec: GeneratorSpec): JsonObject {
  const metadata: JsonObject = { name: spec.name };
  if (spec.namespace) metadata.namespace = spec.namespace;
  if (spec.options.labels && Object.keys(spec.options.labels).length) metadata.labels = { ...spec.options.labels };
  if (spec.options.annotations && Object.keys(spec.options.annotations).length) metadata.annotations = { ...spec.options.annotations };
  const obj: JsonObject = { apiVersion: 'v1', kind: spec.kind, metadata };
  if (spec.kind === 'ConfigMap') {
    const data: JsonObject = {};
    const binaryData: JsonObject = {};
    for (const e of spec.entries) {
      if (typeof e.value === 'string') data[e.key] = e.value;
      else binaryData[e.key] = b64(e.value);
    }
    if (Object.keys(data).length) obj.data = data;
    if (Object.keys(binaryData).length) obj.binaryData = binaryData;
  } else {
    const data: JsonObject = {};
    for (const e of spec.entries) data[e.key] = b64(e.value);
    if (Object.keys(data).length) obj.data = data;
    obj.type = spec.type || 'Opaque';
  }
  if (spec.options.immutable) obj.immutable = true;
  return obj;
}

/** Sorted-key JSON, as Go's encoding/json prints maps. */
function canonicalJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonicalJson).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    return `{${Object.keys(o).sort().map((k) => `${JSON.stringify(k)}:${canonicalJson(o[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** kustomize's hash suffix: sha256 of a canonical encoding, first 10 hex chars with 0,1,3,a,e swapped out
 *  (so the suffix never spells words). ConfigMaps and Secrets hash their data and kind (name left empty). */
export function contentHash(obj: JsonObject): string {
  let encoded: string;
  const kind = obj.kind;
  if (kind === 'ConfigMap') {
    const m: Record<string, unknown> = { kind: 'ConfigMap', name: '', data: isObject(obj.data) ? obj.data : {} };
    if (isObject(obj.binaryData) && Object.keys(obj.binaryData).length) m.binaryData = obj.binaryData;
    encoded = canonicalJson(m);
  } else if (kind === 'Secret') {
    encoded = canonicalJson({ kind: 'Secret', type: obj.type ?? '', name: '', data: isObject(obj.data) ? obj.data : {} });
  } else {
    encoded = canonicalJson(obj);
  }
  const hex = createHash('sha256').update(encoded).digest('hex');
  const swap: Record<string, string> = { '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' };
  return hex.slice(0, 10).replace(/[013ae]/g, (c) => swap[c]);
}
