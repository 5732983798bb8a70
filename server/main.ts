// Runs the collector: builds the app, bootstraps the admin token from the environment if given,
// listens, and shuts down gracefully on SIGINT/SIGTERM (in-flight requests finish, a running
// re-identification stops between chunks, the database closes cleanly).
import type { FastifyInstance } from 'fastify';
import { type AppOptions, buildApp } from './app.js';
import { looksLikeToken } from './auth/tokens.js';

export interface ServerOptions extends AppOptions {
  host: string;
  port: number;
  /** A bootstrap admin token (ORIGINMAP_ADMIN_TOKEN): stored hashed if not already known. */
  adminToken?: string;
  /** Install SIGINT/SIGTERM handlers (default true; tests drive close() themselves). */
  handleSignals?: boolean;
}

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  /** Resolves when the server has stopped and the database is closed. */
  closed: Promise<void>;
  stop(): Promise<void>;
}

export class BootstrapTokenError extends Error {
  override readonly name = 'BootstrapTokenError';
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  if (opts.adminToken !== undefined && !looksLikeToken(opts.adminToken)) {
    throw new BootstrapTokenError(
      'ORIGINMAP_ADMIN_TOKEN must be "om_" followed by 43 to 128 base64url characters (256 random bits); ' +
        'or run `originmap server --init` to have one made',
    );
  }
  const app = await buildApp(opts);
  if (opts.adminToken !== undefined && !app.services.tokens.exists(opts.adminToken)) {
    app.services.tokens.insertSecret(
      opts.adminToken,
      { role: 'admin', label: 'ORIGINMAP_ADMIN_TOKEN' },
      new Date().toISOString(),
    );
  }
  let stopping: Promise<void> | null = null;
  let resolveClosed: () => void = () => {};
  const closed = new Promise<void>((resolve) => {
    resolveClosed = resolve;
  });
  const stop = (): Promise<void> => {
    stopping ??= app.close().then(resolveClosed);
    return stopping;
  };
  const onSignal = (signal: NodeJS.Signals) => {
    app.log.info({ signal }, 'shutting down');
    void stop();
  };
  if (opts.handleSignals !== false) {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    void closed.then(() => {
      process.removeListener('SIGINT', onSignal);
      process.removeListener('SIGTERM', onSignal);
    });
  }
  try {
    const url = await app.listen({ host: opts.host, port: opts.port });
    return { app, url, closed, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
