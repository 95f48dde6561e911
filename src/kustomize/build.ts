// Builds one kustomization directory into a resource list, as `kustomize build DIR` does:
//   accumulate resources (files, sub-kustomizations), run generators, apply components, then the builtin
//   transformers in kustomize's order; at the top only: hash suffixes, name-reference fix-ups, legacy sort.
// A Builder caches parsed files and built sub-kustomizations, so a base shared by many overlays is read and
// built once per session; results are immutable, so sharing them is safe.
import path from 'node:path';
import { InputError, isKforgeError } from '../errors.js';
import type { JsonObject, JsonValue, Resource } from '../resource.js';
import { isObject } from '../resource.js';
import { absorbGenerated, appendUnique } from '../compile/accumulate.js';
import * as specs from '../compile/builtin-fieldspecs.js';
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
import { makeRes, type Res } from '../compile/res.js';
import { legacySort } from '../compile/sort.js';
import { parseYamlDocuments } from '../yaml/parse.js';
import type { GeneratorArgs, Kustomization, PatchEntry } from './kustomization.js';
import { displayPath, Loader, type LoadRestrictor } from './loader.js';
import { parseEnvFile, parseLiteral } from './sources.js';

export interface BuildOptions {
  /** kustomize's --load-restrictor; default LoadRestrictionsRootOnly. */
  loadRestrictor?: LoadRestrictor;
}

export interface BuildResult {
  resources: Resource[];
  warnings: string[];
}

export class Builder {
  private readonly loader: Loader;
  private readonly built = new Map<string, readonly Res[]>();
  private warnings: string[] = [];
  private readonly ctx: CompileContext;

  constructor(readonly options: BuildOptions = {}) {
    this.loader = new Loader(options.loadRestrictor);
    this.ctx = { warn: (m) => this.warnings.push(m) };
  }

  /** `kustomize build DIR`. */
  build(dir: string): BuildResult {
    this.warnings = [];
    const root = this.loader.resolve(process.cwd(), dir, displayPath(dir));
    if (!root.isDir) throw new InputError(`${displayPath(dir)} is not a directory`, {}, 'pass the folder that holds kustomization.yaml');
    let res: Res[] = this.accumulate(root.path, []).slice();
    // The hash goes last, over the final content; then references follow every rename at once.
    res = addHashSuffixes(res);
    res = fixNameReferences(res, specs.nameReferences);
    res = legacySort(res);
    // Callers print warnings: a shared base would otherwise warn once per overlay.
    return { resources: res, warnings: [...new Set(this.warnings)] };
  }

  /** Builds a kustomization folder on its own (what a parent includes through `resources`). */
  private accumulate(dir: string, stack: readonly string[]): readonly Res[] {
    const cached = this.built.get(dir);
    if (cached) return cached;
    if (stack.includes(dir)) {
      throw new InputError(`cycle between kustomizations: ${[...stack, dir].map(displayPath).join(' -> ')}`);
    }
    const k = this.loader.kustomization(dir);
    if (k.kind === 'Component' && stack.length > 0) {
      throw new InputError(`${displayPath(dir)} is a Component, it cannot be listed under resources`, { file: k.file }, 'list it under components');
    }
    const result = this.accumulateTarget(dir, k, [], [...stack, dir]);
    this.built.set(dir, result);
    return result;
  }

  private accumulateTarget(dir: string, k: Kustomization, start: readonly Res[], stack: readonly string[]): Res[] {
    for (const d of k.deprecations) this.ctx.warn(d);
    let res = start.slice();
    for (const ref of k.resources) {
      const target = this.loader.resolve(dir, ref, k.file);
      if (target.isDir) {
        res = appendUnique(res, this.accumulate(target.path, stack));
      } else {
        this.loader.checkInsideRoot(dir, target.path, ref, k.file);
        res = appendUnique(res, this.resourcesOfFile(target.path));
      }
    }
    for (const g of k.configMapGenerator) res = absorbGenerated(res, this.generate(dir, k, g, 'ConfigMap'));
    for (const g of k.secretGenerator) res = absorbGenerated(res, this.generate(dir, k, g, 'Secret'));
    for (const ref of k.components) {
      const target = this.loader.resolve(dir, ref, k.file);
      if (!target.isDir) throw new InputError(`component '${ref}' must be a folder with a kustomization`, { file: k.file });
      if (stack.includes(target.path)) throw new InputError(`cycle between kustomizations: ${[...stack, target.path].map(displayPath).join(' -> ')}`);
      const ck = this.loader.kustomization(target.path);
      if (ck.kind !== 'Component') {
        throw new InputError(`${displayPath(target.path)} is a Kustomization, not a Component`, { file: k.file }, 'components must have kind: Component');
      }
      res = this.accumulateTarget(target.path, ck, res, [...stack, target.path]);
    }
    try {
      return this.transform(dir, k, res);
    } catch (e) {
      // Transformer errors that do not name a file yet get the kustomization they come from.
      if (isKforgeError(e) && !e.location.file) throw e.within(k.file);
      throw e;
    }
  }

  /** The builtin transformers, in kustomize's order. */
  private transform(dir: string, k: Kustomization, input: Res[]): Res[] {
    let res = input;
    for (const ref of k.patchesStrategicMerge) res = applyPatch(res, this.strategicPatchFrom(dir, k, ref), this.ctx);
    for (const p of k.patches) res = applyPatch(res, this.patchFrom(dir, k, p, false), this.ctx);
    if (k.namespace) res = setNamespace(res, k.namespace, specs.namespaceSpecs);
    res = addNameAffix(res, { prefix: k.namePrefix ?? '', suffix: k.nameSuffix ?? '' }, { prefix: specs.namePrefixSpecs, suffix: specs.nameSuffixSpecs }, specs.prefixSuffixSkip);
    for (const l of k.labels) {
      const fields = l.includeSelectors
        ? mergeFieldSpecs(l.fields, specs.commonLabelSpecs)
        : mergeFieldSpecs(l.fields, l.includeTemplates ? specs.templateLabelSpecs : [], [{ path: 'metadata/labels', create: true }]);
      res = setStringPairs(res, l.pairs, fields);
    }
    res = setStringPairs(res, k.commonLabels, specs.commonLabelSpecs);
    res = setStringPairs(res, k.commonAnnotations, specs.commonAnnotationSpecs);
    for (const p of k.patchesJson6902) res = applyPatch(res, this.patchFrom(dir, k, p, true), this.ctx);
    if (k.replicas.length) res = setReplicas(res, k.replicas, specs.replicaSpecs);
    if (k.images.length) res = setImages(res, k.images);
    return res;
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
        out.push(makeRes(item, origin));
      }
    }
    return out;
  }

  private generate(dir: string, k: Kustomization, g: GeneratorArgs, kind: 'ConfigMap' | 'Secret'): Res {
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
    const options = mergeGeneratorOptions(g.options, k.generatorOptions);
    const object = generateObject({ kind, name: g.name, namespace: g.namespace, behavior: g.behavior, type: g.type, entries, options });
    return { ...makeRes(object, { file: k.file, index: 0 }), generator: { behavior: g.behavior, hash: !options.disableNameSuffixHash } };
  }

  private strategicPatchFrom(dir: string, k: Kustomization, ref: string): LoadedPatch {
    // kustomize first tries the entry as inline YAML, then as a file path.
    const inline = ref.includes('\n') || /^\s*[{]/.test(ref) ? this.inlineDocs(ref, k.file) : undefined;
    const docs = inline ?? this.fileDocs(dir, ref, k.file);
    return { type: 'strategic', docs: docs.map((d) => ({ object: asPatchObject(d.value, d.file, d.line), origin: { file: d.file, index: 0, line: d.line } })), options: {}, source: inline ? `inline patch in ${k.file}` : ref };
  }

  private patchFrom(dir: string, k: Kustomization, p: PatchEntry, json6902: boolean): LoadedPatch {
    const docs = p.patch !== undefined ? this.inlineDocs(p.patch, k.file) : this.fileDocs(dir, p.path ?? '', k.file);
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

  private inlineDocs(text: string, file: string) {
    return parseYamlDocuments(text, `${file} (inline patch)`).map((d) => ({ value: d.value, file, line: undefined as number | undefined }));
  }

  private fileDocs(dir: string, ref: string, from: string) {
    const f = this.loader.readFileInRoot(dir, ref, from);
    const file = displayPath(f.path);
    return this.loader.documents(f.path).map((d) => ({ value: d.value, file, line: d.line as number | undefined }));
  }
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
