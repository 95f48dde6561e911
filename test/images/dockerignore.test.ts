import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createIgnoreMatcher, parseDockerignore } from '../../src/images/dockerignore.js';
import { isKforgeError } from '../../src/errors.js';

const matcher = (text: string) => createIgnoreMatcher(parseDockerignore(text, '.dockerignore'));

const cases: [string, string, boolean][] = [
  // [dockerignore, path, excluded]
  ['node_modules', 'node_modules', true],
  ['node_modules', 'node_modules/a/b.js', true],
  ['node_modules', 'src/node_modules', false],
  ['*.md', 'README.md', true],
  ['*.md', 'docs/README.md', false],
  ['**/*.md', 'docs/deep/README.md', true],
  ['**/*.md', 'README.md', true],
  ['docs/**', 'docs/a/b', true],
  ['a/**/b', 'a/b', true],
  ['a/**/b', 'a/x/y/b', true],
  ['/build', 'build/out.o', true],
  ['./build/', 'build/out.o', true],
  ['fil?.txt', 'file.txt', true],
  ['fil?.txt', 'fil/.txt', false],
  ['[a-c].txt', 'b.txt', true],
  ['[a-c].txt', 'd.txt', false],
  ['a.b', 'axb', false],
  ['*.md\n!README.md', 'README.md', false],
  ['*.md\n!README.md', 'NOTES.md', true],
  ['!README.md\n*.md', 'README.md', true],
  ['docs\n!docs/keep.txt', 'docs/keep.txt', false],
  ['docs\n!docs/keep.txt', 'docs/drop.txt', true],
  ['# a comment\n*.log', '# a comment', false],
  ['  *.log  ', 'x.log', true],
  ['', 'anything', false],
];

for (const [ignore, p, excluded] of cases) {
  test(`pattern ${JSON.stringify(ignore)} ${excluded ? 'excludes' : 'keeps'} ${p}`, () => {
    assert.is(matcher(ignore).excludes(p), excluded);
  });
}

test('an excluded folder is walked only when an exception can re-include something below it', () => {
  const m = matcher('docs\n!docs/keep.txt');
  assert.ok(m.mayReincludeUnder('docs'));
  assert.not.ok(m.mayReincludeUnder('other'));
  assert.not.ok(matcher('docs').mayReincludeUnder('docs'));
  assert.ok(matcher('docs\n!**/keep.txt').mayReincludeUnder('docs'));
});

test('a bare "!" and an unclosed character class are errors that name the file and line', () => {
  for (const text of ['*.md\n!', 'ok\n[abc']) {
    try {
      parseDockerignore(text, 'ctx/.dockerignore');
      assert.unreachable('should fail');
    } catch (e) {
      if (!isKforgeError(e)) throw e;
      assert.ok(e.format().startsWith('ctx/.dockerignore:2: '), e.format());
    }
  }
});

test.run();
