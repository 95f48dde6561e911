// The CLI-wide options issue 9 adds: shell completion and --no-color.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../src/cli/main.js';
import { kforge } from '../ci/run-cli.js';

test('kforge completion prints a bash script that asks kforge for completions, and kforge answers with its commands', async () => {
  const script = await kforge(os.tmpdir(), ['completion'], { SHELL: '/bin/bash' });
  assert.is(script.exitCode, 0, script.stderr);
  assert.match(script.stdout, 'complete -o bashdefault -o default -F _kforge_yargs_completions kforge');
  assert.match(script.stdout, 'kforge --get-yargs-completions');
  const words = await kforge(os.tmpdir(), ['--get-yargs-completions', 'kforge', '']);
  for (const c of ['render', 'images', 'release', 'diff', 'apply', 'ci', 'init', 'completion']) assert.ok(words.stdout.split('\n').includes(c), `${c} in ${words.stdout}`);
  const options = await kforge(os.tmpdir(), ['--get-yargs-completions', 'kforge', 'ci', '--']);
  assert.ok(options.stdout.split('\n').includes('--push'), options.stdout);
});

test('for zsh the completion script is a compdef', async () => {
  const r = await kforge(os.tmpdir(), ['completion'], { SHELL: '/usr/bin/zsh' });
  assert.match(r.stdout, '#compdef kforge');
});

test('--no-color sets NO_COLOR, the switch every color decision (and child tool) reads', async () => {
  const saved = process.env.NO_COLOR;
  delete process.env.NO_COLOR;
  // A command that fails before printing anything keeps the test output clean; the middleware runs before it.
  const code = await main(['--no-color', 'init', path.join(os.tmpdir(), 'kforge-no-such-folder', 'x'), '--dry-run']);
  assert.is(process.env.NO_COLOR, '1');
  assert.is(code, 2, 'a folder that does not exist is bad input');
  if (saved === undefined) delete process.env.NO_COLOR;
  else process.env.NO_COLOR = saved;
});

test.run();
