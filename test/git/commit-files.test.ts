import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { tempRepo } from './fixture.js';
import { commitFiles, compareAndSwapRef, readBranch, readSnapshotFile } from '../../src/git/commit-files.js';
import { blobId, objectFormat } from '../../src/git/repo.js';

const file = (p: string, content: string) => ({ path: p, content, oid: blobId(content, 'sha1') });

test('commits files to a new branch without touching the working tree, the index or HEAD', async () => {
  const repo = tempRepo({ 'src.txt': 'source\n' });
  repo.write({ 'src.txt': 'edited\n', 'new.txt': 'untracked\n', 'staged.txt': 'staged\n' });
  repo.git('add', 'staged.txt');
  const status = repo.git('status', '--porcelain');
  const index = fs.readFileSync(path.join(repo.dir, '.git/index'));
  const head = repo.git('rev-parse', 'HEAD');

  const commit = await commitFiles(repo.dir, { writes: [file('dev/a.yaml', 'a: 1\n'), file('README.md', 'hi\n')], deletes: [], message: 'first\n' });
  assert.ok(await compareAndSwapRef(repo.dir, 'refs/heads/release', commit, undefined, 'test'));

  assert.is(repo.git('show', 'release:dev/a.yaml'), 'a: 1');
  assert.is(repo.git('log', '-1', '--format=%s', 'release'), 'first');
  assert.equal(fs.readFileSync(path.join(repo.dir, '.git/index')), index);
  assert.is(repo.git('status', '--porcelain'), status);
  assert.is(repo.git('rev-parse', 'HEAD'), head);
  assert.is(repo.git('symbolic-ref', 'HEAD'), 'refs/heads/main');
  repo.remove();
});

test('a commit on a parent keeps the files it was not asked to change and deletes the ones it was', async () => {
  const repo = tempRepo({ 'x': '1\n' });
  const first = await commitFiles(repo.dir, { writes: [file('dev/a.yaml', 'a\n'), file('dev/b.yaml', 'b\n'), file('ci.yml', 'ci\n')], deletes: [], message: 'one' });
  await compareAndSwapRef(repo.dir, 'refs/heads/release', first, undefined, 'test');
  const second = await commitFiles(repo.dir, { parent: first, writes: [file('dev/a.yaml', 'a2\n')], deletes: ['dev/b.yaml'], message: 'two' });
  assert.ok(await compareAndSwapRef(repo.dir, 'refs/heads/release', second, first, 'test'));
  const snap = await readBranch(repo.dir, 'refs/heads/release');
  assert.is(snap.tip, second);
  assert.equal([...snap.files.keys()].sort(), ['ci.yml', 'dev/a.yaml']);
  assert.is(await readSnapshotFile(repo.dir, snap, 'dev/a.yaml'), 'a2\n');
  assert.is(await readSnapshotFile(repo.dir, snap, 'dev/b.yaml'), undefined);
  assert.is(repo.git('rev-parse', 'release^'), first);
  repo.remove();
});

test('compare-and-swap refuses to move a ref that another writer moved first', async () => {
  const repo = tempRepo({ 'x': '1\n' });
  const a = await commitFiles(repo.dir, { writes: [file('a', 'a\n')], deletes: [], message: 'a' });
  const b = await commitFiles(repo.dir, { writes: [file('b', 'b\n')], deletes: [], message: 'b' });
  const c = await commitFiles(repo.dir, { writes: [file('c', 'c\n')], deletes: [], message: 'c' });
  assert.ok(await compareAndSwapRef(repo.dir, 'refs/heads/release', a, undefined, 'test'));
  assert.ok(await compareAndSwapRef(repo.dir, 'refs/heads/release', b, a, 'test'));
  assert.is(await compareAndSwapRef(repo.dir, 'refs/heads/release', c, a, 'test'), false, 'stale expected value');
  assert.is(await compareAndSwapRef(repo.dir, 'refs/heads/release', c, undefined, 'test'), false, 'the branch exists already');
  assert.is(repo.git('rev-parse', 'release'), b);
  repo.remove();
});

test('a branch that does not exist reads as empty', async () => {
  const repo = tempRepo({ 'x': '1\n' });
  const snap = await readBranch(repo.dir, 'refs/heads/release');
  assert.is(snap.tip, undefined);
  assert.is(snap.files.size, 0);
  repo.remove();
});

test('a sha256 repository gets the same plumbing: ids computed ahead match what git stores', async () => {
  const repo = tempRepo();
  repo.git('init', '-q', '--object-format=sha256', repo.dir + '/sha256');
  const dir = repo.dir + '/sha256';
  assert.is(await objectFormat(dir), 'sha256');
  const content = 'a: 1\n';
  const commit = await commitFiles(dir, { writes: [{ path: 'dev/a.yaml', content, oid: blobId(content, 'sha256') }], deletes: [], message: 'one' });
  assert.ok(await compareAndSwapRef(dir, 'refs/heads/release', commit, undefined, 'test'));
  const next = await commitFiles(dir, { parent: commit, writes: [], deletes: ['dev/a.yaml'], message: 'two' });
  assert.ok(await compareAndSwapRef(dir, 'refs/heads/release', next, commit, 'test'));
  assert.is((await readBranch(dir, 'refs/heads/release')).files.size, 0);
  assert.is(commit.length, 64);
  repo.remove();
});

test.run();
