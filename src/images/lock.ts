// kforge.lock.json: the digest each project image was pushed with, so renders can pin `<ref>:<tag>@<digest>`.
// A typed document, written with a fixed key order, images sorted by name, two-space indent and a final newline,
// so the same content is always the same bytes (and diffs in git stay one line per change).
import fs from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors.js';

export const LOCK_FILE = 'kforge.lock.json';
export const LOCK_API_VERSION = 'kforge.dev/v1alpha1';
export const LOCK_KIND = 'ImageLock';

export interface LockedImage {
  name: string;
  /** `<registry>/<name>:<tag>` as pushed. */
  reference: string;
  tag: string;
  /** Manifest digest the registry answered for the tag, e.g. `sha256:…`. */
  digest: string;
}

export interface ImageLock {
  apiVersion: typeof LOCK_API_VERSION;
  kind: typeof LOCK_KIND;
  images: LockedImage[];
}

export const emptyLock = (): ImageLock => ({ apiVersion: LOCK_API_VERSION, kind: LOCK_KIND, images: [] });

export function formatLock(lock: ImageLock): string {
  const images = [...lock.images]
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((i) => ({ name: i.name, reference: i.reference, tag: i.tag, digest: i.digest }));
  return `${JSON.stringify({ apiVersion: LOCK_API_VERSION, kind: LOCK_KIND, images }, null, 2)}\n`;
}

export function parseLock(text: string, file: string): ImageLock {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new InputError(`lock file is not JSON: ${(e as Error).message}`, { file }, 'delete it and run kforge images build');
  }
  const d = data as Partial<ImageLock>;
  if (d?.apiVersion !== LOCK_API_VERSION || d.kind !== LOCK_KIND || !Array.isArray(d.images)) {
    throw new InputError(`not a kforge image lock (expected apiVersion ${LOCK_API_VERSION}, kind ${LOCK_KIND})`, { file });
  }
  d.images.forEach((i, n) => {
    for (const k of ['name', 'reference', 'tag', 'digest'] as const) {
      if (typeof i?.[k] !== 'string') throw new InputError(`images[${n}].${k} must be a string`, { file });
    }
    if (!/^[a-z0-9]+:[a-f0-9]{32,}$/.test(i.digest)) throw new InputError(`images[${n}].digest '${i.digest}' is not a digest`, { file });
  });
  return { apiVersion: LOCK_API_VERSION, kind: LOCK_KIND, images: d.images };
}

/** The lock with `entry` replacing any previous entry of the same image. Pure. */
export function withLockedImage(lock: ImageLock, entry: LockedImage): ImageLock {
  return { ...lock, images: [...lock.images.filter((i) => i.name !== entry.name), entry] };
}

/** The digest locked for exactly this tag, if any. */
export function lockedDigest(lock: ImageLock, name: string, tag: string): string | undefined {
  const e = lock.images.find((i) => i.name === name);
  return e && e.tag === tag ? e.digest : undefined;
}

export const lockPath = (projectRoot: string) => path.join(projectRoot, LOCK_FILE);

/** Reads the lock file; a missing one is empty. */
export function readLock(file: string): ImageLock {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return emptyLock();
    throw new InputError(`cannot read lock file: ${(e as Error).message}`, { file });
  }
  return parseLock(text, file);
}

/** Writes atomically, so an interrupted build never leaves a torn lock file. */
export function writeLock(file: string, lock: ImageLock): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, formatLock(lock));
  fs.renameSync(tmp, file);
}
