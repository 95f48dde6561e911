#!/usr/bin/env node
// Captures what `kubectl kustomize` (kustomize v5.5.0) prints for the YAML unit-test cases, so the parser and
// emitter tests compare against the real oracle instead of outputs typed by hand. Never edit the outputs.
//
//   node scripts/yaml-cases.mjs          regenerate every case under test/yaml/cases and test/emit/cases
//   node scripts/yaml-cases.mjs --check  fail if any output differs from what kubectl prints now
//
// A case is NAME.in.yaml: one resource file (usually one document). The script builds it as the only resource
// of a kustomization and writes NAME.out.yaml (stdout) or NAME.err.txt (kustomize's error, when it fails).
// Under test/yaml/kustomization-cases/ NAME.in.yaml is instead the kustomization itself (without `resources`;
// the script adds one small ConfigMap), to capture how kustomize reads the scalars of kustomization files.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dirs = ['test/yaml/cases', 'test/emit/cases', 'test/yaml/kustomization-cases'].map((d) => path.join(repo, d));
const CONFIGMAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: b\n';
const check = process.argv.includes('--check');
const version = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' });
if (version.error || !/Kustomize Version: v5\.5\.0/.test(version.stdout)) {
  console.error('yaml-cases: need kubectl with kustomize v5.5.0 on PATH; got:\n' + (version.stdout || version.error));
  process.exit(2);
}
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kforge-yaml-cases-'));
let changed = 0, total = 0;
try {
  for (const dir of dirs) {
    for (const name of fs.readdirSync(dir).filter((f) => f.endsWith('.in.yaml')).sort()) {
      total++;
      const base = path.join(dir, name.slice(0, -'.in.yaml'.length));
      if (dir.endsWith('kustomization-cases')) {
        fs.writeFileSync(path.join(tmp, 'resource.yaml'), CONFIGMAP);
        fs.writeFileSync(path.join(tmp, 'kustomization.yaml'), 'resources:\n- resource.yaml\n' + fs.readFileSync(path.join(dir, name), 'utf8'));
      } else {
        fs.copyFileSync(path.join(dir, name), path.join(tmp, 'resource.yaml'));
        fs.writeFileSync(path.join(tmp, 'kustomization.yaml'), 'resources:\n- resource.yaml\n');
      }
      const r = spawnSync('kubectl', ['kustomize', tmp], { encoding: 'utf8', timeout: 30_000 });
      const ok = r.status === 0;
      const file = ok ? `${base}.out.yaml` : `${base}.err.txt`;
      const other = ok ? `${base}.err.txt` : `${base}.out.yaml`;
      // kubectl prefixes errors with a timestamped klog header and names the temp folder: keep the message only.
      const content = ok ? r.stdout : (r.stderr || String(r.error)).replace(/^E\d{4} [\d:.]+\s+\d+ run\.go:\d+\] /, '').split(tmp + '/').join('');
      const before = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined;
      if (before === content && !fs.existsSync(other)) continue;
      changed++;
      if (check) {
        console.error(`yaml-cases: ${path.relative(repo, file)} is out of date`);
        continue;
      }
      fs.writeFileSync(file, content);
      fs.rmSync(other, { force: true });
      console.log(`wrote ${path.relative(repo, file)}`);
    }
  }
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
console.log(`yaml-cases: ${total} cases, ${changed} ${check ? 'out of date' : 'updated'}`);
process.exit(check && changed ? 1 : 0);
