// Findings lifecycle: transitions, waivers and their expiry, reconciling a new evaluation.
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../../core/inventory.js';
import {
  applyAction,
  expireWaivers,
  LifecycleError,
  reconcile,
  track,
} from '../../../core/policy/lifecycle.js';

const T0 = new Date('2025-03-01T00:00:00Z');
const at = (iso: string) => new Date(iso);

function finding(id: string, lastSeen = '2025-02-28T00:00:00.000Z'): Finding {
  return {
    id,
    rule: 'jp-espa.foreign-vendor-critical-class',
    severity: 'high',
    subject: { kind: 'device', id: `mac:${id}` },
    message: 'm',
    facts: {},
    firstSeen: '2025-02-01T00:00:00.000Z',
    lastSeen,
    status: 'open',
  };
}

describe('findings lifecycle', () => {
  it('moves open → acknowledged → resolved and records who and when', () => {
    let f = track(finding('a'), T0);
    f = applyAction(f, { type: 'acknowledge', by: 'aiko', note: 'looking' }, at('2025-03-02T09:00:00Z'));
    f = applyAction(f, { type: 'resolve', by: 'ken' }, at('2025-03-05T09:00:00Z'));
    expect(f.status).toBe('resolved');
    expect(f.history.map((h) => [h.by, h.from, h.to, h.at, h.note])).toEqual([
      ['system', null, 'open', '2025-03-01T00:00:00.000Z', 'rule matched'],
      ['aiko', 'open', 'acknowledged', '2025-03-02T09:00:00.000Z', 'looking'],
      ['ken', 'acknowledged', 'resolved', '2025-03-05T09:00:00.000Z', null],
    ]);
  });

  it('refuses transitions the lifecycle does not have, and actions without an actor', () => {
    const f = track(finding('a'), T0);
    expect(() => applyAction(f, { type: 'reopen', by: 'x' }, T0)).toThrow(
      'cannot reopen a finding that is open',
    );
    const r = applyAction(f, { type: 'resolve', by: 'x' }, T0);
    expect(() => applyAction(r, { type: 'acknowledge', by: 'x' }, T0)).toThrow(LifecycleError);
    expect(() => applyAction(f, { type: 'acknowledge', by: '  ' }, T0)).toThrow('who (by) is required');
  });

  it('waives with reason, approver and a future expiry, and the expired waiver reopens', () => {
    const f = track(finding('a'), T0);
    expect(() =>
      applyAction(f, { type: 'waive', by: 'aiko', reason: '', approver: 'boss', until: '2025-04-01' }, T0),
    ).toThrow('waiver reason is required');
    expect(() =>
      applyAction(f, { type: 'waive', by: 'aiko', reason: 'r', approver: 'boss', until: '2025-02-01' }, T0),
    ).toThrow('not in the future');
    expect(() =>
      applyAction(f, { type: 'waive', by: 'aiko', reason: 'r', approver: 'boss', until: 'soon' }, T0),
    ).toThrow('is not a date');
    expect(() =>
      applyAction(f, { type: 'waive', by: 'aiko', reason: 'r', approver: 'boss', until: '2027-01-01' }, T0),
    ).toThrow('longer than 366 days');
    const w = applyAction(
      f,
      {
        type: 'waive',
        by: 'aiko',
        reason: 'replacement ordered',
        approver: 'plant manager',
        until: '2025-04-01T00:00:00Z',
      },
      T0,
    );
    expect(w.status).toBe('waived');
    expect(w.waiver).toEqual({
      reason: 'replacement ordered',
      approver: 'plant manager',
      until: '2025-04-01T00:00:00.000Z',
      grantedBy: 'aiko',
      grantedAt: '2025-03-01T00:00:00.000Z',
    });
    expect(expireWaivers([w], at('2025-03-31T23:59:59Z'))[0]!.status).toBe('waived');
    const [reopened] = expireWaivers([w], at('2025-04-01T00:00:00Z'));
    expect(reopened!.status).toBe('open');
    expect(reopened!.waiver).toBeNull();
    expect(reopened!.history.at(-1)).toEqual({
      at: '2025-04-01T00:00:00.000Z',
      by: 'system',
      from: 'waived',
      to: 'open',
      note: 'waiver expired 2025-04-01T00:00:00.000Z',
    });
  });

  it('reconciles a new evaluation: keeps ids and history, opens new, reopens resolved seen again', () => {
    const a = applyAction(track(finding('a'), T0), { type: 'acknowledge', by: 'aiko' }, T0);
    const b = applyAction(
      track(finding('b'), T0),
      { type: 'resolve', by: 'ken' },
      at('2025-03-02T00:00:00Z'),
    );
    const c = applyAction(
      track(finding('c'), T0),
      { type: 'resolve', by: 'ken' },
      at('2025-03-02T00:00:00Z'),
    );
    const now = at('2025-03-10T00:00:00Z');
    const r = reconcile(
      [a, b, c],
      [
        finding('a', '2025-03-09T00:00:00.000Z'),
        finding('b', '2025-03-09T00:00:00.000Z'),
        finding('c', '2025-03-01T12:00:00.000Z'),
        finding('d'),
      ],
      now,
      { complete: false },
    );
    expect(r.opened).toEqual(['d']);
    expect(r.reopened).toEqual(['b']);
    expect(r.findings.map((f) => [f.id, f.status, f.lastSeen])).toEqual([
      ['a', 'acknowledged', '2025-03-09T00:00:00.000Z'],
      ['b', 'open', '2025-03-09T00:00:00.000Z'],
      // Seen only before it was resolved (old evidence re-evaluated): stays resolved.
      ['c', 'resolved', '2025-03-01T12:00:00.000Z'],
      ['d', 'open', '2025-02-28T00:00:00.000Z'],
    ]);
  });

  it('resolves findings that no longer match only when the evaluation was complete', () => {
    const a = track(finding('a'), T0);
    expect(reconcile([a], [], T0, { complete: false }).findings[0]!.status).toBe('open');
    const r = reconcile([a], [], at('2025-03-03T00:00:00Z'), { complete: true });
    expect(r.resolved).toEqual(['a']);
    expect(r.findings[0]!.history.at(-1)).toMatchObject({
      by: 'system',
      from: 'open',
      to: 'resolved',
      note: 'rule no longer matches',
    });
  });
});
