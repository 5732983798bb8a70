// Everything a route may use, built once per app: repositories (the only SQL), the ingest and
// re-identification services, metrics, the clock. Routes reach it as `app.services`.
import type { Clock } from '../core/clock.js';
import type { GeoLookup } from '../core/geo/contracts.js';
import type { Identifier } from '../core/identify/contracts.js';
import type { Principal } from './auth/tokens.js';
import type { Db } from './db/database.js';
import { FindingEvaluator } from './findings/evaluator.js';
import { PolicyService } from './findings/policy-service.js';
import { EvaluationRunner } from './findings/runner.js';
import { Triage } from './findings/triage.js';
import { IngestQueue } from './ingest/ingest-queue.js';
import { IngestService } from './ingest/ingest-service.js';
import { Reidentifier } from './ingest/reidentify.js';
import type { EventLog } from './logger.js';
import type { Metrics } from './metrics.js';
import { type RateLimitOptions, TokenBuckets } from './rate-limit.js';
import { gatherSummary } from './reports/gather.js';
import { ReportScheduler } from './reports/scheduler.js';
import type { CollectorKey } from './reports/signing-key.js';
import { ActivityRepo } from './repos/activity-repo.js';
import { ConnectionRepo } from './repos/connection-repo.js';
import { DeviceRepo } from './repos/device-repo.js';
import { FindingRepo } from './repos/finding-repo.js';
import { IngestRepo } from './repos/ingest-repo.js';
import { MetaRepo } from './repos/meta-repo.js';
import { PolicyRepo } from './repos/policy-repo.js';
import { RecordRepo } from './repos/record-repo.js';
import { ReportRepo } from './repos/report-repo.js';
import { TenancyRepo } from './repos/tenancy-repo.js';
import { TokenRepo } from './repos/token-repo.js';

export interface Limits {
  /** Largest ingest body, inflated, in bytes. */
  ingestBytes: number;
  /** Largest body of every other route, in bytes. */
  bodyBytes: number;
  /** Hours an enrollment token stays valid. */
  enrollmentHours: number;
  /** Largest operator policy file (YAML) an admin may upload, in bytes. */
  policyBytes: number;
  /** Longest waiver of a finding, in days: waivers are meant to be reviewed. */
  maxWaiverDays: number;
  /** Most uploaded batches written in one transaction (server/ingest/ingest-queue.ts). */
  ingestGroupBatches: number;
}

export const DEFAULT_LIMITS: Limits = {
  ingestBytes: 32 * 1024 * 1024,
  bodyBytes: 64 * 1024,
  enrollmentHours: 24,
  policyBytes: 256 * 1024,
  maxWaiverDays: 366,
  ingestGroupBatches: 8,
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
  /** Where uploads go: batches arriving together share one transaction. */
  ingestQueue: IngestQueue;
  reidentifier: Reidentifier;
  meta: MetaRepo;
  metrics: Metrics;
  uploads: TokenBuckets;
  limits: Limits;
  now: () => Date;
  policies: PolicyService;
  findings: FindingRepo;
  records: RecordRepo;
  evaluator: FindingEvaluator;
  evaluations: EvaluationRunner;
  triage: Triage;
  activity: ActivityRepo;
  reports: ReportRepo;
  scheduler: ReportScheduler;
  /** The report-signing key; null when the collector has no data directory (no reports). */
  signingKey: CollectorKey | null;
}

/**
 * Records that an agent was heard from (heartbeat or upload), for the coverage in its operator's
 * summaries. Contacts closer together than three heartbeat intervals (at least 3 minutes) are one
 * stretch of activity; a longer gap is a silence.
 */
export function heardFrom(tenancy: TenancyRepo, activity: ActivityRepo, agentId: number, now: Date): void {
  const beat = tenancy.agent(agentId)?.settings.heartbeatIntervalSeconds ?? 60;
  activity.record(agentId, now, Math.max(3 * beat, 180) * 1000);
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
  signingKey: CollectorKey | null;
  deliveryDir: string | null;
  log: EventLog;
}): Services {
  const { db, metrics, now, log } = deps;
  const ingestRepo = new IngestRepo(db);
  const meta = new MetaRepo(db);
  const tenancy = new TenancyRepo(db);
  const findings = new FindingRepo(db);
  const records = new RecordRepo(db);
  const activity = new ActivityRepo(db);
  const reports = new ReportRepo(db);
  const policies = new PolicyService(
    new PolicyRepo(db),
    tenancy,
    deps.signaturesVersion,
    deps.limits.policyBytes,
  );
  const evaluator = new FindingEvaluator(findings, records, policies, tenancy, metrics);
  const triage = new Triage(db, findings, metrics, { maxWaiverDays: deps.limits.maxWaiverDays });
  // Late-bound: the runner waits for re-identification, which is built after ingest.
  let reidentifier: Reidentifier | null = null;
  const evaluations = new EvaluationRunner({
    db,
    evaluator,
    policies,
    tenancy,
    records,
    meta,
    now,
    ready: () => reidentifier?.idle() ?? Promise.resolve(),
    log,
  });
  const ingest = new IngestService(db, ingestRepo, deps.identifier, deps.signaturesVersion, deps.geo, {
    devicesWritten(from, devices, at) {
      evaluator.devices(from, devices, at);
      const eff = policies.effective(from.operatorId);
      if (eff?.ok && eff.siteWide.rules.some((r) => r.enabled)) evaluations.requestSiteWide(from.operatorId);
    },
    failed(err, from) {
      // The batch is kept; its findings come with the operator's next full evaluation, queued now.
      log.error({ err, operatorId: from.operatorId, siteId: from.siteId }, 'evaluation on ingest failed');
      void evaluations.request([from.operatorId]);
    },
  });
  reidentifier = new Reidentifier(db, ingestRepo, meta, ingest);
  const clock: Clock = { now };
  const scheduler = new ReportScheduler({
    db,
    tenancy,
    reports,
    triage,
    metrics,
    gather: (operatorId, period) =>
      gatherSummary({ tenancy, policies, records, findings, activity }, operatorId, period),
    key: deps.signingKey,
    clock,
    deliveryDir: deps.deliveryDir,
    log,
  });
  return {
    db,
    routes: [],
    tenancy,
    tokens: new TokenRepo(db),
    devices: new DeviceRepo(db),
    connections: new ConnectionRepo(db),
    ingest,
    ingestQueue: new IngestQueue(db, ingest, {
      maxBatches: deps.limits.ingestGroupBatches,
      // In the batch's transaction: no commit (WAL write and fsync) of its own per upload.
      after: (from) => heardFrom(tenancy, activity, from.agentId, now()),
      committed: () => metrics.transactions.inc({}),
    }),
    reidentifier,
    meta,
    metrics,
    uploads: new TokenBuckets(deps.rateLimit),
    limits: deps.limits,
    now,
    policies,
    findings,
    records,
    evaluator,
    evaluations,
    triage,
    activity,
    reports,
    scheduler,
    signingKey: deps.signingKey,
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
