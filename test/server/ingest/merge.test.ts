// The pure ingest steps: batch checks beyond the schema, evidence folding with its cap, unions.
import { describe, expect, it } from 'vitest';
import type { ObservationSummary } from '../../../core/inventory.js';
import { intRng } from '../../../scripts/lib/xorshift.js';
import { ApiError } from '../../../server/errors.js';
import {
  canonicalIp,
  foldEvidence,
  prepareBatch,
  sameSeen,
  searchText,
  union,
} from '../../../server/ingest/merge.js';
import type { SeenFacts } from '../../../server/repos/ingest-repo.js';
import { batch, device } from '../helpers.js';

const ev = (
  value: string | number,
  count = 1,
  first = '2025-01-01T00:00:00.000Z',
  last = first,
): ObservationSummary => ({
  key: 'dhcp.hostname',
  value,
  source: 'passive',
  count,
  firstSeen: first,
  lastSeen: last,
});

function rejects(fn: () => unknown, detail: RegExp): void {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).details.join(' ')).toMatch(detail);
    return;
  }
  throw new Error('expected a rejection');
}

describe('prepareBatch', () => {
  it('refuses days that do not exist instead of rolling them over', () => {
    rejects(
      () =>
        prepareBatch(
          batch(1, { devices: [device('00:00:00:00:00:01', {}, { firstSeen: '2025-02-30T00:00:00.000Z' })] }),
        ),
      /not a valid time/,
    );
    rejects(
      () =>
        prepareBatch(
          batch(1, { devices: [device('00:00:00:00:00:01', {}, { lastSeen: '2025-04-31T00:00:00Z' })] }),
        ),
      /not a valid time/,
    );
    const ok = prepareBatch(
      batch(1, { devices: [device('00:00:00:00:00:01', {}, { firstSeen: '2024-02-29T00:00:00Z' })] }),
    );
    expect(ok.devices.get('mac:00:00:00:00:00:01')!.firstSeen).toBe('2024-02-29T00:00:00.000Z');
  });

  it('canonicalises addresses and device keys', () => {
    expect(canonicalIp('2001:DB8:0:0:0:0:0:1')).toBe('2001:db8::1');
    expect(canonicalIp('010.0.0.1')).toBeNull();
    expect(canonicalIp('fe80::1%eth0')).toBeNull();
    const p = prepareBatch(
      batch(1, {
        devices: [
          device('00:00:00:00:00:02', {}, { id: 'ip:2001:DB8::0:1', mac: null, ips: ['2001:DB8::1'] }),
        ],
      }),
    );
    expect([...p.devices.keys()]).toEqual(['ip:2001:db8::1']);
    expect(p.devices.get('ip:2001:db8::1')!.ips).toEqual(['2001:db8::1']);
  });
});

describe('foldEvidence', () => {
  it('adds counts and widens windows; strings and numbers are distinct values', () => {
    const { merged } = foldEvidence(
      [ev('a', 2, '2025-01-02T00:00:00.000Z')],
      [ev('a', 3, '2025-01-01T00:00:00.000Z', '2025-01-05T00:00:00.000Z'), ev(1), ev('1')],
    );
    expect(merged).toEqual([
      ev('a', 5, '2025-01-01T00:00:00.000Z', '2025-01-05T00:00:00.000Z'),
      ev(1),
      ev('1'),
    ]);
  });

  it('keeps what a device had and drops new distinct facts beyond the cap, counting them', () => {
    const stored = [ev('a'), ev('b')];
    const r = foldEvidence(stored, [ev('a'), ev('c'), ev('d')], 3);
    expect(r.merged.map((e) => e.value)).toEqual(['a', 'b', 'c']);
    expect(r.capped).toBe(1);
    expect(r.added.map((e) => e.value)).toEqual(['a', 'c']);
  });
});

describe('foldEvidence against a reference', () => {
  // The fold as first written (ids in a Map, every entry copied): what both paths must give.
  function reference(stored: ObservationSummary[], incoming: ObservationSummary[], cap: number) {
    const id = (e: ObservationSummary) => `${e.key}\u0000${typeof e.value}\u0000${e.value}\u0000${e.source}`;
    const byId = new Map<string, ObservationSummary>();
    for (const e of stored) byId.set(id(e), { ...e });
    const added: ObservationSummary[] = [];
    let capped = 0;
    for (const e of incoming) {
      const have = byId.get(id(e));
      if (have) {
        have.count += e.count;
        if (e.firstSeen < have.firstSeen) have.firstSeen = e.firstSeen;
        if (e.lastSeen > have.lastSeen) have.lastSeen = e.lastSeen;
      } else if (byId.size >= cap) {
        capped++;
        continue;
      } else byId.set(id(e), { ...e });
      added.push(e);
    }
    return { merged: [...byId.values()], added, capped };
  }

  it('gives the same merge by scan (few facts) and by ids (many), and leaves its inputs alone', () => {
    const rand = intRng(42);
    const fact = (): ObservationSummary =>
      Object.freeze({
        key: rand(2) ? 'dhcp.hostname' : 'ip.ttl',
        value: rand(2) ? rand(4) : String(rand(4)),
        source: rand(3) ? 'passive' : 'active',
        count: 1 + rand(9),
        firstSeen: `2025-01-0${1 + rand(9)}T00:00:00.000Z`,
        lastSeen: `2025-02-0${1 + rand(9)}T00:00:00.000Z`,
      }) as ObservationSummary;
    for (let round = 0; round < 300; round++) {
      const big = round % 3 === 0;
      // Distinct stored facts, as the store holds them.
      const stored = reference([], Array.from({ length: rand(big ? 40 : 8) }, fact), 1e9).merged.map((e) =>
        Object.freeze(e),
      );
      const incoming = Array.from({ length: rand(big ? 40 : 12) }, fact);
      const cap = rand(2) ? 1e9 : stored.length + rand(4);
      const got = foldEvidence(stored, incoming, cap);
      expect(got).toEqual(reference(stored, incoming, cap));
    }
  });
});

describe('helpers', () => {
  it('union keeps order and drops the oldest beyond the cap', () => {
    expect(union(['a', 'b'], ['b', 'c', 'd'], 3)).toEqual(['b', 'c', 'd']);
  });

  it('union gives the scanning reference on random lists of every size, repeats and NaN included', () => {
    const reference = <T>(stored: readonly T[], incoming: readonly T[], cap: number): T[] => {
      const out = [...stored];
      for (const x of incoming) if (!out.includes(x)) out.push(x);
      return out.length > cap ? out.slice(out.length - cap) : out;
    };
    const int = intRng(889);
    for (let round = 0; round < 300; round++) {
      const values = 1 + int(80);
      const pick = () => (int(20) === 0 ? Number.NaN : int(values));
      const stored = [...new Set(Array.from({ length: int(70) }, pick))];
      const incoming = Array.from({ length: int(70) }, pick);
      const cap = 1 + int(100);
      expect(union(stored, incoming, cap)).toEqual(reference(stored, incoming, cap));
    }
  });

  it('union of long lists is not quadratic', () => {
    // Scanning took ~4 s here (40,000 × ~60,000 comparisons); a Set takes milliseconds.
    const stored = Array.from({ length: 40_000 }, (_, i) => `tcp/${i}`);
    const incoming = Array.from({ length: 40_000 }, (_, i) => `udp/${i}`);
    const started = performance.now();
    expect(union(stored, incoming, 100_000)).toHaveLength(80_000);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('search text is lower-cased, de-duplicated and bounded', () => {
    expect(searchText(['Cam-1'], [ev('Hikvision'), ev('hikvision'), ev(5)])).toBe('cam-1\nhikvision\n');
    // The same facts in another order: the same text (names first, in their order).
    expect(searchText(['Zed', 'Amy'], [ev('b-banner'), ev('A-banner')])).toBe(
      'zed\namy\na-banner\nb-banner\n',
    );
    expect(searchText(['Zed', 'Amy'], [ev('A-banner'), ev('b-banner')])).toBe(
      'zed\namy\na-banner\nb-banner\n',
    );
    expect(
      searchText(
        [],
        Array.from({ length: 100 }, (_, i) => ev(`${i}`.padEnd(100, 'x'))),
      ).length,
    ).toBeLessThanOrEqual(4096);
  });
});

describe('sameSeen', () => {
  const seen: SeenFacts = {
    mac: null,
    ips: ['10.0.0.1'],
    hostnames: ['a'],
    vlans: [1, 2],
    services: ['tcp/80'],
    roles: [],
    firstSeen: '2026-01-01T00:00:00.000Z',
    lastSeen: '2026-01-02T00:00:00.000Z',
    search: 'a\n',
  };

  it('is true for equal facts in new arrays, false when any field or order differs', () => {
    expect(sameSeen(seen, structuredClone(seen))).toBe(true);
    for (const over of [
      { mac: '00:00:00:00:00:01' },
      { ips: ['10.0.0.1', '10.0.0.2'] },
      { hostnames: ['b'] },
      { vlans: [2, 1] },
      { services: [] },
      { roles: ['dhcp-server'] },
      { firstSeen: '2025-12-31T00:00:00.000Z' },
      { lastSeen: '2026-01-03T00:00:00.000Z' },
      { search: 'a\nb\n' },
    ]) {
      expect(sameSeen(seen, { ...seen, ...over }), JSON.stringify(over)).toBe(false);
    }
  });
});
