// Differential test of YAML stream features against the oracle, `kubectl kustomize` (kustomize v5.5.0): anchors,
// aliases and merge keys (`<<`), multi-document files with empty documents, a BOM, CRLF line endings. Seeded
// random resources go through kubectl and through kforge's loader, build and emitter; the output must be the
// same bytes. Needs kubectl with kustomize v5.5.0: skipped loudly without it, failed under CI=true.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildKustomization } from '../../src/kustomize/build.js';
import { emitDocuments } from '../../src/emit/yaml.js';
import { requireTool } from '../helpers/tree.js';
import { isKforgeError } from '../../src/errors.js';
import { randomAnchoredYaml, Rng, SCALE, SEED } from './support.js';

const version = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
const haveKubectl = !version.error && /Kustomize Version: v5\.5\.0/.test(version.stdout ?? '');

/** One file of a stream: documents (some empty), optionally with a BOM and CRLF line endings. */
function streamFile(rng: Rng, file: number): string {
  const docs: string[] = [];
  const n = 1 + rng.int(3);
  for (let d = 0; d < n; d++) {
    if (rng.chance(0.3)) docs.push(rng.pick(['', '# only a comment\n', '\n\n']));
    const body = randomAnchoredYaml(rng, 0, '  ');
    docs.push(`apiVersion: example.com/v1\nkind: Thing\nmetadata:\n  name: t-${file}-${d}\nspec:\n${body}\n`);
  }
  // Separators with comments, twice in a row, a BOM after one, a document end with more text after it (which
  // kustomize ignores), a stream that starts with `---`.
  const separator = () => rng.pick(['---', '--- # next', '---  ', '---\n---', '---\n\ufeff', '---\n# comment', '...\n---']);
  let text = docs.map((d, i) => (i === 0 && rng.chance(0.5) ? d : `${separator()}\n${d}`)).join('');
  if (rng.chance(0.2)) text += `...\napiVersion: example.com/v1\nkind: Thing\nmetadata:\n  name: dropped-${file}\n`;
  if (rng.chance(0.3)) text += rng.pick(['---\n', '...\n', '---\n---\n', '---', '...\n...\n']);
  if (rng.chance(0.3)) text = text.replace(/\n/g, '\r\n');
  if (rng.chance(0.3)) text = `\ufeff${text}`;
  return text;
}

/** kubectl kustomize of one folder, asynchronously, so the files of a round build side by side. */
function kubectlKustomize(dir: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('kubectl', ['kustomize', dir], { encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ status: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

function ours(dir: string): string | Error {
  try {
    return emitDocuments(buildKustomization(dir).resources.map((r) => r.object));
  } catch (e) {
    if (!isKforgeError(e)) throw e;
    return e;
  }
}

test('anchors, merge keys, empty documents, separators, BOM and CRLF read exactly as kustomize reads them', async () => {
  if (!requireTool(haveKubectl, 'kubectl (kustomize v5.5.0)', 'YAML stream differential test')) return;
  const rounds = Math.max(1, Math.round(2 * SCALE));
  let built = 0;
  let refused = 0;
  for (let round = 0; round < rounds; round++) {
    const rng = Rng.forCase(SEED, 'yaml-kustomize', round);
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'kforge-yaml-diff-'));
    // One kustomization per file: kustomize stops at the first bad file, and each file should be compared.
    const dirs = Array.from({ length: 30 }, (_, i) => {
      const dir = path.join(root, `f${i}`);
      fs.mkdirSync(dir);
      fs.writeFileSync(path.join(dir, 'r.yaml'), streamFile(rng, i));
      fs.writeFileSync(path.join(dir, 'kustomization.yaml'), 'resources:\n- r.yaml\n');
      return dir;
    });
    const results = await Promise.all(dirs.map(kubectlKustomize));
    results.forEach((k, i) => {
      const mine = ours(dirs[i]);
      const where = `FUZZ_SEED=${SEED} round ${round}: ${dirs[i]}/r.yaml (kept)`;
      if (k.status !== 0) {
        refused++;
        assert.instance(mine, Error, `kustomize fails (${k.stderr.trim().slice(0, 300)}) but kforge renders: ${where}`);
      } else {
        built++;
        assert.not.instance(mine, Error, `kforge fails: ${String(mine)}: ${where}`);
        assert.fixture(mine as string, k.stdout, where);
      }
    });
    // Kept on failure, for the rerun the message names.
    fs.rmSync(root, { recursive: true, force: true });
  }
  // Both sides of the oracle are exercised: most files build, some are refused.
  assert.ok(built > refused, `${built} built, ${refused} refused`);
  if (process.env.FUZZ_VERBOSE) console.log(`${built} built, ${refused} refused`);
});

test.run();
