#!/usr/bin/env node
// Derives the Kubernetes schema facts kforge's strategic merge and namespace logic need from the shared,
// machine-derived OpenAPI data in ../shared/k8s/ (see its SOURCE.md for provenance and licence).
//
//   node scripts/schemas.mjs           regenerate schemas/k8s/smp-v1.21.2.json and src/compile/k8s-schema-data.ts
//   node scripts/schemas.mjs --check   fail if either output differs from what the inputs produce now
//   K8S_DATA=DIR node scripts/schemas.mjs   read the inputs from DIR instead of ../shared/k8s
//
// Inputs: kustomize-v1.21.2-swagger.json.gz (the schema kustomize v5.5.0 / kyaml v0.18.1 embeds) and
// patch-meta-v1.21.2.json (its patch metadata, derived from the same swagger by derive.py).
//
// Output schemas/k8s/smp-v1.21.2.json, a compact form (about a third of patch-meta) with only what kyaml reads:
//   namespaced:  {"<apiVersion> <kind>": boolean}  kyaml's findNamespaceability: every path with a GET
//                operation tagged x-kubernetes-group-version-kind; namespaced when some such path contains
//                "namespaces/{namespace}". For v1.21.2 this is kyaml's precomputedIsNamespaceScoped table.
//   kinds:       {"<apiVersion> <kind>": "<definition>"}  kyaml's schemaByResourceType: every definition
//                whose x-kubernetes-group-version-kind names the GVK (the last such definition wins, as in
//                kyaml's map insertion over sorted definition names).
//   definitions: {"<definition>": {"<field>": FieldSchema}} with FieldSchema one of
//                {ref: "<definition>", strategy?}                       an object field
//                {items: Elem, strategy?: "merge,retainKeys", keys?: ["name"]}   an array field
//                {values: Elem}                                         a map field (additionalProperties)
//                and Elem = "<definition>" | "<primitive type>" | FieldSchema (nested arrays/maps).
//                keys = x-kubernetes-list-map-keys when present, else [x-kubernetes-patch-merge-key], as in
//                kyaml's ResourceSchema.PatchStrategyAndKeyList. Scalar fields and definitions without
//                array/map/object fields are left out: kyaml only merges scalars by replacing them.
//
// src/compile/k8s-schema-data.ts carries the same JSON as a string constant, because compile/ may not read files
// and tsc (rootDir src) refuses to import JSON from outside src/; JSON.parse of one string is also the fastest
// way for V8 to load it, and it happens lazily, on the first schema lookup.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const inputs = path.resolve(process.env.K8S_DATA ?? path.join(repo, '..', 'shared', 'k8s'));
const outJson = path.join(repo, 'schemas', 'k8s', 'smp-v1.21.2.json');
const outTs = path.join(repo, 'src', 'compile', 'k8s-schema-data.ts');
const check = process.argv.includes('--check');

const swaggerFile = 'kustomize-v1.21.2-swagger.json.gz';
const metaFile = 'patch-meta-v1.21.2.json';
const swagger = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(inputs, swaggerFile))).toString('utf8'));
const patchMeta = JSON.parse(fs.readFileSync(path.join(inputs, metaFile), 'utf8'));

const GVK = 'x-kubernetes-group-version-kind';
function typeMetaKey(gvk) {
  const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
  return `${apiVersion} ${gvk.kind}`;
}

// kyaml findNamespaceability (openapi.go), over the paths in document order.
const namespaced = {};
for (const [p, item] of Object.entries(swagger.paths)) {
  const gvk = item.get?.[GVK];
  if (!gvk) continue;
  const key = typeMetaKey(gvk);
  if (p.includes('namespaces/{namespace}')) namespaced[key] = true;
  else if (!(key in namespaced)) namespaced[key] = false;
}

const kinds = {};
for (const name of Object.keys(swagger.definitions).sort()) {
  for (const gvk of swagger.definitions[name][GVK] ?? []) kinds[typeMetaKey(gvk)] = name;
}

function field(e) {
  if (typeof e === 'string') return e;
  // strategy on an object field (DeploymentSpec.strategy: retainKeys, PDB selector: replace) is kept only so
  // kforge can warn that kyaml ignores it: kyaml always merges maps.
  if (e.ref) return e.strategy ? { ref: e.ref, strategy: e.strategy } : { ref: e.ref };
  if (e.type === 'array') {
    const out = { items: field(e.items) };
    if (e.strategy) out.strategy = e.strategy;
    const keys = e.listMapKeys ?? (e.mergeKey ? [e.mergeKey] : undefined);
    if (keys) out.keys = keys;
    return out;
  }
  if (e.type === 'map') return { values: field(e.values) };
  return undefined; // a scalar with an x-kubernetes-* extension: nothing for a merge to use
}

const definitions = {};
for (const name of Object.keys(patchMeta.definitions).sort()) {
  const fields = {};
  for (const [f, e] of Object.entries(patchMeta.definitions[name].fields ?? {}).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const c = field(e);
    if (c !== undefined) fields[f] = c;
  }
  if (Object.keys(fields).length) definitions[name] = fields;
}

const sorted = (o) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
const data = {
  _meta: {
    generator: 'scripts/schemas.mjs',
    kubernetesVersion: swagger.info.version,
    sources: [swaggerFile, metaFile],
    see: '../shared/k8s/SOURCE.md',
  },
  namespaced: sorted(namespaced),
  kinds: sorted(kinds),
  definitions,
};
const json = JSON.stringify(data);
const ts = `// Generated by scripts/schemas.mjs from schemas/k8s/smp-v1.21.2.json: do not edit. A string, parsed lazily by schema.ts.
export const k8sSchemaJson = ${JSON.stringify(json)};
`;

let stale = 0;
for (const [file, content] of [[outJson, json + '\n'], [outTs, ts]]) {
  const before = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  if (before === content) continue;
  if (check) {
    console.error(`schemas: ${path.relative(repo, file)} is out of date; run node scripts/schemas.mjs`);
    stale++;
    continue;
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  console.log(`schemas: wrote ${path.relative(repo, file)} (${content.length} bytes)`);
}
process.exit(stale ? 1 : 0);
