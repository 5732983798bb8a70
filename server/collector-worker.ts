// The collector's thread (see run-collector.ts): loads the identification engine, starts the
// server, and talks to the main thread in a few messages — started, a startup failure, stopped.
import { parentPort, workerData } from 'node:worker_threads';
import type { Identifier } from '../core/identify/contracts.js';
import { createLogger } from './logger.js';
import { type RunningServer, startServer } from './main.js';
import type { RateLimitOptions } from './rate-limit.js';

/** What the main thread gives the collector's thread (structured-cloned: plain data only). */
export interface CollectorInput {
  db: string;
  host: string;
  port: number;
  level: string;
  /** Decided on the main thread: a worker's stdout is never a terminal. */
  pretty: boolean;
  adminToken?: string;
  deliveryDir?: string;
  rateLimit?: RateLimitOptions;
  /** The writer's automatic checkpoint, WAL pages (large when the main thread checkpoints). */
  autocheckpointPages?: number;
  /**
   * URL of a module exporting `loadIdentifier()` (default: the shipped engine, identifier.ts);
   * the benchmark gives its own, since an engine cannot cross threads.
   */
  identifierModule?: string;
}

/** A startup failure as plain data: run-collector.ts turns it into the same CliError as before. */
export interface StartFailure {
  name: string;
  message: string;
  code?: string;
  stack?: string;
}

export type CollectorMessage =
  | { kind: 'started'; url: string }
  | { kind: 'start-failed'; error: StartFailure }
  | { kind: 'stopped' };

interface IdentifierModule {
  loadIdentifier(): Promise<{ identifier: Identifier; signaturesVersion: string }>;
}

async function main(): Promise<void> {
  const port = parentPort!;
  const input = workerData as CollectorInput;
  const post = (m: CollectorMessage) => port.postMessage(m);
  let server: RunningServer;
  try {
    const mod = (await import(
      input.identifierModule ?? new URL('./identifier.js', import.meta.url).href
    )) as IdentifierModule;
    const { identifier, signaturesVersion } = await mod.loadIdentifier();
    server = await startServer({
      db: input.db,
      identifier,
      signaturesVersion,
      host: input.host,
      port: input.port,
      logger: createLogger({ level: input.level, pretty: input.pretty }),
      adminToken: input.adminToken,
      deliveryDir: input.deliveryDir,
      rateLimit: input.rateLimit,
      autocheckpointPages: input.autocheckpointPages,
      // Signals reach only the main thread, which forwards them as 'stop'.
      handleSignals: false,
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    post({
      kind: 'start-failed',
      error: {
        name: e.name,
        message: e.message,
        code: typeof e.code === 'string' ? e.code : undefined,
        stack: e.stack,
      },
    });
    return;
  }
  server.app.log.info({ url: server.url, db: input.db }, 'collector listening');
  post({ kind: 'started', url: server.url });
  // The main thread forwards SIGINT/SIGTERM by name (signals reach only it).
  port.on('message', (signal: unknown) => {
    server.app.log.info({ signal }, 'shutting down');
    // stop() is idempotent: a second signal while draining changes nothing.
    void server.stop();
  });
  // Whatever ended the server, the database is closed when this resolves.
  await server.closed;
  post({ kind: 'stopped' });
  port.close();
}

void main();
