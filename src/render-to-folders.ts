// `render --out`: every environment rendered and written to <out>/<env>/. With several environments and more
// than one CPU, environments are split between this thread and worker threads: each builds its share (shared
// bases are built once per thread) and writes its own folders, so no rendered data crosses threads.
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { InternalError, isKforgeError, KforgeError } from './errors.js';
import type { Environment, Project } from './project/config.js';
import { renderEnvironment, type RenderedEnvironment, type RenderOptions } from './render.js';
import { Builder } from './kustomize/build.js';
import { writeTreeAtomically } from './fs/write-tree.js';
import { Fingerprints, freshEntry, outputHash, storeEntry } from './render-cache.js';

export interface FolderResult {
  env: string;
  folder: string;
  files: number;
  warnings: string[];
  /** True when the folder was already up to date (render cache) and nothing was rendered. */
  cached?: boolean;
}

/** What a worker needs: plain data only (no logger, no functions). */
/** With a cache, environments whose inputs did not change are skipped (src/render-cache.ts). */
export interface FolderOptions {
  cache: boolean;
}

export interface WorkerInput {
  /** The parsed project (plain data): the worker need not read and validate kforge.yaml again. */
  project: Project;
  envs: string[];
  out: string;
  options: Omit<RenderOptions, 'logger'>;
  cache: boolean;
}

/** Worker -> main: rendered (waiting for the go-ahead), written, or failed. Main -> worker: 'write' | 'abort'. */
export type WorkerMessage =
  | { state: 'rendered' }
  | { state: 'written'; results: FolderResult[] }
  | { state: 'failed'; error: string; exitCode: number };

/** Renders `envs` in this thread; nothing is written yet. */
export function renderShare(project: Project, envs: readonly Environment[], options: RenderOptions): RenderedEnvironment[] {
  const builder = new Builder();
  return envs.map((env) => renderEnvironment(project, env, options, builder));
}

export async function writeShare(project: Project, rendered: readonly RenderedEnvironment[], out: string, options: RenderOptions, cache: boolean): Promise<FolderResult[]> {
  const results: FolderResult[] = [];
  const prints = new Fingerprints();
  for (const r of rendered) {
    const folder = path.join(out, r.env.name);
    await writeTreeAtomically(folder, r.files);
    if (cache) {
      storeEntry(project.root, r.env.name, {
        options: cacheOptionsKey(options),
        out,
        inputs: Object.fromEntries(r.inputs.map((k) => [k, prints.of(k)])),
        output: outputHash(r.files),
        files: r.files.length,
        warnings: r.warnings,
      });
    }
    results.push({ env: r.env.name, folder, files: r.files.length, warnings: r.warnings });
  }
  return results;
}

/** The options that shape a render's output, as the cache compares them. */
function cacheOptionsKey(options: RenderOptions): string {
  return JSON.stringify({ images: options.images ?? null, sourceCommit: options.sourceCommit ?? null, sourceRoot: options.sourceRoot ?? null });
}

// Below this many environments a worker's start-up (loading kforge again, re-reading shared bases) costs more
// than it saves.
const MIN_ENVS_PER_THREAD = 3;

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
  const rendered = await renderStale(project, envs, out, options, cache);
  const byEnv = new Map([...upToDate, ...rendered.map((r) => [r.env, r] as const)]);
  return allEnvs.map((e) => byEnv.get(e.name)!);
}

async function renderStale(project: Project, envs: readonly Environment[], out: string, options: RenderOptions, cache: boolean): Promise<FolderResult[]> {
  if (envs.length === 0) return [];
  const cpus = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  const threads = Math.max(1, Math.min(cpus, Math.floor(envs.length / MIN_ENVS_PER_THREAD)));
  // Every environment is rendered before any folder is written: a failed render leaves all output as it was.
  if (threads === 1) return writeShare(project, renderShare(project, envs, options), out, options, cache);
  // Round-robin keeps environments of similar shape spread evenly.
  const shares: Environment[][] = Array.from({ length: threads }, () => []);
  envs.forEach((e, i) => shares[i % threads].push(e));
  const { logger: _logger, ...plain } = options;
  void _logger;
  const fromSource = import.meta.url.endsWith('.ts');
  const workerUrl = new URL(fromSource ? './render-worker.ts' : './render-worker.js', import.meta.url);
  // Run from TypeScript sources (tests, tsx), the worker must register tsx itself: Node 20 does not hand module
  // hooks to worker threads.
  const spawn = (input: WorkerInput) =>
    fromSource
      ? new Worker(`import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => { m.register(); return import(${JSON.stringify(workerUrl.href)}); })`, { eval: true, workerData: input })
      : new Worker(workerUrl, { workerData: input });
  const workers = shares.slice(1).map((share) => {
    const worker = spawn({ project, envs: share.map((e) => e.name), out, options: plain, cache });
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
    return { worker, next, rendered: next() };
  });
  let mine: RenderedEnvironment[];
  try {
    mine = renderShare(project, shares[0], options);
    for (const w of workers) {
      const m = await w.rendered;
      if (m.state === 'failed') throw new WorkerError(m.error, m.exitCode);
    }
  } catch (e) {
    for (const w of workers) w.worker.postMessage('abort');
    await Promise.allSettled(workers.map((w) => w.rendered));
    throw e;
  }
  const written = workers.map((w) => {
    const done = w.next();
    w.worker.postMessage('write');
    return done;
  });
  const all = [await writeShare(project, mine, out, options, cache)];
  for (const p of written) {
    const m = await p;
    if (m.state === 'failed') throw new WorkerError(m.error, m.exitCode);
    if (m.state === 'written') all.push(m.results);
  }
  // Report in the order the environments were asked for.
  const byEnv = new Map(all.flat().map((r) => [r.env, r]));
  return envs.map((e) => byEnv.get(e.name)!);
}

/** An error from a worker, already formatted; keeps the worker's exit code. */
export class WorkerError extends KforgeError {
  constructor(formatted: string, readonly exitCode: number) {
    super(formatted);
  }
}

export function describeWorkerFailure(e: unknown): WorkerMessage {
  if (isKforgeError(e)) return { state: 'failed', error: e.format(), exitCode: e.exitCode };
  return { state: 'failed', error: `internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`, exitCode: 70 };
}
