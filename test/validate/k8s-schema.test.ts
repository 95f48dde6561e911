// Rendered resources against the Kubernetes v1.32 schemas (strict like fieldValidation=Strict) and CRD schemas.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import yaml from 'js-yaml';
import type { JsonObject } from '../../src/resource.js';
import { checkResourceSchema, CrdSchemas, crdSchemaToJsonSchema, K8S_VALIDATION_FILE } from '../../src/validate/k8s-schema.js';

const doc = (text: string) => yaml.load(text) as JsonObject;
const messages = (obj: JsonObject, crds?: CrdSchemas) => {
  const v = checkResourceSchema(obj, { crds });
  return v.kind === 'checked' ? v.problems.map((p) => p.message) : v.kind;
};
const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web, creationTimestamp: null}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx:1.27
        ports: [{containerPort: 80}]
        resources: {requests: {cpu: 1, memory: 64Mi}}
        readinessProbe: {httpGet: {port: http, path: /}}
`;

test('a valid Deployment passes; nulls, quantities as numbers and int-or-string ports are fine', () => {
  assert.equal(messages(doc(DEPLOYMENT)), []);
});

test('an unknown field is an error, named by its full path as the API server does', () => {
  assert.equal(messages(doc(DEPLOYMENT.replace('replicas: 2', 'replica: 2'))), ['unknown field "spec.replica"']);
  assert.equal(messages(doc(DEPLOYMENT.replace('image: nginx:1.27', 'image: nginx:1.27\n        imagePullPolice: Always'))), ['unknown field "spec.template.spec.containers[0].imagePullPolice"']);
  assert.equal(messages(doc(DEPLOYMENT.replace('name: web,', 'name: web, lables: {a: b},'))), ['unknown field "metadata.lables"']);
});

test('a value of the wrong type is an error that says what it got', () => {
  assert.equal(messages(doc(DEPLOYMENT.replace('replicas: 2', 'replicas: "2"'))), ['spec.replicas: expected integer, got string "2"']);
  assert.equal(messages(doc(DEPLOYMENT.replace('containerPort: 80', 'containerPort: [80]'))), ['spec.template.spec.containers[0].ports[0].containerPort: expected integer, got a list']);
});

test('a missing required field is an error', () => {
  assert.equal(messages(doc(DEPLOYMENT.replace('      - name: web\n', '      - \n'))), ['missing required field "spec.template.spec.containers[0].name"']);
  assert.equal(messages(doc('apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec: {ports: [{targetPort: 80}]}\n')), ['missing required field "spec.ports[0].port"']);
});

test('a kind of a built-in group that Kubernetes v1.32 does not serve is an error', () => {
  assert.equal(messages(doc('apiVersion: extensions/v1beta1\nkind: Ingress\nmetadata: {name: i}\n')), ['extensions/v1beta1 Ingress is not served by Kubernetes v1.32']);
  assert.equal(messages(doc('apiVersion: apps/v1\nkind: Deploymnet\nmetadata: {name: i}\n')), ['apps/v1 Deploymnet is not served by Kubernetes v1.32']);
});

const CRD = doc(`apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {kind: Widget, plural: widgets}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            required: [size]
            properties:
              size: {type: integer, minimum: 1}
              port: {x-kubernetes-int-or-string: true}
              extra: {type: object, x-kubernetes-preserve-unknown-fields: true}
`);

test('a custom resource without a CRD passes unchecked', () => {
  assert.is(messages(doc('apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {anything: 1}\n')), 'unknown');
});

test('a custom resource is checked against the schema of its CRD in the render, unknown fields included', () => {
  const crds = new CrdSchemas([CRD]);
  assert.equal(crds.problems, []);
  assert.equal(messages(doc('apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: 2, port: http, extra: {free: form}}\n'), crds), []);
  assert.equal(messages(doc('apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w, bogus: 1}\nspec: {size: 0, colour: red}\n'), crds), [
    'unknown field "spec.colour"',
    'spec.size: must be >= 1',
    'unknown field "metadata.bogus"',
  ]);
  assert.equal(messages(doc('apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {}\n'), crds), ['missing required field "spec.size"']);
});

test('a CRD schema that ajv cannot compile is reported on the CRD, and its resources pass', () => {
  const broken = JSON.parse(JSON.stringify(CRD));
  broken.spec.versions[0].schema.openAPIV3Schema.properties.spec.properties.size.pattern = '([';
  const crds = new CrdSchemas([broken]);
  assert.is(crds.problems.length, 1);
  assert.match(crds.problems[0].message, /version v1 cannot be used/);
  assert.is(messages(doc('apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\n'), crds), 'unknown');
});

test('draft-4 exclusive bounds become draft-07 ones', () => {
  assert.equal(crdSchemaToJsonSchema({ type: 'integer', minimum: 0, exclusiveMinimum: true }), { type: 'integer', exclusiveMinimum: 0 });
});

test('compiled validators are saved to the cache folder and give the same answers when loaded from it', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kforge-validate-cache-'));
  const bad = doc(DEPLOYMENT.replace('replicas: 2', 'replicas: "2"'));
  const first = checkResourceSchema(bad, { cacheDir: dir });
  const files = fs.readdirSync(dir, { recursive: true }).map(String);
  assert.ok(files.some((f) => f.endsWith('io.k8s.api.apps.v1.Deployment.cjs')), files.join(', '));
  // A fresh process loads the saved code instead of compiling.
  const script = `import { checkResourceSchema } from ${JSON.stringify(path.resolve('src/validate/k8s-schema.ts'))};
    const t = Date.now(); const v = checkResourceSchema(${JSON.stringify(bad)}, { cacheDir: ${JSON.stringify(dir)} });
    console.log(JSON.stringify({ v, ms: Date.now() - t }));`;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { v: unknown; ms: number };
  assert.equal(out.v, first);
  assert.ok(out.ms < 1000, `loading from the cache took ${out.ms} ms`);
});

test('the derived schema data is what scripts/k8s-validation.mjs makes of swagger.json today', () => {
  if (!fs.existsSync(path.resolve('../shared/k8s/swagger.json'))) {
    console.warn('SKIP: ../shared/k8s/swagger.json is not here');
    return;
  }
  const r = spawnSync(process.execPath, ['scripts/k8s-validation.mjs', '--check'], { encoding: 'utf8' });
  assert.is(r.status, 0, r.stderr);
  assert.ok(fs.statSync(K8S_VALIDATION_FILE).size < 400_000, 'only the definitions the kinds need');
});

test.run();
