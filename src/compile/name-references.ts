// Name references: after renames (prefix, suffix, hash), fix every field that refers to a renamed object by
// its old name, e.g. a Deployment's configMapRef. Runs once on the final build, as kustomize's
// FixBackReferences. Candidate selection follows kustomize's nameref filter: a candidate must have had the old
// name, be of the referred kind, be visible from the referrer's namespace, and ties are broken by matching
// prefix/suffix history.
import { InputError } from '../errors.js';
import type { JsonObject, JsonValue, ResId } from '../resource.js';
import { isObject } from '../resource.js';
import type { FieldSpec } from './fieldspec.js';
import { hasField, updateAtPath } from './fieldspec.js';
import type { NameReference } from './builtin-fieldspecs.js';
import { effectiveNamespace, gvkSelected, idDisplay, isClusterScoped, type GvkSelector } from './gvk.js';
import { curId, orgId, withObject, type Res } from './res.js';

interface Filter {
  spec: FieldSpec;
  target: GvkSelector;
}

function sameEnding(a: readonly string[], b: readonly string[]): boolean {
  const n = Math.min(a.length, b.length);
  for (let i = 1; i <= n; i++) if (a[a.length - i] !== b[b.length - i]) return false;
  return true;
}

/** Namespaces of ServiceAccount subjects of a RoleBinding: it may refer across namespaces to those. */
function roleBindingNamespaces(r: Res): Set<string> {
  const out = new Set<string>();
  if (curId(r).kind !== 'RoleBinding' || !Array.isArray(r.object.subjects)) return out;
  for (const s of r.object.subjects) {
    if (isObject(s) && s.kind === 'ServiceAccount' && typeof s.namespace === 'string') out.add(s.namespace);
  }
  return out;
}

function couldBeReferencedBy(referrer: Res, referrerId: ResId): (c: Res) => boolean {
  if (isClusterScoped(referrerId)) return () => true;
  const rbNamespaces = roleBindingNamespaces(referrer);
  const ns = effectiveNamespace(referrerId);
  return (c) => {
    const id = curId(c);
    if (isClusterScoped(id)) return true;
    if (effectiveNamespace(id) === ns) return true;
    return rbNamespaces.has(id.namespace);
  };
}

export function fixNameReferences(resources: readonly Res[], refs: readonly NameReference[]): Res[] {
  // Index candidates by every name they had before: only those can be the target of an outdated reference.
  const byPrevName = new Map<string, Res[]>();
  for (const r of resources) {
    for (const name of new Set(r.prevIds.map((p) => p.name))) {
      let list = byPrevName.get(name);
      if (!list) byPrevName.set(name, (list = []));
      list.push(r);
    }
  }
  if (byPrevName.size === 0) return resources.slice();
  // Referrer field specs by kind, so each resource only looks at the specs that can apply to it.
  const byKind = new Map<string, Filter[]>();
  const anyKind: Filter[] = [];
  for (const ref of refs) {
    for (const spec of ref.referrers) {
      const f = { spec, target: ref.target };
      if (!spec.kind) anyKind.push(f);
      else {
        let list = byKind.get(spec.kind);
        if (!list) byKind.set(spec.kind, (list = []));
        list.push(f);
      }
    }
  }

  return resources.map((referrer) => {
    const org = orgId(referrer);
    const filters: Filter[] = [];
    for (const f of [...(byKind.get(org.kind) ?? []), ...anyKind]) {
      if (gvkSelected(org, f.spec) && hasField(referrer.object, f.spec.path)) filters.push(f);
    }
    if (filters.length === 0) return referrer;
    const referrerId = curId(referrer);
    const visible = couldBeReferencedBy(referrer, referrerId);
    let obj: JsonObject = referrer.object;
    for (const f of filters) {
      const select = (oldName: string, pool: readonly Res[] | undefined, compareNamespaces: boolean) =>
        selectReferral(referrer, referrerId, obj, f, oldName, pool, compareNamespaces);
      const setScalar = (v: string): string => {
        const pool = (byPrevName.get(v) ?? []).filter(visible);
        const referral = select(v, pool, false);
        return referral ? String(curId(referral).name) : v;
      };
      const setMapping = (m: JsonObject): JsonObject => {
        if (!('name' in m)) {
          throw new InputError(`name reference path '${f.spec.path}' of ${idDisplay(referrerId)} leads to a map without a 'name' field`);
        }
        const oldName = String(m.name);
        let pool = (byPrevName.get(oldName) ?? []).filter(visible);
        if (typeof m.namespace === 'string') {
          // kustomize groups every visible candidate by original namespace, and falls back to the current
          // namespace only when no candidate was originally there.
          const ns = m.namespace;
          const inOrgNs = (c: Res) => !isClusterScoped(orgId(c)) && effectiveNamespace(orgId(c)) === ns;
          const inCurNs = (c: Res) => !isClusterScoped(curId(c)) && effectiveNamespace(curId(c)) === ns;
          const anyOrg = resources.some((c) => visible(c) && inOrgNs(c));
          pool = pool.filter(anyOrg ? inOrgNs : inCurNs);
        }
        const referral = select(oldName, pool, true);
        if (!referral) return m;
        const id = curId(referral);
        if (id.name === oldName && id.namespace === '') return m;
        const out: JsonObject = { ...m, name: id.name };
        if (id.namespace !== '') out.namespace = id.namespace;
        return out;
      };
      const set = (v: JsonValue | undefined): JsonValue | undefined => {
        if (v === undefined || v === null) return v;
        if (typeof v === 'string') return setScalar(v);
        if (isObject(v)) return setMapping(v);
        if (Array.isArray(v)) {
          let changed = false;
          const next = v.map((e) => {
            const n = typeof e === 'string' ? setScalar(e) : isObject(e) ? setMapping(e) : e;
            if (n !== e) changed = true;
            return n;
          });
          return changed ? next : v;
        }
        return v;
      };
      obj = updateAtPath(obj, f.spec.path, false, 'scalar', set);
    }
    return withObject(referrer, obj);
  });
}

function selectReferral(
  referrer: Res,
  referrerId: ResId,
  referrerObj: JsonObject,
  f: Filter,
  oldName: string,
  pool: readonly Res[] | undefined,
  compareNamespaces: boolean,
): Res | undefined {
  let c = (pool ?? []).filter((r) => r.prevIds.some((p) => p.name === oldName));
  c = c.filter((r) => r.prevIds.some((p) => gvkSelected(p, f.target)));
  if (f.spec.path.endsWith('roleRef/name')) {
    const roleRef = referrerObj.roleRef;
    if (isObject(roleRef) && typeof roleRef.apiGroup === 'string' && typeof roleRef.kind === 'string') {
      const sel = { group: roleRef.apiGroup, kind: roleRef.kind };
      c = c.filter((r) => r.prevIds.some((p) => gvkSelected(p, sel)));
    }
  }
  if (!isClusterScoped(referrerId)) {
    const ns = effectiveNamespace(referrerId);
    c = c.filter((r) => {
      const id = curId(r);
      return isClusterScoped(id) || id.kind === 'ServiceAccount' || effectiveNamespace(id) === ns;
    });
  }
  if (c.length === 1) return c[0];
  c = c.filter((r) => sameEnding(r.prefixes, referrer.prefixes) && sameEnding(r.suffixes, referrer.suffixes));
  if (c.length === 1) return c[0];
  if (c.length === 0) return undefined;
  const first = curId(c[0]);
  if (c.every((r) => curId(r).name === first.name && (!compareNamespaces || curId(r).namespace === first.namespace))) return c[0];
  throw new InputError(
    `found multiple possible referrals for '${oldName}' in ${idDisplay(referrerId)} (${f.spec.path}): ${c.map((r) => idDisplay(curId(r))).join(', ')}`,
  );
}
