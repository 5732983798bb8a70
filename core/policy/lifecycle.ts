// The findings lifecycle as pure functions, so the collector only stores what they return:
// open → acknowledged → resolved, or waived with a reason, an approver and an expiry (an expired
// waiver reopens the finding). Every status change is recorded with who, when and why.
import type { Finding, FindingStatus } from '../inventory.js';

export const SYSTEM_ACTOR = 'system';

export interface StatusChange {
  at: string;
  by: string;
  from: FindingStatus | null;
  to: FindingStatus;
  note: string | null;
}

export interface Waiver {
  reason: string;
  approver: string;
  /** ISO instant after which the waiver no longer holds. */
  until: string;
  grantedBy: string;
  grantedAt: string;
}

export interface TrackedFinding extends Finding {
  history: StatusChange[];
  waiver: Waiver | null;
}

export type Action =
  | { type: 'acknowledge'; by: string; note?: string }
  | { type: 'resolve'; by: string; note?: string }
  | { type: 'reopen'; by: string; note?: string }
  | { type: 'waive'; by: string; reason: string; approver: string; until: string };

export interface LifecycleOptions {
  /** Longest waiver, in days (default 366): waivers are meant to be reviewed. */
  maxWaiverDays?: number;
}

export class LifecycleError extends Error {
  override readonly name = 'LifecycleError';
  readonly code = 'OM_ERR_FINDING_TRANSITION';
}

const NEXT: Record<FindingStatus, Record<Action['type'], FindingStatus | null>> = {
  open: { acknowledge: 'acknowledged', resolve: 'resolved', waive: 'waived', reopen: null },
  acknowledged: { acknowledge: null, resolve: 'resolved', waive: 'waived', reopen: 'open' },
  // Waiving a waived finding renews the waiver (recorded as a change like any other).
  waived: { acknowledge: null, resolve: 'resolved', waive: 'waived', reopen: 'open' },
  resolved: { acknowledge: null, resolve: null, waive: null, reopen: 'open' },
};

/** The status an action leads to from `status`, or null when the lifecycle does not allow it. */
export function nextStatus(status: FindingStatus, action: Action['type']): FindingStatus | null {
  return NEXT[status][action];
}

const MAX_TEXT = 1000;

function text(value: string | undefined, what: string, required: boolean): string | null {
  const t = value?.trim() ?? '';
  if (!t) {
    if (required) throw new LifecycleError(`${what} is required`);
    return null;
  }
  if (t.length > MAX_TEXT) throw new LifecycleError(`${what} is longer than ${MAX_TEXT} characters`);
  return t;
}

/** A new finding from evaluation becomes tracked: open, with its creation recorded. */
export function track(f: Finding, now: Date): TrackedFinding {
  return {
    ...f,
    status: 'open',
    history: [{ at: now.toISOString(), by: SYSTEM_ACTOR, from: null, to: 'open', note: 'rule matched' }],
    waiver: null,
  };
}

/** Applies a person's action; throws LifecycleError for a transition the lifecycle does not allow. */
export function applyAction(
  f: TrackedFinding,
  action: Action,
  now: Date,
  options: LifecycleOptions = {},
): TrackedFinding {
  const by = text(action.by, 'who (by)', true)!;
  const to = NEXT[f.status][action.type];
  if (to === null) throw new LifecycleError(`cannot ${action.type} a finding that is ${f.status}`);
  const at = now.toISOString();
  if (action.type === 'waive') {
    const reason = text(action.reason, 'waiver reason', true)!;
    const approver = text(action.approver, 'waiver approver', true)!;
    const until = Date.parse(action.until);
    if (!Number.isFinite(until)) throw new LifecycleError(`waiver expiry '${action.until}' is not a date`);
    if (until <= now.getTime())
      throw new LifecycleError(`waiver expiry ${action.until} is not in the future`);
    const maxDays = options.maxWaiverDays ?? 366;
    if (until - now.getTime() > maxDays * 86_400_000)
      throw new LifecycleError(`waiver longer than ${maxDays} days; waivers are meant to be reviewed`);
    const untilIso = new Date(until).toISOString();
    return {
      ...f,
      status: to,
      waiver: { reason, approver, until: untilIso, grantedBy: by, grantedAt: at },
      history: [
        ...f.history,
        { at, by, from: f.status, to, note: `waived until ${untilIso} (approver ${approver}): ${reason}` },
      ],
    };
  }
  const note = text(action.note, 'note', false);
  return {
    ...f,
    status: to,
    waiver: to === 'waived' ? f.waiver : null,
    history: [...f.history, { at, by, from: f.status, to, note }],
  };
}

/** Waivers whose expiry has passed reopen their findings (recorded as done by the system). */
export function expireWaivers(findings: readonly TrackedFinding[], now: Date): TrackedFinding[] {
  return findings.map((f) => {
    if (f.status !== 'waived' || !f.waiver || Date.parse(f.waiver.until) > now.getTime()) return f;
    return {
      ...f,
      status: 'open',
      waiver: null,
      history: [
        ...f.history,
        {
          at: now.toISOString(),
          by: SYSTEM_ACTOR,
          from: 'waived',
          to: 'open',
          note: `waiver expired ${f.waiver.until}`,
        },
      ],
    };
  });
}

export interface Reconciled {
  findings: TrackedFinding[];
  opened: string[];
  reopened: string[];
  resolved: string[];
}

/**
 * Merges a fresh evaluation into the tracked findings. Known findings keep their id, status and
 * history and take the new facts; a resolved finding whose subject is seen again after it was
 * resolved reopens. With `complete` (the evaluation covered the whole inventory, e.g. after a
 * policy change), findings that no longer match are resolved by the system. Expired waivers reopen.
 */
export function reconcile(
  existing: readonly TrackedFinding[],
  evaluated: readonly Finding[],
  now: Date,
  options: { complete: boolean },
): Reconciled {
  const at = now.toISOString();
  const fresh = new Map(evaluated.map((f) => [f.id, f]));
  const out: TrackedFinding[] = [];
  const result: Reconciled = { findings: out, opened: [], reopened: [], resolved: [] };
  for (const old of expireWaivers(existing, now)) {
    const f = fresh.get(old.id);
    fresh.delete(old.id);
    if (!f) {
      if (options.complete && old.status !== 'resolved') {
        result.resolved.push(old.id);
        out.push({
          ...old,
          status: 'resolved',
          waiver: null,
          history: [
            ...old.history,
            { at, by: SYSTEM_ACTOR, from: old.status, to: 'resolved', note: 'rule no longer matches' },
          ],
        });
      } else out.push(old);
      continue;
    }
    const merged: TrackedFinding = {
      ...old,
      severity: f.severity,
      message: f.message,
      facts: f.facts,
      firstSeen: Date.parse(old.firstSeen) < Date.parse(f.firstSeen) ? old.firstSeen : f.firstSeen,
      lastSeen: Date.parse(old.lastSeen) > Date.parse(f.lastSeen) ? old.lastSeen : f.lastSeen,
    };
    const resolvedAt = lastChangeTo(old, 'resolved');
    if (old.status === 'resolved' && resolvedAt !== null && Date.parse(f.lastSeen) > Date.parse(resolvedAt)) {
      result.reopened.push(old.id);
      merged.status = 'open';
      merged.history = [
        ...old.history,
        { at, by: SYSTEM_ACTOR, from: 'resolved', to: 'open', note: `seen again ${f.lastSeen}` },
      ];
    }
    out.push(merged);
  }
  for (const f of fresh.values()) {
    result.opened.push(f.id);
    out.push(track(f, now));
  }
  return result;
}

function lastChangeTo(f: TrackedFinding, status: FindingStatus): string | null {
  for (let i = f.history.length - 1; i >= 0; i--) if (f.history[i]!.to === status) return f.history[i]!.at;
  return null;
}
