// Errors as a user sees them: one line, `kforge: <file>:<line>: <what> (<hint>)`, and the documented exit code,
// for hostile input too (an alias bomb, a bad separator) and for validate's own errors.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { writeTree } from '../helpers/tree.js';

const main = path.resolve('src/cli/main.ts');
function kforge(args: string[], cwd: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env.FORCE_COLOR;
  const r = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), main, ...args], { cwd, encoding: 'utf8', env, timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const ONE_ERROR_LINE = /^kforge: [^\n]+\n$/;

test('an alias bomb is a one-line input error (exit 2) within seconds, not a hang', () => {
  const bomb = ['a: &a [x,x,x,x,x,x,x,x,x]', ...'bcdefghi'.split('').map((n, i) => `${n}: &${n} [${Array(9).fill(`*${'abcdefghi'[i]}`).join(',')}]`)].join('\n');
  const root = writeTree({ 'kustomization.yaml': 'resources: [cm.yaml]\n', 'cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  ${bomb.replace(/\n/g, '\n  ')}\n` });
  const started = Date.now();
  const r = kforge(['render', '.'], root);
  assert.is(r.code, 2);
  assert.match(r.stderr, ONE_ERROR_LINE);
  assert.match(r.stderr, /^kforge: cm\.yaml:1: YAML aliases expand to more than 2000000 nodes \(an alias bomb\? kforge refuses it instead of hanging\)\n$/);
  assert.ok(Date.now() - started < 30_000);
});

test('a bad document separator is a one-line input error with its line', () => {
  const root = writeTree({ 'kustomization.yaml': 'resources: [cm.yaml]\n', 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n--- |\n  x\n' });
  const r = kforge(['render', '.'], root);
  assert.is(r.code, 2);
  assert.is(r.stderr, 'kforge: cm.yaml:4: invalid document separator: --- | (only a comment may follow --- on its line)\n');
});

test('validate without a project is a one-line not-found error (exit 2)', () => {
  const r = kforge(['validate', '--config', 'nowhere/kforge.yaml'], writeTree({ 'README': 'x' }));
  assert.is(r.code, 2);
  assert.match(r.stderr, ONE_ERROR_LINE);
  assert.match(r.stderr, /^kforge: no kforge\.yaml at nowhere\/kforge\.yaml \(run kforge in a kforge project, or pass --config FILE\)\n$/);
});

test.run();
