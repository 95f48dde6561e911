// Commits files to a branch with git plumbing only: blobs, a private index, commit-tree and a compare-and-swap
// update-ref. The user's working tree, index and HEAD are never read or written.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CommandError, InternalError } from '../errors.js';
import { git, gitTry } from './run.js';
import { listTree, readBlobs, refTip } from './repo.js';

export interface BranchSnapshot {
  ref: string; // full ref, refs/heads/<branch>
  /** The commit the ref points at; undefined when the branch does not exist. */
  tip?: string;
  /** path -> blob id of every file of the tip. */
  files: Map<string, string>;
}

export interface FileToWrite {
  path: string;
  content: string;
  /** The blob id computed beforehand; checked against what git stores. */
  oid: string;
}

export async function readBranch(root: string, ref: string): Promise<BranchSnapshot> {
  const tip = await refTip(root, ref);
  const files = new Map<string, string>();
  if (tip) for (const e of await listTree(root, tip)) if (e.type === 'blob') files.set(e.path, e.oid);
  return { ref, tip, files };
}

/** The text of one file of a snapshot, or undefined when absent. */
export async function readSnapshotFile(root: string, snap: BranchSnapshot, file: string): Promise<string | undefined> {
  const oid = snap.files.get(file);
  if (!oid) return undefined;
  return (await readBlobs(root, [oid])).get(oid)!.toString('utf8');
}

/** Writes blobs and a tree, then a commit on `parent` (or a root commit); returns the new commit id. */
export async function commitFiles(
  root: string,
  change: { parent?: string; writes: readonly FileToWrite[]; deletes: readonly string[]; message: string },
): Promise<string> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kforge-commit-'));
  try {
    // Blobs: one hash-object for all files; --no-filters so .gitattributes of the source cannot alter them.
    const blobPaths = change.writes.map((w, i) => {
      const p = path.join(tmp, `blob-${i}`);
      fs.writeFileSync(p, w.content);
      return p;
    });
    if (blobPaths.length > 0) {
      const ids = (await git(['hash-object', '-w', '--no-filters', '--stdin-paths'], { cwd: root, input: blobPaths.join('\n') + '\n' }))
        .trim()
        .split('\n');
      change.writes.forEach((w, i) => {
        if (ids[i] !== w.oid) throw new InternalError(`blob id of ${w.path} is ${ids[i]}, expected ${w.oid}`);
      });
    }
    // A private index (GIT_INDEX_FILE) holds the new tree while it is built.
    const env = { GIT_INDEX_FILE: path.join(tmp, 'index') };
    await git(change.parent ? ['read-tree', change.parent] : ['read-tree', '--empty'], { cwd: root, env });
    const zero = '0'.repeat(change.parent?.length ?? 40); // deletes only happen on top of a parent
    const records = [
      ...change.deletes.map((p) => `0 ${zero}\t${p}\0`),
      ...change.writes.map((w) => `100644 ${w.oid}\t${w.path}\0`),
    ];
    if (records.length > 0) await git(['update-index', '-z', '--index-info'], { cwd: root, env, input: records.join('') });
    const tree = (await git(['write-tree'], { cwd: root, env })).trim();
    const parentArgs = change.parent ? ['-p', change.parent] : [];
    return (await git(['commit-tree', tree, ...parentArgs, '-F', '-'], { cwd: root, input: change.message })).trim();
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * Moves `ref` to `next` only if it still points at `expected` (undefined: only if it does not exist yet).
 * Returns false when another writer moved the ref first, so the caller can retry on the new tip.
 */
export async function compareAndSwapRef(root: string, ref: string, next: string, expected: string | undefined, reason: string): Promise<boolean> {
  const r = await gitTry(['update-ref', '-m', reason, ref, next, expected ?? ''], { cwd: root });
  if (r.ok) return true;
  // Either the ref moved, or another process holds its lock right now: both mean "someone else is writing".
  if ((await refTip(root, ref)) !== expected || /\.lock|cannot lock/i.test(r.stderr)) return false;
  throw new CommandError('git update-ref', r.exitCode, r.stderr.trim().split('\n').slice(-2).join(' | '));
}

/** Updates refs/remotes/<remote>/<branch>; false when the remote has no such branch or cannot be reached. */
export async function fetchBranch(root: string, remote: string, branch: string): Promise<boolean> {
  const r = await gitTry(['fetch', '--quiet', '--no-tags', remote, `+refs/heads/${branch}:refs/remotes/${remote}/${branch}`], { cwd: root });
  return r.ok;
}

/** Pushes a local branch; a rejected push (the remote moved) is a CommandError naming the remote. */
export async function pushBranch(root: string, remote: string, branch: string): Promise<void> {
  await git(['push', '--porcelain', remote, `refs/heads/${branch}:refs/heads/${branch}`], { cwd: root });
}
