// validateProject: the whole check of a project, on temporary trees and on the bundled example.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { NotFoundError } from '../../src/errors.js';
import { defaultCacheDir, validateProject } from '../../src/validate/run.js';
import { formatFinding } from '../../src/validate/findings.js';
import { writeTree } from '../helpers/tree.js';

const DEPLOY = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
        - name: web
          image: nginx:1.27
          resources:
            requests: {cpu: 10m, memory: 16Mi}
            limits: {memory: 32Mi}
`;
const tree = (files: Record<string, string> = {}, kforge = '') =>
  writeTree({
    'kforge.yaml': `apiVersion: kforge.dev/v1alpha1\nkind: Project\nenvironments:\n  dev: {path: overlays/dev}\n  prod: {path: overlays/prod, protected: true${kforge}}\n`,
    'base/kustomization.yaml': 'resources: [deploy.yaml]\n',
    'base/deploy.yaml': DEPLOY,
    'overlays/dev/kustomization.yaml': 'resources: [../../base]\nnamespace: dev\n',
    'overlays/prod/kustomization.yaml': 'resources: [../../base]\nnamespace: prod\nreplicas: [{name: web, count: 2}]\n',
    ...files,
  });
const run = (root: string, envs?: string[]) => validateProject({ cwd: root, config: path.join(root, 'kforge.yaml'), envs, cacheDir: false });
const shown = (r: Awaited<ReturnType<typeof run>>) => r.findings.map((f) => `${f.env ?? '-'} ${f.rule} ${f.file ? path.basename(f.file) : '-'}:${f.line ?? '-'} ${f.path ?? ''}`);

test('a clean project has no findings', async () => {
  const r = await run(tree());
  assert.equal(r.findings, []);
  assert.equal(r.environments, ['dev', 'prod']);
  assert.is(r.kustomizations.length, 3);
});

test('a schema problem of a rendered resource is found in every environment, at its line in the source file', async () => {
  const root = tree({ 'base/deploy.yaml': DEPLOY.replace('          image: nginx:1.27', '          image: nginx:1.27\n          imagePullPolicyy: Always') });
  const r = await run(root);
  assert.equal(shown(r), [
    'dev k8s-schema deploy.yaml:16 spec.template.spec.containers[0].imagePullPolicyy',
    'prod k8s-schema deploy.yaml:16 spec.template.spec.containers[0].imagePullPolicyy',
  ]);
  assert.match(formatFinding(r.findings[0]), /^env 'dev': .*base\/deploy\.yaml:16: apps\/v1 Deployment dev\/web: unknown field "spec\.template\.spec\.containers\[0\]\.imagePullPolicyy" \(k8s-schema\)$/);
});

test('policy findings carry the rule, the environment and the line; a switched-off rule is silent', async () => {
  const root = tree({ 'overlays/prod/kustomization.yaml': 'resources: [../../base]\nnamespace: prod\nimages: [{name: nginx, newTag: latest}]\n' });
  assert.equal(shown(await run(root, ['prod'])), [
    'prod image-tag-pinned deploy.yaml:15 spec.template.spec.containers[0].image',
    'prod protected-replicas deploy.yaml:6 spec.replicas',
  ]);
  const off = tree({ 'overlays/prod/kustomization.yaml': 'resources: [../../base]\nnamespace: prod\n' }, ', policies: {protected-replicas: false}');
  assert.equal(shown(await run(off, ['prod'])), []);
});

test('an environment that does not render is a finding, and the others are still checked', async () => {
  const root = tree({ 'overlays/dev/kustomization.yaml': 'resources: [../../base, missing.yaml]\n', 'base/deploy.yaml': DEPLOY.replace('replicas: 1', 'replicas: 1\n  minReadySeconds: soon') });
  const r = await run(root);
  assert.equal(r.findings.map((f) => `${f.env} ${f.rule}`), ['dev render', 'prod k8s-schema']);
  assert.match(r.findings[0].message, /no such file or directory: .*missing\.yaml/);
});

test('an invalid kforge.yaml stops the check with its own findings', async () => {
  const root = writeTree({ 'kforge.yaml': 'apiVersion: kforge.dev/v1alpha1\nkind: Project\nenvironments:\n  Dev: {path: x}\n' });
  const r = await run(root);
  assert.equal(r.findings.map((f) => `${f.rule} ${f.line} ${f.message}`), ['project-schema 4 environments: "Dev" is not a valid key (must match ^[a-z0-9]([a-z0-9-]*[a-z0-9])?$)']);
  assert.equal(r.environments, []);
});

test('an unknown --env is an error, not a finding', async () => {
  const error = await run(tree(), ['qa']).then(() => undefined, (e: unknown) => e);
  assert.instance(error, NotFoundError);
  assert.match(String((error as Error).message), /unknown environment 'qa'/);
});

test('a custom resource is checked against the CRD that the render carries', async () => {
  const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  scope: Namespaced
  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec: {type: object, properties: {size: {type: integer}}}
`;
  const root = tree({
    'base/kustomization.yaml': 'resources: [deploy.yaml, crd.yaml, widget.yaml]\n',
    'base/crd.yaml': crd,
    'base/widget.yaml': 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec:\n  size: 3\n  colour: red\n',
  });
  assert.equal(shown(await run(root, ['dev'])), ['dev crd-schema widget.yaml:6 spec.colour']);
});

test('the bundled example passes every schema and every rule', async () => {
  const r = await validateProject({ cwd: path.resolve('.'), cacheDir: false });
  assert.equal(r.environments, ['dev', 'test', 'prod']);
  assert.is(r.kustomizations.length, 4);
  // The database runs one replica on purpose (a ReadWriteOnce volume) and says so with
  // kforge.dev/single-replica-reason, so even protected prod has no finding.
  assert.equal(r.findings.map(formatFinding), []);
  assert.ok(fs.existsSync('kforge.yaml'));
});

test('compiled validators are cached in the user\'s cache folder, never in the project a checkout controls', () => {
  assert.is(defaultCacheDir({ XDG_CACHE_HOME: '/x/cache' }), '/x/cache/kforge/validate');
  assert.ok(defaultCacheDir({}).endsWith(path.join('.cache', 'kforge', 'validate')));
});

test.run();
