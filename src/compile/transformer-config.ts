// kustomize's TransformerConfig: the field specs each builtin transformer uses, the defaults merged with
// what `configurations` files add. A build carries one config per kustomization; a base's config merges
// into its parent's (kustomize's MergeAccumulator), so custom field specs apply above the base too.
import * as specs from './builtin-fieldspecs.js';
import type { NameReference } from './builtin-fieldspecs.js';
import { mergeFieldSpecs, type FieldSpec } from './fieldspec.js';

export interface TransformerConfig {
  namePrefix: readonly FieldSpec[];
  nameSuffix: readonly FieldSpec[];
  namespace: readonly FieldSpec[];
  commonLabels: readonly FieldSpec[];
  templateLabels: readonly FieldSpec[];
  commonAnnotations: readonly FieldSpec[];
  nameReference: readonly NameReference[];
  varReference: readonly FieldSpec[];
  images: readonly FieldSpec[];
  replicas: readonly FieldSpec[];
}

export type FieldSpecListName = Exclude<keyof TransformerConfig, 'nameReference'>;
export const FIELD_SPEC_LISTS: readonly FieldSpecListName[] = [
  'namePrefix', 'nameSuffix', 'namespace', 'commonLabels', 'templateLabels', 'commonAnnotations', 'varReference', 'images', 'replicas',
];

export const defaultConfig: TransformerConfig = {
  namePrefix: specs.namePrefixSpecs,
  nameSuffix: specs.nameSuffixSpecs,
  namespace: specs.namespaceSpecs,
  commonLabels: specs.commonLabelSpecs,
  templateLabels: specs.templateLabelSpecs,
  commonAnnotations: specs.commonAnnotationSpecs,
  nameReference: specs.nameReferences,
  varReference: specs.varReferenceSpecs,
  images: specs.imageSpecs,
  replicas: specs.replicaSpecs,
};

export const emptyConfig: TransformerConfig = {
  namePrefix: [], nameSuffix: [], namespace: [], commonLabels: [], templateLabels: [], commonAnnotations: [],
  nameReference: [], varReference: [], images: [], replicas: [],
};

const sameGvk = (a: { group?: string; version?: string; kind?: string }, b: typeof a) =>
  (a.group ?? '') === (b.group ?? '') && (a.version ?? '') === (b.version ?? '') && (a.kind ?? '') === (b.kind ?? '');

/** kustomize's nbrSlice.mergeAll: references to the same kind pool their referrers. */
function mergeNameReferences(a: readonly NameReference[], b: readonly NameReference[]): NameReference[] {
  const out = a.slice();
  for (const ref of b) {
    const i = out.findIndex((x) => sameGvk(x.target, ref.target));
    if (i < 0) out.push(ref);
    else out[i] = { target: out[i].target, referrers: mergeFieldSpecs(out[i].referrers, ref.referrers) };
  }
  return out;
}

/** Merges two configs; returns `a` itself when `b` adds nothing (the common case: no configurations). */
export function mergeConfig(a: TransformerConfig, b: TransformerConfig): TransformerConfig {
  if (a === b || b === emptyConfig) return a;
  const out = { ...a } as { -readonly [K in keyof TransformerConfig]: TransformerConfig[K] };
  let changed = false;
  for (const k of FIELD_SPEC_LISTS) {
    if (b[k].length === 0 || a[k] === b[k]) continue;
    const merged = mergeFieldSpecs(a[k], b[k]);
    // The defaults hold exact duplicates (mergeFieldSpecs drops them), so compare members, not lengths.
    const known = new Set(a[k]);
    if (merged.some((f) => !known.has(f))) {
      out[k] = merged;
      changed = true;
    }
  }
  if (b.nameReference.length && a.nameReference !== b.nameReference) {
    out.nameReference = mergeNameReferences(a.nameReference, b.nameReference);
    changed = true;
  }
  return changed ? out : a;
}
