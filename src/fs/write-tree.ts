// Writes a folder of files atomically: everything goes to a temp sibling, which is then renamed into place,
// so a failed run leaves the previous output intact. Files are written concurrently: thousands of small files
// are the common case (one per resource per environment).
import fs from 'node:fs';
import path from 'node:path';

export interface TreeFile {
  path: string; // relative, '/'-separated
  content: string;
}

const CONCURRENCY = 32;

/** Replaces `dir` with exactly `files`. */
export async function writeTreeAtomically(dir: string, files: readonly TreeFile[]): Promise<void> {
  const target = path.resolve(dir);
  const parent = path.dirname(target);
  await fs.promises.mkdir(parent, { recursive: true });
  const tmp = await fs.promises.mkdtemp(path.join(parent, `.${path.basename(target)}.tmp-`));
  try {
    // mkdtemp makes a private (0700) folder; the output is an ordinary folder.
    const umask = process.umask();
    await fs.promises.chmod(tmp, 0o777 & ~umask);
    const dirs = new Set(files.map((f) => path.dirname(path.join(tmp, f.path))));
    for (const d of dirs) if (d !== tmp) await fs.promises.mkdir(d, { recursive: true });
    let next = 0;
    const worker = async () => {
      while (next < files.length) {
        const f = files[next++];
        await fs.promises.writeFile(path.join(tmp, f.path), f.content);
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, files.length) }, worker));
    const old = fs.existsSync(target) ? `${tmp}.old` : undefined;
    if (old) await fs.promises.rename(target, old);
    await fs.promises.rename(tmp, target);
    if (old) await fs.promises.rm(old, { recursive: true, force: true });
  } catch (e) {
    await fs.promises.rm(tmp, { recursive: true, force: true });
    throw e;
  }
}
