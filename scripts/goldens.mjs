#!/usr/bin/env node
// Regenerates the golden files of fixtures/<case>/ from the real `kubectl kustomize` (kustomize v5.5.0).
// Never edit expected.yaml or expected-error.txt by hand: change the input and run `npm run goldens`.
//
//   node scripts/goldens.mjs            regenerate every case
//   node scripts/goldens.mjs CASE...    regenerate the named cases
//   node scripts/goldens.mjs --check    fail if any golden differs from what kubectl kustomize prints now
//
// A case is fixtures/<case>/input/ (the tree) plus an optional fixtures/<case>/case.yaml:
//   dir: sub/folder          # what to build, relative to input/ (default: input/ itself)
//   args: [--load-restrictor, LoadRestrictionsNone]   # extra flags for both kustomize and kforge
//   error: "text"            # kforge must fail with a message containing this text
//   warnings: ["text", ...]  # kforge must warn with messages containing these texts
//   kustomize: skip          # kustomize cannot be the oracle here (e.g. it hangs); skipReason says why
//   compare: data            # compare as data, not bytes (with compareReason)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');
const args = process.argv.slice(2);
const check = args.includes('--check');
const only = args.filter((a) => !a.startsWith('--'));
const cases = fs.readdirSync(root).filter((c) => fs.existsSync(path.join(root, c, 'input'))).sort();
let changed = 0, failed = 0;
const version = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
if (version.error || !/Kustomize Version: v5\.5\.0/.test(version.stdout)) {
  console.error('goldens: need kubectl with kustomize v5.5.0 on PATH; got:\n' + (version.stdout || version.error));
  process.exit(2);
}
for (const name of cases) {
  if (only.length && !only.includes(name)) continue;
  const dir = path.join(root, name);
  const spec = fs.existsSync(path.join(dir, 'case.yaml')) ? yaml.load(fs.readFileSync(path.join(dir, 'case.yaml'), 'utf8')) ?? {} : {};
  if (spec.kustomize === 'skip') continue;
  const target = path.join(dir, 'input', spec.dir ?? '.');
  const r = spawnSync('kubectl', ['kustomize', ...(spec.args ?? []), target], { encoding: 'utf8', timeout: 30_000, cwd: dir });
  const ok = r.status === 0;
  const file = path.join(dir, ok ? 'expected.yaml' : 'expected-error.txt');
  const other = path.join(dir, ok ? 'expected-error.txt' : 'expected.yaml');
  // kustomize's error text names absolute temp paths; keep it relative so goldens are stable across machines.
  // kubectl also prefixes errors with a klog header (`E1121 23:51:31.428149    9238 run.go:72] `: time and pid),
  // which changes on every run: strip it.
  const content = ok
    ? r.stdout
    : (r.stderr || String(r.error)).split(dir + '/').join('').replace(/^[EWIF]\d{4} \d\d:\d\d:\d\d\.\d+ +\d+ [^\]]+\] /gm, '')
        // Some messages print Go pointers (`&{0xc0001244e0 <nil>}`), different on every run.
        .replace(/\b0xc[0-9a-f]{6,}\b/g, '0xc...');
  const before = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
  if (before !== content || fs.existsSync(other)) {
    changed++;
    if (check) {
      console.error(`goldens: ${name}: ${path.basename(file)} is out of date`);
      failed++;
      continue;
    }
    fs.writeFileSync(file, content);
    fs.rmSync(other, { force: true });
    console.log(`${name}: wrote ${path.basename(file)}`);
  }
  if (!ok && !spec.error) {
    console.error(`goldens: ${name}: kustomize failed but case.yaml has no 'error:' for kforge's message:\n${content}`);
    failed++; // the golden test would look for an expected.yaml that does not exist
  }
}
console.log(`goldens: ${cases.length} cases, ${changed} ${check ? 'out of date' : 'updated'}`);
process.exit(failed ? 1 : 0);
