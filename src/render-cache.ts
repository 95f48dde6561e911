// The render cache: an environment whose inputs (every file, folder and reference its build read), options and
// output folder are all as they were after the last render is not rendered again. Entries live in
// <project>/.kforge-cache/render/<env>.json. Anything that cannot be checked counts as changed.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { InputKey } from './kustomize/loader.js';
import { KUSTOMIZATION_FILE_NAMES } from './kustomize/kustomization.js';
import type { RenderedFile } from './emit/layout.js';
import { kforgeVersion } from './release/version.js';

export interface RenderCacheEntry {
  version: 1;
  kforge: string;
  /** The render options that shape the output (image tags, provenance, ...), as JSON. */
  options: string;
  out: string;
  inputs: Record<string, string>;
  output: string;
  files: number;
  warnings: string[];
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** Fingerprints, memoised for one render (a shared base's files are hashed once for all environments). */
export class Fingerprints {
  private readonly memo = new Map<string, string>();

  of(key: InputKey): string {
    let v = this.memo.get(key);
    if (v === undefined) {
      v = compute(key);
      this.memo.set(key, v);
    }
    return v;
  }
}

function compute(key: InputKey): string {
  const colon = key.indexOf(':');
  const kind = key.slice(0, colon);
  const p = key.slice(colon + 1);
  try {
    if (kind === 'file') return sha256(fs.readFileSync(p));
    if (kind === 'dir') return KUSTOMIZATION_FILE_NAMES.filter((n) => fs.existsSync(path.join(p, n))).join(',');
    const real = fs.realpathSync(p);
    return `${real}:${fs.statSync(real).isDirectory() ? 'dir' : 'file'}`;
  } catch {
    return 'missing';
  }
}

/** A hash of a rendered folder's files, names and contents. */
export function outputHash(files: readonly RenderedFile[]): string {
  const h = createHash('sha256');
  for (const f of [...files].sort((a, b) => (a.path < b.path ? -1 : 1))) h.update(`${f.path}\0${f.content}\0`);
  return h.digest('hex');
}

function folderHash(folder: string): string | undefined {
  try {
    const files = fs.readdirSync(folder).map((name) => ({ path: name, content: fs.readFileSync(path.join(folder, name), 'utf8') }));
    return outputHash(files);
  } catch {
    return undefined;
  }
}

export function cacheFile(projectRoot: string, env: string): string {
  return path.join(projectRoot, '.kforge-cache', 'render', `${env}.json`);
}

/** The cached entry for `env` when everything it depends on is unchanged; otherwise undefined. */
export function freshEntry(projectRoot: string, env: string, out: string, options: string, prints: Fingerprints): RenderCacheEntry | undefined {
  let entry: RenderCacheEntry;
  try {
    entry = JSON.parse(fs.readFileSync(cacheFile(projectRoot, env), 'utf8')) as RenderCacheEntry;
  } catch {
    return undefined;
  }
  if (entry.version !== 1 || entry.kforge !== kforgeVersion() || entry.options !== options || entry.out !== out) return undefined;
  for (const [key, print] of Object.entries(entry.inputs)) if (prints.of(key as InputKey) !== print) return undefined;
  return folderHash(path.join(out, env)) === entry.output ? entry : undefined;
}

export function storeEntry(projectRoot: string, env: string, entry: Omit<RenderCacheEntry, 'version' | 'kforge'>): void {
  const file = cacheFile(projectRoot, env);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const full: RenderCacheEntry = { version: 1, kforge: kforgeVersion(), ...entry };
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(full));
  fs.renameSync(tmp, file);
}
