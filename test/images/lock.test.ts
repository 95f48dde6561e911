import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import { emptyLock, formatLock, lockedDigest, parseLock, readLock, withLockedImage, writeLock } from '../../src/images/lock.js';
import { isKforgeError } from '../../src/errors.js';
import { tempTree } from './helpers.js';

const D1 = `sha256:${'a'.repeat(64)}`;
const D2 = `sha256:${'b'.repeat(64)}`;

test('the lock is formatted deterministically: images sorted by name, fixed key order, final newline', () => {
  let lock = withLockedImage(emptyLock(), { name: 'web', reference: 'r/web:2', tag: '2', digest: D2 });
  lock = withLockedImage(lock, { name: 'base', reference: 'r/base:1', tag: '1', digest: D1 });
  assert.is(
    formatLock(lock),
    `{\n  "apiVersion": "kforge.dev/v1alpha1",\n  "kind": "ImageLock",\n  "images": [\n    {\n      "name": "base",\n      "reference": "r/base:1",\n      "tag": "1",\n      "digest": "${D1}"\n    },\n    {\n      "name": "web",\n      "reference": "r/web:2",\n      "tag": "2",\n      "digest": "${D2}"\n    }\n  ]\n}\n`,
  );
});

test('a new entry replaces the image\'s previous one, and a digest is only given for the locked tag', () => {
  let lock = withLockedImage(emptyLock(), { name: 'web', reference: 'r/web:1', tag: '1', digest: D1 });
  lock = withLockedImage(lock, { name: 'web', reference: 'r/web:2', tag: '2', digest: D2 });
  assert.is(lock.images.length, 1);
  assert.is(lockedDigest(lock, 'web', '2'), D2);
  assert.is(lockedDigest(lock, 'web', '1'), undefined);
});

test('written and read back, a lock is the same; a missing file is an empty lock', () => {
  const dir = tempTree({});
  const file = path.join(dir, 'kforge.lock.json');
  assert.equal(readLock(file), emptyLock());
  const lock = withLockedImage(emptyLock(), { name: 'web', reference: 'r/web:1', tag: '1', digest: D1 });
  writeLock(file, lock);
  assert.equal(readLock(file), lock);
});

test('a lock that is not JSON, of another kind, or with a bad digest is an error naming the file', () => {
  for (const [text, msg] of [
    ['{', 'lock file is not JSON'],
    ['{"apiVersion": "v1", "kind": "List", "images": []}', 'not a kforge image lock'],
    ['{"apiVersion": "kforge.dev/v1alpha1", "kind": "ImageLock", "images": [{"name": "a", "reference": "r", "tag": "t", "digest": "latest"}]}', "images[0].digest 'latest' is not a digest"],
  ]) {
    try {
      parseLock(text, 'kforge.lock.json');
      assert.unreachable('should fail');
    } catch (e) {
      if (!isKforgeError(e)) throw e;
      assert.ok(e.format().startsWith('kforge.lock.json: ') && e.format().includes(msg), e.format());
    }
  }
});

test.run();
