// The kustomization file: finds it in a folder, parses it with kustomize's YAML 1.1 rules (sigs.k8s.io/yaml:
// unquoted yes/no/on/off are booleans), and checks every field: known and supported, known but not supported
// by kforge yet (a clear error, never silently ignored), or unknown.
import { InputError } from '../errors.js';
import type { JsonValue } from '../resource.js';
import { isObject } from '../resource.js';
import { parseYamlDocument } from '../yaml/parse.js';
import type { FieldSpec } from '../compile/fieldspec.js';
import type { GeneratorOptions } from '../compile/generators.js';
import type { ImageOverride } from '../compile/images.js';
import type { ReplicaCount } from '../compile/replicas.js';
import type { Selector } from '../compile/select.js';
import type { PatchOptions } from '../compile/patches.js';
import type { Behavior } from '../compile/res.js';
import type { FieldOptions, Replacement, ReplacementSelector, ReplacementSource, ReplacementTarget } from '../compile/replacements.js';
import type { VarDef } from '../compile/vars.js';

export const KUSTOMIZATION_FILE_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

export interface LabelsEntry {
  pairs: Record<string, string>;
  includeSelectors: boolean;
  includeTemplates: boolean;
  fields: FieldSpec[];
}

export interface PatchEntry {
  path?: string;
  patch?: string;
  target?: Selector;
  options: PatchOptions;
}

export interface GeneratorArgs {
  name: string;
  namespace?: string;
  behavior: Behavior;
  literals: string[];
  files: string[];
  envs: string[];
  type?: string;
  options?: GeneratorOptions;
}

/** A `replacements` entry: a file of replacements, or one inline. */
export type ReplacementEntry = { path: string } | { replacement: Replacement };

export interface SortOptions {
  order: 'legacy' | 'fifo';
  legacy?: { orderFirst: string[]; orderLast: string[] };
}

export interface Kustomization {
  file: string;
  kind: 'Kustomization' | 'Component';
  resources: string[];
  components: string[];
  namespace?: string;
  namePrefix?: string;
  nameSuffix?: string;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  labels: LabelsEntry[];
  images: ImageOverride[];
  replicas: ReplicaCount[];
  patches: PatchEntry[];
  patchesStrategicMerge: string[];
  patchesJson6902: PatchEntry[];
  configMapGenerator: GeneratorArgs[];
  secretGenerator: GeneratorArgs[];
  generatorOptions?: GeneratorOptions;
  replacements: ReplacementEntry[];
  vars: VarDef[];
  /** Entries of transformers/generators/validators: inline YAML plugin configs or paths (files or folders). */
  transformers: string[];
  generators: string[];
  validators: string[];
  configurations: string[];
  crds: string[];
  sortOptions?: SortOptions;
  buildMetadata: string[];
  /** kustomize's deprecation warnings for fields this file uses. */
  deprecations: string[];
}

// kustomize v5.5.0 warns about these fields; kforge renders them the same and says the same.
const DEPRECATED: Record<string, string> = {
  bases: 'resources',
  commonLabels: 'labels',
  patchesStrategicMerge: 'patches',
  patchesJson6902: 'patches',
  imageTags: 'images',
  vars: 'replacements',
};

const SUPPORTED = new Set([
  'apiVersion', 'kind', 'metadata', 'resources', 'bases', 'components', 'namespace', 'namePrefix', 'nameSuffix',
  'commonLabels', 'labels', 'commonAnnotations', 'images', 'replicas', 'patches', 'patchesStrategicMerge',
  'patchesJson6902', 'configMapGenerator', 'secretGenerator', 'generatorOptions', 'replacements', 'vars',
  'transformers', 'generators', 'validators', 'configurations', 'crds', 'sortOptions', 'buildMetadata', 'imageTags',
]);
/** Fields kustomize v5.5.0 accepts that kforge does not implement yet, with why. */
export const NOT_SUPPORTED = new Map([
  ['openapi', 'kforge does not load custom OpenAPI schemas for strategic merge yet'],
  ['helmCharts', 'kforge does not run plugins (Helm chart inflation); render the chart and list the output under resources'],
  ['helmGlobals', 'kforge does not run plugins (Helm chart inflation); render the chart and list the output under resources'],
  ['helmChartInflationGenerator', 'kforge does not run plugins (Helm chart inflation); render the chart and list the output under resources'],
]);
/** buildMetadata options kforge implements. */
export const BUILD_METADATA = ['managedByLabel', 'originAnnotations', 'transformerAnnotations'];

/** Reads typed fields with errors that name the file and the field. */
export class FieldReader {
  /** `strict`: a kustomization file, which kustomize decodes as strict JSON (a number or boolean where a
   *  string belongs is an error); plugin, configuration and replacement files go through sigs.k8s.io/yaml,
   *  which turns such scalars into strings. */
  constructor(readonly file: string, readonly strict = false) {}
  fail(path: string, what: string): never {
    throw new InputError(`${path}: ${what}`, { file: this.file });
  }
  /** A string field; numbers and booleans are converted as sigs.k8s.io/yaml does for string targets, or
   *  refused in a kustomization file (measured: kustomize v5.5.0 fails on `nameSuffix: -1`). */
  str(v: unknown, path: string): string | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'string') return v;
    if ((typeof v === 'number' || typeof v === 'boolean') && this.strict) {
      return this.fail(path, `expected a string, got ${typeof v === 'boolean' ? 'a YAML 1.1 boolean' : 'a number'} (quote the value)`);
    }
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    return this.fail(path, 'expected a string');
  }
  bool(v: unknown, path: string): boolean {
    if (v === undefined || v === null) return false;
    if (typeof v === 'boolean') return v;
    return this.fail(path, 'expected true or false');
  }
  int(v: unknown, path: string): number {
    if (typeof v === 'number' && Number.isInteger(v)) return v;
    return this.fail(path, 'expected a whole number');
  }
  strList(v: unknown, path: string): string[] {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) return this.fail(path, 'expected a list of strings');
    return v.map((x, i) => this.str(x, `${path}[${i}]`) ?? this.fail(`${path}[${i}]`, 'expected a string'));
  }
  /** map[string]string: values must be strings (kustomize refuses a bool or number here). */
  strMap(v: unknown, path: string): Record<string, string> {
    if (v === undefined || v === null) return {};
    if (!isObject(v)) return this.fail(path, 'expected a map of strings');
    const out: Record<string, string> = {};
    for (const [k, x] of Object.entries(v)) {
      if (x === null) out[k] = '';
      else if (typeof x === 'string') out[k] = x;
      else this.fail(`${path}.${k}`, `expected a string, got ${typeof x === 'boolean' ? 'a YAML 1.1 boolean' : typeof x} (quote the value)`);
    }
    return out;
  }
  obj(v: unknown, path: string, allowed: readonly string[]): Record<string, JsonValue> {
    if (!isObject(v)) return this.fail(path, 'expected a map');
    for (const k of Object.keys(v)) if (!allowed.includes(k)) this.fail(path, `unknown field '${k}'`);
    return v;
  }
  list<T>(v: unknown, path: string, item: (x: unknown, p: string) => T): T[] {
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) return this.fail(path, 'expected a list');
    return v.map((x, i) => item(x, `${path}[${i}]`));
  }
  selector(v: unknown, path: string): Selector | undefined {
    if (v === undefined || v === null) return undefined;
    const o = this.obj(v, path, ['group', 'version', 'kind', 'name', 'namespace', 'labelSelector', 'annotationSelector']);
    const s: Selector = {};
    for (const k of ['group', 'version', 'kind', 'name', 'namespace', 'labelSelector', 'annotationSelector'] as const) {
      const x = this.str(o[k], `${path}.${k}`);
      if (x !== undefined && x !== '') s[k] = x;
    }
    return s;
  }
  fieldSpec(v: unknown, path: string): FieldSpec {
    const o = this.obj(v, path, ['path', 'group', 'version', 'kind', 'create']);
    const p = this.str(o.path, `${path}.path`);
    if (!p) this.fail(`${path}.path`, 'is required');
    return {
      path: p,
      ...(o.group ? { group: this.str(o.group, `${path}.group`) } : {}),
      ...(o.version ? { version: this.str(o.version, `${path}.version`) } : {}),
      ...(o.kind ? { kind: this.str(o.kind, `${path}.kind`) } : {}),
      create: this.bool(o.create, `${path}.create`),
    };
  }
  resSelector(v: unknown, path: string, extra: readonly string[] = []): ReplacementSelector {
    const keys = ['group', 'version', 'kind', 'name', 'namespace', ...extra] as const;
    const o = this.obj(v, path, keys);
    const s: Record<string, string> = {};
    for (const k of keys) {
      const x = this.str(o[k], `${path}.${k}`);
      if (x) s[k] = x;
    }
    return s;
  }
  fieldOptions(v: unknown, path: string): FieldOptions | undefined {
    if (v === undefined || v === null) return undefined;
    const o = this.obj(v, path, ['delimiter', 'index', 'create', 'encoding']);
    // kustomize v5.5.0 knows `encoding` but does nothing with it (measured: base64 changes no output).
    this.str(o.encoding, `${path}.encoding`);
    return {
      delimiter: this.str(o.delimiter, `${path}.delimiter`) || undefined,
      index: o.index === undefined || o.index === null ? 0 : this.int(o.index, `${path}.index`),
      create: this.bool(o.create, `${path}.create`),
    };
  }
  replacement(v: unknown, path: string): Replacement {
    const o = this.obj(v, path, ['source', 'targets']);
    let source: ReplacementSource | undefined;
    if (o.source !== undefined && o.source !== null) {
      const so = this.obj(o.source, `${path}.source`, ['group', 'version', 'kind', 'name', 'namespace', 'fieldPath', 'options']);
      const { fieldPath, options, ...id } = so;
      source = {
        ...this.resSelector(id, `${path}.source`),
        fieldPath: this.str(fieldPath, `${path}.source.fieldPath`),
        options: this.fieldOptions(options, `${path}.source.options`),
      };
    }
    const targets = this.list(o.targets, `${path}.targets`, (t, tp): ReplacementTarget => {
      const to = this.obj(t, tp, ['select', 'reject', 'fieldPaths', 'options']);
      const sel = ['labelSelector', 'annotationSelector'];
      return {
        select: to.select === undefined || to.select === null ? undefined : this.resSelector(to.select, `${tp}.select`, sel),
        reject: this.list(to.reject, `${tp}.reject`, (r, rp) => this.resSelector(r, rp, sel)),
        fieldPaths: this.strList(to.fieldPaths, `${tp}.fieldPaths`),
        options: this.fieldOptions(to.options, `${tp}.options`),
      };
    });
    return { source, targets };
  }
  /** A var; kustomize reads its keys case-insensitively (Go's encoding/json), so `objref` and `fieldpath` work. */
  variable(v: unknown, path: string): VarDef {
    const lower = (x: unknown, p: string, allowed: readonly string[]): Record<string, JsonValue> => {
      const o = this.obj(x ?? {}, p, Object.keys(isObject(x) ? x : {}));
      const out: Record<string, JsonValue> = {};
      for (const [k, val] of Object.entries(o)) {
        if (!allowed.includes(k.toLowerCase())) this.fail(p, `unknown field '${k}'`);
        out[k.toLowerCase()] = val;
      }
      return out;
    };
    const o = lower(v, path, ['name', 'objref', 'fieldref']);
    const name = this.str(o.name, `${path}.name`);
    if (!name) this.fail(`${path}.name`, 'is required');
    const ref = lower(o.objref, `${path}.objref`, ['apiversion', 'group', 'version', 'kind', 'name', 'namespace']);
    const apiVersion = this.str(ref.apiversion, `${path}.objref.apiVersion`);
    let group = this.str(ref.group, `${path}.objref.group`) ?? '';
    let version = this.str(ref.version, `${path}.objref.version`) ?? '';
    if (apiVersion) {
      const slash = apiVersion.indexOf('/');
      group = slash < 0 ? '' : apiVersion.slice(0, slash);
      version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
    }
    const fieldRef = lower(o.fieldref, `${path}.fieldref`, ['fieldpath']);
    return {
      name,
      objref: {
        group,
        version,
        kind: this.str(ref.kind, `${path}.objref.kind`) ?? '',
        name: this.str(ref.name, `${path}.objref.name`) ?? '',
        namespace: this.str(ref.namespace, `${path}.objref.namespace`) ?? '',
      },
      fieldPath: this.str(fieldRef.fieldpath, `${path}.fieldref.fieldPath`) || 'metadata.name',
    };
  }
  sortOptions(v: unknown, path: string): SortOptions | undefined {
    if (v === undefined || v === null) return undefined;
    const o = this.obj(v, path, ['order', 'legacySortOptions']);
    const order = this.str(o.order, `${path}.order`);
    if (order !== 'legacy' && order !== 'fifo') this.fail(`${path}.order`, "must be one of [fifo, legacy]");
    if (o.legacySortOptions === undefined || o.legacySortOptions === null) return { order };
    if (order === 'fifo') this.fail(`${path}.legacySortOptions`, "is set but the selected sort order is 'fifo', not 'legacy'");
    const l = this.obj(o.legacySortOptions, `${path}.legacySortOptions`, ['orderFirst', 'orderLast']);
    return { order, legacy: { orderFirst: this.strList(l.orderFirst, `${path}.legacySortOptions.orderFirst`), orderLast: this.strList(l.orderLast, `${path}.legacySortOptions.orderLast`) } };
  }
  generatorOptions(v: unknown, path: string): GeneratorOptions | undefined {
    if (v === undefined || v === null) return undefined;
    const o = this.obj(v, path, ['labels', 'annotations', 'disableNameSuffixHash', 'immutable']);
    const out: GeneratorOptions = {};
    if (o.labels !== undefined) out.labels = this.strMap(o.labels, `${path}.labels`);
    if (o.annotations !== undefined) out.annotations = this.strMap(o.annotations, `${path}.annotations`);
    if (o.disableNameSuffixHash !== undefined) out.disableNameSuffixHash = this.bool(o.disableNameSuffixHash, `${path}.disableNameSuffixHash`);
    if (o.immutable !== undefined) out.immutable = this.bool(o.immutable, `${path}.immutable`);
    return out;
  }
  generator(v: unknown, path: string, secret: boolean): GeneratorArgs {
    const o = this.obj(v, path, ['name', 'namespace', 'behavior', 'literals', 'files', 'envs', 'env', 'options', ...(secret ? ['type'] : [])]);
    const name = this.str(o.name, `${path}.name`);
    if (!name) this.fail(`${path}.name`, 'is required');
    const behavior = this.str(o.behavior, `${path}.behavior`) ?? 'create';
    if (!['create', 'merge', 'replace', ''].includes(behavior)) this.fail(`${path}.behavior`, `'${behavior}' is not one of create, merge, replace`);
    const env = this.str(o.env, `${path}.env`);
    return {
      name,
      namespace: this.str(o.namespace, `${path}.namespace`) || undefined,
      behavior: (behavior || 'create') as Behavior,
      literals: this.strList(o.literals, `${path}.literals`),
      files: this.strList(o.files, `${path}.files`),
      envs: [...(env ? [env] : []), ...this.strList(o.envs, `${path}.envs`)],
      type: secret ? this.str(o.type, `${path}.type`) : undefined,
      options: this.generatorOptions(o.options, `${path}.options`),
    };
  }
  patch(v: unknown, path: string, json6902: boolean): PatchEntry {
    const o = this.obj(v, path, ['path', 'patch', 'target', 'options']);
    const opts = o.options === undefined || o.options === null ? {} : this.obj(o.options, `${path}.options`, ['allowNameChange', 'allowKindChange']);
    const entry: PatchEntry = {
      path: this.str(o.path, `${path}.path`),
      patch: this.str(o.patch, `${path}.patch`),
      target: this.selector(o.target, `${path}.target`),
      options: {
        allowNameChange: this.bool(opts.allowNameChange, `${path}.options.allowNameChange`),
        allowKindChange: this.bool(opts.allowKindChange, `${path}.options.allowKindChange`),
      },
    };
    if (!entry.path && !entry.patch) this.fail(path, "needs 'path' or 'patch'");
    if (entry.path && entry.patch) this.fail(path, "has both 'path' and 'patch': give one");
    if (json6902 && !entry.target) this.fail(`${path}.target`, 'is required');
    return entry;
  }
}

/** Reads a replacement, or a list of them, from a `replacements: [{path}]` file (kustomize accepts both). */
export function parseReplacementFile(value: unknown, file: string): Replacement[] {
  const r = new FieldReader(file);
  if (Array.isArray(value)) return value.map((x, i) => r.replacement(x, `[${i}]`));
  if (isObject(value)) return [r.replacement(value, 'replacement')];
  throw new InputError('unsupported replacement type: expected a replacement or a list of them', { file });
}

/** Parses the text of a kustomization file. */
export function parseKustomization(text: string, file: string): Kustomization {
  // go-yaml v2's reading (sigs.k8s.io/yaml): `yes` is a boolean, timestamps stay text. A nested key that is not
  // a string is refused: the map kustomize builds from it cannot be written as JSON (measured with commonLabels).
  const raw = parseYamlDocument(text, file, { resolution: 'kustomization', nestedNonStringKeys: 'refuse' });
  if (raw === undefined || raw === null) throw new InputError('kustomization is empty', { file });
  const r: FieldReader = new FieldReader(file, true);
  if (!isObject(raw)) throw new InputError('a kustomization must be a YAML map', { file });
  for (const key of Object.keys(raw)) {
    const why = NOT_SUPPORTED.get(key);
    if (why !== undefined) throw new InputError(`field '${key}' is not supported by kforge yet: ${why}`, { file }, 'see the compatibility table in the README');
    if (!SUPPORTED.has(key)) throw new InputError(`unknown field '${key}' in kustomization`, { file }, 'check the spelling; kustomize would refuse it too');
  }
  if (Object.keys(raw).every((k) => k === 'apiVersion' || k === 'kind')) {
    throw new InputError('kustomization is empty', { file }, 'list resources, components or generators');
  }
  const kind = r.str(raw.kind, 'kind') ?? 'Kustomization';
  if (kind !== 'Kustomization' && kind !== 'Component') r.fail('kind', `'${kind}' is not Kustomization or Component`);
  const labels = r.list(raw.labels, 'labels', (x, p) => {
    const o = r.obj(x, p, ['pairs', 'includeSelectors', 'includeTemplates', 'fields']);
    return {
      pairs: r.strMap(o.pairs, `${p}.pairs`),
      includeSelectors: r.bool(o.includeSelectors, `${p}.includeSelectors`),
      includeTemplates: r.bool(o.includeTemplates, `${p}.includeTemplates`),
      fields: r.list(o.fields, `${p}.fields`, (f, fp) => r.fieldSpec(f, fp)),
    };
  });
  const images = r.list([...(Array.isArray(raw.images) ? raw.images : raw.images === undefined || raw.images === null ? [] : [raw.images]), ...(Array.isArray(raw.imageTags) ? raw.imageTags : [])], 'images', (x, p) => {
    const o = r.obj(x, p, ['name', 'newName', 'newTag', 'digest', 'tagSuffix']);
    const name = r.str(o.name, `${p}.name`);
    if (!name) r.fail(`${p}.name`, 'is required');
    const img: ImageOverride = { name };
    for (const k of ['newName', 'newTag', 'digest', 'tagSuffix'] as const) {
      const v = r.str(o[k], `${p}.${k}`);
      if (v) img[k] = v;
    }
    return img;
  });
  return {
    file,
    kind: kind as 'Kustomization' | 'Component',
    // kustomize appends the deprecated `bases` to `resources`.
    resources: [...r.strList(raw.resources, 'resources'), ...r.strList(raw.bases, 'bases')],
    components: r.strList(raw.components, 'components'),
    namespace: r.str(raw.namespace, 'namespace') || undefined,
    namePrefix: r.str(raw.namePrefix, 'namePrefix'),
    nameSuffix: r.str(raw.nameSuffix, 'nameSuffix'),
    commonLabels: r.strMap(raw.commonLabels, 'commonLabels'),
    commonAnnotations: r.strMap(raw.commonAnnotations, 'commonAnnotations'),
    labels,
    images,
    replicas: r.list(raw.replicas, 'replicas', (x, p) => {
      const o = r.obj(x, p, ['name', 'count']);
      const name = r.str(o.name, `${p}.name`);
      if (!name) r.fail(`${p}.name`, 'is required');
      return { name, count: r.int(o.count, `${p}.count`) };
    }),
    patches: r.list(raw.patches, 'patches', (x, p) => r.patch(x, p, false)),
    patchesStrategicMerge: r.strList(raw.patchesStrategicMerge, 'patchesStrategicMerge'),
    patchesJson6902: r.list(raw.patchesJson6902, 'patchesJson6902', (x, p) => r.patch(x, p, true)),
    configMapGenerator: r.list(raw.configMapGenerator, 'configMapGenerator', (x, p) => r.generator(x, p, false)),
    secretGenerator: r.list(raw.secretGenerator, 'secretGenerator', (x, p) => r.generator(x, p, true)),
    generatorOptions: r.generatorOptions(raw.generatorOptions, 'generatorOptions'),
    replacements: r.list(raw.replacements, 'replacements', (x, p): ReplacementEntry => {
      if (isObject(x) && 'path' in x) {
        if ('source' in x || 'targets' in x) r.fail(p, 'cannot specify both path and inline replacement');
        const o = r.obj(x, p, ['path']);
        const path = r.str(o.path, `${p}.path`);
        if (!path) return r.fail(`${p}.path`, 'is required');
        return { path };
      }
      return { replacement: r.replacement(x, p) };
    }),
    vars: r.list(raw.vars, 'vars', (x, p) => r.variable(x, p)),
    transformers: r.strList(raw.transformers, 'transformers'),
    generators: r.strList(raw.generators, 'generators'),
    validators: r.strList(raw.validators, 'validators'),
    configurations: r.strList(raw.configurations, 'configurations'),
    crds: r.strList(raw.crds, 'crds'),
    sortOptions: r.sortOptions(raw.sortOptions, 'sortOptions'),
    buildMetadata: r.strList(raw.buildMetadata, 'buildMetadata').map((b, i) => {
      if (!BUILD_METADATA.includes(b)) r.fail(`buildMetadata[${i}]`, `'${b}' is not one of managedByLabel, originAnnotations, transformerAnnotations`);
      return b;
    }),
    deprecations: Object.keys(raw)
      .filter((key) => key in DEPRECATED)
      .map((key) => `${file}: '${key}' is deprecated. Please use '${DEPRECATED[key]}' instead (kustomize edit fix rewrites it)`),
  };
}
