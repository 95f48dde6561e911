// Unit table for replacements: kyaml field paths, options, selection, and copy-on-write.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { JsonObject } from '../../src/resource.js';
import { makeRes, type Res } from '../../src/compile/res.js';
import { applyReplacements, splitFieldPath, type Replacement } from '../../src/compile/replacements.js';

const res = (object: JsonObject): Res => makeRes(object, { file: 'test.yaml', index: 0 });
const cm = (name: string, data: JsonObject, labels: Record<string, string> = {}) => res({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels }, data });
const deploy = () =>
  res({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web' },
    spec: { replicas: 1, template: { spec: { containers: [{ name: 'app', image: 'a' }, { name: 'api', image: 'b' }] } } },
    status: { untouched: { deep: true } },
  });
const one = (source: Replacement['source'], target: Partial<Replacement['targets'][0]>): Replacement => ({
  source,
  targets: [{ reject: [], fieldPaths: [], ...target }],
});

test('field paths split on dots outside brackets', () => {
  assert.equal(splitFieldPath('spec.containers.[name=a.b].image'), ['spec', 'containers', '[name=a.b]', 'image']);
});

test('a list selector is an unanchored regular expression, as in kyaml', () => {
  const out = applyReplacements([cm('src', { v: 'x' }), deploy()], [one({ name: 'src', fieldPath: 'data.v' }, { select: { kind: 'Deployment' }, fieldPaths: ['spec.template.spec.containers.[name=ap].image'] })]);
  const containers = (out[1].object.spec as JsonObject).template as JsonObject;
  assert.equal(((containers.spec as JsonObject).containers as JsonObject[]).map((c) => c.image), ['x', 'x']);
});

test('untouched parts of a target are shared, and the input is not changed', () => {
  const d = deploy();
  const before = JSON.stringify(d.object);
  const out = applyReplacements([cm('src', { v: '3' }), d], [one({ name: 'src', fieldPath: 'data.v' }, { select: { kind: 'Deployment' }, fieldPaths: ['spec.replicas'] })]);
  assert.is(JSON.stringify(d.object), before);
  assert.is((out[1].object.spec as JsonObject).replicas, 3, 'a number target takes the text as a number');
  assert.is(out[1].object.status, d.object.status);
});

test('a string target keeps its type when the value is a number', () => {
  const out = applyReplacements(
    [deploy(), cm('dst', { port: '80' })],
    [one({ kind: 'Deployment', fieldPath: 'spec.replicas' }, { select: { name: 'dst' }, fieldPaths: ['data.port'] })],
  );
  assert.is((out[1].object.data as JsonObject).port, '1');
});

test('delimiter and index pick a part of the source and replace a part of the target', () => {
  const out = applyReplacements(
    [cm('src', { image: 'reg/team/app:1.2' }), cm('dst', { ref: 'x:y:z' })],
    [
      {
        source: { name: 'src', fieldPath: 'data.image', options: { delimiter: ':', index: 1 } },
        targets: [{ select: { name: 'dst' }, reject: [], fieldPaths: ['data.ref'], options: { delimiter: ':', index: -1 } }],
      },
    ],
  );
  assert.is((out[1].object.data as JsonObject).ref, '1.2:x:y:z');
});

test('create adds missing maps, list elements and scalars resolved as plain YAML', () => {
  const out = applyReplacements(
    [cm('src', { n: '5' }), deploy()],
    [one({ name: 'src', fieldPath: 'data.n' }, { select: { kind: 'Deployment' }, fieldPaths: ['metadata.labels.n', 'spec.template.spec.containers.[name=new].image'], options: { create: true } })],
  );
  assert.equal((out[1].object.metadata as JsonObject).labels, { n: 5 });
  const containers = (((out[1].object.spec as JsonObject).template as JsonObject).spec as JsonObject).containers as JsonObject[];
  assert.equal(containers[2], { name: 'new', image: 5 });
});

test('reject by id and by label leaves those targets alone', () => {
  const out = applyReplacements(
    [cm('src', { v: 'new' }), cm('a', { v: 'old' }), cm('b', { v: 'old' }, { skip: 'yes' }), cm('c', { v: 'old' })],
    [one({ name: 'src', fieldPath: 'data.v' }, { select: { kind: 'ConfigMap' }, reject: [{ name: 'src' }, { name: 'a' }, { labelSelector: 'skip' }], fieldPaths: ['data.v'] })],
  );
  assert.equal(out.map((r) => (r.object.data as JsonObject).v), ['new', 'old', 'old', 'new']);
});

test('a missing target field is an error unless create is set', () => {
  assert.throws(
    () => applyReplacements([cm('src', { v: 'x' }), deploy()], [one({ name: 'src', fieldPath: 'data.v' }, { select: { kind: 'Deployment' }, fieldPaths: ['spec.paused'] })]),
    /unable to find field "spec.paused"/,
  );
});

test('the source must be exactly one resource', () => {
  assert.throws(() => applyReplacements([cm('a', {}), cm('b', {})], [one({ kind: 'ConfigMap' }, { select: { kind: 'ConfigMap' } })]), /multiple matches/);
  assert.throws(() => applyReplacements([cm('a', {})], [one({ kind: 'Secret' }, { select: { kind: 'ConfigMap' } })]), /nothing selected/);
});

test.run();
