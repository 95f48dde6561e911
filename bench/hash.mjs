// Hash benchmark: kforge's content hash of a generated 20,000-file build context (cold, and re-hashed with the
// stat cache) against sha256sum over the same files. Run: node --import tsx bench/hash.mjs [files] [--keep]
// Prints a Markdown table; bench/hash-results.md holds the figures measured on the reference machine.
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseProject } from '../src/project/config.ts';
import { hashProjectImages } from '../src/images/project-hashes.ts';
import { HashCache } from '../src/images/hash-cache.ts';

const FILES = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 20000);
const RUNS = 5;

// A deterministic context: 100 folders; mostly small source-like files, some medium, a few large (like assets).
function generate(dir) {
  let bytes = 0;
  let seed = 1;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let i = 0; i < FILES; i++) {
    const sub = path.join(dir, `pkg${i % 100}`, `mod${i % 7}`);
    fs.mkdirSync(sub, { recursive: true });
    const r = rnd();
    const size = r < 0.9 ? 200 + Math.floor(rnd() * 8000) : r < 0.995 ? 50_000 + Math.floor(rnd() * 200_000) : 2_000_000 + Math.floor(rnd() * 3_000_000);
    fs.writeFileSync(path.join(sub, `file${i}.dat`), crypto.randomBytes(size));
    bytes += size;
  }
  fs.writeFileSync(path.join(dir, 'Dockerfile'), 'FROM scratch\nCOPY . /\n');
  return bytes;
}

function time(fn) {
  const t = performance.now();
  fn();
  return performance.now() - t;
}
async function timeAsync(fn) {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kforge-bench-hash-'));
const ctx = path.join(root, 'ctx');
const bytes = generate(ctx);
fs.writeFileSync(path.join(root, 'kforge.yaml'), 'apiVersion: kforge.dev/v1alpha1\nkind: Project\nimages:\n  - {name: big, context: ctx}\nenvironments:\n  dev: {path: overlays/dev}\n');
const project = parseProject(fs.readFileSync(path.join(root, 'kforge.yaml'), 'utf8'), path.join(root, 'kforge.yaml'));
// Files younger than 2 s are "racily clean" and never trusted from the cache; any real checkout is older.
await new Promise((r) => setTimeout(r, 2500));
const list = execFileSync('find', [ctx, '-type', 'f'], { maxBuffer: 1 << 30 }).toString().trim().split('\n');
const listFile = path.join(root, 'list');
fs.writeFileSync(listFile, list.join('\0'));

// Warm the page cache once so every contender reads from memory.
spawnSync('cat', list.slice(0, 1), { stdio: 'ignore' });
execFileSync('sh', ['-c', `xargs -0 cat < ${listFile} > /dev/null`]);

// The floor for any stat cache: listing every file with its size, mtime and inode.
const findStat = [];
for (let i = 0; i < RUNS; i++) findStat.push(time(() => execFileSync('find', [ctx, '-printf', '%s %T@ %i %p\\n'], { maxBuffer: 1 << 30 })));
const sha1 = [];
const shaP = [];
const nproc = os.availableParallelism();
for (let i = 0; i < RUNS; i++) {
  sha1.push(time(() => execFileSync('sh', ['-c', `xargs -0 sha256sum < ${listFile} > /dev/null`])));
  shaP.push(time(() => execFileSync('sh', ['-c', `xargs -0 -n 500 -P ${nproc} sha256sum < ${listFile} > /dev/null`])));
}
const cold = [];
for (let i = 0; i < RUNS; i++) cold.push(await timeAsync(() => hashProjectImages(project, { cache: HashCache.memory() })));
const cacheFile = path.join(root, '.kforge-cache', 'hash-cache.json');
await hashProjectImages(project, { cache: HashCache.load(cacheFile) });
const warm = [];
let hits = 0;
let tag = '';
for (let i = 0; i < RUNS; i++) {
  const cache = HashCache.load(cacheFile);
  warm.push(await timeAsync(async () => {
    tag = (await hashProjectImages(project, { cache }))[0].tag;
  }));
  hits = cache.hits;
}
const coldTag = (await hashProjectImages(project, { cache: HashCache.memory() }))[0].tag;
if (coldTag !== tag) throw new Error(`cached and uncached hashes differ: ${coldTag} vs ${tag}`);

const mb = bytes / 1e6;
const row = (name, ms) => `| ${name} | ${median(ms).toFixed(0)} ms | ${(mb / (median(ms) / 1000)).toFixed(0)} MB/s |`;
console.log(`${list.length} files, ${mb.toFixed(0)} MB, node ${process.version}, ${nproc} CPUs (${os.cpus()[0]?.model ?? '?'}); median of ${RUNS} runs, page cache warm\n`);
console.log('| contender | time | throughput |\n| --- | --- | --- |');
console.log(row('sha256sum (one process, xargs)', sha1));
console.log(row(`sha256sum (xargs -P ${nproc})`, shaP));
console.log(row('kforge hash, no cache (list + stat + sha256 + combine)', cold));
console.log(`| kforge hash, stat cache (${hits} of ${list.length} files from cache) | ${median(warm).toFixed(0)} ms | - |`);
console.log(`| find -printf size, mtime, inode of every file (the floor for any stat cache) | ${median(findStat).toFixed(0)} ms | - |`);
if (!process.argv.includes('--keep')) fs.rmSync(root, { recursive: true, force: true });
