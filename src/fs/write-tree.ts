// Writes a folder of files atomically: everything goes to a temp sibling, which is then renamed into place,
// so a failed run leaves the previous output intact. Writing is synchronous: rendered environments are
// thousands of small files, and a thread that does nothing else writes them faster without the thread pool
// round trips (measured: about 2x less CPU per file than fs.promises); callers write from worker threads.
import fs from 'node:fs';
import path from 'node:path';

export interface TreeFile {
  path: string; // relative, '/'-separated
  content: string;
}

/** Writes `files` into a new hidden sibling of `dir` (`.<name>.tmp-XXXXXX`) and returns its path. */
export function writeTreeToTemp(dir: string, files: readonly TreeFile[]): string {
  const target = path.resolve(dir);
  const parent = path.dirname(target);
  fs.mkdirSync(parent, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(parent, `.${path.basename(target)}.tmp-`));
  try {
    // mkdtemp makes a private (0700) folder; the output is an ordinary folder.
    fs.chmodSync(tmp, 0o777 & ~process.umask());
    const dirs = new Set<string>();
    for (const f of files) {
      const d = path.dirname(f.path);
      if (d !== '.' && !dirs.has(d)) {
        fs.mkdirSync(path.join(tmp, d), { recursive: true });
        dirs.add(d);
      }
      fs.writeFileSync(path.join(tmp, f.path), f.content);
    }
    return tmp;
  } catch (e) {
    removeTree(tmp);
    throw e;
  }
}

/** Renames `tmp` to `dir`; returns where the previous `dir` went (for the caller to remove), if there was one. */
export function swapInTree(dir: string, tmp: string): string | undefined {
  const target = path.resolve(dir);
  const old = fs.existsSync(target) ? `${tmp}.old` : undefined;
  if (old) fs.renameSync(target, old);
  try {
    fs.renameSync(tmp, target);
  } catch (e) {
    if (old) fs.renameSync(old, target);
    throw e;
  }
  return old;
}

export function removeTree(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}

/** Replaces each folder with exactly its files: all are written before any is replaced, so a failed write
 *  leaves every folder as it was. */
export function writeTreesAtomically(trees: readonly { dir: string; files: readonly TreeFile[] }[]): void {
  const temps: string[] = [];
  try {
    for (const t of trees) temps.push(writeTreeToTemp(t.dir, t.files));
  } catch (e) {
    temps.forEach(removeTree);
    throw e;
  }
  const old = trees.map((t, i) => swapInTree(t.dir, temps[i]));
  for (const o of old) if (o) removeTree(o);
}
