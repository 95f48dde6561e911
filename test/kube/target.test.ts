import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readKubeconfig, resolveTarget, type KubeconfigView } from '../../src/kube/target.js';
import { isKforgeError } from '../../src/errors.js';

const view: KubeconfigView = {
  'current-context': 'kind-dev',
  contexts: [
    { name: 'kind-dev', context: { cluster: 'kind', namespace: 'team' } },
    { name: 'prod', context: { cluster: 'prod-cluster' } },
    { name: 'broken', context: { cluster: 'nowhere' } },
  ],
  clusters: [{ name: 'kind', cluster: { server: 'https://127.0.0.1:6443' } }, { name: 'prod-cluster', cluster: { server: 'https://prod.example:6443' } }],
};

function failure(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    assert.ok(isKforgeError(e));
    return e.format();
  }
  return assert.unreachable('expected an error') as never;
}

test('the context named in kforge.yaml decides cluster, server and default namespace', () => {
  assert.equal(resolveTarget(view, { name: 'prod', path: 'p', kubeContext: 'prod', protected: true }), {
    context: 'prod', cluster: 'prod-cluster', server: 'https://prod.example:6443', namespace: 'default', fromCurrentContext: false,
  });
  assert.is(resolveTarget(view, { name: 'dev', path: 'p', kubeContext: 'kind-dev' }).namespace, 'team');
});

test('a context missing from the kubeconfig is an error listing the known ones', () => {
  assert.is(failure(() => resolveTarget(view, { name: 'test', path: 'p', kubeContext: 'kind-test' })), "kube context 'kind-test' of environment 'test' is not in the kubeconfig (known contexts: kind-dev, prod, broken)");
});

test('a context whose cluster is not defined is an error', () => {
  assert.match(failure(() => resolveTarget(view, { name: 'x', path: 'p', kubeContext: 'broken' })), /refers to cluster 'nowhere', which the kubeconfig does not define/);
});

test('without kubeContext the current context is used, but never for a protected environment', () => {
  const t = resolveTarget(view, { name: 'dev', path: 'p' });
  assert.is(t.context, 'kind-dev');
  assert.is(t.fromCurrentContext, true);
  assert.match(failure(() => resolveTarget(view, { name: 'prod', path: 'p', protected: true })), /environment 'prod' is protected and names no kubeContext/);
  assert.match(failure(() => resolveTarget({ ...view, 'current-context': '' }, { name: 'dev', path: 'p' })), /has no current context/);
});

test('the kubeconfig files of $KUBECONFIG merge as kubectl merges them: the first definition wins', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kforge-kc-'));
  const a = path.join(dir, 'a');
  const b = path.join(dir, 'b');
  fs.writeFileSync(a, 'apiVersion: v1\nkind: Config\ncontexts:\n- name: one\n  context: {cluster: c1}\nclusters:\n- name: c1\n  cluster: {server: "https://a"}\n');
  fs.writeFileSync(b, 'apiVersion: v1\nkind: Config\ncurrent-context: two\ncontexts:\n- name: one\n  context: {cluster: other}\n- name: two\n  context: {cluster: c1}\nclusters:\n- name: c1\n  cluster: {server: "https://b"}\n');
  const merged = readKubeconfig({ env: { KUBECONFIG: [a, path.join(dir, 'missing'), b].join(path.delimiter) } });
  assert.is(merged['current-context'], 'two');
  assert.equal(merged.contexts!.map((c) => `${c.name}:${c.context!.cluster}`), ['one:c1', 'two:c1']);
  assert.equal(merged.clusters!.map((c) => c.cluster!.server), ['https://a']);
  assert.equal(readKubeconfig({ env: {}, home: dir }).contexts, []);
  assert.match(failure(() => readKubeconfig({ kubeconfig: path.join(dir, 'missing') })), /cannot read kubeconfig/);
  fs.rmSync(dir, { recursive: true, force: true });
});

test.run();
