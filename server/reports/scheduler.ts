// The collector's scheduler: on each tick (every minute by default; tests call tick() with a
// controllable clock), waivers that ended reopen their findings, every operator's due reports are
// produced, signed with the collector's key and stored, and stored reports not yet written to the
// delivery directory are written there. One operator's failure is logged and the others go on.
import type { Clock } from '../../core/clock.js';
import type { Lang } from '../../core/report/labels.js';
import { produceDue } from '../../core/report/produce.js';
import { DEFAULT_SCHEDULE, type Period, type ReportSchedule } from '../../core/report/schedule.js';
import type { Db } from '../db/database.js';
import type { Triage } from '../findings/triage.js';
import type { EventLog } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { ReportRepo, ScheduleRow } from '../repos/report-repo.js';
import type { TenancyRepo } from '../repos/tenancy-repo.js';
import { deliverReport } from './delivery.js';
import type { Gathered } from './gather.js';
import { sha256Hex, summaryOf } from './render.js';
import type { CollectorKey } from './signing-key.js';

export const DEFAULT_LANG: Lang = 'en';

export interface SchedulerDeps {
  db: Db;
  tenancy: TenancyRepo;
  reports: ReportRepo;
  triage: Triage;
  metrics: Metrics;
  gather: (operatorId: number, period: Period) => Gathered;
  /** The signing key; null: no data directory, so no reports. */
  key: CollectorKey | null;
  clock: Clock;
  /** Where produced reports are written for transfer (none: kept in the database only). */
  deliveryDir: string | null;
  log: EventLog;
}

export interface TickResult {
  waiversExpired: number;
  produced: { operatorId: number; reportId: number; label: string }[];
  delivered: string[];
  failed: { operatorId: number; error: string }[];
}

export function scheduleOf(row: ScheduleRow | undefined): ReportSchedule & { lang: Lang } {
  return row
    ? { cron: row.cron, timeZone: row.timeZone, lang: row.lang }
    : { ...DEFAULT_SCHEDULE, lang: DEFAULT_LANG };
}

export class ReportScheduler {
  readonly #d: SchedulerDeps;
  #timer: NodeJS.Timeout | null = null;
  #ticking: Promise<TickResult> | null = null;

  constructor(deps: SchedulerDeps) {
    this.#d = deps;
  }

  /** Ticks every `intervalMs` until stop(); the timer never keeps the process alive. */
  start(intervalMs: number): void {
    if (this.#timer || intervalMs <= 0) return;
    this.#timer = setInterval(() => void this.tick(), intervalMs);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#ticking;
  }

  /** One round; concurrent calls share the running one. */
  tick(): Promise<TickResult> {
    this.#ticking ??= this.#tick().finally(() => {
      this.#ticking = null;
    });
    return this.#ticking;
  }

  async #tick(): Promise<TickResult> {
    const d = this.#d;
    const result: TickResult = { waiversExpired: 0, produced: [], delivered: [], failed: [] };
    result.waiversExpired = d.triage.expireDue(d.clock.now());
    if (!d.key) return result;
    for (const op of d.tenancy.operators()) {
      try {
        for (const r of this.#produce(op.id, op.createdAt, d.key))
          result.produced.push({ operatorId: op.id, ...r });
      } catch (err) {
        d.metrics.reports.inc({ result: 'failed' });
        d.log.error({ err, operatorId: op.id }, 'report production failed');
        result.failed.push({ operatorId: op.id, error: (err as Error).message });
      }
      // A month of a large operator takes a while to build: let requests in between operators.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (d.deliveryDir) result.delivered = this.#deliver(d.deliveryDir, d.key);
    return result;
  }

  /** Produces and stores the operator's due reports, oldest first. */
  #produce(operatorId: number, createdAt: string, key: CollectorKey): { reportId: number; label: string }[] {
    const d = this.#d;
    const schedule = scheduleOf(d.reports.schedule(operatorId));
    const latest = d.reports.latest(operatorId);
    // Never reported: the first period runs from the operator's creation to the schedule's next firing.
    const last = latest
      ? { end: new Date(latest.periodEnd), summary: summaryOf(latest.document) }
      : { end: new Date(createdAt), summary: null };
    const produced = produceDue(schedule, last, d.clock, (p) => d.gather(operatorId, p), key.privateKey, {
      lang: schedule.lang,
    });
    const out: { reportId: number; label: string }[] = [];
    d.db.transaction(() => {
      for (const r of produced) {
        const reportId = d.reports.insert({
          operatorId,
          periodStart: r.summary.period.start,
          periodEnd: r.summary.period.end,
          label: r.summary.period.label,
          timeZone: r.summary.period.timeZone,
          generatedAt: r.summary.generatedAt,
          keyId: r.keyId,
          sha256: sha256Hex(r.json),
          document: r.json,
        });
        out.push({ reportId, label: r.summary.period.label });
      }
    })();
    if (out.length) d.metrics.reports.inc({ result: 'produced' }, out.length);
    for (const r of out) d.log.info({ operatorId, reportId: r.reportId, period: r.label }, 'report produced');
    return out;
  }

  #deliver(dir: string, key: CollectorKey): string[] {
    const d = this.#d;
    const out: string[] = [];
    for (const meta of d.reports.undelivered()) {
      try {
        const document = d.reports.document(meta.id)!;
        const lang = scheduleOf(d.reports.schedule(meta.operatorId)).lang;
        const path = deliverReport(dir, document, meta.keyId || key.keyId, lang);
        d.reports.markDelivered(meta.id, d.clock.now().toISOString());
        if (path) out.push(path);
        d.metrics.reports.inc({ result: 'delivered' });
      } catch (err) {
        // Left undelivered: the next tick tries again (a full disk, a missing mount).
        d.metrics.reports.inc({ result: 'delivery-failed' });
        d.log.error({ err, reportId: meta.id, dir }, 'report delivery failed');
        break;
      }
    }
    return out;
  }
}
