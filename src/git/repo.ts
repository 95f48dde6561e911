// Reads a git repository without changing it: refs, status, trees and blobs, and copies of old revisions.
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { InputError, NotFoundError, InternalError } from '../errors.js';
import { git, gitBytes, gitTry } from './run.js';

export interface TreeEntry {
  mode: string; // 100644, 100755, 120000 (symlink), 160000 (submodule)
  type: 'blob' | 'commit' | 'tree';
  oid: string;
  path: string; // '/'-separated, from the top of the tree
}

/** The top folder of the repository holding `dir`. */
export async function repoRoot(dir: string): Promise<string> {
  const r = await gitTry(['rev-parse', '--show-toplevel'], { cwd: dir });
  if (!r.ok) throw new NotFoundError(`${dir} is not inside a git repository`, {}, 'release and diff read the project from git');
  return r.stdout.trim();
}

/** The commit a ref names; a NotFoundError when it names nothing. */
export async function resolveCommit(root: string, ref: string): Promise<string> {
  if (ref.startsWith('-')) throw new InputError(`'${ref}' is not a git revision`);
  const r = await gitTry(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], { cwd: root });
  if (!r.ok) throw new NotFoundError(`unknown git revision '${ref}'`, {}, 'a branch, tag or commit of this repository');
  return r.stdout.trim();
}

/** The commit a full ref points at, or undefined when the ref does not exist. */
export async function refTip(root: string, ref: string): Promise<string | undefined> {
  const r = await gitTry(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], { cwd: root });
  return r.ok ? r.stdout.trim() : undefined;
}

/** Paths with uncommitted changes, untracked files included. */
export async function uncommittedPaths(root: string): Promise<string[]> {
  // --no-optional-locks: a plain `git status` refreshes and rewrites the index, and we promise not to touch it.
  const out = await git(['--no-optional-locks', 'status', '--porcelain=v1', '-z', '--untracked-files=normal'], { cwd: root });
  const paths: string[] = [];
  const records = out.split('\0');
  for (let i = 0; i < records.length; i++) {
    const rec = records[i];
    if (rec.length < 4) continue;
    paths.push(rec.slice(3));
    if (rec[0] === 'R' || rec[0] === 'C') i++; // a rename is followed by its source path
  }
  return paths;
}

/** Files git ignores (untracked and matched by .gitignore) under `paths`, relative to the repository top. */
export async function ignoredFiles(root: string, paths: readonly string[]): Promise<string[]> {
  if (paths.length === 0) return [];
  const out = await git(['ls-files', '-z', '--others', '--ignored', '--exclude-standard', '--', ...paths], { cwd: root });
  return out.split('\0').filter(Boolean);
}

export async function objectFormat(root: string): Promise<'sha1' | 'sha256'> {
  const r = await gitTry(['rev-parse', '--show-object-format'], { cwd: root });
  return r.ok && r.stdout.trim() === 'sha256' ? 'sha256' : 'sha1';
}

/** The id git gives a blob with this content, computed without writing it. */
export function blobId(content: string | Uint8Array, format: 'sha1' | 'sha256'): string {
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  return createHash(format).update(`blob ${bytes.length}\0`).update(bytes).digest('hex');
}

/** Every file of a tree, recursively; paths are from the top of the repository. */
export async function listTree(root: string, treeish: string): Promise<TreeEntry[]> {
  const out = await git(['ls-tree', '-r', '-z', '--full-tree', treeish], { cwd: root });
  const entries: TreeEntry[] = [];
  for (const rec of out.split('\0')) {
    if (!rec) continue;
    const tab = rec.indexOf('\t');
    const [mode, type, oid] = rec.slice(0, tab).split(' ');
    entries.push({ mode, type: type as TreeEntry['type'], oid, path: rec.slice(tab + 1) });
  }
  return entries;
}

/** Contents of many blobs through one `git cat-file --batch`. */
export async function readBlobs(root: string, oids: readonly string[]): Promise<Map<string, Buffer>> {
  const unique = [...new Set(oids)];
  const result = new Map<string, Buffer>();
  if (unique.length === 0) return result;
  const out = await gitBytes(['cat-file', '--batch'], { cwd: root, input: unique.join('\n') + '\n' });
  let pos = 0;
  for (const oid of unique) {
    const nl = out.indexOf(10, pos);
    const header = out.subarray(pos, nl).toString('utf8').split(' ');
    if (header[1] !== 'blob') throw new InternalError(`git cat-file: ${oid} is ${header[1] ?? 'unreadable'}, not a blob`);
    const size = Number(header[2]);
    result.set(oid, out.subarray(nl + 1, nl + 1 + size));
    pos = nl + 1 + size + 1; // content is followed by a newline
  }
  return result;
}

/** Writes the files of `commit` into `dir` (which must exist), without touching the repository's worktree. */
export async function materialize(root: string, commit: string, dir: string): Promise<void> {
  const entries = (await listTree(root, commit)).filter((e) => e.type === 'blob');
  const blobs = await readBlobs(root, entries.map((e) => e.oid));
  for (const e of entries) {
    const target = path.join(dir, e.path);
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const content = blobs.get(e.oid)!;
    if (e.mode === '120000') fs.symlinkSync(content.toString('utf8'), target);
    else fs.writeFileSync(target, content, { mode: e.mode === '100755' ? 0o755 : 0o644 });
  }
}

/** Whether `ancestor` is `commit` or one of its ancestors. */
export async function isAncestor(root: string, ancestor: string, commit: string): Promise<boolean> {
  return (await gitTry(['merge-base', '--is-ancestor', ancestor, commit], { cwd: root })).ok;
}

export async function mergeBase(root: string, a: string, b: string): Promise<string> {
  const r = await gitTry(['merge-base', a, b], { cwd: root });
  if (!r.ok) throw new NotFoundError(`${a} and ${b} have no common ancestor`, {}, 'pass --base REF');
  return r.stdout.trim();
}

/** The default branch to diff against: origin/HEAD when a clone knows it, else a local main or master. */
export async function defaultBranch(root: string): Promise<string> {
  const r = await gitTry(['symbolic-ref', '--quiet', 'refs/remotes/origin/HEAD'], { cwd: root });
  if (r.ok) return r.stdout.trim().replace(/^refs\/remotes\//, '');
  const configured = await gitTry(['config', 'init.defaultBranch'], { cwd: root });
  const candidates = [configured.ok ? configured.stdout.trim() : '', 'main', 'master'].filter(Boolean);
  for (const name of candidates) if (await refTip(root, `refs/heads/${name}`)) return name;
  throw new NotFoundError('cannot tell the default branch: no origin/HEAD, main or master', {}, 'pass --base REF');
}

/** The first line of a commit's message. */
export async function commitSubject(root: string, commit: string): Promise<string> {
  return (await git(['log', '-1', '--format=%s', commit], { cwd: root })).trim();
}
