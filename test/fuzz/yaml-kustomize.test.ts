// Differential test of YAML stream features against the oracle, `kubectl kustomize` (kustomize v5.5.0): anchors,
// aliases and merge keys (`<<`), multi-document files with empty documents, a BOM, CRLF line endings. Seeded
// random resources go through kubectl and through kforge's loader, build and emitter; the output must be the
// same bytes. Needs kubectl with kustomize v5.5.0: skipped loudly without it, failed under CI=true.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildKustomization } from '../../src/kustomize/build.js';
import { emitDocuments } from '../../src/emit/yaml.js';
import { requireTool } from '../helpers/tree.js';
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
  let text = docs.map((d, i) => (i === 0 && rng.chance(0.5) ? d : `${rng.pick(['---', '--- # next', '---  '])}\n${d}`)).join('');
  if (rng.chance(0.3)) text += rng.pick(['---\n', '...\n', '---\n---\n']);
  if (rng.chance(0.3)) text = text.replace(/\n/g, '\r\n');
  if (rng.chance(0.3)) text = `\ufeff${text}`;
  return text;
}

function kubectlKustomize(dir: string) {
  return spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8', timeout: 60_000 });
}

test('anchors, merge keys, empty documents, BOM and CRLF read exactly as kustomize reads them', () => {
  if (!requireTool(haveKubectl, 'kubectl (kustomize v5.5.0)', 'YAML stream differential test')) return;
  const rounds = Math.max(1, Math.round(2 * SCALE));
  for (let round = 0; round < rounds; round++) {
    const rng = Rng.forCase(SEED, 'yaml-kustomize', round);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kforge-yaml-diff-'));
    {
      const files = Array.from({ length: 25 }, (_, i) => `r${i}.yaml`);
      files.forEach((f, i) => fs.writeFileSync(path.join(dir, f), streamFile(rng, i)));
      fs.writeFileSync(path.join(dir, 'kustomization.yaml'), `resources:\n${files.map((f) => `- ${f}`).join('\n')}\n`);
      const k = kubectlKustomize(dir);
      let ours: string | Error;
      try {
        ours = emitDocuments(buildKustomization(dir).resources.map((r) => r.object));
      } catch (e) {
        ours = e as Error;
      }
      const where = `FUZZ_SEED=${SEED} round ${round} (files kept in ${dir})`;
      if (k.status !== 0) {
        assert.instance(ours, Error, `kustomize fails (${k.stderr.trim()}) but kforge renders: ${where}`);
      } else {
        assert.not.instance(ours, Error, `kforge fails: ${String(ours)}: ${where}`);
        assert.fixture(ours as string, k.stdout, where);
      }
      // Kept on failure, for the rerun the message names.
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
});

test.run();
