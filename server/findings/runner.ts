// Full evaluations in the background: when an operator's policy changes, when the signatures (and so
// the identities) changed since its findings were evaluated, and on an admin's request. Walks each
// site's devices in id order, in short transactions with a pause between them so the collector
// keeps answering (as re-identification does), then the site-wide rules; remembers the policy
// fingerprint evaluated, so a restart resumes only what is stale.
import type { Db } from '../db/database.js';
import type { EventLog } from '../logger.js';
import type { MetaRepo } from '../repos/meta-repo.js';
import type { RecordRepo } from '../repos/record-repo.js';
import type { TenancyRepo } from '../repos/tenancy-repo.js';
import type { FindingEvaluator, Outcome } from './evaluator.js';
import type { PolicyService } from './policy-service.js';

export interface EvaluationStatus {
  running: boolean;
  /** Operators still waiting for a full evaluation. */
  pending: number[];
  devices: number;
  opened: number;
  reopened: number;
  resolved: number;
  startedAt: string | null;
  finishedAt: string | null;
}

const META = (operatorId: number) => `findings.evaluated.${operatorId}`;
/** Site-wide rules after ingest run at most this often per operator (ms). */
const SITE_WIDE_EVERY = 60_000;

export interface RunnerDeps {
  db: Db;
  evaluator: FindingEvaluator;
  policies: PolicyService;
  tenancy: TenancyRepo;
  records: RecordRepo;
  meta: MetaRepo;
  now: () => Date;
  /** Resolves when nothing else must finish first (a running re-identification). */
  ready: () => Promise<void>;
  log: EventLog;
  chunk?: number;
}

export class EvaluationRunner {
  readonly #d: RunnerDeps;
  readonly #chunk: number;
  readonly #pending = new Set<number>();
  readonly #siteWide = new Map<number, NodeJS.Timeout | null>();
  readonly #siteWideAt = new Map<number, number>();
  #run: Promise<void> | null = null;
  #stopping = false;
  #status: EvaluationStatus = {
    running: false,
    pending: [],
    devices: 0,
    opened: 0,
    reopened: 0,
    resolved: 0,
    startedAt: null,
    finishedAt: null,
  };

  constructor(deps: RunnerDeps) {
    this.#d = deps;
    this.#chunk = deps.chunk ?? 500;
  }

  /** Operators whose findings were evaluated with another policy, or other signatures, than now. */
  stale(): number[] {
    return this.#d.tenancy
      .operators()
      .map((o) => o.id)
      .filter((id) => this.#d.meta.get(META(id)) !== this.#d.policies.effective(id)?.fingerprint);
  }

  /** Queues full evaluations; resolves when the queue has drained (or the runner was stopped). */
  request(operatorIds: readonly number[]): Promise<void> {
    for (const id of operatorIds) this.#pending.add(id);
    this.#status.pending = [...this.#pending];
    if (!this.#run && this.#pending.size) {
      this.#run = this.#loop().finally(() => {
        this.#run = null;
      });
    }
    return this.#run ?? Promise.resolve();
  }

  /** After ingest: the site-wide rules of an operator, soon but at most once a minute. */
  requestSiteWide(operatorId: number): void {
    if (this.#siteWide.has(operatorId) || this.#stopping) return;
    const wait = Math.max(0, (this.#siteWideAt.get(operatorId) ?? 0) + SITE_WIDE_EVERY - Date.now());
    const timer = setTimeout(() => {
      this.#siteWide.delete(operatorId);
      this.#siteWideAt.set(operatorId, Date.now());
      for (const s of this.#d.tenancy.sites(operatorId)) {
        try {
          this.#d.db.transaction(() =>
            this.#d.evaluator.siteWide({ operatorId, siteId: s.id }, this.#d.now()),
          )();
        } catch (err) {
          // A timer has no caller to report to: logged, and the next full pass covers it.
          this.#d.log.error({ err, operatorId, siteId: s.id }, 'site-wide evaluation failed');
        }
      }
    }, wait);
    timer.unref();
    this.#siteWide.set(operatorId, timer);
  }

  status(): EvaluationStatus {
    return { ...this.#status, pending: [...this.#pending] };
  }

  /** Resolves when no evaluation is running. */
  idle(): Promise<void> {
    return this.#run ?? Promise.resolve();
  }

  /** Stops after the current chunk (shutdown); what is left is stale and resumes at the next start. */
  async stop(): Promise<void> {
    this.#stopping = true;
    for (const t of this.#siteWide.values()) if (t) clearTimeout(t);
    this.#siteWide.clear();
    await this.#run;
  }

  async #loop(): Promise<void> {
    await this.#d.ready();
    Object.assign(this.#status, {
      running: true,
      devices: 0,
      opened: 0,
      reopened: 0,
      resolved: 0,
      startedAt: this.#d.now().toISOString(),
      finishedAt: null,
    });
    while (this.#pending.size && !this.#stopping) {
      const operatorId = this.#pending.values().next().value as number;
      this.#pending.delete(operatorId);
      this.#status.pending = [...this.#pending];
      try {
        await this.#operator(operatorId);
      } catch (err) {
        // One operator's failure (a bug, a damaged row) must not stop the others: logged, left stale.
        this.#d.log.error({ err, operatorId }, 'full evaluation failed');
      }
    }
    this.#status.running = false;
    this.#status.finishedAt = this.#d.now().toISOString();
  }

  async #operator(operatorId: number): Promise<void> {
    const eff = this.#d.policies.effective(operatorId);
    if (!eff) return;
    if (!eff.ok) {
      this.#d.log.warn(
        { operatorId, problems: eff.problems.slice(0, 5) },
        'stored policy does not load; findings wait',
      );
      this.#d.meta.set(META(operatorId), eff.fingerprint);
      return;
    }
    const add = (o: Outcome) => {
      this.#status.devices += o.evaluated;
      this.#status.opened += o.opened;
      this.#status.reopened += o.reopened;
      this.#status.resolved += o.resolved;
    };
    for (const site of this.#d.tenancy.sites(operatorId)) {
      const ref = { operatorId, siteId: site.id };
      this.#d.evaluator.resetSegments(site.id);
      let after = 0;
      const step = this.#d.db.transaction((from: number) => {
        const chunk = this.#d.records.siteDevices(site.id, from, this.#chunk);
        const devices = chunk.map((d) => ({ deviceId: d.deviceId, record: d.record, isNew: false }));
        add(this.#d.evaluator.devices(ref, devices, this.#d.now()));
        return chunk.at(-1)?.deviceId ?? null;
      });
      for (;;) {
        if (this.#stopping) return;
        const last = step(after);
        if (last === null) break;
        after = last;
        // Let requests in between chunks: a 1 M-device operator must not stall the API.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      this.#d.db.transaction(() => add(this.#d.evaluator.siteWide(ref, this.#d.now())))();
    }
    this.#d.meta.set(META(operatorId), eff.fingerprint);
  }
}
