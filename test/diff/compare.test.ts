import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { JsonObject } from '../../src/resource.js';
import { compareRenders, REDACTED, REDACTED_CHANGED } from '../../src/diff/compare.js';

const cm = (name: string, data: Record<string, string>, ns = 'app'): JsonObject => ({
  apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns }, data,
});
const deploy = (image: string, extra: JsonObject = {}): JsonObject => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'app', ...extra },
  spec: { template: { spec: { containers: [{ name: 'web', image }] } } },
});
const secret = (name: string, data: Record<string, string>): JsonObject => ({
  apiVersion: 'v1', kind: 'Secret', metadata: { name, namespace: 'app' }, type: 'Opaque', data,
});

test('identical renders have no changes', () => {
  const env = { name: 'dev', resources: [cm('a', { k: 'v' }), deploy('web:1')] };
  const d = compareRenders([env], [env]);
  assert.is(d.changed, false);
  assert.is(d.environments[0].changes.length, 0);
});

test('reports exactly the added, changed and removed resources of each environment', () => {
  const base = [{ name: 'dev', resources: [cm('keep', { k: 'v' }), cm('gone', {}), deploy('web:1')] }, { name: 'prod', resources: [deploy('web:1')] }];
  const head = [{ name: 'dev', resources: [cm('keep', { k: 'v' }), cm('new', {}), deploy('web:2')] }, { name: 'prod', resources: [deploy('web:1')] }];
  const d = compareRenders(base, head);
  const dev = d.environments[0];
  assert.equal([dev.added, dev.changed, dev.removed], [1, 1, 1]);
  assert.equal(dev.changes.map((c) => `${c.change} ${(c.head ?? c.base)!.name}`).sort(), ['added new', 'changed web', 'removed gone']);
  const web = dev.changes.find((c) => c.change === 'changed')!;
  assert.match(web.diff, '--- a/dev/app_deployment.apps_web.yaml\n+++ b/dev/app_deployment.apps_web.yaml\n');
  assert.match(web.diff, '\n-      - image: web:1\n+      - image: web:2\n');
  assert.match(dev.changes.find((c) => c.change === 'added')!.diff, '--- /dev/null\n');
  assert.is(d.environments[1].changes.length, 0);
});

test('resources match by group, kind, namespace and name, not by API version', () => {
  const v1 = { apiVersion: 'autoscaling/v1', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' } };
  const v2 = { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'web' } };
  const d = compareRenders([{ name: 'dev', resources: [v1] }], [{ name: 'dev', resources: [v2] }]);
  assert.equal(d.environments[0].changes.map((c) => c.change), ['changed']);
  const other = compareRenders([{ name: 'dev', resources: [cm('web', {}, 'a')] }], [{ name: 'dev', resources: [cm('web', {}, 'b')] }]);
  assert.equal(other.environments[0].changes.map((c) => c.change).sort(), ['added', 'removed']);
});

test('a generated name whose hash suffix changed is a rename, not an add and a remove', () => {
  const d = compareRenders(
    [{ name: 'dev', resources: [cm('settings-5b2c8k7h9t', { LEVEL: 'info' }), cm('other', {})] }],
    [{ name: 'dev', resources: [cm('settings-g8dfm4t96c', { LEVEL: 'debug' }), cm('other', {})] }],
  );
  const env = d.environments[0];
  assert.equal([env.added, env.changed, env.removed], [0, 1, 0]);
  const c = env.changes[0];
  assert.is(c.change, 'renamed');
  assert.is(c.base!.name, 'settings-5b2c8k7h9t');
  assert.is(c.head!.name, 'settings-g8dfm4t96c');
  assert.match(c.diff, '--- a/dev/app_configmap_settings-5b2c8k7h9t.yaml\n+++ b/dev/app_configmap_settings-g8dfm4t96c.yaml');
  assert.match(c.diff, '-  LEVEL: info\n+  LEVEL: debug');
});

test('a name that only looks hashed on one side is not paired', () => {
  const d = compareRenders([{ name: 'dev', resources: [cm('settings', {})] }], [{ name: 'dev', resources: [cm('settings-g8dfm4t96c', {})] }]);
  assert.equal(d.environments[0].changes.map((c) => c.change).sort(), ['added', 'removed']);
});

test('secret values never appear in a diff, but a changed value is still visible as a change', () => {
  const d = compareRenders(
    [{ name: 'dev', resources: [secret('db', { password: 'c2VjcmV0LW9sZA==', user: 'YWRtaW4=' })] }],
    [{ name: 'dev', resources: [secret('db', { password: 'c2VjcmV0LW5ldw==', user: 'YWRtaW4=', extra: 'eA==' }), { ...secret('new', {}), stringData: { token: 'plain-token' } }] }],
  );
  const text = d.environments[0].changes.map((c) => c.diff).join('\n');
  for (const v of ['c2VjcmV0LW9sZA==', 'c2VjcmV0LW5ldw==', 'YWRtaW4=', 'eA==', 'plain-token']) assert.not.ok(text.includes(v), `leaked ${v}`);
  assert.match(text, `\n-  password: ${REDACTED}\n`);
  assert.match(text, `\n+  password: ${REDACTED_CHANGED}\n`);
  assert.match(text, `+  extra: ${REDACTED}`);
  assert.not.match(text, '  user: <redacted, changed>');
  assert.match(text, `+  token: ${REDACTED}`);
});

test('an environment only in head is new, one only in base is removed', () => {
  const d = compareRenders([{ name: 'old', resources: [cm('a', {})] }], [{ name: 'new', resources: [cm('a', {})] }]);
  assert.equal(d.environments.map((e) => [e.name, e.inBase, e.inHead, e.added, e.removed]), [['new', false, true, 1, 0], ['old', true, false, 0, 1]]);
});

test('ignored annotations do not count as changes and are left out of the diff', () => {
  const key = 'kforge.dev/source-commit';
  const d = compareRenders(
    [{ name: 'dev', resources: [deploy('web:1', { annotations: { [key]: 'aaa' } })] }],
    [{ name: 'dev', resources: [deploy('web:1', { annotations: { [key]: 'bbb' } })] }],
    { ignoreAnnotations: [key] },
  );
  assert.is(d.changed, false);
});

test.run();
