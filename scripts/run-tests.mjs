#!/usr/bin/env node
// Runs every test file with uvu (TypeScript through tsx) and ends with one plain summary line,
// "N passed, N failed, N skipped", that CI systems and people can read at a glance.
//   node scripts/run-tests.mjs [pattern]     pattern: a regular expression on test file paths
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

// uvu's package exports hide bin.js; find it beside the package's main entry.
const uvu = path.resolve(path.dirname(fileURLToPath(import.meta.resolve('uvu'))), '..', 'bin.js');
const pattern = process.argv[2] ?? '\\.test\\.ts$';
const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), uvu, 'test', pattern], { stdio: ['ignore', 'pipe', 'inherit'] });
let tail = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  tail = (tail + chunk.toString()).slice(-4000);
});
child.on('close', (code, signal) => {
  // eslint-disable-next-line no-control-regex
  const plain = tail.replace(/\u001b\[[0-9;]*m/g, '');
  const num = (label) => Number((plain.match(new RegExp(`${label}:\\s+(\\d+)`)) ?? [])[1] ?? NaN);
  const total = num('Total');
  const passed = num('Passed');
  const skipped = num('Skipped');
  if (Number.isFinite(total) && Number.isFinite(passed)) {
    const failed = total - passed - (Number.isFinite(skipped) ? skipped : 0);
    console.log(`\n${passed} passed, ${failed} failed, ${Number.isFinite(skipped) ? skipped : 0} skipped`);
  } else {
    console.log(`\n0 passed, 1 failed (the test runner ended without a summary${signal ? `: ${signal}` : ''})`);
  }
  process.exit(code ?? 1);
});
