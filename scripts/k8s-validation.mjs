#!/usr/bin/env node
// Derives the JSON schemas `kforge validate` checks rendered built-in resources against, from the Kubernetes
// v1.32 OpenAPI v2 document in ../shared/k8s/swagger.json (provenance and licence: ../shared/k8s/SOURCE.md).
//
//   node scripts/k8s-validation.mjs           regenerate schemas/k8s/validation-v1.32.json
//   node scripts/k8s-validation.mjs --check   fail if the file differs from what the input produces now
//   K8S_DATA=DIR node scripts/k8s-validation.mjs   read swagger.json from DIR instead of ../shared/k8s
//
// Output: {_meta, kinds: {"<apiVersion> <kind>": "<definition>"}, groups: [...], definitions: {<name>: JSON schema}}.
//   kinds:       every GVK the API server accepts a create (POST) or replace (PUT) of, on a resource path
//                (subresources such as deployments/{name}/scale are left out).
//   groups:      the API groups Kubernetes serves itself, in v1.32 or back in v1.21.2 (the schema kustomize
//                embeds, kustomize-v1.21.2-swagger.json.gz): a kind of such a group that is not in `kinds`
//                (extensions/v1beta1 Ingress, apps/v1beta2) is refused by a v1.32 API server, not a custom resource.
//   definitions: only the definitions those kinds reach through $ref, rewritten as JSON Schema draft-07
//                for ajv, without descriptions and merge metadata (a third of the input's size), and strict
//                as the API server is with fieldValidation=Strict:
//                - an object with `properties` gets additionalProperties: false (an unknown field is an error);
//                - IntOrString accepts an integer or a string, Quantity a number or a string (both decode so);
//                - `format` is dropped: the API server's decoder does not check formats, its validation does,
//                  field by field, and kforge does not pretend to know those rules;
//                - a definition with no type (apiextensions JSON, RawExtension) accepts anything.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const inputs = path.resolve(process.env.K8S_DATA ?? path.join(repo, '..', 'shared', 'k8s'));
const out = path.join(repo, 'schemas', 'k8s', 'validation-v1.32.json');
const check = process.argv.includes('--check');

const swagger = JSON.parse(fs.readFileSync(path.join(inputs, 'swagger.json'), 'utf8'));
const GVK = 'x-kubernetes-group-version-kind';
const REF = '#/definitions/';
const apiVersionOf = (g) => (g.group ? `${g.group}/${g.version}` : g.version);

// Definition of each GVK (the last definition in sorted order wins, as kyaml's table does).
const definitionOf = new Map();
for (const name of Object.keys(swagger.definitions).sort()) {
  for (const g of swagger.definitions[name][GVK] ?? []) definitionOf.set(`${apiVersionOf(g)} ${g.kind}`, name);
}

const kinds = {};
for (const [p, item] of Object.entries(swagger.paths)) {
  // A resource path ends at the collection or at {name}; anything after {name} is a subresource.
  if (/\{name\}\/./.test(p)) continue;
  for (const verb of ['post', 'put']) {
    const g = item[verb]?.[GVK];
    if (!g) continue;
    const key = `${apiVersionOf(g)} ${g.kind}`;
    const def = definitionOf.get(key);
    if (def) kinds[key] = def;
  }
}

const old = JSON.parse(zlib.gunzipSync(fs.readFileSync(path.join(inputs, 'kustomize-v1.21.2-swagger.json.gz'))).toString('utf8'));
const groups = new Set();
for (const doc of [swagger, old]) {
  for (const item of Object.values(doc.paths)) {
    for (const op of Object.values(item)) if (op && op[GVK]) groups.add(op[GVK].group);
  }
}

const INT_OR_STRING = 'io.k8s.apimachinery.pkg.util.intstr.IntOrString';
const QUANTITY = 'io.k8s.apimachinery.pkg.api.resource.Quantity';

/** The schema rewritten for ajv; `refs` collects the definitions it points at. */
function convert(s, refs) {
  if (s.$ref) {
    const name = s.$ref.slice(REF.length);
    refs.add(name);
    return { $ref: `${REF}${name}` };
  }
  if (s.format === 'int-or-string') return { type: ['integer', 'string'] };
  const o = {};
  if (s.type) o.type = s.type;
  if (s.enum) o.enum = s.enum;
  if (s.required?.length) o.required = s.required;
  if (s.properties) {
    o.properties = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, convert(v, refs)]));
    if (s.additionalProperties === undefined && !s['x-kubernetes-preserve-unknown-fields']) o.additionalProperties = false;
  }
  if (s.additionalProperties !== undefined) {
    o.additionalProperties = typeof s.additionalProperties === 'boolean' ? s.additionalProperties : convert(s.additionalProperties, refs);
  }
  if (s.items) o.items = convert(s.items, refs);
  return o;
}

const definitions = {};
const todo = [...new Set(Object.values(kinds))];
while (todo.length) {
  const name = todo.pop();
  if (name in definitions) continue;
  const src = swagger.definitions[name];
  if (!src) throw new Error(`k8s-validation: ${name} is referenced but not defined`);
  const refs = new Set();
  if (name === INT_OR_STRING) definitions[name] = { type: ['integer', 'string'] };
  else if (name === QUANTITY) definitions[name] = { type: ['string', 'number'] };
  else definitions[name] = convert(src, refs);
  for (const r of refs) if (!(r in definitions)) todo.push(r);
}

const sorted = (o) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
const data = {
  _meta: { generator: 'scripts/k8s-validation.mjs', kubernetesVersion: swagger.info.version, source: 'swagger.json', see: '../shared/k8s/SOURCE.md' },
  kinds: sorted(kinds),
  groups: [...groups].sort(),
  definitions: sorted(definitions),
};
const content = JSON.stringify(data) + '\n';
const before = fs.existsSync(out) ? fs.readFileSync(out, 'utf8') : undefined;
if (before === content) process.exit(0);
if (check) {
  console.error(`k8s-validation: ${path.relative(repo, out)} is out of date; run node scripts/k8s-validation.mjs`);
  process.exit(1);
}
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, content);
console.log(`k8s-validation: wrote ${path.relative(repo, out)} (${Object.keys(kinds).length} kinds, ${Object.keys(definitions).length} definitions, ${content.length} bytes)`);
