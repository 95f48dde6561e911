// Writes a folder of files atomically: everything goes to a temp sibling, which is then renamed into place,
// so a failed run leaves the previous output intact.
import fs from 'node:fs';
import path from 'node:path';

export interface TreeFile {
  path: string; // relative, '/'-separated
  content: string;
}

/** Replaces `dir` with exactly `files`. */
export function writeTreeAtomically(dir: string, files: readonly TreeFile[]): void {
  const target = path.resolve(dir);
  const parent = path.dirname(target);
  fs.mkdirSync(parent, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(parent, `.${path.basename(target)}.tmp-`));
  try {
    for (const f of files) {
      const p = path.join(tmp, f.path);
      fs.mkdirSync(path.dirname(p), { recursive: true });
      fs.writeFileSync(p, f.content);
    }
    const old = fs.existsSync(target) ? `${tmp}.old` : undefined;
    if (old) fs.renameSync(target, old);
    fs.renameSync(tmp, target);
    if (old) fs.rmSync(old, { recursive: true, force: true });
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}
