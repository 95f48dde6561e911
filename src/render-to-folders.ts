// Rendering many environments at once: `render --out` (one folder per environment) and `render --stdout`.
// With several environments and more than one CPU, this thread and worker threads take environments from one
// shared counter, so a worker that starts late (it loads kforge again) simply takes fewer. Each thread builds
// shared bases once for all the environments it takes, and writes each finished environment straight into a
// hidden temp folder beside its target. Only when every environment has rendered are the temp folders renamed
// into place (each thread its own), so a failed render leaves all previous output as it was.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { InternalError, isKforgeError, KforgeError } from './errors.js';
import type { Environment, Project } from './project/config.js';
import { renderEnvironment, type RenderOptions } from './render.js';
import { Builder } from './kustomize/build.js';
import { documentStream } from './emit/layout.js';
import { removeTree, swapInTree, writeTreeToTemp } from './fs/write-tree.js';
import { Fingerprints, freshEntry, outputHash, storeEntry } from './render-cache.js';

export interface FolderResult {
  env: string;
  folder: string;
  files: number;
  warnings: string[];
  /** True when the folder was already up to date (render cache) and nothing was rendered. */
  cached?: boolean;
}

/** With a cache, environments whose inputs did not change are skipped (src/render-cache.ts). */
export interface FolderOptions {
  cache: boolean;
}

/** Where rendered environments go: folders under `out`, or text handed back for stdout. */
export type Destination = { kind: 'folders'; out: string; cache: boolean } | { kind: 'text' };

/** One rendered environment, as plain data (it may cross from a worker thread). */
export type EnvOutcome =
  | { kind: 'folder'; env: string; folder: string; tmp: string; files: number; warnings: string[]; cache?: { inputs: Record<string, string>; output: string } }
  | { kind: 'text'; env: string; text: string; warnings: string[] };

/** What a worker needs: plain data only (no logger, no functions). */
export interface WorkerInput {
  /** The parsed project (plain data): the worker need not read and validate kforge.yaml again. */
  project: Project;
  envs: string[];
  options: Omit<RenderOptions, 'logger'>;
  destination: Destination;
  /** [next environment to take, 1 once any thread failed]. */
  queue: SharedArrayBuffer;
}

/** Worker -> main: its share rendered (or failed), then committed/aborted. Main -> worker: 'commit' | 'abort'. */
export type WorkerMessage =
  | { state: 'rendered'; outcomes: [number, EnvOutcome][] }
  | { state: 'failed'; index: number; error: string; exitCode: number; outcomes: [number, EnvOutcome][] }
  | { state: 'finished'; error?: string; exitCode?: number };

const NEXT = 0;
const FAILED = 1;

/** The options that shape a render's output, as the cache compares them. */
function cacheOptionsKey(options: RenderOptions): string {
  return JSON.stringify({ images: options.images ?? null, sourceCommit: options.sourceCommit ?? null, sourceRoot: options.sourceRoot ?? null });
}

/** A thread's part of the work: environments taken from the shared queue until none is left or one failed. */
export class Share {
  readonly outcomes: [number, EnvOutcome][] = [];
  private readonly builder = new Builder();
  private readonly prints = new Fingerprints();
  private readonly queue: Int32Array;

  constructor(
    private readonly project: Project,
    private readonly envs: readonly Environment[],
    private readonly options: RenderOptions,
    private readonly destination: Destination,
    queue: SharedArrayBuffer,
  ) {
    this.queue = new Int32Array(queue);
  }

  /** Renders until the queue is empty; throws (after flagging the others to stop) with the failing index. */
  run(): void {
    for (;;) {
      if (Atomics.load(this.queue, FAILED)) return;
      const index = Atomics.add(this.queue, NEXT, 1);
      if (index >= this.envs.length) return;
      try {
        this.outcomes.push([index, this.renderOne(this.envs[index])]);
      } catch (e) {
        Atomics.store(this.queue, FAILED, 1);
        throw new ShareFailure(index, e);
      }
    }
  }

  private renderOne(env: Environment): EnvOutcome {
    const r = renderEnvironment(this.project, env, this.options, this.builder);
    const d = this.destination;
    if (d.kind === 'text') return { kind: 'text', env: env.name, text: documentStream(r.files), warnings: r.warnings };
    const folder = path.join(d.out, env.name);
    const tmp = writeTreeToTemp(folder, r.files);
    const cache = d.cache ? { inputs: Object.fromEntries(r.inputs.map((k) => [k, this.prints.of(k)])), output: outputHash(r.files) } : undefined;
    return { kind: 'folder', env: env.name, folder, tmp, files: r.files.length, warnings: r.warnings, ...(cache ? { cache } : {}) };
  }

  /** Moves this thread's folders into place and records them in the render cache. */
  commit(): void {
    const old: string[] = [];
    for (const [, o] of this.outcomes) {
      if (o.kind !== 'folder') continue;
      const replaced = swapInTree(o.folder, o.tmp);
      if (replaced) old.push(replaced);
      if (o.cache && this.destination.kind === 'folders') {
        storeEntry(this.project.root, o.env, { options: cacheOptionsKey(this.options), out: this.destination.out, inputs: o.cache.inputs, output: o.cache.output, files: o.files, warnings: o.warnings });
      }
    }
    for (const dir of old) removeTree(dir);
  }

  abort(): void {
    for (const [, o] of this.outcomes) if (o.kind === 'folder') removeTree(o.tmp);
  }
}

/** A thread's render failed at environment `index`. */
export class ShareFailure extends Error {
  constructor(
    readonly index: number,
    readonly failure: unknown,
  ) {
    super('render failed');
  }
}

// Below this many environments a worker's start-up (loading kforge again, re-reading shared bases) costs more
// than it saves.
const MIN_ENVS_PER_THREAD = 3;

/** Renders `envs` into `out/<env>/`, skipping those the render cache says are up to date. */
export async function renderToFolders(project: Project, allEnvs: readonly Environment[], out: string, options: RenderOptions, folderOptions: FolderOptions = { cache: false }): Promise<FolderResult[]> {
  const { cache } = folderOptions;
  const upToDate = new Map<string, FolderResult>();
  if (cache) {
    const prints = new Fingerprints();
    const key = cacheOptionsKey(options);
    for (const env of allEnvs) {
      const entry = freshEntry(project.root, env.name, out, key, prints);
      if (entry) upToDate.set(env.name, { env: env.name, folder: path.join(out, env.name), files: entry.files, warnings: entry.warnings, cached: true });
    }
  }
  const envs = allEnvs.filter((e) => !upToDate.has(e.name));
  if (envs.length) fs.mkdirSync(out, { recursive: true });
  const outcomes = await renderEnvironments(project, envs, options, { kind: 'folders', out, cache });
  const byEnv = new Map<string, FolderResult>(upToDate);
  for (const o of outcomes) if (o.kind === 'folder') byEnv.set(o.env, { env: o.env, folder: o.folder, files: o.files, warnings: o.warnings });
  return allEnvs.map((e) => byEnv.get(e.name)!);
}

/** Renders `envs` as the YAML streams `kustomize build` prints, one per environment, in order. */
export async function renderToText(project: Project, envs: readonly Environment[], options: RenderOptions): Promise<{ env: string; text: string; warnings: string[] }[]> {
  const outcomes = await renderEnvironments(project, envs, options, { kind: 'text' });
  return outcomes.flatMap((o) => (o.kind === 'text' ? [{ env: o.env, text: o.text, warnings: o.warnings }] : []));
}

/** Every environment rendered (folders committed in place), outcomes in the order of `envs`. */
async function renderEnvironments(project: Project, envs: readonly Environment[], options: RenderOptions, destination: Destination): Promise<EnvOutcome[]> {
  if (envs.length === 0) return [];
  const cpus = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  const threads = Math.max(1, Math.min(cpus, Math.floor(envs.length / MIN_ENVS_PER_THREAD)));
  const queue = new SharedArrayBuffer(8);
  const { logger: _logger, ...plain } = options;
  void _logger;
  const workers = Array.from({ length: threads - 1 }, () =>
    startWorker({ project, envs: envs.map((e) => e.name), options: plain, destination, queue }),
  );
  const mine = new Share(project, envs, options, destination, queue);
  const failures: { index: number; error: unknown }[] = [];
  try {
    mine.run();
  } catch (e) {
    // Whatever failed, the workers still wait for a verdict: leaving without one would keep the process alive.
    if (e instanceof ShareFailure) failures.push({ index: e.index, error: e.failure });
    else failures.push({ index: Number.MAX_SAFE_INTEGER, error: e });
  }
  const outcomes: [number, EnvOutcome][] = [...mine.outcomes];
  const settled = await Promise.allSettled(workers.map((w) => w.rendered));
  settled.forEach((s) => {
    if (s.status === 'rejected') failures.push({ index: Number.MAX_SAFE_INTEGER, error: s.reason });
    else {
      outcomes.push(...s.value.outcomes);
      if (s.value.state === 'failed') failures.push({ index: s.value.index, error: new WorkerError(s.value.error, s.value.exitCode) });
    }
  });
  const verdict = failures.length ? 'abort' : 'commit';
  // Each thread moves (or removes) its own folders: removing the previous output is as much work as writing it.
  const finished = workers.map((w) => w.finish(verdict));
  try {
    if (verdict === 'commit') mine.commit();
    else mine.abort();
  } finally {
    const ends = await Promise.allSettled(finished);
    // A folder that could not be moved into place (verdict commit) is an error too.
    for (const end of ends) if (end.status === 'rejected' && !failures.length) failures.push({ index: Number.MAX_SAFE_INTEGER, error: end.reason });
  }
  if (failures.length) {
    // The first failing environment in the order asked for, whichever thread met it.
    failures.sort((a, b) => a.index - b.index);
    throw failures[0].error;
  }
  return outcomes.sort((a, b) => a[0] - b[0]).map(([, o]) => o);
}

function startWorker(input: WorkerInput) {
  const fromSource = import.meta.url.endsWith('.ts');
  const workerUrl = new URL(fromSource ? './render-worker.ts' : './render-worker.js', import.meta.url);
  // Run from TypeScript sources (tests, tsx), the worker must register tsx itself: Node 20 does not hand module
  // hooks to worker threads.
  const worker = fromSource
    ? new Worker(`import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => { m.register(); return import(${JSON.stringify(workerUrl.href)}); })`, { eval: true, workerData: input })
    : new Worker(workerUrl, { workerData: input });
  let exited = false;
  worker.once('exit', () => {
    exited = true;
  });
  const next = () =>
    new Promise<WorkerMessage>((resolve, reject) => {
      const onExit = (code: number) => reject(new InternalError(`render worker exited with code ${code}`));
      worker.once('message', (m: WorkerMessage) => {
        worker.off('exit', onExit);
        resolve(m);
      });
      worker.once('error', reject);
      worker.once('exit', onExit);
    });
  const rendered = next() as Promise<Extract<WorkerMessage, { state: 'rendered' | 'failed' }>>;
  return {
    rendered,
    async finish(verdict: 'commit' | 'abort'): Promise<void> {
      if (exited) return;
      const done = next();
      worker.postMessage(verdict);
      const m = await done;
      if (m.state === 'finished' && m.error !== undefined) throw new WorkerError(m.error, m.exitCode ?? 70);
    },
  };
}

/** An error from a worker, already formatted; keeps the worker's exit code. */
export class WorkerError extends KforgeError {
  constructor(
    formatted: string,
    readonly exitCode: number,
  ) {
    super(formatted);
  }
}

export function describeFailure(e: unknown): { error: string; exitCode: number } {
  if (isKforgeError(e)) return { error: e.format(), exitCode: e.exitCode };
  return { error: `internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`, exitCode: 70 };
}
