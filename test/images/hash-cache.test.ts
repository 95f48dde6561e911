import { test } from 'uvu';
import * as assert from 'uvu/assert';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { HashCache } from '../../src/images/hash-cache.js';
import { hashFiles } from '../../src/images/file-hash.js';
import { listContext } from '../../src/images/context.js';
import { isKforgeError } from '../../src/errors.js';
import { age, tempTree, writeTree } from './helpers.js';

const sha = (s: string | Buffer) => crypto.createHash('sha256').update(s).digest('hex');

function filesOf(root: string) {
  return listContext(root).filter((e) => e.kind === 'file').map((e) => ({ abs: path.join(root, e.path), size: e.size, mtimeMs: e.mtimeMs, ino: e.ino }));
}

test('file hashes are the sha256 of the content, large files included', async () => {
  const big = crypto.randomBytes(3 << 20);
  const root = tempTree({ 'a.txt': 'hello', 'dir/big.bin': { content: big } });
  const out = await hashFiles(filesOf(root), HashCache.memory());
  assert.is(out.get(path.join(root, 'a.txt')), sha('hello'));
  assert.is(out.get(path.join(root, 'dir/big.bin')), sha(big));
});

test('a saved cache answers for unchanged files and misses a changed one', async () => {
  const root = tempTree({ 'a.txt': 'aaa', 'b.txt': 'bbb', 'c/d.txt': 'ddd' });
  age(root);
  const file = path.join(tempTree({}), 'cache.json');
  const first = HashCache.load(file);
  await hashFiles(filesOf(root), first);
  assert.is(first.misses, 3);
  first.save();

  const second = HashCache.load(file);
  const again = await hashFiles(filesOf(root), second);
  assert.is(second.hits, 3);
  assert.is(second.misses, 0);
  assert.is(again.get(path.join(root, 'b.txt')), sha('bbb'));

  writeTree(root, { 'b.txt': 'BBB' }); // same size, new content (and mtime)
  const third = HashCache.load(file);
  const changed = await hashFiles(filesOf(root), third);
  assert.is(third.misses, 1);
  assert.is(changed.get(path.join(root, 'b.txt')), sha('BBB'));
});

test('a file modified within the racy window is not trusted from the cache', async () => {
  const root = tempTree({ 'fresh.txt': 'x' });
  const cache = HashCache.memory();
  await hashFiles(filesOf(root), cache);
  await hashFiles(filesOf(root), cache);
  assert.is(cache.hits, 0);
});

test('pruning forgets entries under a hashed root that were not seen, and keeps other roots', async () => {
  const root = tempTree({ 'a.txt': 'a', 'b.txt': 'b' });
  const other = tempTree({ 'o.txt': 'o' });
  age(root);
  age(other);
  const cache = HashCache.memory();
  await hashFiles([...filesOf(root), ...filesOf(other)], cache);
  fs.rmSync(path.join(root, 'b.txt'));
  cache.prune([root], new Set(filesOf(root).map((f) => f.abs)));
  const [o] = filesOf(other);
  assert.ok(cache.get(o.abs, o));
  assert.not.ok(cache.get(path.join(root, 'b.txt'), { size: 1, mtimeMs: 0, ino: 0 }));
});

test('a file that vanished before it was read fails closed, naming it', async () => {
  const root = tempTree({ 'a.txt': 'a' });
  const files = filesOf(root);
  fs.rmSync(files[0].abs);
  try {
    await hashFiles(files, HashCache.memory());
    assert.unreachable('should fail');
  } catch (e) {
    if (!isKforgeError(e)) throw e;
    assert.ok(e.format().startsWith(`${files[0].abs}: cannot read file: ENOENT`), e.format());
  }
});

test('the context listing keeps symlinks as links, sorted by path, with the executable bit', () => {
  const root = tempTree({ 'b.sh': { content: '', mode: 0o755 }, 'a/x': '' });
  fs.symlinkSync('/etc/passwd', path.join(root, 'link'));
  const list = listContext(root).map((e) => `${e.kind}${e.exec ? '+x' : ''} ${e.path}${e.linkTarget ? ` -> ${e.linkTarget}` : ''}`);
  assert.equal(list, ['dir a', 'file a/x', 'file+x b.sh', 'symlink link -> /etc/passwd']);
});

test.run();
