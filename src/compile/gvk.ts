// Id comparisons with kustomize's semantics: an empty namespace is "default" for namespaced kinds, and a
// selector's empty group/version/kind matches anything.
import type { ResId } from '../resource.js';
import { isNamespaced } from './schema.js';

export interface GvkSelector {
  group?: string;
  version?: string;
  kind?: string;
}

export function apiVersionOf(id: { group: string; version: string }): string {
  return id.group ? `${id.group}/${id.version}` : id.version;
}

export function isClusterScoped(id: ResId): boolean {
  return !isNamespaced(apiVersionOf(id), id.kind);
}

export function effectiveNamespace(id: ResId): string {
  if (isClusterScoped(id)) return '';
  return id.namespace || 'default';
}

export function gvkSelected(id: { group: string; version: string; kind: string }, sel: GvkSelector | undefined): boolean {
  if (!sel) return true;
  if (sel.group && sel.group !== id.group) return false;
  if (sel.version && sel.version !== id.version) return false;
  if (sel.kind && sel.kind !== id.kind) return false;
  return true;
}

export function sameNamespace(a: ResId, b: ResId): boolean {
  return effectiveNamespace(a) === effectiveNamespace(b);
}

/** kustomize's ResId.Equals: same group, version, kind, name and effective namespace. */
export function idEquals(a: ResId, b: ResId): boolean {
  return a.group === b.group && a.version === b.version && a.kind === b.kind && a.name === b.name && sameNamespace(a, b);
}

/** kustomize's Gvk string form, used by the legacy output order. */
export function gvkString(id: { group: string; version: string; kind: string }): string {
  return `${id.group || '~G'}_${id.version || '~V'}_${id.kind || '~K'}`;
}

/** kustomize's ResId string: group/version/kind, then namespace ('~X' when none), then name. */
export function idString(id: ResId): string {
  return `${gvkString(id)}|${id.namespace || '~X'}|${id.name || '~N'}`;
}

/** kustomize's id form in error messages, e.g. Deployment.v1.apps/web.prod */
export function idDisplay(id: ResId): string {
  const gvk = [id.kind, id.version, id.group].filter((x) => x).join('.');
  return `${gvk}/${id.name}.${id.namespace || '[noNs]'}`;
}
