import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { tempRepo } from './fixture.js';
import { defaultBranch, materialize, mergeBase, readBlobs, repoRoot, resolveCommit, uncommittedPaths, blobId } from '../../src/git/repo.js';
import { NotFoundError } from '../../src/errors.js';

test('materialize writes the files of an old revision, not the current ones', async () => {
  const repo = tempRepo({ 'base/a.yaml': 'a: 1\n', 'gone.txt': 'old\n', 'run.sh': '#!/bin/sh\n' });
  fs.chmodSync(path.join(repo.dir, 'run.sh'), 0o755);
  const first = repo.commit({}, 'mode');
  repo.commit({ 'base/a.yaml': 'a: 2\n', 'gone.txt': null, 'added.txt': 'new\n' });
  repo.write({ 'base/a.yaml': 'uncommitted\n' });
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'kforge-mat-'));
  await materialize(repo.dir, first, out);
  assert.is(fs.readFileSync(path.join(out, 'base/a.yaml'), 'utf8'), 'a: 1\n');
  assert.is(fs.readFileSync(path.join(out, 'gone.txt'), 'utf8'), 'old\n');
  assert.not.ok(fs.existsSync(path.join(out, 'added.txt')));
  assert.is(fs.statSync(path.join(out, 'run.sh')).mode & 0o111, 0o111);
  assert.is(fs.readFileSync(path.join(repo.dir, 'base/a.yaml'), 'utf8'), 'uncommitted\n');
  fs.rmSync(out, { recursive: true });
  repo.remove();
});

test('uncommitted paths list modified, staged and untracked files', async () => {
  const repo = tempRepo({ 'a': '1\n', 'b': '1\n' });
  assert.equal(await uncommittedPaths(repo.dir), []);
  repo.write({ 'a': '2\n', 'c': 'new\n' });
  repo.git('mv', 'b', 'b2');
  assert.equal((await uncommittedPaths(repo.dir)).sort(), ['a', 'b2', 'c']);
  repo.remove();
});

test('an unknown revision is a not-found error naming it', async () => {
  const repo = tempRepo({ 'a': '1\n' });
  try {
    await resolveCommit(repo.dir, 'no-such-branch');
    assert.unreachable('should throw');
  } catch (e) {
    assert.instance(e, NotFoundError);
    assert.match((e as Error).message, "unknown git revision 'no-such-branch'");
  }
  assert.is(await resolveCommit(repo.dir, 'main'), repo.git('rev-parse', 'HEAD'));
  repo.remove();
});

test('the default branch is origin/HEAD when known, else the local main', async () => {
  const upstream = tempRepo({ 'a': '1\n' });
  const clone = fs.mkdtempSync(path.join(os.tmpdir(), 'kforge-clone-'));
  const local = tempRepo({ 'a': '1\n' });
  assert.is(await defaultBranch(local.dir), 'main');
  local.git('clone', '-q', upstream.dir, clone);
  assert.is(await defaultBranch(clone), 'origin/main');
  assert.is(await repoRoot(path.join(clone)), fs.realpathSync(clone));
  fs.rmSync(clone, { recursive: true });
  upstream.remove();
  local.remove();
});

test('the merge base of a feature branch is where it left main', async () => {
  const repo = tempRepo({ 'a': '1\n' });
  const fork = repo.git('rev-parse', 'HEAD');
  repo.git('checkout', '-q', '-b', 'feature');
  repo.commit({ 'a': '2\n' });
  repo.git('checkout', '-q', 'main');
  repo.commit({ 'b': '1\n' });
  assert.is(await mergeBase(repo.dir, 'main', 'feature'), fork);
  repo.remove();
});

test('blob ids match what git stores, and blobs read back byte for byte', async () => {
  const repo = tempRepo({ 'a.yaml': 'a: 1\n', 'bin': '\u0000\u00ff binary\n' });
  const a = repo.git('rev-parse', 'HEAD:a.yaml');
  const bin = repo.git('rev-parse', 'HEAD:bin');
  assert.is(blobId('a: 1\n', 'sha1'), a);
  const blobs = await readBlobs(repo.dir, [a, bin, a]);
  assert.is(blobs.get(a)!.toString('utf8'), 'a: 1\n');
  assert.is(blobs.get(bin)!.toString('utf8'), '\u0000\u00ff binary\n');
  repo.remove();
});

test.run();
