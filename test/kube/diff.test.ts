import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { colorizeDiff, diffNameOf, newObjectDiff, parseKubectlDiff, redactSecret } from '../../src/kube/diff.js';

const kubectlOutput = `diff -u -N /tmp/LIVE-1/v1.ConfigMap.shop.settings /tmp/MERGED-2/v1.ConfigMap.shop.settings
--- /tmp/LIVE-1/v1.ConfigMap.shop.settings\t2026-01-01 00:00:00.000000000 +0000
+++ /tmp/MERGED-2/v1.ConfigMap.shop.settings\t2026-01-01 00:00:00.000000000 +0000
@@ -1,3 +1,3 @@
 data:
-  A: "1"
+  A: "2"
diff -u -N /tmp/LIVE-1/apps.v1.Deployment.shop.web /tmp/MERGED-2/apps.v1.Deployment.shop.web
--- /tmp/LIVE-1/apps.v1.Deployment.shop.web\t2026-01-01 00:00:00.000000000 +0000
+++ /tmp/MERGED-2/apps.v1.Deployment.shop.web\t2026-01-01 00:00:00.000000000 +0000
@@ -0,0 +1,2 @@
+apiVersion: apps/v1
+kind: Deployment
`;

test('kubectl diff output splits into one section per object, creates told from updates', () => {
  const s = parseKubectlDiff(kubectlOutput);
  assert.equal(s.map((x) => [x.name, x.action]), [['v1.ConfigMap.shop.settings', 'update'], ['apps.v1.Deployment.shop.web', 'create']]);
  assert.ok(s[0].text.endsWith('+  A: "2"\n'));
  assert.is(s.map((x) => x.text).join(''), kubectlOutput);
});

test("objects are named as kubectl diff names them, cluster-scoped ones with an empty namespace", () => {
  assert.is(diffNameOf({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'shop' } }), 'apps.v1.Deployment.shop.web');
  assert.is(diffNameOf({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'shop' } }), 'v1.Namespace..shop');
});

test('Secret values are redacted in diffs kforge prints itself; other kinds are untouched', () => {
  const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's', namespace: 'n' }, data: { password: 'aHVudGVyMg==' }, stringData: { token: 'abc' } };
  const d = newObjectDiff(secret);
  assert.is(d.action, 'create');
  assert.not.ok(d.text.includes('aHVudGVyMg=='));
  assert.not.ok(d.text.includes('abc'));
  assert.match(d.text, /\+  password: '\*\*\*'/);
  const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'visible' } };
  assert.is(redactSecret(cm), cm);
});

test('colour marks additions green and removals red, and only on request', () => {
  const c = colorizeDiff('@@ -1 +1 @@\n-a\n+b\n c');
  assert.is(c, '\x1b[36m@@ -1 +1 @@\x1b[0m\n\x1b[31m-a\x1b[0m\n\x1b[32m+b\x1b[0m\n c');
});

test.run();
