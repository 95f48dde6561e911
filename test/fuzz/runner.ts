// Runs a fuzz target's cases in a worker thread with a watchdog, so a case that hangs (an alias bomb, a
// quadratic walk) is reported with the input that caused it instead of hanging the test run.
import { Worker } from 'node:worker_threads';
import { isKforgeError } from '../../src/errors.js';
import { TARGETS, type TargetName } from './targets.js';
import { ONLY_CASE, Rng, SCALE, SEED } from './support.js';

export interface CaseFailure {
  target: string;
  seed: number;
  index: number;
  problem: string;
  input: string;
}

export interface RunResult {
  ran: number;
  failures: CaseFailure[];
  slowest: { index: number; ms: number };
  /** Cases that ended in a kforge error (fine: bad input, clear answer) versus a result. */
  errors: number;
  /** Errors on several lines where that is a known, reported bug (FuzzTarget.multiLineErrorsKnown). */
  knownMultiLine: number;
}

/** A case slower than this is a finding even if it ends: kforge must answer any input quickly. */
export const SLOW_CASE_MS = 5_000;

/** Runs cases [from, to) of a target in this thread. `onStart` hears each case number before it runs. */
export function runRange(name: TargetName, seed: number, from: number, to: number, onStart: (i: number) => void = () => {}): RunResult {
  const target = TARGETS[name] as (typeof TARGETS)[TargetName] & { generate(r: Rng): unknown; check(i: unknown): void; show(i: unknown): string; multiLineErrorsKnown?: boolean };
  const result: RunResult = { ran: 0, failures: [], slowest: { index: -1, ms: 0 }, errors: 0, knownMultiLine: 0 };
  for (let i = from; i < to; i++) {
    onStart(i);
    const input = target.generate(Rng.forCase(seed, name, i));
    const started = performance.now();
    let problem: string | undefined;
    try {
      target.check(input);
    } catch (e) {
      if (isKforgeError(e)) {
        result.errors++;
        const line = e.format();
        if (!line.trim()) problem = 'the error says nothing';
        else if (/[\n\r]/.test(line)) {
          if (target.multiLineErrorsKnown) result.knownMultiLine++;
          else problem = `the error is not one line: ${JSON.stringify(line)}`;
        }
      } else {
        problem = e instanceof Error ? (e.stack ?? e.message) : String(e);
      }
    }
    const ms = performance.now() - started;
    if (!problem && ms > SLOW_CASE_MS) problem = `took ${Math.round(ms)} ms`;
    if (ms > result.slowest.ms) result.slowest = { index: i, ms: Math.round(ms) };
    if (problem) result.failures.push({ target: name, seed, index: i, problem, input: target.show(input).slice(0, 4000) });
    result.ran++;
  }
  return result;
}

type WorkerMessage = { type: 'start'; index: number } | { type: 'done'; result: RunResult };

/** Runs a target's cases (its count × FUZZ_SCALE, or just FUZZ_CASE) in a worker; a case silent longer than
 *  `hangMs` is a hang, reported with its input. */
export function fuzz(name: TargetName, opts: { cases?: number; hangMs?: number } = {}): Promise<RunResult> {
  const count = Math.max(1, Math.round((opts.cases ?? TARGETS[name].cases) * SCALE));
  const [from, to] = ONLY_CASE === undefined ? [0, count] : [ONLY_CASE, ONLY_CASE + 1];
  const hangMs = opts.hangMs ?? 30_000;
  const workerUrl = new URL('./worker.ts', import.meta.url);
  // Node 20 does not hand module hooks to worker threads: the worker registers tsx itself.
  const worker = new Worker(
    `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => { m.register(); return import(${JSON.stringify(workerUrl.href)}); })`,
    { eval: true, workerData: { name, seed: SEED, from, to } },
  );
  return new Promise((resolve, reject) => {
    let current = from;
    let timer: NodeJS.Timeout;
    const arm = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        void worker.terminate();
        const input = TARGETS[name].generate(Rng.forCase(SEED, name, current)) as never;
        resolve({
          ran: current - from,
          errors: 0,
          knownMultiLine: 0,
          slowest: { index: current, ms: hangMs },
          failures: [{ target: name, seed: SEED, index: current, problem: `no answer within ${hangMs} ms (a hang)`, input: (TARGETS[name].show as (i: never) => string)(input).slice(0, 4000) }],
        });
      }, hangMs);
    };
    arm();
    worker.on('message', (m: WorkerMessage) => {
      if (m.type === 'start') {
        current = m.index;
        arm();
      } else {
        clearTimeout(timer);
        void worker.terminate();
        resolve(m.result);
      }
    });
    worker.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
  });
}

/** The report of failures: each with the command that reproduces it. */
export function describeFailures(r: RunResult): string {
  return r.failures
    .map((f) => `FUZZ_SEED=${f.seed} FUZZ_CASE=${f.index} npx tsx test/fuzz/${f.target}.test.ts\n  ${f.problem.split('\n').slice(0, 6).join('\n  ')}\n  input: ${f.input}`)
    .join('\n\n');
}
