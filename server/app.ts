// Builds the collector's Fastify app (DESIGN.md §5); tests drive it with inject(), server/main.ts
// listens. Order: third-party plugins → our hooks (request ids, auth, body decoding, metrics) →
// routes. The Identifier (and optionally a GeoLookup) is injected: the app decides identity with
// whatever engine it is given and re-identifies stored evidence when its signatures change.
import { randomUUID } from 'node:crypto';
import { dirname } from 'node:path';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { TypeBoxValidatorCompiler } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { GeoLookup } from '../core/geo/contracts.js';
import type { Identifier } from '../core/identify/contracts.js';
import { checkRoute, installAuth } from './auth/guard.js';
import { closeDatabase, type Db, databaseBytes, openDatabase } from './db/database.js';
import { attachSearch, searchLag } from './db/search-store.js';
import { decodeBody } from './http/body.js';
import { installErrorHandling, sendError } from './http/error-handler.js';
import { Metrics } from './metrics.js';
import type { RateLimitOptions } from './rate-limit.js';
import { loadOrCreateSigningKey } from './reports/signing-key.js';
import { registerRoutes } from './routes/index.js';
import { buildServices, DEFAULT_LIMITS, DEFAULT_RATE_LIMIT, type Limits } from './services.js';

export interface AppOptions {
  /** A database file path (opened and migrated here, closed with the app) or an open database. */
  db: string | Db;
  identifier: Identifier;
  /** Version or hash of the signatures the identifier was built from: a change re-identifies. */
  signaturesVersion: string;
  geo?: GeoLookup;
  /** The database's automatic checkpoint, WAL pages (server/db/database.ts DbOptions). */
  autocheckpointPages?: number;
  /** A pino logger; false (default) for none. */
  logger?: Logger | false;
  limits?: Partial<Limits>;
  rateLimit?: RateLimitOptions;
  /** Re-identify stored devices at start when the signatures changed (default true). */
  reidentifyOnStart?: boolean;
  now?: () => Date;
  /**
   * Where the report-signing key is kept (made there at first start, mode 0600); default: the
   * database file's directory. Without one (an open database, ':memory:'), no reports are made.
   */
  dataDir?: string;
  /** Where each produced report is also written, for transfer (default: none). */
  deliveryDir?: string;
  /** How often the scheduler ticks, in ms (default 60 000; 0: only when tick() is called). */
  schedulerIntervalMs?: number;
  /** Evaluate findings of operators whose policy or signatures changed, at start (default true). */
  evaluateOnStart?: boolean;
}

// Incoming request ids are kept when they are short and plain, so agents can correlate logs.
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  // The key first: a key others can read stops the start before the database is opened.
  const dataDir =
    opts.dataDir ?? (typeof opts.db === 'string' && opts.db !== ':memory:' ? dirname(opts.db) : null);
  const signingKey = dataDir === null ? null : loadOrCreateSigningKey(dataDir).key;
  const ownDb = typeof opts.db === 'string';
  const db =
    typeof opts.db === 'string'
      ? openDatabase({ file: opts.db, autocheckpointPages: opts.autocheckpointPages })
      : opts.db;
  // Before the repositories prepare their statements: some read the search index's state.
  const searchDiscarded = attachSearch(db);
  const limits: Limits = { ...DEFAULT_LIMITS, ...opts.limits };
  const app = Fastify({
    ...(opts.logger ? { loggerInstance: opts.logger as FastifyBaseLogger } : { logger: false }),
    bodyLimit: limits.bodyBytes,
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
    },
    requestIdHeader: false,
    onProtoPoisoning: 'error',
    onConstructorPoisoning: 'error',
    // Requests already read when close() starts are served (the database closes after them);
    // Fastify's 503 body would not carry a registered code.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    routerOptions: { maxParamLength: 100 },
    // A bad percent-encoding or an over-long path parameter is refused by the router before any
    // route: without this, Fastify answers with its own body (no registered code, the URL echoed).
    frameworkErrors: (err, request, reply) => sendError(reply, request, err),
  });
  // TypeBox checks bodies as sent (no coercion); query strings and params are converted first.
  app.setValidatorCompiler(TypeBoxValidatorCompiler);

  const metrics = new Metrics();
  const services = buildServices({
    db,
    identifier: opts.identifier,
    signaturesVersion: opts.signaturesVersion,
    geo: opts.geo,
    metrics,
    limits,
    rateLimit: opts.rateLimit ?? DEFAULT_RATE_LIMIT,
    now: opts.now ?? (() => new Date()),
    signingKey,
    deliveryDir: opts.deliveryDir ?? null,
    log: app.log,
  });
  app.decorate('services', services);
  if (searchDiscarded !== null)
    app.log.warn(
      { reason: searchDiscarded },
      'the search index was discarded; it is rebuilt from the devices',
    );
  metrics.gauge('originmap_db_bytes', 'Size of the SQLite database file in bytes', () => databaseBytes(db));
  metrics.gauge(
    'originmap_search_index_lag',
    'Devices and search-text changes the text-search index has not taken in yet (searched by scan meanwhile)',
    () => {
      const lag = searchLag(db);
      return lag.devices + lag.changes;
    },
  );

  app.addHook('onRoute', (route) => {
    checkRoute(route);
    const auth = (route.config as { auth?: readonly string[] | 'public' } | undefined)?.auth ?? [];
    for (const method of [route.method].flat()) services.routes.push({ method, url: route.url, auth });
  });
  installErrorHandling(app);
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });
  installAuth(app);
  app.addHook('preParsing', async (request, _reply, payload) => decodeBody(request, payload));
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', String(request.id));
    // While closing, ask keep-alive clients to hang up so close() need not wait for their timeout.
    if (closing) reply.header('connection', 'close');
  });
  app.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.requests.inc({ method: request.method, route, status: String(reply.statusCode) });
    metrics.latency.observe({ route }, reply.elapsedTime / 1000);
  });

  await app.register(swagger, {
    openapi: {
      info: { title: 'originmap collector', version: '1' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(registerRoutes);

  app.addHook('onReady', async () => {
    if (opts.reidentifyOnStart !== false) {
      if (services.reidentifier.needed()) void services.reidentifier.start();
      else services.meta.set('identity.signatures', opts.signaturesVersion);
    }
    // Findings decided with another policy or other signatures: evaluated again once identities are.
    if (opts.evaluateOnStart !== false) void services.evaluations.request(services.evaluations.stale());
    services.scheduler.start(opts.schedulerIntervalMs ?? 60_000);
  });
  app.addHook('onClose', async () => {
    await services.ingestQueue.idle();
    await services.scheduler.stop();
    await services.evaluations.stop();
    await services.reidentifier.stop();
    if (ownDb) closeDatabase(db);
  });
  return app;
}
