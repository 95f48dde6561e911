import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readLastRun, readPassedScans, sameRun, writeLastRun, writePassedScans, type LastRun } from '../../src/ci/last-run.js';

const run: LastRun = { kforgeVersion: '0.1.0', head: 'a'.repeat(40), environments: ['dev', 'test'], tags: { web: 't1', base: 't0' }, releaseTip: 'b'.repeat(40), scan: '"trivy {image}"' };

test('the same run in another order of environments and tags is the same run', () => {
  assert.ok(sameRun(run, { ...run, environments: ['test', 'dev'], tags: { base: 't0', web: 't1' } }));
});

test('any moved input makes it a new run: commit, image tag, release tip, push remote, scan command, kforge version, environments', () => {
  for (const change of [
    { head: 'c'.repeat(40) },
    { tags: { web: 't2', base: 't0' } },
    { releaseTip: 'd'.repeat(40) },
    { pushed: 'origin' },
    { scan: undefined },
    { kforgeVersion: '0.2.0' },
    { environments: ['dev'] },
  ]) {
    assert.not.ok(sameRun(run, { ...run, ...change }), JSON.stringify(change));
  }
  assert.not.ok(sameRun(undefined, run), 'no record: a new run');
});

test('records survive a round trip; missing or broken files read as no record', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kforge-ci-state-'));
  assert.is(readLastRun(dir), undefined);
  assert.equal([...readPassedScans(dir)], []);
  writeLastRun(path.join(dir, 'nested'), run);
  assert.equal(readLastRun(path.join(dir, 'nested')), run);
  writePassedScans(dir, new Set(['x y', 'a b']));
  assert.equal([...readPassedScans(dir)], ['a b', 'x y']);
  fs.writeFileSync(path.join(dir, 'ci-last-run.json'), '{broken');
  fs.writeFileSync(path.join(dir, 'ci-scans-passed.json'), '{"not": "a list"}');
  assert.is(readLastRun(dir), undefined);
  assert.equal([...readPassedScans(dir)], []);
  fs.rmSync(dir, { recursive: true, force: true });
});

test.run();
