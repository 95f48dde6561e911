// Builds one kustomization directory into a resource list, as `kustomize build DIR` does. Per kustomization:
//   resources (files, sub-kustomizations), configurations and crds (field specs), generators (fields, then
//   `generators` plugins), components, the builtin transformers in kustomize's order, `transformers` plugins,
//   validators, then its vars are bound. At the top only: hash suffixes, name-reference fix-ups, vars,
//   local-config resources dropped, the sort (legacy unless sortOptions says fifo), buildMetadata.
// A Builder caches parsed files and built sub-kustomizations, so a base shared by many overlays is read and
// built once per session; results are immutable, so sharing them is safe.
import path from 'node:path';
import { InputError, isKforgeError } from '../errors.js';
import type { JsonObject, JsonValue, Resource } from '../resource.js';
import { isObject } from '../resource.js';
import { absorbGenerated, appendUnique } from '../compile/accumulate.js';
import { prefixSuffixSkip } from '../compile/builtin-fieldspecs.js';
import type { CompileContext } from '../compile/context.js';
import { mergeFieldSpecs } from '../compile/fieldspec.js';
import { generateObject, mergeGeneratorOptions, type GeneratedEntry } from '../compile/generators.js';
import { addHashSuffixes } from '../compile/hash-suffix.js';
import { setImages } from '../compile/images.js';
import { setStringPairs } from '../compile/labels.js';
import { addNameAffix } from '../compile/name-affix.js';
import { fixNameReferences } from '../compile/name-references.js';
import { setNamespace } from '../compile/namespace.js';
import { applyPatch, type LoadedPatch } from '../compile/patches.js';
import { setReplicas } from '../compile/replicas.js';
import { makeRes, recordTransformation, type Provenance, type Res, type Transformation } from '../compile/res.js';
import { applyReplacements, type Replacement } from '../compile/replacements.js';
import { legacySort } from '../compile/sort.js';
import { defaultConfig, mergeConfig, type TransformerConfig } from '../compile/transformer-config.js';
import { bindVars, resolveVars, type VarDef } from '../compile/vars.js';
import { parseYamlDocuments } from '../yaml/parse.js';
import { parseReplacementFile, type GeneratorArgs, type Kustomization, type PatchEntry, type ReplacementEntry, type SortOptions } from './kustomization.js';
import { displayPath, Loader, type InputKey, type LoadRestrictor } from './loader.js';
import { parseCrdConfig, parsePluginConfig, parseTransformerConfig, type PluginConfig } from './plugins.js';
import { parseEnvFile, parseLiteral } from './sources.js';

export interface BuildOptions {
  /** kustomize's --load-restrictor; default LoadRestrictionsRootOnly. */
  loadRestrictor?: LoadRestrictor;
  /** kustomize's --enable-managedby-label (the same as buildMetadata: [managedByLabel]). */
  enableManagedByLabel?: boolean;
}

/** What building a kustomization yields: its resources, the field specs in force, and the vars declared. */
interface Accumulated {
  readonly res: readonly Res[];
  readonly config: TransformerConfig;
  readonly vars: readonly VarDef[];
}

// The label kustomize adds for managedByLabel; kubectl's embedded kustomize reports its version as (devel).
const MANAGED_BY = { 'app.kubernetes.io/managed-by': 'kustomize-(devel)' };
const LOCAL_CONFIG = 'config.kubernetes.io/local-config';

export interface BuildResult {
  resources: Resource[];
  warnings: string[];
  /** Everything the build read (see Loader.track), for caches that must notice any change. */
  inputs: InputKey[];
}

export class Builder {
  private readonly loader: Loader;
  private readonly built = new Map<string, { acc: Accumulated; inputs: InputKey[] }>();
  private readonly plugins = new WeakMap<Kustomization, Map<string, { configs: PluginConfig[] }>>();
  private readonly configurations = new Map<string, TransformerConfig>();
  private warnings: string[] = [];
  private trackTransformations = false;
  private readonly ctx: CompileContext;

  constructor(readonly options: BuildOptions = {}) {
    this.loader = new Loader(options.loadRestrictor);
    this.ctx = { warn: (m) => this.warnings.push(m) };
  }

  /** `kustomize build DIR`. */
  build(dir: string): BuildResult {
    const { value, inputs } = this.loader.track(() => this.buildUntracked(dir));
    return { ...value, inputs: [...inputs].sort() };
  }

  private buildUntracked(dir: string): Omit<BuildResult, 'inputs'> {
    this.warnings = [];
    const root = this.loader.resolve(process.cwd(), dir, displayPath(dir));
    if (!root.isDir) throw new InputError(`${displayPath(dir)} is not a directory`, {}, 'pass the folder that holds kustomization.yaml');
    const top = this.loader.kustomization(root.path);
    const trackTransformations = top.buildMetadata.includes('transformerAnnotations');
    // Built bases remember the transformers recorded on them, so a build in the other mode starts afresh.
    if (trackTransformations !== this.trackTransformations) this.built.clear();
    this.trackTransformations = trackTransformations;
    const acc = this.accumulate(root.path, []);
    let res: Res[] = acc.res.slice();
    // The hash goes last, over the final content; then references follow every rename at once; vars are
    // read after that, so they see final names.
    res = addHashSuffixes(res);
    res = fixNameReferences(res, acc.config.nameReference);
    res = resolveVars(res, acc.vars, acc.config.varReference, this.ctx);
    // kustomize drops resources marked as local configuration from the output.
    res = res.filter((r) => {
      const md = isObject(r.object.metadata) ? r.object.metadata : {};
      return !(isObject(md.annotations) && md.annotations[LOCAL_CONFIG] === 'true');
    });
    res = res.map(annotationsAsText);
    // Only the top kustomization's sortOptions count.
    res = sortBy(res, top.sortOptions);
    if (this.options.enableManagedByLabel || top.buildMetadata.includes('managedByLabel')) {
      res = setStringPairs(res, MANAGED_BY, [{ path: 'metadata/labels', create: true }]);
    }
    if (top.buildMetadata.includes('originAnnotations')) res = res.map((r) => withOriginAnnotation(r, root.path));
    if (this.trackTransformations) res = res.map((r) => withTransformationsAnnotation(r, root.path));
    // Callers print warnings: a shared base would otherwise warn once per overlay.
    return { resources: res, warnings: [...new Set(this.warnings)] };
  }

  /** Builds a kustomization folder on its own (what a parent includes through `resources`). */
  private accumulate(dir: string, stack: readonly string[]): Accumulated {
    const cached = this.built.get(dir);
    if (cached) {
      // The cached build's inputs are this build's inputs too.
      this.loader.note(...cached.inputs);
      return cached.acc;
    }
    if (stack.includes(dir)) {
      throw new InputError(`cycle between kustomizations: ${[...stack, dir].map(displayPath).join(' -> ')}`);
    }
    const k = this.loader.kustomization(dir);
    if (k.kind === 'Component' && stack.length > 0) {
      throw new InputError(`${displayPath(dir)} is a Component, it cannot be listed under resources`, { file: k.file }, 'list it under components');
    }
    const { value: result, inputs } = this.loader.track(() => this.accumulateTarget(dir, k, { res: [], config: defaultConfig, vars: [] }, [...stack, dir]));
    this.built.set(dir, { acc: result, inputs: [...inputs, `dir:${dir}` as const] });
    return result;
  }

  /** kustomize's accumulateTarget: resources, configurations, generators, components, transformers,
   *  validators, then the vars of this kustomization are bound. */
  private accumulateTarget(dir: string, k: Kustomization, start: Accumulated, stack: readonly string[]): Accumulated {
    for (const d of k.deprecations) this.ctx.warn(d);
    let res = start.res.slice();
    let config = start.config;
    let vars = start.vars;
    // Appended in one go: the id check indexes the list once instead of once per file.
    const added: Res[] = [];
    for (const ref of k.resources) {
      const target = this.loader.resolve(dir, ref, k.file);
      if (target.isDir) {
        const sub = this.accumulate(target.path, stack);
        for (const r of sub.res) added.push(r);
        config = mergeConfig(config, sub.config);
        vars = mergeVars(vars, sub.vars);
      } else {
        this.loader.checkInsideRoot(dir, target.path, ref, k.file);
        for (const r of this.resourcesOfFile(target.path)) added.push(r);
      }
    }
    res = appendUnique(res, added);
    for (const ref of k.configurations) config = mergeConfig(config, this.configuration(dir, ref, k.file, 'configurations'));
    for (const ref of k.crds) config = mergeConfig(config, this.configuration(dir, ref, k.file, 'crds'));
    for (const g of k.configMapGenerator) res = absorbGenerated(res, this.generate(dir, k, g, 'ConfigMap', k.generatorOptions));
    for (const g of k.secretGenerator) res = absorbGenerated(res, this.generate(dir, k, g, 'Secret', k.generatorOptions));
    for (const cfg of this.pluginConfigs(dir, k, 'generators', stack)) {
      if (cfg.kind !== 'ConfigMapGenerator' && cfg.kind !== 'SecretGenerator') {
        throw new InputError(`generators: ${cfg.kind} is a transformer, not a generator`, { file: k.file }, 'list it under transformers');
      }
      const by = { configuredIn: path.resolve(cfg.file), configuredBy: { kind: cfg.kind, name: cfg.name } };
      res = absorbGenerated(res, this.generate(dir, k, cfg.args, cfg.kind === 'ConfigMapGenerator' ? 'ConfigMap' : 'Secret', undefined, by));
    }
    for (const ref of k.components) {
      const target = this.loader.resolve(dir, ref, k.file);
      if (!target.isDir) throw new InputError(`component '${ref}' must be a folder with a kustomization`, { file: k.file });
      if (stack.includes(target.path)) throw new InputError(`cycle between kustomizations: ${[...stack, target.path].map(displayPath).join(' -> ')}`);
      const ck = this.loader.kustomization(target.path);
      if (ck.kind !== 'Component') {
        throw new InputError(`${displayPath(target.path)} is a Kustomization, not a Component`, { file: k.file }, 'components must have kind: Component');
      }
      const after = this.accumulateTarget(target.path, ck, { res, config, vars }, [...stack, target.path]);
      ({ res, config, vars } = { res: after.res.slice(), config: after.config, vars: after.vars });
    }
    try {
      res = this.transform(dir, k, res, config, stack);
      res = this.validate(dir, k, res, stack);
      res = bindVars(res, k.vars, new Set(vars.map((v) => v.name)));
    } catch (e) {
      // Transformer errors that do not name a file yet get the kustomization they come from.
      if (isKforgeError(e) && !e.location.file) throw e.within(k.file);
      throw e;
    }
    return { res, config, vars: k.vars.length ? [...vars, ...k.vars] : vars };
  }

  /** The builtin transformers, in kustomize's order, then the `transformers` plugins. */
  private transform(dir: string, k: Kustomization, input: Res[], config: TransformerConfig, stack: readonly string[]): Res[] {
    let res = input;
    // buildMetadata transformerAnnotations: kustomize records each transformer it configured on every resource.
    const kfile = path.join(dir, path.basename(k.file));
    const step = (kind: string, by?: { name: string; file: string }) => {
      if (this.trackTransformations) res = recordTransformation(res, { configuredIn: by ? path.resolve(by.file) : kfile, configuredBy: { kind, ...(by ? { name: by.name } : {}) } });
    };
    for (const ref of k.patchesStrategicMerge) res = applyPatch(res, this.strategicPatchFrom(dir, k, ref), this.ctx);
    if (k.patchesStrategicMerge.length) step('PatchStrategicMergeTransformer');
    for (const p of k.patches) {
      res = applyPatch(res, this.patchFrom(dir, k, p, false), this.ctx);
      step('PatchTransformer');
    }
    if (k.namespace) {
      res = setNamespace(res, k.namespace, config.namespace);
      step('NamespaceTransformer');
    }
    res = addNameAffix(res, { prefix: k.namePrefix ?? '', suffix: k.nameSuffix ?? '' }, { prefix: config.namePrefix, suffix: config.nameSuffix }, prefixSuffixSkip);
    if (k.namePrefix) step('PrefixTransformer');
    if (k.nameSuffix) step('SuffixTransformer');
    for (const l of k.labels) {
      const fields = l.includeSelectors
        ? mergeFieldSpecs(l.fields, config.commonLabels)
        : mergeFieldSpecs(l.fields, l.includeTemplates ? config.templateLabels : [], [{ path: 'metadata/labels', create: true }]);
      res = setStringPairs(res, l.pairs, fields);
      step('LabelTransformer');
    }
    res = setStringPairs(res, k.commonLabels, config.commonLabels);
    // kustomize configures the commonLabels transformer whenever labels or commonLabels are set.
    if (k.labels.length || Object.keys(k.commonLabels).length) step('LabelTransformer');
    res = setStringPairs(res, k.commonAnnotations, config.commonAnnotations);
    if (Object.keys(k.commonAnnotations).length) step('AnnotationsTransformer');
    for (const p of k.patchesJson6902) {
      res = applyPatch(res, this.patchFrom(dir, k, p, true), this.ctx);
      step('PatchJson6902Transformer');
    }
    if (k.replicas.length) res = setReplicas(res, k.replicas, config.replicas);
    for (const _ of k.replicas) step('ReplicaCountTransformer');
    if (k.images.length) res = setImages(res, k.images, config.images);
    for (const _ of k.images) step('ImageTagTransformer');
    if (k.replacements.length) {
      res = applyReplacements(res, this.replacements(dir, k.replacements, k.file));
      step('ReplacementTransformer');
    }
    for (const cfg of this.pluginConfigs(dir, k, 'transformers', stack)) {
      res = this.runPlugin(dir, k, cfg, res);
      step(cfg.source.kind, cfg.source);
    }
    return res;
  }


  /** `validators`: kustomize runs them as transformers and refuses any change. Measured with kustomize
   *  v5.5.0: a builtin plugin always counts as a change (even one that edits nothing), and other plugins
   *  fail to load, so every validator entry is an error. */
  private validate(dir: string, k: Kustomization, res: Res[], stack: readonly string[]): Res[] {
    for (const cfg of this.pluginConfigs(dir, k, 'validators', stack)) {
      throw new InputError(`validator ${cfg.kind} shouldn't modify the resource map (kustomize refuses builtin transformers as validators)`, { file: k.file });
    }
    return res;
  }

  /** Runs one builtin plugin config; only its own fieldSpecs apply, as in kustomize. */
  private runPlugin(dir: string, k: Kustomization, cfg: PluginConfig, res: Res[]): Res[] {
    switch (cfg.kind) {
      case 'AnnotationsTransformer':
      case 'LabelTransformer':
        return setStringPairs(res, cfg.pairs, cfg.fieldSpecs);
      case 'NamespaceTransformer':
        return setNamespace(res, cfg.namespace, cfg.fieldSpecs, cfg.options);
      case 'PrefixSuffixTransformer':
        return addNameAffix(res, { prefix: cfg.prefix, suffix: cfg.suffix }, { prefix: cfg.fieldSpecs, suffix: cfg.fieldSpecs }, prefixSuffixSkip);
      case 'ImageTagTransformer':
        return setImages(res, [cfg.image], cfg.fieldSpecs);
      case 'ReplicaCountTransformer':
        return setReplicas(res, [cfg.replica], cfg.fieldSpecs);
      case 'PatchTransformer':
        return applyPatch(res, this.patchFrom(dir, k, cfg.patch, false), this.ctx);
      case 'PatchStrategicMergeTransformer': {
        let out = res;
        for (const ref of cfg.paths) out = applyPatch(out, this.strategicPatchFrom(dir, k, ref), this.ctx);
        if (cfg.patches) out = applyPatch(out, this.strategicPatchFrom(dir, k, cfg.patches.includes('\n') ? cfg.patches : `${cfg.patches}\n`), this.ctx);
        return out;
      }
      case 'PatchJson6902Transformer':
        return applyPatch(res, this.patchFrom(dir, k, { path: cfg.path, patch: cfg.jsonOp, target: cfg.target, options: {} }, true), this.ctx);
      case 'ReplacementTransformer':
        return applyReplacements(res, this.replacements(dir, cfg.replacements, k.file));
      case 'HashTransformer':
        return addHashSuffixes(res);
      case 'ConfigMapGenerator':
      case 'SecretGenerator':
        throw new InputError(`transformers: ${cfg.kind} is a generator, not a transformer`, { file: k.file }, 'list it under generators');
    }
  }

  /** Plugin configs of transformers/generators/validators: inline entries first, then the paths (files or
   *  kustomization folders, whose built output is the list of configs), as kustomize collects them. */
  private pluginConfigs(dir: string, k: Kustomization, field: 'transformers' | 'generators' | 'validators', stack: readonly string[]): PluginConfig[] {
    const entries = k[field];
    if (entries.length === 0) return [];
    let perK = this.plugins.get(k);
    if (!perK) this.plugins.set(k, (perK = new Map()));
    const cached = perK.get(field);
    if (cached) return cached.configs;
    const inline: PluginConfig[] = [];
    const fromPaths: PluginConfig[] = [];
    for (const entry of entries) {
      const docs = looksInline(entry) ? parseYamlDocuments(entry, `${k.file} (inline ${field})`).filter((d) => d.value !== null) : undefined;
      if (docs && docs.length && docs.every((d) => isObject(d.value))) {
        for (const d of docs) inline.push(parsePluginConfig(d.value as JsonObject, k.file, field));
        continue;
      }
      const target = this.loader.resolve(dir, entry, k.file);
      if (target.isDir) {
        for (const r of this.accumulate(target.path, stack).res) fromPaths.push(parsePluginConfig(r.object, r.origin.file, field));
      } else {
        this.loader.checkInsideRoot(dir, target.path, entry, k.file);
        for (const r of this.resourcesOfFile(target.path)) fromPaths.push(parsePluginConfig(r.object, r.origin.file, field));
      }
    }
    const configs = [...inline, ...fromPaths];
    perK.set(field, { configs });
    return configs;
  }

  /** A `configurations` or `crds` file, read once per session. */
  private configuration(dir: string, ref: string, from: string, field: 'configurations' | 'crds'): TransformerConfig {
    const f = this.loader.readFileInRoot(dir, ref, from);
    const key = `${field}:${f.path}`;
    const parse = field === 'crds' ? parseCrdConfig : parseTransformerConfig;
    let c = this.configurations.get(key);
    if (!c) {
      const docs = this.loader.documents(f.path);
      c = parse(docs[0]?.value ?? {}, displayPath(f.path));
      this.configurations.set(key, c);
    }
    return c;
  }

  private replacements(dir: string, entries: readonly ReplacementEntry[], from: string): Replacement[] {
    return entries.flatMap((e) => {
      if ('replacement' in e) return [e.replacement];
      const f = this.loader.readFileInRoot(dir, e.path, from);
      const docs = this.loader.documents(f.path);
      return parseReplacementFile(docs[0]?.value ?? null, displayPath(f.path));
    });
  }

  private resourcesOfFile(real: string): Res[] {
    const file = displayPath(real);
    const out: Res[] = [];
    for (const doc of this.loader.documents(real)) {
      const origin = { file, index: doc.index, line: doc.line };
      if (!isObject(doc.value)) throw new InputError('expected a Kubernetes object (a YAML map)', { file, line: doc.line });
      const items = typeof doc.value.kind === 'string' && doc.value.kind.endsWith('List') && Array.isArray(doc.value.items) ? doc.value.items : [doc.value];
      for (const item of items) {
        if (!isObject(item)) throw new InputError('expected a Kubernetes object (a YAML map) in items', { file, line: doc.line });
        checkResource(item, file, doc.line);
        out.push({ ...makeRes(item, origin), provenance: { path: real } });
      }
    }
    return out;
  }

  private generate(dir: string, k: Kustomization, g: GeneratorArgs, kind: 'ConfigMap' | 'Secret', global: GeneratorArgs['options'], by?: Provenance): Res {
    const what = `${kind === 'ConfigMap' ? 'configmap' : 'secret'} ${g.name}`;
    const entries: GeneratedEntry[] = [];
    const seen = new Set<string>();
    const add = (key: string, value: string | Uint8Array) => {
      if (seen.has(key)) throw new InputError(`${what} illegally repeats the key '${key}'`, { file: k.file });
      seen.add(key);
      entries.push({ key, value });
    };
    for (const env of g.envs) {
      const f = this.loader.readFileInRoot(dir, env, k.file);
      for (const [key, value] of parseEnvFile(f.text, displayPath(f.path))) add(key, value);
    }
    for (const lit of g.literals) {
      const [key, value] = parseLiteral(lit, k.file);
      add(key, value);
    }
    for (const spec of g.files) {
      const eq = spec.indexOf('=');
      const key = eq > 0 ? spec.slice(0, eq) : path.basename(spec);
      const ref = eq > 0 ? spec.slice(eq + 1) : spec;
      const f = this.loader.readFileInRoot(dir, ref, k.file);
      const utf8 = isUtf8(f.bytes);
      add(key, kind === 'Secret' ? new Uint8Array(f.bytes) : utf8 ? f.text : new Uint8Array(f.bytes));
    }
    const options = mergeGeneratorOptions(g.options, global);
    const object = generateObject({ kind, name: g.name, namespace: g.namespace, behavior: g.behavior, type: g.type, entries, options });
    const provenance = by ?? { configuredIn: path.join(dir, path.basename(k.file)), configuredBy: { kind: `${kind}Generator` } };
    return { ...makeRes(object, { file: k.file, index: 0 }), generator: { behavior: g.behavior, hash: !options.disableNameSuffixHash }, provenance };
  }

  private strategicPatchFrom(dir: string, k: Kustomization, ref: string): LoadedPatch {
    // kustomize first tries the entry as inline YAML, then as a file path.
    const inline = ref.includes('\n') || /^\s*[{]/.test(ref) ? this.inlineDocs(ref, k.file, 'text') : undefined;
    const docs = inline ?? this.fileDocs(dir, ref, k.file, 'text');
    // patchesStrategicMerge documents are read as resources, whose labels are strings: a null label becomes
    // the text "null" (under `patches:` it would delete the label).
    const object = (d: { value: JsonValue; file: string; line?: number }) => nullLabelsAsText(asPatchObject(d.value, d.file, d.line));
    return { type: 'strategic', docs: docs.map((d) => ({ object: object(d), origin: { file: d.file, index: 0, line: d.line } })), options: {}, source: inline ? `inline patch in ${k.file}` : ref };
  }

  private patchFrom(dir: string, k: Kustomization, p: PatchEntry, json6902: boolean): LoadedPatch {
    const docs = p.patch !== undefined ? this.inlineDocs(p.patch, k.file, 'keep') : this.fileDocs(dir, p.path ?? '', k.file, 'keep');
    const source = p.path ?? `inline patch in ${k.file}`;
    if (docs.length === 0) throw new InputError(`patch ${source} is empty`, { file: k.file });
    const first = docs[0];
    if (Array.isArray(first.value) || json6902) {
      if (!Array.isArray(first.value)) throw new InputError('a JSON 6902 patch must be a list of operations', { file: first.file, line: first.line });
      return { type: 'json6902', ops: first.value, target: p.target, options: p.options, source, origin: { file: first.file, index: 0, line: first.line } };
    }
    return {
      type: 'strategic',
      docs: docs.map((d) => ({ object: asPatchObject(d.value, d.file, d.line), origin: { file: d.file, index: 0, line: d.line } })),
      target: p.target,
      options: p.options,
      source,
    };
  }

  private inlineDocs(text: string, file: string, nullAnnotations: 'text' | 'keep') {
    return parseYamlDocuments(text, `${file} (inline patch)`, { nullAnnotations }).map((d) => ({ value: d.value, file, line: undefined as number | undefined }));
  }

  private fileDocs(dir: string, ref: string, from: string, nullAnnotations: 'text' | 'keep') {
    const f = this.loader.readFileInRoot(dir, ref, from);
    const file = displayPath(f.path);
    return this.loader.documents(f.path, nullAnnotations).map((d) => ({ value: d.value, file, line: d.line as number | undefined }));
  }
}

/** An entry that is YAML text rather than a path (kustomize tries to parse every entry as resources). */
function looksInline(entry: string): boolean {
  return entry.includes('\n') || /^\s*\{/.test(entry);
}

/** kustomize rewrites metadata.annotations as map[string]string at the end of a build, so a number or
 *  boolean that a replacement or var put there comes out as text. */
function annotationsAsText(r: Res): Res {
  const md = r.object.metadata;
  if (!isObject(md)) return r;
  // Setting an empty map removes the field: `annotations: {}` and `annotations:` do not survive a build.
  // So does a value that is not a map (a transformer's field spec can create one): kustomize reads it as none.
  if ('annotations' in md && (md.annotations === null || !isObject(md.annotations) || Object.keys(md.annotations).length === 0)) {
    const { annotations: _dropped, ...rest } = md;
    void _dropped;
    return { ...r, object: { ...r.object, metadata: rest } };
  }
  if (!isObject(md.annotations)) return r;
  const a = md.annotations;
  if (Object.values(a).every((v) => typeof v === 'string' || v === null)) return r;
  // A map or list value has no text of its own: kustomize reads it as ''.
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(a)) out[k] = typeof v === 'number' || typeof v === 'boolean' ? String(v) : v !== null && typeof v === 'object' ? '' : v;
  return { ...r, object: { ...r.object, metadata: { ...md, annotations: out } } };
}

const relTo = (top: string) => (abs: string) => path.relative(top, abs).split(path.sep).join('/');

/** buildMetadata originAnnotations: config.kubernetes.io/origin, with paths relative to the top folder. */
function withOriginAnnotation(r: Res, top: string): Res {
  const p = r.provenance;
  if (!p) return r;
  const text = 'path' in p ? `path: ${relTo(top)(p.path)}\n` : configuredText(p, relTo(top), '');
  return setStringPairs([r], { 'config.kubernetes.io/origin': text }, [{ path: 'metadata/annotations', create: true }])[0];
}

/** buildMetadata transformerAnnotations: alpha.config.kubernetes.io/transformations, a YAML list. */
function withTransformationsAnnotation(r: Res, top: string): Res {
  if (!r.transformations?.length) return r;
  const text = r.transformations.map((t) => `- ${configuredText(t, relTo(top), '  ').slice(2)}`).join('');
  return setStringPairs([r], { 'alpha.config.kubernetes.io/transformations': text }, [{ path: 'metadata/annotations', create: true }])[0];
}

function configuredText(p: Transformation, rel: (abs: string) => string, indent: string): string {
  const by = p.configuredBy;
  return [`configuredIn: ${rel(p.configuredIn)}`, 'configuredBy:', '  apiVersion: builtin', `  kind: ${by.kind}`, ...(by.name ? [`  name: ${by.name}`] : [])]
    .map((l) => `${indent}${l}\n`)
    .join('');
}

function mergeVars(a: readonly VarDef[], b: readonly VarDef[]): readonly VarDef[] {
  if (b.length === 0) return a;
  const names = new Set(a.map((v) => v.name));
  for (const v of b) if (names.has(v.name)) throw new InputError(`var '${v.name}' already encountered`);
  return [...a, ...b];
}

function sortBy(res: Res[], options: SortOptions | undefined): Res[] {
  if (options?.order === 'fifo') return res;
  return legacySort(res, options?.legacy);
}

function nullLabelsAsText(patch: JsonObject): JsonObject {
  const md = patch.metadata;
  if (!isObject(md) || !isObject(md.labels) || !Object.values(md.labels).includes(null)) return patch;
  const labels = Object.fromEntries(Object.entries(md.labels).map(([k, v]) => [k, v === null ? 'null' : v]));
  return { ...patch, metadata: { ...md, labels } };
}

function asPatchObject(v: JsonValue, file: string, line?: number): JsonObject {
  if (!isObject(v)) throw new InputError('a strategic merge patch must be a YAML map', { file, line });
  return v;
}

function checkResource(obj: JsonObject, file: string, line: number): void {
  if (typeof obj.kind !== 'string' || obj.kind === '') throw new InputError('resource is missing kind', { file, line });
  const md = obj.metadata;
  if (!isObject(md) || typeof md.name !== 'string' || md.name === '') {
    throw new InputError(`${obj.kind} is missing metadata.name`, { file, line });
  }
}

function isUtf8(bytes: Buffer): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

/** Builds one kustomization folder (a fresh session: nothing cached from earlier calls). */
export function buildKustomization(dir: string, opts: BuildOptions = {}): BuildResult {
  return new Builder(opts).build(dir);
}
