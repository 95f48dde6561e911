// The `namespace` field: sets metadata.namespace on namespaced kinds only, renames Namespace objects, and
// fixes RoleBinding subjects as kustomize's NamespaceTransformer does (subjects named "default" get the
// namespace; the bindings' `subjects` field spec is left to that rule, other field specs apply as written).
import { InputError } from '../errors.js';
import type { JsonObject, JsonValue } from '../resource.js';
import { isObject } from '../resource.js';
import type { FieldSpec } from './fieldspec.js';
import { updateAtFieldSpecs } from './fieldspec.js';
import { effectiveNamespace, idDisplay, isClusterScoped } from './gvk.js';
import { curId, storePreviousId, withObject, type Res } from './res.js';

/** NamespaceTransformer options (plugin configs only): `unsetOnly` keeps namespaces already set; which
 *  binding subjects get the namespace: those named "default" (kustomize's default), every ServiceAccount,
 *  or none. */
export interface NamespaceOptions {
  unsetOnly?: boolean;
  subjects?: 'defaultOnly' | 'allServiceAccounts' | 'none';
}

export function setNamespace(resources: readonly Res[], namespace: string, specs: readonly FieldSpec[], options: NamespaceOptions = {}): Res[] {
  if (!namespace) return resources.slice();
  const empty = (v: JsonValue | undefined) => v === undefined || v === null || v === '';
  const set = (v: JsonValue | undefined) => (options.unsetOnly && !empty(v) ? v : (namespace as JsonValue));
  const subjects = options.subjects ?? 'defaultOnly';
  const subjectChosen = (s: JsonObject) => (subjects === 'allServiceAccounts' ? s.kind === 'ServiceAccount' : subjects === 'defaultOnly' && s.name === 'default');
  const out = resources.map((r0) => {
    if (Object.keys(r0.object).length === 0) return r0;
    const r = storePreviousId(r0);
    const id = curId(r);
    let obj = r.object;
    // metadata.namespace only on namespaced kinds: a field spec would also hit cluster-scoped ones.
    if (!isClusterScoped(id)) {
      const md = isObject(obj.metadata) ? obj.metadata : {};
      if (!options.unsetOnly || empty(md.namespace)) obj = { ...obj, metadata: { ...md, namespace } };
    }
    const isBinding = id.kind === 'RoleBinding' || id.kind === 'ClusterRoleBinding';
    if (isBinding && Array.isArray(obj.subjects)) {
      obj = {
        ...obj,
        subjects: obj.subjects.map((s) => (isObject(s) && subjectChosen(s) && (!options.unsetOnly || empty(s.namespace)) ? { ...s, namespace } : s)),
      };
    }
    const rest = specs.filter(
      (f) =>
        f.path !== 'metadata/namespace' &&
        !(f.path === 'metadata/name' && obj.apiVersion !== 'v1') &&
        // kustomize drops only the `subjects` spec of bindings (its roleBindingHack above handles those);
        // a custom subjects[]/namespace spec applies like any other.
        !(isBinding && (f.kind === 'RoleBinding' || f.kind === 'ClusterRoleBinding') && f.path === 'subjects'),
    );
    obj = updateAtFieldSpecs(obj, id, rest, 'scalar', set, true);
    return withObject(r, obj);
  });
  // Two resources that differ only by namespace collapse into one id: kustomize refuses that.
  const seen = new Set<string>();
  for (const r of out) {
    const id = curId(r);
    const key = `${id.group}|${id.version}|${id.kind}|${effectiveNamespace(id)}|${id.name}`;
    if (seen.has(key)) throw new InputError(`namespace transformation produces ID conflict: ${idDisplay(id)}`);
    seen.add(key);
  }
  return out;
}
