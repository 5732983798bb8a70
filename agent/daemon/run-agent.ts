// Runs the daemon on a worker thread with a small young generation. Measured with
// `npm run bench:agent` at 100 k packets/s: V8's default young generation (16 MiB semi-spaces, grown
// under a steady allocation rate) held ~40 MB of RSS; 6 MiB gave the same CPU and kept the agent
// under its 150 MB budget. The main thread only forwards SIGTERM/SIGINT and reports how it ended;
// if the daemon's thread dies, the main thread kills the capture children it recorded.
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { CliError } from '../commands/cli-error.js';
import { killLeftovers } from '../live/child-registry.js';
import type { WorkerInput, WorkerMessage } from './agent-worker.js';

/** Young generation of the daemon's heap, MiB (semi-spaces of 2 MiB). */
export const YOUNG_GENERATION_MB = 6;

/** Resolves with the exit code once the daemon stopped; throws CliError for a startup failure. */
export async function runAgent(input: WorkerInput, stateDir: string, log: Logger): Promise<number> {
  const worker = new Worker(new URL('./agent-worker.js', import.meta.url), {
    workerData: input,
    resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
  });
  let started = false;
  let stopped = false;
  let failure: Error | null = null;
  const ended = new Promise<number>((resolve, reject) => {
    worker.on('message', (m: WorkerMessage) => {
      if (m.kind === 'started') started = true;
      else if (m.kind === 'stopped') stopped = true;
      else failure = m.forPerson ? new CliError(m.message) : new Error(m.message);
    });
    worker.on('error', (err) => {
      log.fatal({ err: err.stack ?? err.message }, 'the agent failed');
      failure ??= err;
    });
    // Every ending passes here (an uncaught error in the thread is followed by 'exit').
    worker.on('exit', (code) => {
      if (stopped) return resolve(0);
      if (started) {
        // Ended without being asked to: nothing of ours may outlive it.
        const pids = killLeftovers(stateDir);
        log.fatal({ code, killed: pids }, 'the agent stopped unexpectedly');
        return resolve(70);
      }
      if (failure) return reject(failure);
      resolve(code === 0 ? 2 : 70);
    });
  });
  const onSignal = (signal: NodeJS.Signals) => {
    log.info({ signal }, 'stopping');
    worker.postMessage('stop');
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    return await ended;
  } finally {
    process.removeListener('SIGTERM', onSignal);
    process.removeListener('SIGINT', onSignal);
  }
}
