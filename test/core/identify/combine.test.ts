// Combining evidence for one field: noisy-OR over independent groups, one vote per group, the
// rival's share taken from an unsure winner, weak non-rival evidence, and the decision floor.
import { describe, expect, it } from 'vitest';
import { decide, MIN_DECISION_CONFIDENCE, type Weighted } from '../../../core/identify/combine.js';

function w(value: string, weight: number, group: string, over: Partial<Weighted> = {}): Weighted {
  return {
    field: 'vendor',
    value,
    weight,
    group,
    evidence: {
      key: 'http.server',
      value: `${value}/${group}`,
      rule: `http.server:${group}`,
      source: 'passive',
    },
    ...over,
  };
}

describe('decide', () => {
  it('is null without evidence, and below the decision floor', () => {
    expect(decide('vendor', [])).toBeNull();
    expect(decide('vendor', [w('Espressif', MIN_DECISION_CONFIDENCE - 0.01, 'registry')])).toBeNull();
    expect(decide('model', [w('Siemens', 0.9, 'ssh')])).toBeNull();
  });

  it('decides one piece as its own weight, capped at 1, with its evidence and no conflicts', () => {
    const one = w('Moxa', 0.7, 'ssh');
    expect(
      decide('vendor', [w('Siemens', 0.9, 'ssh', { field: 'model' }), one, w('Hikvision', 0, 'http')]),
    ).toEqual({
      field: 'vendor',
      value: 'Moxa',
      confidence: 0.7,
      evidence: [one.evidence],
      conflicts: [],
    });
    expect(decide('vendor', [w('Moxa', 1.4, 'ssh')])?.confidence).toBe(1);
    expect(decide('vendor', [w('Moxa', MIN_DECISION_CONFIDENCE, 'ssh')])?.confidence).toBe(
      MIN_DECISION_CONFIDENCE,
    );
    // The same piece twice in one group is two pieces: one candidate, its group counted once.
    expect(decide('vendor', [one, one])).toMatchObject({
      confidence: 0.7,
      evidence: [one.evidence, one.evidence],
    });
  });

  it('raises confidence when independent groups agree, but counts one group once', () => {
    const two = decide('vendor', [w('Moxa', 0.5, 'ssh'), w('Moxa', 0.5, 'http')])!;
    expect(two.confidence).toBe(0.75);
    const same = decide('vendor', [w('Moxa', 0.5, 'http'), w('Moxa', 0.5, 'http')])!;
    expect(same.confidence).toBe(0.5);
    expect(same.evidence).toHaveLength(2);
  });

  it('keeps conflicts and lowers an unsure winner by its strongest rival', () => {
    const strong = decide('vendor', [w('Siemens', 0.95, 's7'), w('Dell', 0.7, 'registry')])!;
    expect(strong.value).toBe('Siemens');
    expect(strong.confidence).toBeCloseTo(0.95 - 0.7 * 0.05, 3);
    expect(strong.conflicts).toMatchObject([{ value: 'Dell', confidence: 0.7 }]);
    const weak = decide('vendor', [w('A', 0.6, 'x'), w('B', 0.55, 'y')])!;
    expect(weak.value).toBe('A');
    expect(weak.confidence).toBeCloseTo(0.6 - 0.55 * 0.4, 3);
  });

  it('does not let non-rival evidence (a chipset OUI) lower another value', () => {
    const got = decide('vendor', [
      w('Tuya', 0.3, 'dns'),
      w('Espressif', 0.15, 'registry', { rival: false }),
    ])!;
    expect(got.value).toBe('Tuya');
    expect(got.confidence).toBe(0.3);
    expect(got.conflicts.map((c) => c.value)).toEqual(['Espressif']);
  });

  it('merges free-text values that differ only in case and spacing, keeping the strongest spelling', () => {
    const got = decide('model', [
      w('CPU 315-2 PN/DP', 0.9, 's7', { field: 'model' }),
      w('cpu  315-2 pn/dp', 0.5, 'snmp', { field: 'model' }),
    ])!;
    expect(got.value).toBe('CPU 315-2 PN/DP');
    expect(got.conflicts).toEqual([]);
    expect(got.confidence).toBeCloseTo(0.95, 3);
  });

  it('breaks ties deterministically', () => {
    const a = decide('vendor', [w('B', 0.8, 'x'), w('A', 0.8, 'y')]);
    const b = decide('vendor', [w('A', 0.8, 'y'), w('B', 0.8, 'x')]);
    expect(a?.value).toBe('A');
    expect(b).toEqual(a);
  });
});
