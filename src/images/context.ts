// Lists the entries of a build context that the builder can see (after .dockerignore), with the stat data the
// hash cache is keyed on. Fails closed: anything unreadable or of a kind a build context cannot hold is an error.
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors.js';
import { createIgnoreMatcher, parseDockerignore, type IgnoreMatcher } from './dockerignore.js';

export interface ContextEntry {
  /** '/'-separated, relative to the context root. */
  path: string;
  /** Absolute path on this machine (never hashed). */
  abs: string;
  kind: 'file' | 'dir' | 'symlink';
  /** Any execute bit set (the only mode bit that survives git, so the only one hashed). */
  exec: boolean;
  size: number;
  mtimeMs: number;
  ino: number;
  /** For symlinks: the link target as stored (links are sent as links, never followed). */
  linkTarget?: string;
}

function readIfExists(file: string): string | undefined {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new InputError(`cannot read ignore file: ${(e as Error).message}`, { file });
  }
}

/** Reads `<context>/.dockerignore`, or returns a matcher that keeps everything. */
export function loadIgnoreMatcher(contextDir: string): IgnoreMatcher {
  const file = path.join(contextDir, '.dockerignore');
  const text = readIfExists(file);
  // buildah and podman prefer .containerignore; a different one would make the hash lie about the context.
  const containerignore = path.join(contextDir, '.containerignore');
  const other = readIfExists(containerignore);
  if (other !== undefined && other !== text) {
    throw new InputError('.containerignore differs from .dockerignore', { file: containerignore }, 'kforge hashes what .dockerignore lets through: delete .containerignore or make it identical');
  }
  return createIgnoreMatcher(text === undefined ? [] : parseDockerignore(text, file));
}

function fail(abs: string, e: unknown): never {
  throw new InputError(`cannot read build context entry: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file: abs }, 'hashing fails closed: fix the permissions or add the path to .dockerignore');
}

/** Every visible entry of the context, sorted by path. */
export function listContext(contextDir: string, ignore: IgnoreMatcher = loadIgnoreMatcher(contextDir)): ContextEntry[] {
  const out: ContextEntry[] = [];
  let rootStat: fs.Stats;
  try {
    rootStat = fs.statSync(contextDir);
  } catch (e) {
    fail(contextDir, e);
  }
  if (!rootStat.isDirectory()) throw new InputError('build context is not a folder', { file: contextDir });
  // Plain string joins and object literals: this loop runs once per file of every context on every render.
  const sep = path.sep;
  const walk = (relDir: string, absDir: string) => {
    let names: fs.Dirent[];
    try {
      names = fs.readdirSync(absDir, { withFileTypes: true });
    } catch (e) {
      fail(absDir, e);
    }
    for (const d of names) {
      const rel = relDir ? `${relDir}/${d.name}` : d.name;
      const abs = `${absDir}${sep}${d.name}`;
      const excluded = ignore.excludes(rel);
      if (excluded && !(d.isDirectory() && ignore.mayReincludeUnder(rel))) continue;
      let st: fs.Stats;
      try {
        st = fs.lstatSync(abs);
      } catch (e) {
        fail(abs, e);
      }
      if (st.isDirectory()) {
        if (!excluded) out.push({ path: rel, abs, kind: 'dir', exec: false, size: 0, mtimeMs: st.mtimeMs, ino: st.ino });
        walk(rel, abs);
      } else if (st.isFile()) {
        out.push({ path: rel, abs, kind: 'file', exec: (st.mode & 0o111) !== 0, size: st.size, mtimeMs: st.mtimeMs, ino: st.ino });
      } else if (st.isSymbolicLink()) {
        let linkTarget: string;
        try {
          linkTarget = fs.readlinkSync(abs);
        } catch (e) {
          fail(abs, e);
        }
        out.push({ path: rel, abs, kind: 'symlink', exec: false, size: st.size, mtimeMs: st.mtimeMs, ino: st.ino, linkTarget });
      } else {
        throw new InputError('build context holds a socket, FIFO or device', { file: abs }, 'add it to .dockerignore');
      }
    }
  };
  walk('', path.resolve(contextDir));
  return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
