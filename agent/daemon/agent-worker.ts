// The agent daemon's thread (see run-agent.ts): loads the config, starts the daemon, and talks to
// the main thread in a few messages — started, a startup failure for a person (one line), stopped.
import { parentPort, workerData } from 'node:worker_threads';
import { HttpClientError } from '../uplink/http-client.js';
import { AgentDaemon } from './agent-daemon.js';
import { EnrollmentMissingError } from './collector-link.js';
import { loadAgentConfig } from './config.js';
import { createAgentLogger } from './log.js';
import { agentScanRunner } from './scan-runner.js';
import { SourceStartError } from './sources.js';

export type WorkerMessage =
  | { kind: 'started' }
  | { kind: 'start-failed'; message: string; forPerson: boolean }
  | { kind: 'stopped' };

export interface WorkerInput {
  configFile: string;
  version: string;
  pretty: boolean;
}

/** Startup failures a person fixes (permission, enrollment, a file, a port): one line, exit 2. */
function forPerson(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return (
    err instanceof SourceStartError ||
    err instanceof EnrollmentMissingError ||
    err instanceof HttpClientError ||
    code === 'ENOENT' ||
    code === 'EACCES' ||
    code === 'EADDRINUSE' ||
    (err as Error).message?.startsWith('capture.filter') === true
  );
}

async function main(): Promise<void> {
  const port = parentPort!;
  const input = workerData as WorkerInput;
  const post = (m: WorkerMessage) => port.postMessage(m);
  const config = loadAgentConfig(input.configFile);
  const log = createAgentLogger(config.log.level, { pretty: input.pretty });
  const daemon = new AgentDaemon({ config, log, version: input.version, scanRunner: agentScanRunner(log) });
  try {
    await daemon.start();
  } catch (err) {
    // Whatever started (capture children, timers) stops, so the thread can end.
    await daemon.stop().catch(() => undefined);
    const code = (err as NodeJS.ErrnoException).code;
    const message =
      code === 'EADDRINUSE' ? `metrics: cannot listen: ${(err as Error).message}` : (err as Error).message;
    post({ kind: 'start-failed', message, forPerson: forPerson(err) });
    return;
  }
  post({ kind: 'started' });
  let stopping = false;
  port.on('message', (m: unknown) => {
    // A second SIGTERM/SIGINT while stopping changes nothing: the daemon is already draining.
    if (m !== 'stop' || stopping) return;
    stopping = true;
    daemon
      .stop()
      .catch((err: Error) => log.error({ err: err.message }, 'error while stopping'))
      .finally(() => {
        post({ kind: 'stopped' });
        port.close();
      });
  });
}

void main();
