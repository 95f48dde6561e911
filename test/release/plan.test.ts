import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createHash } from 'node:crypto';
import { formatOwnedFiles, OWNED_FILES, parseOwnedFiles, planIsEmpty, planRelease } from '../../src/release/plan.js';

const hash = (c: string) => createHash('sha1').update(`blob ${Buffer.byteLength(c)}\0`).update(c).digest('hex');
const branchOf = (files: Record<string, string>) => ({
  files: new Map(Object.entries(files).map(([p, c]) => [p, hash(c)])),
  ownedText: files[OWNED_FILES],
});

test('the first release writes every file and the list of files kforge owns', () => {
  const plan = planRelease(branchOf({}), [{ name: 'dev', files: [{ path: 'a.yaml', content: 'a\n' }] }, { name: 'prod', files: [{ path: 'a.yaml', content: 'p\n' }] }], hash);
  assert.equal(plan.changes, [
    { env: 'dev', added: ['dev/a.yaml'], modified: [], removed: [] },
    { env: 'prod', added: ['prod/a.yaml'], modified: [], removed: [] },
  ]);
  assert.equal(plan.writes.map((w) => w.path), ['dev/a.yaml', 'prod/a.yaml', OWNED_FILES]);
  assert.equal([...parseOwnedFiles(plan.writes[2].content)], ['dev/a.yaml', 'prod/a.yaml']);
});

test('releasing the same render again changes nothing', () => {
  const owned = formatOwnedFiles(['dev/a.yaml']);
  const plan = planRelease(branchOf({ 'dev/a.yaml': 'a\n', [OWNED_FILES]: owned }), [{ name: 'dev', files: [{ path: 'a.yaml', content: 'a\n' }] }], hash);
  assert.ok(planIsEmpty(plan));
  assert.equal(plan.changes, []);
});

test('a resource that no longer renders is removed, files kforge did not write are kept', () => {
  const branch = branchOf({
    'README.md': 'hi\n',
    'dev/notes.md': 'mine\n',
    'dev/a.yaml': 'a\n',
    'dev/b.yaml': 'b\n',
    'prod/a.yaml': 'p\n',
    [OWNED_FILES]: formatOwnedFiles(['dev/a.yaml', 'dev/b.yaml', 'prod/a.yaml']),
  });
  const plan = planRelease(branch, [{ name: 'dev', files: [{ path: 'a.yaml', content: 'a2\n' }] }], hash);
  assert.equal(plan.changes, [{ env: 'dev', added: [], modified: ['dev/a.yaml'], removed: ['dev/b.yaml'] }]);
  assert.equal(plan.deletes, ['dev/b.yaml']);
  assert.equal([...parseOwnedFiles(plan.writes.find((w) => w.path === OWNED_FILES)!.content)], ['dev/a.yaml', 'prod/a.yaml']);
});

test('an environment that renders to the same files is not listed as changed', () => {
  const branch = branchOf({ 'dev/a.yaml': 'a\n', 'prod/a.yaml': 'p\n', [OWNED_FILES]: formatOwnedFiles(['dev/a.yaml', 'prod/a.yaml']) });
  const plan = planRelease(branch, [{ name: 'dev', files: [{ path: 'a.yaml', content: 'a\n' }] }, { name: 'prod', files: [{ path: 'a.yaml', content: 'p2\n' }] }], hash);
  assert.equal(plan.changes.map((c) => c.env), ['prod']);
});

test('owned entries for files someone deleted from the branch are dropped', () => {
  const branch = branchOf({ 'dev/a.yaml': 'a\n', [OWNED_FILES]: formatOwnedFiles(['dev/a.yaml', 'dev/gone.yaml']) });
  const plan = planRelease(branch, [{ name: 'dev', files: [{ path: 'a.yaml', content: 'a\n' }] }], hash);
  assert.equal(plan.changes, []);
  assert.equal(plan.deletes, []);
  assert.equal(plan.writes.map((w) => w.path), [OWNED_FILES]);
});

test.run();
