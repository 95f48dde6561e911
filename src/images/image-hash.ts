// The content hash of an image and the tag derived from it. Pure: the same inputs give the same hash on every
// machine, because only content goes in (no mtimes, no absolute paths, no host facts).
//
// Hashed, one line each, in this order: a format version; the Dockerfile's sha256; the build target; the
// platforms (sorted); the build args (sorted by name); each project image it is built FROM, by name and hash
// (so a base change cascades); every visible context entry sorted by path: kind, executable bit, the sha256
// of its content (a symlink: of its target text) and its path. Strings are JSON-quoted so no value can forge a line.
import crypto from 'node:crypto';

export const HASH_FORMAT = 'kforge-image-hash/v1';
/** Tags are the first 20 hex digits (80 bits) of the hash: valid OCI tags ([A-Za-z0-9_][A-Za-z0-9._-]{0,127}). */
export const TAG_LENGTH = 20;

export interface HashedEntry {
  path: string;
  kind: 'file' | 'dir' | 'symlink';
  exec: boolean;
  /** sha256 hex of the content (files), of the link target (symlinks), '' for folders. */
  sha256: string;
}

export interface ImageHashInput {
  dockerfileSha256: string;
  target?: string;
  platforms?: readonly string[];
  buildArgs?: Readonly<Record<string, string>>;
  bases: readonly { name: string; hash: string }[];
  entries: readonly HashedEntry[];
}

export function sha256Hex(data: string | Buffer): string {
  return crypto.createHash('sha256').update(data).digest('hex');
}

const q = JSON.stringify;

export function entryLine(e: HashedEntry): string {
  return `${e.kind === 'file' ? 'f' : e.kind === 'dir' ? 'd' : 'l'}${e.exec ? 'x' : '-'} ${e.sha256 || '-'} ${q(e.path)}`;
}

export function imageHash(input: ImageHashInput): string {
  const h = crypto.createHash('sha256');
  h.update(`${HASH_FORMAT}\n`);
  h.update(`dockerfile ${input.dockerfileSha256}\n`);
  h.update(`target ${q(input.target ?? '')}\n`);
  for (const p of [...(input.platforms ?? [])].sort()) h.update(`platform ${q(p)}\n`);
  for (const k of Object.keys(input.buildArgs ?? {}).sort()) h.update(`arg ${q(k)}=${q(input.buildArgs![k])}\n`);
  for (const b of [...input.bases].sort((a, b) => (a.name < b.name ? -1 : 1))) h.update(`base ${q(b.name)} ${b.hash}\n`);
  const entries = [...input.entries].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  // One update for all entries: per-line updates cost more than the hashing itself for 20 000 small entries.
  const lines = new Array<string>(entries.length);
  for (let i = 0; i < entries.length; i++) lines[i] = entryLine(entries[i]);
  if (lines.length) h.update(`${lines.join('\n')}\n`);
  return h.digest('hex');
}

export function tagOf(hash: string): string {
  return hash.slice(0, TAG_LENGTH);
}
