// Where kforge remembers what each image was last built from (to explain a plan): one JSON file per image
// under .kforge-cache/images/. Machine-local and optional: a missing or unreadable record means "unknown".
import fs from 'node:fs';
import path from 'node:path';
import type { BuiltState } from './plan.js';

const fileFor = (dir: string, name: string) => path.join(dir, `${encodeURIComponent(name)}.json`);

export function readBuiltStates(dir: string, names: readonly string[]): Map<string, BuiltState> {
  const out = new Map<string, BuiltState>();
  for (const n of names) {
    try {
      out.set(n, JSON.parse(fs.readFileSync(fileFor(dir, n), 'utf8')) as BuiltState);
    } catch {
      // no record: the plan says nothing about changes for this image
    }
  }
  return out;
}

export function writeBuiltState(dir: string, name: string, state: BuiltState): void {
  fs.mkdirSync(dir, { recursive: true });
  const file = fileFor(dir, name);
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(state));
  fs.renameSync(`${file}.tmp`, file);
}
