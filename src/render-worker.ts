// A worker thread of a many-environment render: takes environments from the shared queue (see
// render-to-folders.ts), then moves its folders into place or removes them, as the main thread decides.
import { parentPort, workerData } from 'node:worker_threads';
import { selectEnvironments } from './project/config.js';
import { describeFailure, Share, ShareFailure, type WorkerInput, type WorkerMessage } from './render-to-folders.js';

const input = workerData as WorkerInput;
const port = parentPort!;
const send = (m: WorkerMessage) => port.postMessage(m);
let share: Share | undefined;
try {
  share = new Share(input.project, selectEnvironments(input.project, input.envs), input.options, input.destination, input.queue);
  share.run();
  send({ state: 'rendered', outcomes: share.outcomes });
} catch (e) {
  const failed = e instanceof ShareFailure ? e : new ShareFailure(Number.MAX_SAFE_INTEGER, e);
  send({ state: 'failed', index: failed.index, ...describeFailure(failed.failure), outcomes: share?.outcomes ?? [] });
}
port.once('message', (verdict: string) => {
  try {
    if (verdict === 'commit') share?.commit();
    else share?.abort();
    send({ state: 'finished' });
  } catch (e) {
    send({ state: 'finished', ...describeFailure(e) });
  }
  port.close();
});
