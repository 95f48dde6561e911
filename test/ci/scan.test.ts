import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runScan, scanCommand } from '../../src/ci/scan.js';

const target = { name: 'web', reference: 'reg.example/app/web:0123abcd', repository: 'reg.example/app/web', digest: 'sha256:' + 'a'.repeat(64) };

test('a string template is split on spaces and {image} is the pushed digest', () => {
  assert.equal(scanCommand('trivy image --exit-code 1 {image}', target), ['trivy', 'image', '--exit-code', '1', `reg.example/app/web@sha256:${'a'.repeat(64)}`]);
});

test('the list form keeps arguments with spaces whole, and fills {reference}, {name} and {digest} inside arguments', () => {
  assert.equal(scanCommand(['grype', '--only-fixed', '--name=image {name}', '{reference}', 'd={digest}'], target), [
    'grype', '--only-fixed', '--name=image web', 'reg.example/app/web:0123abcd', `d=sha256:${'a'.repeat(64)}`,
  ]);
});

test('without a digest, {image} falls back to the tag reference', () => {
  assert.equal(scanCommand('scan {image}', { ...target, digest: undefined }), ['scan', 'reg.example/app/web:0123abcd']);
});

test('metacharacters in a template are passed through as plain arguments, never to a shell', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kforge-scan-'));
  const script = path.join(dir, 'args.sh');
  fs.writeFileSync(script, '#!/bin/sh\nfor a in "$@"; do echo "[$a]"; done\n');
  const lines: string[] = [];
  const r = await runScan(['sh', script, '{name};', '$(touch pwned)', '|', 'true'], target, { cwd: dir, onLine: (l) => lines.push(l) });
  assert.ok(r.passed);
  assert.equal(lines, ['[web;]', '[$(touch pwned)]', '[|]', '[true]']);
  assert.not.ok(fs.existsSync(path.join(dir, 'pwned')));
  fs.rmSync(dir, { recursive: true, force: true });
});

test("a scanner's non-zero exit is a failed scan with its exit code and output tail", async () => {
  const r = await runScan(['sh', '-c', 'echo CVE-1; echo CVE-2; exit 3', 'scanner'], target, { cwd: os.tmpdir() });
  assert.equal({ passed: r.passed, exitCode: r.exitCode, tail: r.outputTail, image: r.image }, { passed: false, exitCode: 3, tail: ['CVE-1', 'CVE-2'], image: `reg.example/app/web@sha256:${'a'.repeat(64)}` });
});

test('a scanner that is not installed is an input error naming it', async () => {
  try {
    await runScan('kforge-no-such-scanner {image}', target, { cwd: os.tmpdir() });
    assert.unreachable();
  } catch (e) {
    assert.match(String((e as Error).message), "scan: cannot run 'kforge-no-such-scanner'");
  }
});

test.run();
