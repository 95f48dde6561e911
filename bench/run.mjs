#!/usr/bin/env node
// kforge vs kubectl kustomize, measured in the same run: generated trees at several sizes, both tools timed
// alternately over several repetitions (median reported), outputs checked equal, kforge's peak RSS, and how
// kforge's time grows with apps and environments.
//   npm run bench                               small, medium, deep, large, then the growth series
//   npm run bench -- --sizes small,medium --reps 5 --no-growth
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';

const here = path.dirname(fileURLToPath(import.meta.url));
const cli = path.resolve(here, '../dist/cli/main.js');
const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : dflt;
};
const SIZES = {
  small: { apps: 10, envs: 5, shape: 'flat' },
  medium: { apps: 100, envs: 20, shape: 'flat' },
  deep: { apps: 100, envs: 20, shape: 'deep' },
  large: { apps: 300, envs: 40, shape: 'flat' },
};
const sizes = opt('sizes', 'small,medium,deep,large').split(',');
const reps = Number(opt('reps', '3'));
const growth = !args.includes('--no-growth');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kforge-bench-'));

function run(cmd, argv, cwd, env = {}) {
  const t = process.hrtime.bigint();
  const r = spawnSync(cmd, argv, { cwd, encoding: 'utf8', maxBuffer: 1 << 30, env: { ...process.env, ...env } });
  const ms = Number(process.hrtime.bigint() - t) / 1e6;
  if (r.status !== 0) throw new Error(`${cmd} ${argv.join(' ')} failed in ${cwd}:\n${r.stderr}`);
  return { ms, stdout: r.stdout };
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const kforge = (argv, cwd, env) => run(process.execPath, [cli, ...argv], cwd, env);
const kustomize = (dir, cwd) => run('kubectl', ['kustomize', dir], cwd);

function generate(name, { apps, envs, shape }) {
  const dir = path.join(work, name);
  run(process.execPath, [path.join(here, 'gen-tree.mjs'), dir, String(apps), String(envs), shape], work);
  return dir;
}

function overlays(dir) {
  return fs.readdirSync(path.join(dir, 'overlays')).sort().map((o) => `overlays/${o}`);
}

function checkEqual(dir) {
  let bytes = 0;
  const outputs = new Map();
  for (const o of overlays(dir)) {
    const a = kforge(['render', o, '-q'], dir).stdout;
    const b = kustomize(o, dir).stdout;
    outputs.set(o, b);
    if (a === b) {
      bytes++;
      continue;
    }
    const same = JSON.stringify(yaml.loadAll(a)) === JSON.stringify(yaml.loadAll(b));
    if (!same) throw new Error(`${dir}/${o}: kforge and kustomize outputs differ as data`);
  }
  // All environments at once (the timed run below) must print kustomize's outputs, in kforge.yaml's order.
  const envs = yaml.load(fs.readFileSync(path.join(dir, 'kforge.yaml'), 'utf8')).environments;
  const expected = Object.values(envs).map((e) => outputs.get(e.path)).join('---\n');
  const all = kforge(['render', '--stdout', '-q', '--no-cache'], dir).stdout;
  const same = bytes === outputs.size ? all === expected : JSON.stringify(yaml.loadAll(all)) === JSON.stringify(yaml.loadAll(expected));
  if (!same) throw new Error(`${dir}: kforge render --stdout differs from the kustomize outputs of every overlay`);
  return `${bytes}/${outputs.size} byte-identical, all equal as data`;
}

function benchSize(name, size) {
  const dir = generate(name, size);
  const equal = checkEqual(dir);
  const all = { kforge: [], folders: [], kustomize: [] };
  const one = { kforge: [], kustomize: [] };
  const out = path.join(work, `${name}-out`);
  const rssFile = path.join(work, 'rss');
  const rssEnv = { KFORGE_RSS_FILE: rssFile, NODE_OPTIONS: `--import=${path.join(here, 'report-rss.mjs')}` };
  let rss = 0;
  const peak = () => (rss = Math.max(rss, Number(fs.readFileSync(rssFile, 'utf8'))));
  for (let i = 0; i < reps; i++) {
    // Alternate the tools so drift in machine load hits both alike.
    all.kforge.push(kforge(['render', '--stdout', '-q', '--no-cache'], dir, rssEnv).ms);
    peak();
    all.kustomize.push(overlays(dir).reduce((ms, o) => ms + kustomize(o, dir).ms, 0));
    // The same render written as files, into a new folder each time as in a fresh CI checkout. (Removing the
    // previous output right before a run makes this machine's file system stall the run's file creation.)
    all.folders.push(kforge(['render', '--out', `${out}-${i}`, '-q', '--no-cache'], dir, rssEnv).ms);
    peak();
    one.kforge.push(kforge(['render', 'overlays/env0', '-q'], dir).ms);
    one.kustomize.push(kustomize('overlays/env0', dir).ms);
  }
  const r = {
    name,
    tree: `${size.apps}x${size.envs} ${size.shape}`,
    allKforge: median(all.kforge),
    allFolders: median(all.folders),
    allKustomize: median(all.kustomize),
    oneKforge: median(one.kforge),
    oneKustomize: median(one.kustomize),
    rssMiB: rss / 1024,
    equal,
  };
  console.error(`${name}: done (${equal})`);
  return r;
}

const f = (ms) => (ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
// Rows print as each size finishes, so a long run that fails later keeps what it measured.
console.log(`kforge ${JSON.parse(fs.readFileSync(path.join(here, '../package.json'), 'utf8')).version} vs kubectl kustomize, ${os.cpus().length} CPUs, median of ${reps}, process start included`);
console.log('| tree (apps x envs) | all overlays: kustomize | kforge --stdout | ratio | kforge --out (files) | ratio | one overlay: kustomize | kforge | ratio | kforge peak RSS | outputs |');
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const s of sizes) {
  if (!SIZES[s]) throw new Error(`unknown size ${s}`);
  const r = benchSize(s, SIZES[s]);
  console.log(`| ${r.name} ${r.tree} | ${f(r.allKustomize)} | ${f(r.allKforge)} | ${(r.allKustomize / r.allKforge).toFixed(1)}x | ${f(r.allFolders)} | ${(r.allKustomize / r.allFolders).toFixed(1)}x | ${f(r.oneKustomize)} | ${f(r.oneKforge)} | ${(r.oneKustomize / r.oneKforge).toFixed(1)}x | ${r.rssMiB.toFixed(0)} MiB | ${r.equal} |`);
}

if (growth) {
  // Time per app x env should stay flat if rendering is linear in both.
  console.log('\nkforge render --stdout of all environments, growth (median of 3):');
  console.log('| apps x envs | time | per app x env |');
  console.log('| --- | --- | --- |');
  for (const [apps, envs] of [[25, 20], [50, 20], [100, 20], [200, 20], [100, 5], [100, 10], [100, 40]]) {
    const dir = generate(`growth-${apps}-${envs}`, { apps, envs, shape: 'flat' });
    const ms = median([0, 1, 2].map(() => kforge(['render', '--stdout', '-q', '--no-cache'], dir).ms));
    console.log(`| ${apps} x ${envs} | ${f(ms)} | ${(ms / (apps * envs)).toFixed(2)} ms |`);
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
fs.rmSync(work, { recursive: true, force: true });
