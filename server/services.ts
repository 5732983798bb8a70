// Everything a route may use, built once per app: repositories (the only SQL), the ingest and
// re-identification services, metrics, the clock. Routes reach it as `app.services`.
import type { GeoLookup } from '../core/geo/contracts.js';
import type { Identifier } from '../core/identify/contracts.js';
import type { Principal } from './auth/tokens.js';
import type { Db } from './db/database.js';
import { IngestService } from './ingest/ingest-service.js';
import { Reidentifier } from './ingest/reidentify.js';
import type { Metrics } from './metrics.js';
import { type RateLimitOptions, TokenBuckets } from './rate-limit.js';
import { ConnectionRepo } from './repos/connection-repo.js';
import { DeviceRepo } from './repos/device-repo.js';
import { IngestRepo } from './repos/ingest-repo.js';
import { MetaRepo } from './repos/meta-repo.js';
import { TenancyRepo } from './repos/tenancy-repo.js';
import { TokenRepo } from './repos/token-repo.js';

export interface Limits {
  /** Largest ingest body, inflated, in bytes. */
  ingestBytes: number;
  /** Largest body of every other route, in bytes. */
  bodyBytes: number;
  /** Hours an enrollment token stays valid. */
  enrollmentHours: number;
}

export const DEFAULT_LIMITS: Limits = {
  ingestBytes: 32 * 1024 * 1024,
  bodyBytes: 64 * 1024,
  enrollmentHours: 24,
};
/** Per agent: a burst of 10 uploads, then 2 per second — far above a normal minute-by-minute upload. */
export const DEFAULT_RATE_LIMIT: RateLimitOptions = { burst: 10, perSecond: 2 };

export interface RouteInfo {
  method: string;
  url: string;
  auth: readonly string[] | 'public';
}

export interface Services {
  db: Db;
  /** Every registered route with its roles (the tenancy test enumerates them). */
  routes: RouteInfo[];
  tenancy: TenancyRepo;
  tokens: TokenRepo;
  devices: DeviceRepo;
  connections: ConnectionRepo;
  ingest: IngestService;
  reidentifier: Reidentifier;
  meta: MetaRepo;
  metrics: Metrics;
  uploads: TokenBuckets;
  limits: Limits;
  now: () => Date;
}

export function buildServices(deps: {
  db: Db;
  identifier: Identifier;
  signaturesVersion: string;
  geo: GeoLookup | undefined;
  metrics: Metrics;
  limits: Limits;
  rateLimit: RateLimitOptions;
  now: () => Date;
}): Services {
  const { db } = deps;
  const ingestRepo = new IngestRepo(db);
  const meta = new MetaRepo(db);
  const ingest = new IngestService(db, ingestRepo, deps.identifier, deps.signaturesVersion, deps.geo);
  return {
    db,
    routes: [],
    tenancy: new TenancyRepo(db),
    tokens: new TokenRepo(db),
    devices: new DeviceRepo(db),
    connections: new ConnectionRepo(db),
    ingest,
    reidentifier: new Reidentifier(db, ingestRepo, meta, ingest),
    meta,
    metrics: deps.metrics,
    uploads: new TokenBuckets(deps.rateLimit),
    limits: deps.limits,
    now: deps.now,
  };
}

declare module 'fastify' {
  interface FastifyInstance {
    services: Services;
  }
  interface FastifyRequest {
    /** The verified token's principal; null only on the public route (/healthz). */
    principal: Principal | null;
  }
  interface FastifyContextConfig {
    /** Roles allowed on this route, or 'public' (health only). A route without it fails at start. */
    auth?: readonly import('./auth/tokens.js').Role[] | 'public';
    /** 'agent': the per-agent upload bucket applies. */
    rateLimit?: 'agent';
  }
}
