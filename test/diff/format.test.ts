import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { JsonObject } from '../../src/resource.js';
import { compareRenders } from '../../src/diff/compare.js';
import { formatJson, formatMarkdown, formatText, GITHUB_COMMENT_LIMIT } from '../../src/diff/format.js';

const labels = { base: 'main (1a2b3c4)', head: 'working tree' };
const cm = (name: string, data: Record<string, string>): JsonObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'app' }, data });
const secret = (value: string): JsonObject => ({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'db', namespace: 'app' }, data: { password: value } });

const sample = compareRenders(
  [{ name: 'dev', resources: [cm('a', { k: '1' }), cm('gone', {}), secret('b2xk')] }, { name: 'prod', resources: [cm('a', { k: '1' })] }],
  [{ name: 'dev', resources: [cm('a', { k: '2' }), cm('new', {}), secret('bmV3')] }, { name: 'prod', resources: [cm('a', { k: '1' })] }],
);

test('text starts with a summary per environment, then one diff per changed resource', () => {
  const out = formatText(sample, labels);
  const lines = out.split('\n');
  assert.equal(lines.slice(0, 4), ['base: main (1a2b3c4)', 'head: working tree', 'dev: 1 added, 2 changed, 1 removed', 'prod: no changes']);
  assert.match(out, '\ndev: changed v1 ConfigMap app/a\n--- a/dev/app_configmap_a.yaml\n+++ b/dev/app_configmap_a.yaml\n@@');
  assert.match(out, '\ndev: added v1 ConfigMap app/new\n--- /dev/null\n');
  assert.match(out, '\ndev: removed v1 ConfigMap app/gone\n');
  assert.not.match(out, 'b2xk');
  assert.not.match(out, 'bmV3');
});

test('json lists every environment and resource with its diff, and no secret value', () => {
  const out = formatJson(sample, labels);
  const data = JSON.parse(out) as { changed: boolean; environments: { name: string; added: number; changed: number; removed: number; resources: { change: string; head?: { name: string } }[] }[] };
  assert.is(data.changed, true);
  assert.equal(data.environments.map((e) => [e.name, e.added, e.changed, e.removed]), [['dev', 1, 2, 1], ['prod', 0, 0, 0]]);
  assert.equal(data.environments[0].resources.map((r) => r.change).sort(), ['added', 'changed', 'changed', 'removed']);
  assert.not.match(out, 'b2xk');
  assert.not.match(out, 'bmV3');
});

test('markdown has a summary table and a collapsible section per changed environment', () => {
  const out = formatMarkdown(sample, labels);
  assert.match(out, '| dev | 1 | 2 | 1 |');
  assert.match(out, '| prod | 0 | 0 | 0 |');
  assert.match(out, '<details>\n<summary><b>dev</b>: 1 added, 2 changed, 1 removed</summary>');
  assert.not.match(out, '<summary><b>prod</b>');
  assert.match(out, '```diff\n--- a/dev/app_configmap_a.yaml');
  assert.is(out.split('<details>').length, out.split('</details>').length);
  assert.not.match(out, 'Truncated');
  assert.not.match(out, 'b2xk');
});

test('markdown without changes says so', () => {
  const same = compareRenders([{ name: 'dev', resources: [cm('a', {})] }], [{ name: 'dev', resources: [cm('a', {})] }]);
  assert.match(formatMarkdown(same, labels), 'No changes in the rendered manifests.');
});

test('markdown of a huge diff stays under the GitHub comment limit and says what it left out', () => {
  const big = (v: string) => Array.from({ length: 60 }, (_, i) => cm(`cm-${i}`, Object.fromEntries(Array.from({ length: 40 }, (_, j) => [`key${j}`, `${v}-${'x'.repeat(20)}`]))));
  const d = compareRenders([{ name: 'dev', resources: big('old') }, { name: 'prod', resources: big('old') }], [{ name: 'dev', resources: big('new') }, { name: 'prod', resources: big('new') }]);
  const out = formatMarkdown(d, labels);
  assert.ok(out.length <= GITHUB_COMMENT_LIMIT, `length ${out.length}`);
  assert.ok(out.length > GITHUB_COMMENT_LIMIT - 5000, 'uses most of the room');
  assert.match(out, /Truncated to stay under GitHub's 65,536-character comment limit: \d+ of 120 resource diffs are not shown in full/);
  assert.is(out.split('<details>').length, out.split('</details>').length, 'every section is closed');
  assert.is((out.match(/^```/gm) ?? []).length % 2, 0, 'every code block is closed');
});

test('a single diff larger than the limit is cut short inside a closed code block', () => {
  const huge = (v: string) => [cm('big', Object.fromEntries(Array.from({ length: 3000 }, (_, j) => [`key${j}`, `${v}-${'y'.repeat(30)}`])))];
  const out = formatMarkdown(compareRenders([{ name: 'dev', resources: huge('a') }], [{ name: 'dev', resources: huge('b') }]), labels);
  assert.ok(out.length <= GITHUB_COMMENT_LIMIT);
  assert.match(out, '… (cut short)\n```\n');
  assert.match(out, '1 of 1 resource diffs are not shown in full (1 of them cut short)');
});

test('a diff containing backticks gets a longer fence', () => {
  const d = compareRenders([{ name: 'dev', resources: [cm('a', { script: 'echo' })] }], [{ name: 'dev', resources: [cm('a', { script: '```' })] }]);
  assert.match(formatMarkdown(d, labels), '````diff\n');
});

test.run();
