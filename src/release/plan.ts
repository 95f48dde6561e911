// The pure release plan: given what the release branch holds and what each environment renders to, which
// files to write and delete. kforge owns only the files it wrote (listed in OWNED_FILES on the branch), so a
// README or CI config on the branch survives, and a resource that no longer renders is removed.

export const OWNED_FILES = '.kforge/owned-files.txt';
const OWNED_HEADER = '# Files written by `kforge release`; the next release removes those that no longer render.\n';

export interface BranchFiles {
  /** path -> blob id of every file on the branch tip (empty when the branch does not exist yet). */
  files: ReadonlyMap<string, string>;
  /** Content of OWNED_FILES on the tip, if any. */
  ownedText?: string;
}

export interface OutputFile {
  path: string; // relative to the environment's folder
  content: string;
}

export interface EnvOutput {
  name: string;
  files: readonly OutputFile[];
}

export interface EnvChange {
  env: string;
  added: string[]; // paths relative to the branch root
  modified: string[];
  removed: string[];
}

export interface FileWrite {
  path: string;
  content: string;
  oid: string;
}

export interface ReleasePlan {
  /** Environments whose folder changes, in the order they were given. */
  changes: EnvChange[];
  writes: FileWrite[];
  deletes: string[];
}

export function parseOwnedFiles(text: string | undefined): Set<string> {
  if (!text) return new Set();
  return new Set(text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')));
}

export function formatOwnedFiles(paths: Iterable<string>): string {
  return OWNED_HEADER + [...paths].sort().map((p) => `${p}\n`).join('');
}

/** `hash` gives the blob id git would store for a content (sha1 or sha256 repositories alike). */
export function planRelease(branch: BranchFiles, envs: readonly EnvOutput[], hash: (content: string) => string): ReleasePlan {
  const previouslyOwned = parseOwnedFiles(branch.ownedText);
  const owned = new Set([...previouslyOwned].filter((p) => branch.files.has(p)));
  const changes: EnvChange[] = [];
  const writes: FileWrite[] = [];
  const deletes: string[] = [];
  for (const env of envs) {
    const prefix = `${env.name}/`;
    const change: EnvChange = { env: env.name, added: [], modified: [], removed: [] };
    const next = new Map(env.files.map((f) => [prefix + f.path, f.content]));
    for (const p of [...owned].filter((p) => p.startsWith(prefix)).sort()) {
      if (next.has(p)) continue;
      change.removed.push(p);
      deletes.push(p);
      owned.delete(p);
    }
    for (const [p, content] of [...next].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const oid = hash(content);
      const old = branch.files.get(p);
      owned.add(p);
      if (old === oid) continue;
      (old === undefined ? change.added : change.modified).push(p);
      writes.push({ path: p, content, oid });
    }
    if (change.added.length + change.modified.length + change.removed.length > 0) changes.push(change);
  }
  const ownedText = formatOwnedFiles(owned);
  const ownedOid = hash(ownedText);
  if (branch.files.get(OWNED_FILES) !== ownedOid) writes.push({ path: OWNED_FILES, content: ownedText, oid: ownedOid });
  return { changes, writes, deletes };
}

export function planIsEmpty(plan: ReleasePlan): boolean {
  return plan.writes.length === 0 && plan.deletes.length === 0;
}
