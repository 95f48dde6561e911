import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { diffLines, splitLines, unifiedHunks } from '../../src/diff/unified.js';

test('equal texts have no hunks', () => {
  assert.is(unifiedHunks('a\nb\n', 'a\nb\n'), '');
});

test('a changed line is shown with three lines of context and diff -u line numbers', () => {
  const a = ['1', '2', '3', '4', '5', '6', '7', '8', '9'].join('\n') + '\n';
  const b = a.replace('5\n', 'five\n');
  assert.is(unifiedHunks(a, b), '@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n');
});

test('changes far apart make separate hunks, changes close together share one', () => {
  const lines = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`);
  const far = lines.map((l, i) => (i === 2 || i === 25 ? `${l}!` : l));
  assert.is(unifiedHunks(lines.join('\n'), far.join('\n')).split('\n').filter((l) => l.startsWith('@@')).length, 2);
  const near = lines.map((l, i) => (i === 2 || i === 8 ? `${l}!` : l));
  assert.is(unifiedHunks(lines.join('\n'), near.join('\n')).split('\n').filter((l) => l.startsWith('@@')).length, 1);
});

test('a new file is one hunk from line 0, as diff -N prints it', () => {
  assert.is(unifiedHunks('', 'a\nb\n'), '@@ -0,0 +1,2 @@\n+a\n+b\n');
  assert.is(unifiedHunks('a\n', ''), '@@ -1 +0,0 @@\n-a\n');
});

test('the edit script rebuilds both sides and is as short as possible', () => {
  // Deterministic pseudo-random inputs: the count of changed lines must equal the LCS-based minimum.
  let seed = 7;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) >>> 8) % 5;
  for (let t = 0; t < 200; t++) {
    const a = Array.from({ length: rnd() * 4 + rnd() }, () => `x${rnd()}`);
    const b = Array.from({ length: rnd() * 4 + rnd() }, () => `x${rnd()}`);
    const ops = diffLines(a, b);
    assert.equal(ops.filter((o) => o.op !== '+').map((o) => o.line), a);
    assert.equal(ops.filter((o) => o.op !== '-').map((o) => o.line), b);
    const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
    for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) {
      lcs[i][j] = a[i] === b[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
    assert.is(ops.filter((o) => o.op !== ' ').length, a.length + b.length - 2 * lcs[0][0]);
  }
});

test('split lines ignores the final newline only', () => {
  assert.equal(splitLines('a\n\nb\n'), ['a', '', 'b']);
  assert.equal(splitLines(''), []);
  assert.equal(splitLines('a'), ['a']);
});

test.run();
