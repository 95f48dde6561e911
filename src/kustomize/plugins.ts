// Plugin configs listed under transformers/generators/validators: kustomize's builtin plugins (apiVersion
// `builtin`) read into typed configs. kforge runs no other plugin (exec, container or Go plugins, KRM
// functions): those fail with an error that names the plugin.
import { InputError } from '../errors.js';
import type { JsonObject } from '../resource.js';
import { isObject } from '../resource.js';
import type { FieldSpec } from '../compile/fieldspec.js';
import type { ImageOverride } from '../compile/images.js';
import type { NamespaceOptions } from '../compile/namespace.js';
import type { ReplicaCount } from '../compile/replicas.js';
import type { Selector } from '../compile/select.js';
import type { NameReference } from '../compile/builtin-fieldspecs.js';
import { emptyConfig, FIELD_SPEC_LISTS, type TransformerConfig } from '../compile/transformer-config.js';
import { FieldReader, type GeneratorArgs, type PatchEntry, type ReplacementEntry } from './kustomization.js';

/** A builtin plugin's settings. */
export type PluginSettings =
  | { kind: 'AnnotationsTransformer'; pairs: Record<string, string>; fieldSpecs: FieldSpec[] }
  | { kind: 'LabelTransformer'; pairs: Record<string, string>; fieldSpecs: FieldSpec[] }
  | { kind: 'NamespaceTransformer'; namespace: string; fieldSpecs: FieldSpec[]; options: NamespaceOptions }
  | { kind: 'PrefixSuffixTransformer'; prefix?: string; suffix?: string; fieldSpecs: FieldSpec[] }
  | { kind: 'ImageTagTransformer'; image: ImageOverride; fieldSpecs: FieldSpec[] }
  | { kind: 'ReplicaCountTransformer'; replica: ReplicaCount; fieldSpecs: FieldSpec[] }
  | { kind: 'PatchTransformer'; patch: PatchEntry }
  | { kind: 'PatchStrategicMergeTransformer'; paths: string[]; patches?: string }
  | { kind: 'PatchJson6902Transformer'; target?: Selector; path?: string; jsonOp?: string }
  | { kind: 'ReplacementTransformer'; replacements: ReplacementEntry[] }
  | { kind: 'HashTransformer' }
  | { kind: 'ConfigMapGenerator' | 'SecretGenerator'; args: GeneratorArgs; name: string; file: string };

const COMMON = ['apiVersion', 'kind', 'metadata'];
const SUBJECTS = ['defaultOnly', 'allServiceAccounts', 'none'] as const;

/** A plugin's settings and which config they came from (for buildMetadata annotations). */
export type PluginConfig = PluginSettings & { readonly source: PluginSource };

/** Which config a plugin came from, for buildMetadata annotations. */
export interface PluginSource {
  kind: string;
  name: string;
  file: string;
}

/** Reads one plugin config object; `file` is where it was listed or read from. */
export function parsePluginConfig(obj: JsonObject, file: string, field: string): PluginConfig {
  const md = isObject(obj.metadata) ? obj.metadata : {};
  const source = { kind: typeof obj.kind === 'string' ? obj.kind : '', name: typeof md.name === 'string' ? md.name : '', file };
  return { ...parseConfig(obj, file, field), source };
}

function parseConfig(obj: JsonObject, file: string, field: string): PluginSettings {
  const kind = typeof obj.kind === 'string' ? obj.kind : '';
  const md = isObject(obj.metadata) ? obj.metadata : {};
  const name = typeof md.name === 'string' ? md.name : '';
  const annotations = isObject(md.annotations) ? md.annotations : {};
  const what = `${field}: ${String(obj.apiVersion ?? '')}/${kind} '${name}'`;
  if ('config.kubernetes.io/function' in annotations || 'config.k8s.io/function' in annotations) {
    throw new InputError(`${what} is a KRM function (exec or container): kforge does not run plugins`, { file }, 'replace it with builtin transformers or render its output into a resource file');
  }
  if (obj.apiVersion !== 'builtin') {
    throw new InputError(`${what} is not a kustomize builtin plugin (apiVersion: builtin): kforge does not run plugins`, { file });
  }
  const r = new FieldReader(file);
  const o = (allowed: string[]) => {
    const unknown = Object.keys(obj).find((k) => ![...COMMON, ...allowed].includes(k));
    if (unknown !== undefined) {
      // kustomize ignores unknown keys in plugin configs; kforge refuses them so a misspelt key is not lost.
      throw new InputError(`${what}: unknown field '${unknown}'`, { file }, `kustomize would ignore it silently; the fields are ${allowed.join(', ') || 'none'}`);
    }
    return r.obj(obj, kind, [...COMMON, ...allowed]);
  };
  const specs = (v: unknown) => r.list(v, `${kind}.fieldSpecs`, (f, p) => r.fieldSpec(f, p));
  switch (kind) {
    case 'AnnotationsTransformer': {
      const c = o(['annotations', 'fieldSpecs']);
      return { kind, pairs: r.strMap(c.annotations, 'annotations'), fieldSpecs: specs(c.fieldSpecs) };
    }
    case 'LabelTransformer': {
      const c = o(['labels', 'fieldSpecs']);
      return { kind, pairs: r.strMap(c.labels, 'labels'), fieldSpecs: specs(c.fieldSpecs) };
    }
    case 'NamespaceTransformer': {
      const c = o(['fieldSpecs', 'unsetOnly', 'setRoleBindingSubjects']);
      const given = r.str(c.setRoleBindingSubjects, 'setRoleBindingSubjects') || 'defaultOnly';
      const subjects = SUBJECTS.find((x) => x === given) ?? r.fail('setRoleBindingSubjects', `'${given}' is not one of ${SUBJECTS.join(', ')}`);
      return {
        kind,
        namespace: r.str(md.namespace, 'metadata.namespace') ?? '',
        fieldSpecs: specs(c.fieldSpecs),
        options: { unsetOnly: r.bool(c.unsetOnly, 'unsetOnly'), subjects },
      };
    }
    case 'PrefixSuffixTransformer':
    case 'PrefixTransformer':
    case 'SuffixTransformer': {
      const c = o([...(kind !== 'SuffixTransformer' ? ['prefix'] : []), ...(kind !== 'PrefixTransformer' ? ['suffix'] : []), 'fieldSpecs']);
      return {
        kind: 'PrefixSuffixTransformer',
        prefix: kind === 'SuffixTransformer' ? undefined : (r.str(c.prefix, 'prefix') ?? ''),
        suffix: kind === 'PrefixTransformer' ? undefined : (r.str(c.suffix, 'suffix') ?? ''),
        fieldSpecs: specs(c.fieldSpecs),
      };
    }
    case 'ImageTagTransformer': {
      const c = o(['imageTag', 'fieldSpecs']);
      const t = r.obj(c.imageTag ?? {}, 'imageTag', ['name', 'newName', 'newTag', 'digest', 'tagSuffix']);
      const image: ImageOverride = { name: r.str(t.name, 'imageTag.name') ?? '' };
      for (const k of ['newName', 'newTag', 'digest', 'tagSuffix'] as const) {
        const v = r.str(t[k], `imageTag.${k}`);
        if (v) image[k] = v;
      }
      return { kind, image, fieldSpecs: specs(c.fieldSpecs) };
    }
    case 'ReplicaCountTransformer': {
      const c = o(['replica', 'fieldSpecs']);
      const t = r.obj(c.replica ?? {}, 'replica', ['name', 'count']);
      return { kind, replica: { name: r.str(t.name, 'replica.name') ?? '', count: t.count === undefined ? 0 : r.int(t.count, 'replica.count') }, fieldSpecs: specs(c.fieldSpecs) };
    }
    case 'PatchTransformer': {
      const c = o(['path', 'patch', 'target', 'options']);
      return { kind, patch: r.patch({ path: c.path, patch: c.patch, target: c.target, options: c.options }, kind, false) };
    }
    case 'PatchStrategicMergeTransformer': {
      const c = o(['paths', 'patches']);
      return { kind, paths: r.strList(c.paths, 'paths'), patches: r.str(c.patches, 'patches') };
    }
    case 'PatchJson6902Transformer': {
      const c = o(['target', 'path', 'jsonOp']);
      return { kind, target: r.selector(c.target, 'target'), path: r.str(c.path, 'path'), jsonOp: r.str(c.jsonOp, 'jsonOp') };
    }
    case 'ReplacementTransformer': {
      const c = o(['replacements']);
      return {
        kind,
        replacements: r.list(c.replacements, 'replacements', (x, p): ReplacementEntry => {
          if (isObject(x) && 'path' in x) return { path: r.str(x.path, `${p}.path`) ?? '' };
          return { replacement: r.replacement(x, p) };
        }),
      };
    }
    case 'HashTransformer':
      o([]);
      return { kind };
    case 'SortOrderTransformer':
      // kustomize v5.5.0 does not register it as a loadable builtin; only sortOptions reaches it.
      throw new InputError(`${what}: unable to load builtin SortOrderTransformer`, { file }, 'use the sortOptions field of the top kustomization');
    case 'ConfigMapGenerator':
    case 'SecretGenerator': {
      const { apiVersion: _a, kind: _k, metadata: _m, ...rest } = obj;
      const args = r.generator({ name: md.name, namespace: md.namespace, ...rest }, kind, kind === 'SecretGenerator');
      return { kind, args, name, file };
    }
    case 'HelmChartInflationGenerator':
      throw new InputError(`${what}: kforge does not run plugins (Helm chart inflation)`, { file }, 'render the chart and list the output under resources');
    default:
      throw new InputError(`${what}: unable to load builtin ${kind}`, { file }, 'kustomize has no builtin plugin of that kind');
  }
}

/** A `configurations` file: field specs per builtin transformer (kustomize's TransformerConfig). */
export function parseTransformerConfig(value: unknown, file: string): TransformerConfig {
  const r = new FieldReader(file);
  const o = r.obj(value ?? {}, 'configuration', [...FIELD_SPEC_LISTS, 'nameReference']);
  const out = { ...emptyConfig } as { -readonly [K in keyof TransformerConfig]: TransformerConfig[K] };
  for (const k of FIELD_SPEC_LISTS) out[k] = r.list(o[k], k, (f, p) => r.fieldSpec(f, p));
  out.nameReference = r.list(o.nameReference, 'nameReference', (x, p): NameReference => {
    const n = r.obj(x, p, ['group', 'version', 'kind', 'fieldSpecs']);
    const target: NameReference['target'] = {};
    for (const k of ['group', 'version', 'kind'] as const) {
      const v = r.str(n[k], `${p}.${k}`);
      if (v) target[k] = v;
    }
    return { target, referrers: r.list(n.fieldSpecs, `${p}.fieldSpecs`, (f, fp) => r.fieldSpec(f, fp)) };
  });
  return out;
}

/** A `crds` file: OpenAPI definitions by type name (`<group>.<version>.<Kind>`); properties marked with
 *  kustomize's x-kubernetes-* extensions add field specs for that kind (kustomize's LoadConfigFromCRDs). */
export function parseCrdConfig(value: unknown, file: string): TransformerConfig {
  if (!isObject(value)) throw new InputError('unable to parse open API definition: expected a map of definitions', { file });
  const defs = value;
  const out = { ...emptyConfig } as { -readonly [K in keyof TransformerConfig]: TransformerConfig[K] };
  const push = <K extends 'commonAnnotations' | 'commonLabels' | 'namePrefix'>(k: K, fs: FieldSpec) => {
    out[k] = [...out[k], fs];
  };
  const schemaOf = (def: unknown): JsonObject | undefined => {
    if (!isObject(def)) return undefined;
    const key = Object.keys(def).find((k) => k.toLowerCase() === 'schema');
    return key && isObject(def[key]) ? def[key] : undefined;
  };
  const walk = (kind: string, typeName: string, path: string[], depth: number) => {
    const props = schemaOf(defs[typeName])?.properties;
    if (!isObject(props) || depth > 32) return;
    for (const [name, prop] of Object.entries(props)) {
      if (!isObject(prop)) continue;
      const here = [...path, name];
      const fs = (p: string[]): FieldSpec => ({ path: p.join('/'), kind, create: false });
      if (typeof prop['x-kubernetes-annotation'] === 'string') push('commonAnnotations', fs(here));
      if (typeof prop['x-kubernetes-label-selector'] === 'string') push('commonLabels', fs(here));
      if (typeof prop['x-kubernetes-identity'] === 'string') push('namePrefix', fs(here));
      const version = prop['x-kubernetes-object-ref-api-version'];
      const refKind = prop['x-kubernetes-object-ref-kind'];
      if (typeof version === 'string' && typeof refKind === 'string') {
        const nameKey = typeof prop['x-kubernetes-object-ref-name-key'] === 'string' ? prop['x-kubernetes-object-ref-name-key'] : 'name';
        out.nameReference = [...out.nameReference, { target: { kind: refKind, ...(version ? { version } : {}) }, referrers: [fs([...here, nameKey])] }];
      }
      if (typeof prop.$ref === 'string' && prop.$ref !== '') walk(kind, prop.$ref, here, depth + 1);
    }
  };
  for (const typeName of Object.keys(defs)) {
    const props = schemaOf(defs[typeName])?.properties;
    // Only definitions that look like Kubernetes types (kind, apiVersion, metadata) are kinds.
    if (!isObject(props) || !('kind' in props) || !('apiVersion' in props) || !('metadata' in props)) continue;
    const parts = typeName.split('.');
    // kustomize v5.5.0 accepts a name without dots here (measured), so kforge does too.
    walk(parts[parts.length - 1], typeName, [], 0);
  }
  return out;
}
