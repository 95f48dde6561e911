// kforge.yaml and kustomization files against their JSON schemas: every problem at once, with file and line.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { checkKustomizations, checkProjectFile } from '../../src/validate/files.js';
import { formatFinding } from '../../src/validate/findings.js';
import { writeTree } from '../helpers/tree.js';

const PROJECT = `apiVersion: kforge.dev/v1alpha1
kind: Project
images:
  - {name: app, context: app}
environments:
  dev:
    path: overlays/dev
    protected: true
`;
const lines = (found: ReturnType<typeof checkProjectFile>) => found.map((f) => `${f.line}: ${f.message}`);

test('the bundled kforge.yaml and its kustomizations pass their schemas', () => {
  assert.equal(checkProjectFile(fs.readFileSync('kforge.yaml', 'utf8'), 'kforge.yaml'), []);
  const { findings, files } = checkKustomizations(['overlays/dev', 'overlays/test', 'overlays/prod'].map((p) => path.resolve(p)));
  assert.equal(findings, []);
  assert.equal(files.length, 4, files.join(', '));
});

test('kforge.yaml: an unknown field, a wrong type and a bad value, all reported with their lines', () => {
  const text = PROJECT.replace('    protected: true', '    protected: "yes"\n    kubeContxt: kind')
    .replace('kind: Project', 'kind: Projekt');
  assert.equal(lines(checkProjectFile(text, 'kforge.yaml')), [
    '2: kind: must be "Project"',
    '8: environments.dev.protected: expected boolean, got string "yes"',
    '9: unknown field "environments.dev.kubeContxt"',
  ]);
});

test('kforge.yaml: a missing required field, and a policy switch that names no rule', () => {
  const text = PROJECT.replace('    protected: true', '    policies: {no-latest: false, no-host-path: false}').replace('  - {name: app, context: app}', '  - {name: app}');
  assert.equal(lines(checkProjectFile(text, 'kforge.yaml')), [
    '4: missing required field "images[0].context"',
    '8: environments.dev.policies: "no-latest" is not a valid key (one of image-tag-pinned, project-image-hash-tag, resource-requests, no-plain-secrets, no-host-path, protected-replicas)',
  ]);
});

test('kforge.yaml that is not YAML is one finding with its line', () => {
  const found = checkProjectFile('apiVersion: kforge.dev/v1alpha1\nenvironments: {dev: [\n', 'kforge.yaml');
  assert.is(found.length, 1);
  assert.match(formatFinding(found[0]), /^kforge\.yaml:\d+: invalid YAML.* \(project-schema\)$/);
});

test('kustomization: unknown fields, wrong types (numbers and YAML 1.1 booleans where kustomize wants text) and missing fields in every file an overlay reaches', () => {
  const root = writeTree({
    'overlays/dev/kustomization.yaml': [
      'resources:', //                                     1
      '  - ../../base', //                                 2
      'namePrefx: dev-', //                                3
      'replicas:', //                                      4
      '  - name: web', //                                  5
      '    count: "3"', //                                 6
      'patchesJson6902:', //                               7
      '  - path: p.yaml', //                               8
      'commonLabels:', //                                  9
      '  tier: 1', //                                      10
      '',
    ].join('\n'),
    'base/kustomization.yaml': 'kind: Kustomisation\nresources: [cm.yaml]\nimages:\n  - newTag: 1.25\nnamePrefix: yes\nnameSuffix:\n',
    'base/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n',
  });
  const { findings, files } = checkKustomizations([path.join(root, 'overlays/dev')]);
  assert.is(files.length, 2);
  assert.equal(findings.map((f) => `${path.basename(path.dirname(f.file!))}:${f.line}: ${f.message}`), [
    'dev:3: unknown field "namePrefx"',
    'dev:6: replicas[0].count: expected integer, got string "3"',
    'dev:8: missing required field "patchesJson6902[0].target"',
    'dev:10: commonLabels.tier: expected string or null, got integer 1',
    'base:1: kind: string "Kustomisation" is not one of "Kustomization", "Component"',
    'base:4: missing required field "images[0].name"',
    'base:4: images[0].newTag: expected string or null, got number 1.25',
    'base:5: namePrefix: expected string or null, got boolean true',
  ]);
});

test('a kustomization reached twice (a diamond) is checked once', () => {
  const root = writeTree({
    'a/kustomization.yaml': 'resources: [../base]\n',
    'b/kustomization.yaml': 'resources: [../base]\n',
    'base/kustomization.yaml': 'resources: []\nbogus: 1\n',
  });
  const { findings, files } = checkKustomizations([path.join(root, 'a'), path.join(root, 'b')]);
  assert.is(files.length, 3);
  assert.equal(findings.map((f) => f.message), ['unknown field "bogus"']);
});

test('every kustomization of a golden case that kustomize builds passes the schema, and the schema refuses what kustomize refused for types', () => {
  const ok = fs.readdirSync('fixtures').filter((c) => fs.existsSync(path.join('fixtures', c, 'expected.yaml')));
  const dirOf = (c: string) => {
    const spec = path.join('fixtures', c, 'case.yaml');
    const dir = fs.existsSync(spec) ? /^dir:\s*(\S+)/m.exec(fs.readFileSync(spec, 'utf8'))?.[1] : undefined;
    return path.resolve('fixtures', c, 'input', dir ?? '.');
  };
  const { findings, files } = checkKustomizations(ok.map(dirOf));
  assert.ok(files.length > 100, `${files.length} files`);
  assert.equal(findings.map(formatFinding), []);
  const refused = checkKustomizations([path.resolve('fixtures/error-kustomization-label-value-y/input')]).findings;
  assert.equal(refused.map((f) => f.message), ['commonLabels.enabled: expected string or null, got boolean true']);
});

test.run();
