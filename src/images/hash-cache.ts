// The stat cache that makes re-hashing an unchanged context cheap: a file's sha256 is reused while its path,
// size, mtime and inode are unchanged. Stored as JSON under .kforge-cache/ (machine-local, never committed).
import fs from 'node:fs';
import path from 'node:path';

const VERSION = 1;

/** A file modified this recently may still change within the same mtime tick, so it is not trusted (git's
 *  "racily clean" rule); it is simply hashed again next time. */
const RACY_WINDOW_MS = 2000;

type Entry = [size: number, mtimeMs: number, ino: number, sha256: string];

export interface StatKey {
  size: number;
  mtimeMs: number;
  ino: number;
}

export class HashCache {
  private entries: Map<string, Entry>;
  private dirty = false;
  hits = 0;
  misses = 0;

  private constructor(readonly file: string | undefined, entries: Map<string, Entry>) {
    this.entries = entries;
  }

  /** An empty cache that is never saved. */
  static memory(): HashCache {
    return new HashCache(undefined, new Map());
  }

  /** Loads the cache file; a missing or unreadable cache is an empty one (it only ever saves work). */
  static load(file: string): HashCache {
    try {
      const data = JSON.parse(fs.readFileSync(file, 'utf8')) as { version?: number; entries?: Record<string, Entry> };
      if (data.version === VERSION && data.entries) return new HashCache(file, new Map(Object.entries(data.entries)));
    } catch {
      // fall through: start empty
    }
    return new HashCache(file, new Map());
  }

  get(absPath: string, st: StatKey): string | undefined {
    const e = this.entries.get(absPath);
    if (e && e[0] === st.size && e[1] === st.mtimeMs && e[2] === st.ino) {
      this.hits++;
      return e[3];
    }
    this.misses++;
    return undefined;
  }

  set(absPath: string, st: StatKey, sha256: string, now: number): void {
    if (st.mtimeMs > now - RACY_WINDOW_MS) {
      if (this.entries.delete(absPath)) this.dirty = true;
      return;
    }
    this.entries.set(absPath, [st.size, st.mtimeMs, st.ino, sha256]);
    this.dirty = true;
  }

  /** Forgets entries below `roots` (absolute folders) that this run did not see: deleted or ignored files. */
  prune(roots: readonly string[], seen: ReadonlySet<string>): void {
    const prefixes = roots.map((r) => (r.endsWith(path.sep) ? r : r + path.sep));
    for (const k of this.entries.keys()) {
      if (!seen.has(k) && prefixes.some((p) => k.startsWith(p))) {
        this.entries.delete(k);
        this.dirty = true;
      }
    }
  }

  /** Writes the cache atomically (a crash leaves the old cache, never a torn one). */
  save(): void {
    if (!this.file) return;
    if (!this.dirty) return;
    fs.mkdirSync(path.dirname(this.file), { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ version: VERSION, entries: Object.fromEntries(this.entries) }));
    fs.renameSync(tmp, this.file);
    this.dirty = false;
  }
}
