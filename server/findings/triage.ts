// People's actions on findings (acknowledge, resolve, reopen, waive with reason, approver and
// expiry) through the core lifecycle, recorded with who and when; and the sweep that reopens
// findings whose waiver has expired (by the system, at the expiry's first check).
import {
  type Action,
  applyAction,
  expireWaivers,
  LifecycleError,
  nextStatus,
} from '../../core/policy/lifecycle.js';
import type { Db } from '../db/database.js';
import { ApiError } from '../errors.js';
import type { Metrics } from '../metrics.js';
import type { Actor, FindingRepo } from '../repos/finding-repo.js';
import type { Scope } from '../repos/scope.js';
import type { TriageBody } from '../schemas/findings.js';

export interface TriageOptions {
  /** Longest waiver in days. */
  maxWaiverDays: number;
}

export class Triage {
  readonly #db: Db;
  readonly #findings: FindingRepo;
  readonly #metrics: Metrics;
  readonly #options: TriageOptions;

  constructor(db: Db, findings: FindingRepo, metrics: Metrics, options: TriageOptions) {
    this.#db = db;
    this.#findings = findings;
    this.#metrics = metrics;
    this.#options = options;
  }

  /** Applies one action to a finding in scope; returns its row id. Throws coded ApiErrors. */
  apply(scope: Scope, id: number, body: TriageBody, actor: Actor, now: Date): number {
    const action = actionOf(body, actor.name);
    return this.#db.transaction(() => {
      const stored = this.#findings.get(scope, id);
      if (!stored) throw new ApiError('OM_ERR_FINDING_NOT_FOUND');
      // An expired waiver reopens first, so the action applies to what the finding really is now.
      const [current] = expireWaivers([stored.tracked], now);
      if (nextStatus(current!.status, action.type) === null)
        throw new ApiError('OM_ERR_FINDING_TRANSITION', [
          `cannot ${action.type} a finding that is ${current!.status}`,
        ]);
      let changed: ReturnType<typeof applyAction>;
      try {
        changed = applyAction(current!, action, now, { maxWaiverDays: this.#options.maxWaiverDays });
      } catch (err) {
        if (err instanceof LifecycleError) throw new ApiError('OM_ERR_FINDING_INVALID', [err.message]);
        throw err;
      }
      this.#findings.save(
        { operatorId: scope.operatorId, siteId: stored.siteId, deviceId: stored.deviceId },
        changed,
        stored,
        actor,
      );
      this.#metrics.findings.inc({ change: action.type });
      return stored.rowId;
    })();
  }

  /** Reopens every finding whose waiver ended at or before `now`; returns how many. */
  expireDue(now: Date): number {
    let total = 0;
    for (;;) {
      const n = this.#db.transaction(() => {
        const due = this.#findings.dueWaivers(now.toISOString(), 500);
        const reopened = expireWaivers(
          due.map((d) => d.tracked),
          now,
        );
        for (const [i, d] of due.entries())
          this.#findings.save({ operatorId: 0, siteId: d.siteId, deviceId: d.deviceId }, reopened[i]!, d);
        return due.length;
      })();
      total += n;
      if (n < 500) break;
    }
    if (total) this.#metrics.findings.inc({ change: 'waiver-expired' }, total);
    return total;
  }
}

/** The body as a lifecycle action; terms that belong to another action are refused, all listed. */
function actionOf(body: TriageBody, by: string): Action {
  const problems: string[] = [];
  if (body.action === 'waive') {
    for (const k of ['reason', 'approver', 'until'] as const)
      if (body[k] === undefined)
        problems.push(`/${k}: a waiver needs a ${k === 'until' ? 'expiry (until)' : k}`);
    if (body.note !== undefined) problems.push('/note: a waiver takes its reason, not a note');
  } else {
    for (const k of ['reason', 'approver', 'until'] as const)
      if (body[k] !== undefined) problems.push(`/${k}: only waive takes ${k}`);
  }
  if (problems.length) throw new ApiError('OM_ERR_FINDING_INVALID', problems);
  if (body.action === 'waive')
    return { type: 'waive', by, reason: body.reason!, approver: body.approver!, until: body.until! };
  return { type: body.action, by, note: body.note };
}
