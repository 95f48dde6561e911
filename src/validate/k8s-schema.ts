// Checks rendered resources against the Kubernetes v1.32 OpenAPI schemas of built-in kinds (derived into
// schemas/k8s/validation-v1.32.json by scripts/k8s-validation.mjs), strict about unknown fields as the API
// server is with fieldValidation=Strict; custom resources against the schema of a CRD found in the render,
// and otherwise not at all.
// Compiling the Deployment schema takes ajv about 1.5 s, loading its generated code 40 ms: each kind's
// validator is compiled on first use, kept for the process, and, given a cache folder, saved there as ajv
// standalone code keyed by the schema data, ajv's version and these options.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Ajv as AjvClass } from 'ajv';
import { schemaDir } from '../project/config.js';
import { isObject, splitApiVersion, type JsonObject, type JsonValue } from '../resource.js';
import { AJV_OPTIONS, newAjv, problemsOf, type SchemaProblem, type ValidateFunction } from './json-schema.js';

export const K8S_VALIDATION_FILE = path.join(schemaDir, 'k8s', 'validation-v1.32.json');
const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';
const require = createRequire(import.meta.url);

interface K8sData {
  kinds: Record<string, string>;
  groups: string[];
  definitions: Record<string, object>;
}

export type SchemaVerdict =
  | { kind: 'checked'; problems: SchemaProblem[]; against: 'built-in' | 'crd' }
  | { kind: 'unknown' }; // a custom resource without a CRD schema: it passes

interface State {
  data: K8sData;
  /** Names the compiled code: changes when the data, ajv or its options change. */
  key: string;
  groups: Set<string>;
  validators: Map<string, { fn: ValidateFunction; compiled: boolean; saved: Set<string> }>;
  ajv?: AjvClass;
}
let state: State | undefined;

function load(): State {
  if (!state) {
    const text = fs.readFileSync(K8S_VALIDATION_FILE, 'utf8');
    const data = JSON.parse(text) as K8sData;
    const ajvVersion = (require('ajv/package.json') as { version: string }).version;
    const key = crypto.createHash('sha256').update(`${text}\0${ajvVersion}\0${JSON.stringify(AJV_OPTIONS)}`).digest('hex').slice(0, 16);
    const groups = new Set(data.groups);
    state = { data, key, groups, validators: new Map() };
  }
  return state;
}

/** The ajv instance holding every definition, made only when something must be compiled. */
function ajvOf(s: State): AjvClass {
  if (!s.ajv) {
    s.ajv = newAjv({ source: true });
    s.ajv.addSchema({ $id: 'k8s', definitions: s.data.definitions });
  }
  return s.ajv;
}

function loadCompiled(file: string): ValidateFunction | undefined {
  let code: string;
  try {
    code = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  // Standalone code is a CommonJS module that requires ajv's runtime helpers; resolve them from here, not
  // from the cache folder.
  const mod: { exports: unknown } = { exports: {} };
  try {
    new Function('require', 'module', 'exports', code)(require, mod, mod.exports);
  } catch {
    return undefined; // a truncated or foreign file: compile again and overwrite it
  }
  return typeof mod.exports === 'function' ? (mod.exports as ValidateFunction) : undefined;
}

function saveCompiled(file: string, ajv: AjvClass, v: ValidateFunction): void {
  try {
    const standalone = (require('ajv/dist/standalone') as { default: (a: AjvClass, v: ValidateFunction) => string }).default;
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, standalone(ajv, v));
    fs.renameSync(tmp, file);
  } catch {
    // The cache only ever saves time; a read-only or full disk must not fail a validation.
  }
}

function builtinValidator(s: State, key: string, cacheDir: string | undefined): ValidateFunction | undefined {
  const def = s.data.kinds[key];
  if (!def) return undefined;
  const file = cacheDir ? path.join(cacheDir, `k8s-${s.key}`, `${def}.cjs`) : undefined;
  let known = s.validators.get(key);
  if (!known && file) {
    const loaded = loadCompiled(file);
    if (loaded) s.validators.set(key, (known = { fn: loaded, compiled: false, saved: new Set([file]) }));
  }
  if (!known) {
    const fn = ajvOf(s).getSchema(`k8s#/definitions/${def}`);
    if (!fn) return undefined;
    s.validators.set(key, (known = { fn, compiled: true, saved: new Set() }));
  }
  // Compiled here (perhaps earlier, for a caller without a cache folder): save it for the next process.
  if (file && known.compiled && !known.saved.has(file)) {
    if (!fs.existsSync(file)) saveCompiled(file, ajvOf(s), known.fn);
    known.saved.add(file);
  }
  return known.fn;
}

/** The API server decodes null as "not set": drop nulls from maps (creationTimestamp: null is everywhere). */
function withoutNulls(v: JsonValue): JsonValue {
  if (Array.isArray(v)) return v.map(withoutNulls);
  if (!isObject(v)) return v;
  const out: JsonObject = {};
  for (const [k, x] of Object.entries(v)) if (x !== null) out[k] = withoutNulls(x);
  return out;
}

// --- CRDs -----------------------------------------------------------------------------------------------------

const KEEP = ['type', 'enum', 'required', 'pattern', 'minLength', 'maxLength', 'minItems', 'maxItems', 'uniqueItems', 'minProperties', 'maxProperties', 'multipleOf', 'minimum', 'maximum'];

/** A CRD's openAPIV3Schema (draft-4 flavoured, Kubernetes extensions) as ajv's draft-07, structural rules applied. */
export function crdSchemaToJsonSchema(s: JsonValue): JsonObject {
  if (!isObject(s)) return {};
  if (s['x-kubernetes-int-or-string'] === true) return { anyOf: [{ type: 'integer' }, { type: 'string' }] };
  const o: JsonObject = {};
  for (const k of KEEP) if (s[k] !== undefined) o[k] = s[k];
  // draft-4 spells exclusive bounds as booleans beside minimum/maximum.
  if (s.exclusiveMinimum === true && typeof s.minimum === 'number') { o.exclusiveMinimum = s.minimum; delete o.minimum; }
  if (s.exclusiveMaximum === true && typeof s.maximum === 'number') { o.exclusiveMaximum = s.maximum; delete o.maximum; }
  if (isObject(s.properties)) {
    o.properties = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, crdSchemaToJsonSchema(v)]));
  }
  if (isObject(s.items)) o.items = crdSchemaToJsonSchema(s.items);
  for (const k of ['allOf', 'anyOf', 'oneOf'] as const) if (Array.isArray(s[k])) o[k] = (s[k] as JsonValue[]).map(crdSchemaToJsonSchema);
  if (isObject(s.not)) o.not = crdSchemaToJsonSchema(s.not);
  if (typeof s.additionalProperties === 'boolean' || isObject(s.additionalProperties)) {
    o.additionalProperties = typeof s.additionalProperties === 'boolean' ? s.additionalProperties : crdSchemaToJsonSchema(s.additionalProperties);
  } else if (o.properties && s['x-kubernetes-preserve-unknown-fields'] !== true) {
    // A structural schema prunes unknown fields; with fieldValidation=Strict the API server rejects them.
    o.additionalProperties = false;
  }
  if (s['x-kubernetes-preserve-unknown-fields'] === true) delete o.type;
  return o;
}

export interface CrdProblem {
  crd: JsonObject;
  message: string;
}

/** Validators for the custom resources that CRDs among `resources` define, by "<apiVersion> <kind>". */
export class CrdSchemas {
  private readonly byKind = new Map<string, ValidateFunction>();
  readonly problems: CrdProblem[] = [];

  constructor(resources: readonly JsonObject[]) {
    for (const crd of resources) {
      if (crd.kind !== 'CustomResourceDefinition' || crd.apiVersion !== 'apiextensions.k8s.io/v1' || !isObject(crd.spec)) continue;
      const { group, names, versions } = crd.spec;
      if (typeof group !== 'string' || !isObject(names) || typeof names.kind !== 'string' || !Array.isArray(versions)) continue;
      for (const v of versions) {
        if (!isObject(v) || typeof v.name !== 'string' || !isObject(v.schema) || !isObject(v.schema.openAPIV3Schema)) continue;
        const key = `${group}/${v.name} ${names.kind}`;
        const schema = crdSchemaToJsonSchema(v.schema.openAPIV3Schema);
        // apiVersion, kind and metadata are implicit in every custom resource.
        schema.properties = {
          ...(isObject(schema.properties) ? schema.properties : {}),
          apiVersion: { type: 'string' },
          kind: { type: 'string' },
          metadata: { $ref: `k8s#/definitions/${OBJECT_META}` },
        };
        try {
          this.byKind.set(key, ajvOf(load()).compile(schema));
        } catch (e) {
          this.problems.push({ crd, message: `the schema of version ${v.name} cannot be used: ${e instanceof Error ? e.message : String(e)}` });
        }
      }
    }
  }

  get(key: string): ValidateFunction | undefined {
    return this.byKind.get(key);
  }
}

// --- checking ---------------------------------------------------------------------------------------------------

export interface SchemaCheckOptions {
  /** The custom resource schemas of the render. */
  crds?: CrdSchemas;
  /** Where compiled validators are kept between runs: code that is run, so a folder only the user writes. */
  cacheDir?: string;
}

/** Checks one rendered object against its kind's schema. */
export function checkResourceSchema(obj: JsonObject, opts: SchemaCheckOptions = {}): SchemaVerdict {
  const { crds, cacheDir } = opts;
  const s = load();
  const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
  const kind = typeof obj.kind === 'string' ? obj.kind : '';
  const key = `${apiVersion} ${kind}`;
  const data = withoutNulls(obj);
  const builtin = builtinValidator(s, key, cacheDir);
  if (builtin) {
    builtin(data);
    return { kind: 'checked', against: 'built-in', problems: problemsOf(builtin.errors) };
  }
  const crd = crds?.get(key);
  if (crd) {
    crd(data);
    return { kind: 'checked', against: 'crd', problems: problemsOf(crd.errors) };
  }
  // A group the API server serves itself (or once did) has no kinds beyond its schema: apps/v1beta1 and
  // extensions/v1beta1 Ingress are gone.
  if (s.groups.has(splitApiVersion(apiVersion).group)) {
    return { kind: 'checked', against: 'built-in', problems: [{ path: ['apiVersion'], message: `${key} is not served by Kubernetes v1.32` }] };
  }
  return { kind: 'unknown' };
}
