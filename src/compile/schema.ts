// Kubernetes schema facts as kustomize v5.5.0 sees them (kyaml's built-in v1.21.2 OpenAPI): which kinds are
// namespaced, and the merge keys and strategies of every list a strategic-merge patch can reach.
import { k8sSchemaJson } from './k8s-schema-data.js';

/** Where a value sits in the schema: a definition name, a primitive type name, or an inline list/map. */
export type SchemaNode = string | FieldSchema;
export type FieldSchema =
  | { readonly ref: string; readonly strategy?: string }
  | { readonly items: SchemaNode; readonly strategy?: string; readonly keys?: readonly string[] }
  | { readonly values: SchemaNode };

interface SchemaData {
  namespaced: Readonly<Record<string, boolean>>;
  kinds: Readonly<Record<string, string>>;
  definitions: Readonly<Record<string, Readonly<Record<string, FieldSchema>>>>;
}

let loaded: SchemaData | undefined;
// Parsed on first use, so a command that never merges or scopes never pays for it.
function data(): SchemaData {
  loaded ??= JSON.parse(k8sSchemaJson) as SchemaData;
  return loaded;
}

const typeMetaKey = (apiVersion: string, kind: string): string => `${apiVersion} ${kind}`;

/**
 * Whether kustomize treats a kind as namespaced. kyaml only calls a kind cluster-scoped when its table (the
 * GET paths of the v1.21.2 schema, keyed by exact apiVersion and kind) says so; everything else, CRD-defined
 * cluster kinds and versions the table lacks (e.g. rbac.authorization.k8s.io/v1alpha1 ClusterRole) included,
 * is namespaced.
 */
export function isNamespaced(apiVersion: string, kind: string): boolean {
  return data().namespaced[typeMetaKey(apiVersion, kind)] ?? true;
}

/** The schema of a whole resource, or undefined when kyaml has none (CRDs, kinds newer than v1.21). */
export function schemaForKind(apiVersion: string, kind: string): SchemaNode | undefined {
  return data().kinds[typeMetaKey(apiVersion, kind)];
}

function resolve(node: SchemaNode): SchemaNode {
  return typeof node === 'object' && 'ref' in node ? node.ref : node;
}

/** The schema of `field` inside an object node; undefined for scalars, unknown fields and schemaless nodes. */
export function fieldSchema(node: SchemaNode | undefined, field: string): SchemaNode | undefined {
  if (node === undefined) return undefined;
  const r = resolve(node);
  if (typeof r === 'string') {
    const f = data().definitions[r]?.[field];
    return f === undefined ? undefined : resolve(f);
  }
  // additionalProperties: every key of the map has the value schema.
  return 'values' in r ? resolve(r.values) : undefined;
}

/** The schema of the items of a list node. */
export function itemSchema(node: SchemaNode | undefined): SchemaNode | undefined {
  if (node === undefined) return undefined;
  const r = resolve(node);
  return typeof r === 'object' && 'items' in r ? resolve(r.items) : undefined;
}

export interface ListMergeInfo {
  /** x-kubernetes-patch-strategy verbatim, e.g. "merge,retainKeys"; '' when none. */
  strategy: string;
  /** x-kubernetes-list-map-keys, else [x-kubernetes-patch-merge-key]; empty for primitive lists. */
  keys: readonly string[];
}

const noListInfo: ListMergeInfo = { strategy: '', keys: [] };

/** Strategy and merge keys of a list node; a list without a schema has neither (kyaml replaces it). */
export function listMergeInfo(node: SchemaNode | undefined): ListMergeInfo {
  if (node === undefined) return noListInfo;
  const r = resolve(node);
  if (typeof r !== 'object' || !('items' in r)) return noListInfo;
  // kyaml's PatchStrategyAndKeyList: no strategy means no keys either.
  return r.strategy ? { strategy: r.strategy, keys: r.keys ?? [] } : noListInfo;
}

/** x-kubernetes-patch-strategy of a field of an object node ('' when none), lists and objects alike. */
export function fieldStrategy(node: SchemaNode | undefined, field: string): string {
  if (node === undefined) return '';
  const r = resolve(node);
  if (typeof r !== 'string') return '';
  const f = data().definitions[r]?.[field];
  return f !== undefined && 'strategy' in f ? (f.strategy ?? '') : '';
}
