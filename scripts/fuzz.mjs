#!/usr/bin/env node
// The long fuzz run: the suites of test/fuzz/ with many more cases than `npm test` gives them, and a fresh seed
// unless one is named, so every run explores new inputs. A failure prints the FUZZ_SEED and FUZZ_CASE that
// reproduce it.
//
//   node scripts/fuzz.mjs                      every target, 25x the cases of npm test, a random seed
//   node scripts/fuzz.mjs --scale 100 yaml     one target, 100x
//   node scripts/fuzz.mjs --seed 42            a given seed (FUZZ_SEED)
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const v = args[i + 1];
  args.splice(i, 2);
  return v;
};
const scale = option('--scale', '25');
const seed = option('--seed', String(crypto.randomInt(1, 2 ** 31)));
const all = fs.readdirSync(path.join(repo, 'test', 'fuzz')).filter((f) => f.endsWith('.test.ts')).map((f) => f.slice(0, -'.test.ts'.length)).sort();
const chosen = args.length ? args : all;
for (const t of chosen) if (!all.includes(t)) {
  console.error(`fuzz: no suite test/fuzz/${t}.test.ts (have: ${all.join(', ')})`);
  process.exit(2);
}
console.log(`fuzz: seed ${seed}, scale ${scale}x: ${chosen.join(', ')}`);
let failed = 0;
for (const t of chosen) {
  const started = Date.now();
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join('test', 'fuzz', `${t}.test.ts`)], {
    cwd: repo,
    stdio: 'inherit',
    env: { ...process.env, FUZZ_SEED: seed, FUZZ_SCALE: scale },
  });
  console.log(`fuzz: ${t}: ${r.status === 0 ? 'ok' : 'FAILED'} in ${Math.round((Date.now() - started) / 1000)} s`);
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
