import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatCiSummary } from '../../src/ci/summary.js';
import type { CiResult } from '../../src/ci/run.js';

const base: CiResult = { mode: 'release', outcome: 'released', branch: 'main', branchSource: 'git', sourceCommit: 'a'.repeat(40), environments: ['dev'], images: [], scans: [] };
const img = (name: string, action: 'built' | 'present') => ({ name, reference: `reg/${name}:t`, tag: 't', digest: 'sha256:d', action, reasons: [] });

test('a release lists images (built or present, with digests), scans and the environments it changed', () => {
  const r: CiResult = {
    ...base,
    images: [img('base', 'present'), img('app', 'built')],
    scans: [{ name: 'app', image: 'reg/app@sha256:d', passed: true, exitCode: 0, outputTail: [] }],
    release: { branch: 'release', sourceCommit: 'a'.repeat(40), commit: 'b'.repeat(40), changes: [{ env: 'dev', added: ['x'], modified: [], removed: [] }], images: [], dryRun: false, pushed: 'origin' },
  };
  assert.equal(formatCiSummary(r), [
    'images: 1 built, 1 already in the registry',
    '  base: present reg/base:t@sha256:d',
    '  app: built reg/app:t@sha256:d',
    '  app: scan passed',
    `released ${'a'.repeat(12)} to release as ${'b'.repeat(12)}:`,
    '  dev: 1 added, 0 changed, 0 removed',
    'pushed release to origin',
  ]);
});

test('nothing to release says so; an early stop and a branch without environments add nothing to what the run said', () => {
  const release = { branch: 'release', sourceCommit: 'a'.repeat(40), changes: [], images: [], dryRun: false };
  assert.equal(formatCiSummary({ ...base, outcome: 'unchanged', release }), [`nothing to release: release already holds the render of ${'a'.repeat(12)} for dev`]);
  assert.equal(formatCiSummary({ ...base, outcome: 'unchanged', sameAsLastRun: true }), []);
  assert.equal(formatCiSummary({ ...base, mode: 'none', outcome: 'nothing-to-do', environments: [] }), []);
});

test('a pull request shows the diff summary per environment and where the markdown went', () => {
  const r: CiResult = { ...base, mode: 'pull-request', outcome: 'diff', diff: { file: '/w/d.md', changed: true, base: 'abc', head: 'HEAD (def)', environments: [{ name: 'dev', summary: 'no changes' }] } };
  assert.equal(formatCiSummary(r), ['diff of the render: abc -> HEAD (def): changes', '  dev: no changes', 'markdown written to /w/d.md']);
});

test.run();
