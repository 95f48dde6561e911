// The fuzz worker: runs a range of one target's cases and tells the parent which case it is on.
import { parentPort, workerData } from 'node:worker_threads';
import { runRange } from './runner.js';
import type { TargetName } from './targets.js';

const { name, seed, from, to } = workerData as { name: TargetName; seed: number; from: number; to: number };
// Announce every case: the parent's watchdog needs to know which input was running if this thread hangs.
const result = runRange(name, seed, from, to, (index) => parentPort!.postMessage({ type: 'start', index }));
parentPort!.postMessage({ type: 'done', result });
