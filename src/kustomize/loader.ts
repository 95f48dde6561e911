// File access for kustomize builds: the load restrictor (files must stay inside the kustomization's folder,
// symlinks resolved), remote references refused, and each file read and parsed once per build session.
import fs from 'node:fs';
import path from 'node:path';
import { InputError, NotFoundError } from '../errors.js';
import { parseYamlDocuments, type YamlDocument } from '../yaml/parse.js';
import { KUSTOMIZATION_FILE_NAMES, parseKustomization, type Kustomization } from './kustomization.js';

export type LoadRestrictor = 'LoadRestrictionsRootOnly' | 'LoadRestrictionsNone';

/** How a path should be shown to the user: relative to the working directory when that is shorter. */
export function displayPath(p: string): string {
  const rel = path.relative(process.cwd(), p);
  return rel && !rel.startsWith('..') && rel.length < p.length ? rel : p;
}

const REMOTE = /^(https?:\/\/|git@|git::|ssh:\/\/|github\.com\/|gitlab\.com\/|bitbucket\.org\/|oci:\/\/)/;

export function isRemote(ref: string): boolean {
  return REMOTE.test(ref) || /\?ref=/.test(ref);
}

/**
 * What a build looked at, so an unchanged build can be recognised without redoing it (render's cache):
 * `path:<abs>` a reference resolved (to which real path, file or folder), `file:<real>` a file's content,
 * `dir:<real>` which kustomization file names a folder holds.
 */
export type InputKey = `path:${string}` | `file:${string}` | `dir:${string}`;

export class Loader {
  private readonly texts = new Map<string, string>();
  private readonly docs = new Map<string, YamlDocument[]>();
  private readonly kustomizations = new Map<string, Kustomization>();
  private readonly trackers: Set<InputKey>[] = [];
  private readonly kustomizationFiles = new Map<string, string>();
  /** A kustomization folder's real path, resolved once per session (checked for every file it reads). */
  private readonly realRoots = new Map<string, string>();

  constructor(readonly restrictor: LoadRestrictor = 'LoadRestrictionsRootOnly') {}

  /** Runs `fn`, collecting every input it (or anything it calls) reads. Trackers nest. */
  track<T>(fn: () => T): { value: T; inputs: Set<InputKey> } {
    const inputs = new Set<InputKey>();
    this.trackers.push(inputs);
    try {
      return { value: fn(), inputs };
    } finally {
      this.trackers.pop();
    }
  }

  /** Records inputs read earlier (a cached sub-build's) for every active tracker. */
  note(...keys: InputKey[]): void {
    for (const t of this.trackers) for (const k of keys) t.add(k);
  }

  private realpath(p: string, shown: string): string {
    try {
      return fs.realpathSync(p);
    } catch {
      throw new NotFoundError(`no such file or directory: ${shown}`);
    }
  }

  /** Resolves `ref` against the kustomization folder `root`; returns the real path and whether it is a dir. */
  resolve(root: string, ref: string, from: string): { path: string; isDir: boolean } {
    if (isRemote(ref)) {
      throw new InputError(`remote resource '${ref}' is not supported`, { file: from }, 'kforge builds local trees only: vendor the remote base into the repository');
    }
    const abs = path.resolve(root, ref);
    this.note(`path:${abs}`);
    const real = this.realpath(abs, `${displayPath(abs)} (listed in ${displayPath(from)})`);
    return { path: real, isDir: fs.statSync(real).isDirectory() };
  }

  /** Checks that a file a kustomization reads stays inside its folder (after resolving symlinks). */
  checkInsideRoot(root: string, real: string, ref: string, from: string): void {
    if (this.restrictor === 'LoadRestrictionsNone') return;
    let realRoot = this.realRoots.get(root);
    if (realRoot === undefined) {
      realRoot = fs.realpathSync(root);
      this.realRoots.set(root, realRoot);
    }
    const rel = path.relative(realRoot, real);
    if (rel.startsWith('..') || path.isAbsolute(rel)) {
      throw new InputError(
        `'${ref}' resolves to ${displayPath(real)}, outside the kustomization folder ${displayPath(realRoot)}`,
        { file: from },
        'kustomize forbids this (load restrictor); move the file, make the folder a base, or pass --load-restrictor LoadRestrictionsNone',
      );
    }
  }

  /** Reads a file that a kustomization in `root` refers to by `ref`. */
  readFileInRoot(root: string, ref: string, from: string): { path: string; text: string; bytes: Buffer } {
    const { path: real, isDir } = this.resolve(root, ref, from);
    if (isDir) throw new InputError(`'${ref}' is a directory, expected a file`, { file: from });
    this.checkInsideRoot(root, real, ref, from);
    this.note(`file:${real}`);
    const bytes = fs.readFileSync(real);
    return { path: real, text: bytes.toString('utf8'), bytes };
  }

  readText(real: string): string {
    this.note(`file:${real}`);
    let t = this.texts.get(real);
    if (t === undefined) {
      t = fs.readFileSync(real, 'utf8');
      this.texts.set(real, t);
    }
    return t;
  }

  /** Parsed YAML documents of a file, parsed once per session. kustomize reads a null annotation in a
   *  resource (or a patchesStrategicMerge file) as the text "null", but keeps it null in a `patches:` entry,
   *  where it deletes the annotation. */
  documents(real: string, nullAnnotations: 'text' | 'keep' = 'text'): YamlDocument[] {
    const key = `${nullAnnotations}:${real}`;
    let d = this.docs.get(key);
    if (!d) {
      d = parseYamlDocuments(this.readText(real), displayPath(real), { nullAnnotations });
      this.docs.set(key, d);
    }
    return d;
  }

  /** The kustomization of a folder; exactly one of the recognised file names must exist. */
  kustomization(dir: string): Kustomization {
    this.note(`dir:${dir}`);
    const cached = this.kustomizations.get(dir);
    if (cached) {
      this.note(`file:${this.kustomizationFiles.get(dir)!}`);
      return cached;
    }
    const found = KUSTOMIZATION_FILE_NAMES.filter((n) => fs.existsSync(path.join(dir, n)));
    if (found.length === 0) {
      throw new NotFoundError(`no kustomization file in ${displayPath(dir)}`, {}, `expected one of ${KUSTOMIZATION_FILE_NAMES.join(', ')}`);
    }
    if (found.length > 1) {
      throw new InputError(`found multiple kustomization files in ${displayPath(dir)}: ${found.join(', ')}`, {}, 'keep one');
    }
    const file = path.join(dir, found[0]);
    const k = parseKustomization(this.readText(file), displayPath(file));
    this.kustomizations.set(dir, k);
    // readText noted the file; a cached lookup must note it too.
    this.kustomizationFiles.set(dir, file);
    return k;
  }
}
