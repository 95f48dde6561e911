// What the last successful `kforge ci` run on this machine released, so an hourly job whose inputs did not move
// stops after a few git reads. The record lives in .kforge-cache/ (machine-local, never committed); without it
// (a fresh clone) a run checks the registry and the release branch instead, which reaches the same answer.
import fs from 'node:fs';
import path from 'node:path';

export interface LastRun {
  kforgeVersion: string;
  /** The commit that was released. */
  head: string;
  environments: string[];
  /** Tag of every project image (hashed from the working tree, which may hold build inputs git ignores). */
  tags: Record<string, string>;
  /** The release branch tip the run left. */
  releaseTip: string;
  /** The remote pushed to, if any. */
  pushed?: string;
  /** The scan command that passed, as configured (a new scanner must look again). */
  scan?: string;
}

const FILE = 'ci-last-run.json';

/** Writes through a temp file of this process only, so two runs at once never rename each other's half-written file. */
function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

export function readLastRun(cacheDir: string): LastRun | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(cacheDir, FILE), 'utf8')) as LastRun;
  } catch {
    return undefined;
  }
}

export function writeLastRun(cacheDir: string, run: LastRun): void {
  fs.mkdirSync(cacheDir, { recursive: true });
  writeAtomically(path.join(cacheDir, FILE), JSON.stringify(run, null, 2) + '\n');
}

/** Whether `now` is the run already done: same commit, environments, image tags, release tip, push and kforge. Pure. */
export function sameRun(prev: LastRun | undefined, now: LastRun): boolean {
  return prev !== undefined && JSON.stringify(normalise(prev)) === JSON.stringify(normalise(now));
}

function normalise(r: LastRun): unknown {
  return {
    v: r.kforgeVersion,
    head: r.head,
    envs: [...r.environments].sort(),
    tags: Object.entries(r.tags).sort(([a], [b]) => (a < b ? -1 : 1)),
    tip: r.releaseTip,
    pushed: r.pushed ?? '',
    scan: r.scan ?? '',
  };
}

/** Image digests whose scan passed with a given command, so each pushed image is scanned once per machine. */
const SCANS = 'ci-scans-passed.json';

export function readPassedScans(cacheDir: string): Set<string> {
  try {
    const data = JSON.parse(fs.readFileSync(path.join(cacheDir, SCANS), 'utf8')) as unknown;
    return new Set(Array.isArray(data) ? data.filter((x): x is string => typeof x === 'string') : []);
  } catch {
    return new Set();
  }
}

export function writePassedScans(cacheDir: string, passed: ReadonlySet<string>): void {
  fs.mkdirSync(cacheDir, { recursive: true });
  writeAtomically(path.join(cacheDir, SCANS), JSON.stringify([...passed].sort(), null, 2) + '\n');
}
