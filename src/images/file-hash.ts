// sha256 of file contents, streamed and in parallel, reusing the stat cache for files that did not change.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { InputError } from '../errors.js';
import type { HashCache, StatKey } from './hash-cache.js';

/** Files up to this size are read in one call; larger ones are streamed so memory stays flat. */
const WHOLE_READ_LIMIT = 1 << 20;

export interface FileToHash extends StatKey {
  abs: string;
}

async function hashOne(abs: string, size: number): Promise<string> {
  if (size <= WHOLE_READ_LIMIT) {
    return crypto.createHash('sha256').update(await fs.promises.readFile(abs)).digest('hex');
  }
  const h = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(abs, { highWaterMark: 1 << 20 })) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Hashes every file once (duplicates by path are hashed once), `concurrency` reads at a time. */
export async function hashFiles(files: readonly FileToHash[], cache: HashCache, opts: { concurrency?: number; now?: number } = {}): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const todo: FileToHash[] = [];
  for (const f of files) {
    if (out.has(f.abs)) continue;
    const cached = cache.get(f.abs, f);
    if (cached) out.set(f.abs, cached);
    else {
      out.set(f.abs, '');
      todo.push(f);
    }
  }
  const now = opts.now ?? Date.now();
  let next = 0;
  const worker = async () => {
    while (next < todo.length) {
      const f = todo[next++];
      let sha: string;
      try {
        sha = await hashOne(f.abs, f.size);
      } catch (e) {
        throw new InputError(`cannot read file: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file: f.abs }, 'hashing fails closed: fix the permissions or add the path to .dockerignore');
      }
      out.set(f.abs, sha);
      cache.set(f.abs, f, sha, now);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(opts.concurrency ?? 16, todo.length)) }, worker));
  return out;
}
