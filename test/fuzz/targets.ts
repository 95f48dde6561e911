// What the fuzzer feeds and what it asserts. Each target makes one input from a seeded Rng (random, or a mutation
// of the fixtures' inputs) and checks it; `check` may throw a KforgeError (a clear, one-line error is a fine
// answer to bad input) or return, having asserted the result is valid. Anything else is a finding.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseYamlDocuments } from '../../src/yaml/parse.js';
import { emitDocuments } from '../../src/emit/yaml.js';
import { applyStrategicMerge } from '../../src/compile/strategic-merge.js';
import { applyPatch } from '../../src/compile/patches.js';
import { makeRes } from '../../src/compile/res.js';
import { silentContext } from '../../src/compile/context.js';
import { parseKustomization } from '../../src/kustomize/kustomization.js';
import { buildKustomization } from '../../src/kustomize/build.js';
import { isObject, type JsonObject, type JsonValue } from '../../src/resource.js';
import { dottedPath, lineOfPath, type PathSegment } from '../../src/validate/yaml-lines.js';
import { checkResourceSchema } from '../../src/validate/k8s-schema.js';
import { defaultCacheDir } from '../../src/validate/run.js';
import { checkPolicies } from '../../src/validate/policies.js';
import { fixtureCases, fixtureFiles, mutateText, mutateValues, randomAnchoredYaml, Rng, TOKENS } from './support.js';

export interface FuzzTarget<I> {
  name: string;
  /** Cases `npm test` runs; scripts/fuzz.mjs multiplies it. */
  cases: number;
  generate(rng: Rng): I;
  /** The input as text, for the failure report. */
  show(input: I): string;
  check(input: I): void;
  /**
   * A kforge error quoting input that holds a line break prints on several lines (src/errors.ts format() does not
   * escape them; reported, see known-bugs.test.ts). True for targets whose errors come from code outside this
   * suite's author's paths: such errors are counted, not failed. The YAML loader's own errors stay strict.
   */
  multiLineErrorsKnown?: boolean;
}

class PropertyError extends Error {}
function expect(ok: boolean, what: string): asserts ok {
  if (!ok) throw new PropertyError(what);
}

/** Plain JSON data: no undefined, no NaN or Infinity, no class instances, no cycles. */
export function assertJson(v: unknown, at = '(root)', seen = new Set<object>()): void {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return;
  if (typeof v === 'number') return expect(Number.isFinite(v), `${at} is the number ${v}`);
  expect(typeof v === 'object', `${at} is a ${typeof v}`);
  const o = v as object;
  expect(!seen.has(o), `${at} is a cycle`);
  expect(Array.isArray(o) || Object.getPrototypeOf(o) === Object.prototype, `${at} is a ${o.constructor?.name}`);
  seen.add(o);
  if (Array.isArray(o)) o.forEach((x, i) => assertJson(x, `${at}[${i}]`, seen));
  else for (const [k, x] of Object.entries(o)) assertJson(x, `${at}.${k}`, seen);
  seen.delete(o);
}

/** JSON text with the keys of every map sorted. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (typeof v === 'object' && v !== null) {
    return `{${Object.keys(v).sort().map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`).join(',')}}`;
  }
  return JSON.stringify(v);
}

/** Calls `fn` on private copies of `inputs` and fails if it changed them: compile/ must not mutate its input
 *  (a shared base feeds many overlays). Copies, not Object.freeze: sloppy-mode libraries ignore writes to frozen
 *  objects silently, which would change the behaviour under test. */
function unchanged<T>(inputs: unknown[], fn: (...copies: never[]) => T): T {
  const copies = inputs.map((x) => structuredClone(x));
  const before = copies.map(canonical);
  const out = fn(...(copies as never[]));
  copies.forEach((c, i) => expect(canonical(c) === before[i], `argument ${i + 1} was modified`));
  return out;
}

const texts = () => fixtureFiles().map((f) => f.text);

/** Every document of the fixtures' YAML files that parses, as resources or patches to start from. */
let docsCache: JsonObject[] | undefined;
function fixtureDocs(): JsonObject[] {
  if (!docsCache) {
    docsCache = fixtureFiles().flatMap((f) => {
      try {
        return parseYamlDocuments(f.text, f.file).map((d) => d.value).filter(isObject);
      } catch {
        return [];
      }
    });
  }
  return docsCache;
}

// --- YAML loader ----------------------------------------------------------------------------------------------

export const yamlTarget: FuzzTarget<string> = {
  name: 'yaml',
  cases: 800,
  generate(rng) {
    const all = texts();
    switch (rng.int(4)) {
      case 0:
        return randomAnchoredYaml(rng);
      case 1:
        return mutateText(rng, randomAnchoredYaml(rng), all);
      default:
        return mutateText(rng, rng.pick(all), all, 8);
    }
  },
  show: (t) => JSON.stringify(t),
  check(text) {
    const docs = parseYamlDocuments(text, 'fuzz.yaml');
    docs.forEach((d, i) => {
      assertJson(d.value, `document ${i}`);
      expect(Number.isInteger(d.line) && d.line >= 1, `document ${i} has line ${d.line}`);
    });
    // What kforge reads it writes back, and what it writes it reads as the same data. Not with NEL, LS or PS in
    // the text: go-yaml reads those as line breaks and js-yaml does not (the README's documented reader gap).
    if (/[\u0085\u2028\u2029]/.test(text)) return;
    const objects = docs.map((d) => d.value).filter(isObject);
    const again = parseYamlDocuments(emitDocuments(objects), 'emitted.yaml').map((d) => d.value);
    // (kustomize's output sorts keys, so compare with keys sorted.)
    expect(canonical(again) === canonical(objects), `emitting and parsing again changes the data: ${canonical(again)} != ${canonical(objects)}`);
  },
};

// --- strategic merge --------------------------------------------------------------------------------------------

const DIRECTIVES: JsonValue[] = [
  { $patch: 'delete' }, { $patch: 'replace' }, { $patch: 'merge' }, { $patch: 'bogus' }, { $patch: 1 },
  { $retainKeys: ['name'] }, { $retainKeys: 'x' }, null, [], {}, 'text', 7, true, [{ $patch: 'delete', name: 'a' }],
  [{ $patch: 'replace' }], [{ name: 'web', image: 'x' }], [1, 2], [{ containerPort: 80 }, { containerPort: 80, protocol: 'TCP' }],
];

/** A random value of any JSON shape, with patch directives sprinkled in. */
function randomValue(rng: Rng, depth: number): JsonValue {
  const r = rng.int(10);
  if (depth > 0 && r < 2) return rng.pick(DIRECTIVES);
  if (depth < 4 && r < 4) return Array.from({ length: rng.int(4) }, () => randomValue(rng, depth + 1));
  if (depth < 4 && r < 6) {
    const o: JsonObject = {};
    for (let i = rng.int(4); i > 0; i--) o[rng.pick(['name', 'image', 'a', 'containers', 'ports', '$patch', 'value', 'key'])] = randomValue(rng, depth + 1);
    return o;
  }
  return rng.pick<JsonValue>([null, '', 'x', 'web', 0, -1, 1.5, true, false, 'TCP', 80]);
}

/** A copy of `v` with random edits at random places: the patch a confused user (or a fuzzer) writes. */
function mutateJson(rng: Rng, v: JsonValue, depth = 0): JsonValue {
  if (depth > 6 || rng.chance(0.15)) return rng.chance(0.5) ? randomValue(rng, depth) : v;
  if (Array.isArray(v)) {
    const out = v.filter(() => !rng.chance(0.2)).map((x) => mutateJson(rng, x, depth + 1));
    if (rng.chance(0.3)) out.splice(rng.int(out.length + 1), 0, randomValue(rng, depth + 1));
    return out;
  }
  if (isObject(v)) {
    const out: JsonObject = {};
    for (const [k, x] of Object.entries(v)) if (!rng.chance(0.15)) out[k] = rng.chance(0.5) ? x : mutateJson(rng, x, depth + 1);
    if (rng.chance(0.3)) out[rng.pick(['$patch', `$setElementOrder/${rng.pick(['containers', 'ports', 'env', 'x'])}`, `$deleteFromPrimitiveList/${rng.pick(['finalizers', 'args', 'x'])}`, '$retainKeys', 'extra'])] = randomValue(rng, depth + 1);
    return out;
  }
  return v;
}

export interface SmpInput {
  base: JsonObject;
  patch: JsonObject;
}

export const smpTarget: FuzzTarget<SmpInput> = {
  name: 'strategic-merge',
  cases: 800,
  generate(rng) {
    const docs = fixtureDocs();
    const base = rng.pick(docs);
    const source = rng.chance(0.5) ? base : rng.pick(docs);
    const mutated = mutateJson(rng, source);
    const patch: JsonObject = isObject(mutated) ? { ...mutated } : { value: mutated };
    // Most patches keep the target's identity, as kustomize requires of a patch without a target.
    if (rng.chance(0.8)) {
      patch.apiVersion = base.apiVersion ?? 'v1';
      patch.kind = base.kind ?? 'ConfigMap';
      patch.metadata = isObject(patch.metadata) ? { ...patch.metadata, name: isObject(base.metadata) ? base.metadata.name : 'x' } : base.metadata ?? null;
    }
    return { base, patch };
  },
  show: (i) => JSON.stringify(i),
  check({ base, patch }) {
    const out = unchanged([base, patch], (b: JsonObject, p: JsonObject) => applyStrategicMerge(b, p, () => {}, {}));
    expect(out === null || isObject(out), 'the merge returned neither an object nor null');
    assertJson(out);
  },
};

// --- JSON patch (patches.ts: kustomize's EnsurePathExistsOnAdd, copy-on-write along the path) ---------------------

function pointers(v: JsonValue, at = '', out: string[] = []): string[] {
  out.push(at);
  if (Array.isArray(v)) v.forEach((x, i) => pointers(x, `${at}/${i}`, out));
  else if (isObject(v)) for (const [k, x] of Object.entries(v)) pointers(x, `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, out);
  return out;
}

function randomPointer(rng: Rng, known: readonly string[]): JsonValue {
  const p = rng.pick(known);
  switch (rng.int(9)) {
    case 0:
      return `${p}/-`;
    case 1:
      return `${p}/${rng.pick(['999', '-1', '01', '1e3', '~2', '~', '', 'new', '__proto__', 'constructor'])}`;
    case 2:
      return p.slice(1);
    case 3:
      return rng.pick<JsonValue>(['', '/', '//', 7, null, ['a'], '/metadata/name/x/y']);
    default:
      return p;
  }
}

export interface JsonPatchInput {
  base: JsonObject;
  ops: JsonValue[];
}

/**
 * Bugs the fuzzer found outside the files its author may change, reported to their owner (src/compile/patches.ts)
 * and skipped here until fixed; test/fuzz/known-bugs.test.ts shows each still reproduces.
 * - move/copy with a `from` that is not a JSON pointer ("spec", no leading slash) is accepted: kforge inserts a
 *   hole (undefined, printed as null) or does nothing, kustomize fails ("doc is missing from path").
 * - move from "" (the whole document) or from a proper prefix of `path` makes a cyclic object: the emitter then
 *   overflows the stack (exit 70, a stack trace); kustomize fails ("doc is missing from path").
 * - a `from` through a name JavaScript objects inherit (/constructor, /metadata/toString, /spec/ports/length)
 *   reads the built-in: a function or a number lands in the resource (emitted as {}); kustomize fails for move
 *   ("Unable to remove nonexistent key") and writes null for copy.
 */

export const jsonPatchTarget: FuzzTarget<JsonPatchInput> = {
  name: 'json-patch',
  cases: 800,
  generate(rng) {
    const base = rng.pick(fixtureDocs());
    const known = pointers(base);
    const ops: JsonValue[] = Array.from({ length: 1 + rng.int(4) }, () => {
      if (rng.chance(0.05)) return randomValue(rng, 1);
      const op: JsonObject = { op: rng.pick(['add', 'remove', 'replace', 'move', 'copy', 'test', 'add', 'replace', 'bogus', '']), path: randomPointer(rng, known) };
      if (rng.chance(0.8)) op.value = rng.chance(0.3) ? structuredClone(rng.pick(fixtureDocs())) : randomValue(rng, 0);
      if (rng.chance(0.5)) op.from = randomPointer(rng, known);
      if (rng.chance(0.05)) delete op.op;
      return op;
    });
    return { base, ops };
  },
  show: (i) => JSON.stringify(i),
  check({ base, ops }) {
    const kind = typeof base.kind === 'string' ? base.kind : 'ConfigMap';
    const origin = { file: 'fuzz-patch.yaml', index: 0, line: 1 };
    const out = unchanged([base, ops], (b: JsonObject, o: JsonValue[]) =>
      applyPatch([makeRes(b, { file: 'fuzz.yaml', index: 0, line: 1 })], { type: 'json6902', ops: o, target: { kind }, options: {}, source: 'fuzz-patch.yaml', origin }, silentContext),
    );
    expect(out.length === 1, `one resource in, ${out.length} out`);
    assertJson(out[0].object);
  },
};

// --- kustomization files ----------------------------------------------------------------------------------------

export const kustomizationTarget: FuzzTarget<string> = {
  name: 'kustomization',
  cases: 500,
  generate(rng) {
    const ks = fixtureFiles().filter((f) => /(^|\/)(kustomization\.ya?ml|Kustomization)$/.test(f.file));
    const base = rng.pick(ks).text;
    if (rng.chance(0.1)) return `${rng.pick(['resources', 'patches', 'images', 'labels', 'replicas', 'configMapGenerator'])}:\n${randomAnchoredYaml(rng, 1, '  ')}`;
    // Half keep the structure and change values, to get past the parser into the field checks.
    return rng.chance(0.5) ? mutateValues(rng, base) : mutateText(rng, base, [...ks.map((k) => k.text), ...TOKENS], 6);
  },
  show: (t) => JSON.stringify(t),
  check(text) {
    const k = parseKustomization(text, 'kustomization.yaml');
    expect(k.kind === 'Kustomization' || k.kind === 'Component', `kind ${String(k.kind)}`);
    for (const list of [k.resources, k.components, k.patchesStrategicMerge]) expect(list.every((x) => typeof x === 'string'), 'a list of paths holds a non-string');
    for (const m of [k.commonLabels, k.commonAnnotations]) expect(Object.values(m).every((x) => typeof x === 'string'), 'a label or annotation value is not a string');
    expect(k.replicas.every((r) => Number.isInteger(r.count)), 'a replica count is not an integer');
  },
};

// --- whole builds of mutated fixture trees --------------------------------------------------------------------------

export interface BuildInput {
  fixture: string;
  file: string;
  text: string;
}

function copyTree(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true, verbatimSymlinks: true });
}

export const buildTarget: FuzzTarget<BuildInput> = {
  name: 'build',
  cases: 40,
  generate(rng) {
    // Mostly cases kustomize builds (an error case stays an error whatever is mutated).
    const builds = fixtureCases().filter((c) => fs.existsSync(path.join('fixtures', c, 'expected.yaml')));
    const fixture = rng.pick(rng.chance(0.85) && builds.length ? builds : fixtureCases());
    const files = fixtureFiles().filter((f) => f.file.startsWith(path.join('fixtures', fixture, 'input') + path.sep));
    if (files.length === 0) return { fixture, file: '', text: '' };
    const f = rng.pick(files);
    // Mostly structure-keeping value changes: a build gets past the parser into the transformers.
    const text = rng.chance(0.6) ? mutateValues(rng, f.text) : mutateText(rng, f.text, texts(), 2);
    return { fixture, file: path.relative(path.join('fixtures', fixture, 'input'), f.file), text };
  },
  show: (i) => JSON.stringify(i),
  check({ fixture, file, text }) {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kforge-fuzz-'));
    try {
      copyTree(path.join('fixtures', fixture, 'input'), tmp);
      if (file) fs.writeFileSync(path.join(tmp, file), text);
      const caseFile = path.join('fixtures', fixture, 'case.yaml');
      const dir = fs.existsSync(caseFile) ? (/^dir:\s*(\S+)/m.exec(fs.readFileSync(caseFile, 'utf8'))?.[1] ?? '.') : '.';
      const built = buildKustomization(path.join(tmp, dir));
      for (const r of built.resources) assertJson(r.object);
      expect(typeof emitDocuments(built.resources.map((r) => r.object)) === 'string', 'emit failed');
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  },
};

// --- validate: locating fields, schema checks and policy rules on any input ----------------------------------------

function randomPath(rng: Rng, v: JsonValue): PathSegment[] {
  const out: PathSegment[] = [];
  let node = v;
  while (rng.chance(0.85)) {
    if (Array.isArray(node) && node.length) {
      const i = rng.chance(0.9) ? rng.int(node.length) : node.length + rng.int(3);
      out.push(i);
      node = node[i];
    } else if (isObject(node) && Object.keys(node).length) {
      const k = rng.chance(0.9) ? rng.pick(Object.keys(node)) : rng.pick(['missing', '', '-', 'a b']);
      out.push(k);
      node = node[k];
    } else break;
  }
  return out;
}

export interface ValidateInput {
  text: string;
  seed: number;
}

export const validateTarget: FuzzTarget<ValidateInput> = {
  name: 'validate',
  cases: 200,
  generate(rng) {
    const all = texts();
    return { text: rng.chance(0.7) ? mutateText(rng, rng.pick(all), all, 4) : rng.pick(all), seed: rng.int(2 ** 31) };
  },
  show: (i) => JSON.stringify(i),
  check({ text, seed }) {
    const rng = new Rng(seed);
    const lines = text.split(/\r?\n/).length;
    const docs = parseYamlDocuments(text, 'fuzz.yaml');
    for (const d of docs) {
      const p = randomPath(rng, d.value);
      const line = lineOfPath(text, p, d.line);
      expect(Number.isInteger(line) && line >= 1 && line <= Math.max(lines, d.line), `lineOfPath(${dottedPath(p)}) = ${line} of ${lines} lines`);
      if (!isObject(d.value)) continue;
      const verdict = checkResourceSchema(d.value, { cacheDir: defaultCacheDir() });
      if (verdict.kind === 'checked') for (const pr of verdict.problems) expect(typeof pr.message === 'string' && pr.message.length > 0, 'an empty problem');
    }
    const objects = docs.map((d) => d.value).filter(isObject);
    const ctx = { env: { name: 'e', protected: rng.chance(0.5) }, projectImages: [{ name: 'app', repository: 'r/app', tag: 't' }], registry: 'r' };
    for (const f of checkPolicies(objects, ctx)) expect(f.index >= 0 && f.index < objects.length && f.message.length > 0, 'a finding without place or message');
  },
};

export const TARGETS = { yaml: yamlTarget, 'strategic-merge': smpTarget, 'json-patch': jsonPatchTarget, kustomization: kustomizationTarget, build: buildTarget, validate: validateTarget } as const;
export type TargetName = keyof typeof TARGETS;
