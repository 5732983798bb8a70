// A device's facts in the inventory's order: the small-list sort agrees with Array.prototype.sort;
// DeviceFacts reads the store's rows as they are, also rows and keys recorded after it was made.
import { describe, expect, it } from 'vitest';
import { DeviceFacts, sortSmall } from '../../../agent/observe/device-facts.js';
import { EvidenceStore } from '../../../agent/observe/evidence-store.js';

describe('sortSmall', () => {
  it('gives the order of the stable built-in sort, ties in place, short lists and long', () => {
    let seed = 3;
    const rand = (n: number) => {
      seed = (seed * 48271) % 2147483647;
      return Math.floor((seed / 2147483647) * n);
    };
    for (let round = 0; round < 500; round++) {
      // Few distinct keys, so most lists have ties; the index tells tied items apart.
      const list = Array.from({ length: rand(40) }, (_, i) => ({ key: rand(6), i }));
      const byKey = (a: { key: number }, b: { key: number }) => a.key - b.key;
      const expected = [...list].sort(byKey);
      expect(sortSmall(list, byKey)).toEqual(expected);
    }
  });
});

describe('DeviceFacts', () => {
  it('sees rows and keys the store took after it was made, also past a growth of the columns', () => {
    const store = new EvidenceStore();
    const ep = store.endpoint('02:00:00:00:00:01', '10.0.0.1')!;
    store.record(ep, 'dhcp.hostname', 'plc-1', 1);
    const facts = new DeviceFacts(store);
    const texts = (key: string) => {
      const out: string[] = [];
      facts.texts(store.keyNumber(key as never), out);
      return out;
    };
    facts.load([ep]);
    expect(texts('dhcp.hostname')).toEqual(['plc-1']);
    const generation = store.rows.generation;
    // Enough rows on other endpoints that the columns grow (they start at 1,024 rows), then a new
    // value and a new key on the device.
    for (let i = 0; i < 3_000; i++) {
      store.record(store.endpoint(null, `10.1.${i >> 8}.${i & 255}`)!, 'ip.ttl', 64, 2);
    }
    expect(store.rows.generation).toBeGreaterThan(generation);
    store.record(ep, 'dhcp.hostname', 'plc-1b', 3);
    store.record(ep, 'http.server', 'Boa/0.94', 4);
    facts.load([ep]);
    expect(texts('dhcp.hostname')).toEqual(['plc-1', 'plc-1b']);
    expect(texts('http.server')).toEqual(['Boa/0.94']);
  });
});
