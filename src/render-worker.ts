// A worker thread of `render --out`: renders its share of environments, then writes them when the main thread
// says every share rendered (see render-to-folders.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { selectEnvironments } from './project/config.js';
import { describeWorkerFailure, renderShare, writeShare, type WorkerInput, type WorkerMessage } from './render-to-folders.js';

const input = workerData as WorkerInput;
const port = parentPort!;
const send = (m: WorkerMessage) => port.postMessage(m);
try {
  const rendered = renderShare(input.project, selectEnvironments(input.project, input.envs), input.options);
  send({ state: 'rendered' });
  const go = await new Promise<string>((resolve) => port.once('message', resolve));
  if (go === 'write') send({ state: 'written', results: await writeShare(input.project, rendered, input.out, input.options, input.cache) });
} catch (e) {
  send(describeWorkerFailure(e));
}
port.close();
