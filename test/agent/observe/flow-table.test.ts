import { describe, expect, it } from 'vitest';
import { PacketInfo } from '../../../agent/decode/packet-info.js';
import { FlowTable } from '../../../agent/observe/flow-table.js';
import { intRng } from '../../../scripts/lib/xorshift.js';

/** A packet between two IPv4 (or IPv6) endpoints, as the decoders would leave it. */
function packet(src: number, dst: number, sp: number, dp: number, proto = 6, v6 = false): PacketInfo {
  const n = v6 ? 16 : 4;
  const b = new Uint8Array(n * 2);
  const put = (v: number, at: number) => {
    b[at + n - 4] = v >>> 24;
    b[at + n - 3] = (v >>> 16) & 0xff;
    b[at + n - 2] = (v >>> 8) & 0xff;
    b[at + n - 1] = v & 0xff;
  };
  put(src, 0);
  put(dst, n);
  const i = new PacketInfo();
  i.reset(b, 0, b.length, 101);
  Object.assign(i, {
    ipVersion: v6 ? 6 : 4,
    srcIpOff: 0,
    dstIpOff: n,
    srcPort: sp,
    dstPort: dp,
    ipProto: proto,
  });
  return i;
}

/** A lookup at capture time `ts` (the table reads the time from its clock, not an argument). */
function at(t: FlowTable, p: PacketInfo, ts: number): number {
  t.clock[0] = ts;
  return t.lookup(p);
}

describe('flow table', () => {
  it('maps both directions of a conversation to one flow with opposite dir', () => {
    const t = new FlowTable({ maxFlows: 16 });
    const a = at(t, packet(1, 2, 1000, 80), 1);
    expect([t.created, t.dir]).toEqual([true, 0]);
    expect(at(t, packet(2, 1, 80, 1000), 2)).toBe(a);
    expect([t.created, t.dir]).toEqual([false, 1]);
    expect(at(t, packet(1, 2, 1000, 80, 17), 3)).not.toBe(a); // UDP is another flow
    expect(at(t, packet(1, 2, 1000, 80, 6, true), 3)).not.toBe(a); // so is IPv6
    expect(t.lastTs(a)).toBe(2);
  });

  it('matches a model Map under random inserts, lookups and LRU removals', () => {
    const t = new FlowTable({ maxFlows: 64 });
    const model = new Map<string, number>();
    const rand = intRng(7);
    for (let step = 0; step < 20_000; step++) {
      const s = rand(12);
      const d = rand(12);
      const sp = rand(4);
      const v6 = rand(5) === 0;
      const key = `${Math.min(s * 10 + sp, d * 10 + 3)}|${Math.max(s * 10 + sp, d * 10 + 3)}|${v6}`;
      if (t.size >= 64) {
        const old = t.oldest();
        for (const [k, v] of model) if (v === old) model.delete(k);
        t.remove(old);
      }
      const id = at(t, packet(s, d, sp, 3, 6, v6), step);
      if (model.has(key)) expect(id).toBe(model.get(key));
      else {
        expect(t.created).toBe(true);
        model.set(key, id);
      }
      expect(t.size).toBe(model.size);
    }
  });

  it('returns -1 when full and orders flows by last use', () => {
    const t = new FlowTable({ maxFlows: 16 });
    const ids = Array.from({ length: 16 }, (_, i) => at(t, packet(i, 100, 1, 2), i * 10_000));
    expect(at(t, packet(99, 100, 1, 2), 20)).toBe(-1);
    expect(t.oldest()).toBe(ids[0]);
    at(t, packet(0, 100, 1, 2), 150_500); // use the oldest again: it moves to the front
    expect(t.oldest()).toBe(ids[1]);
    at(t, packet(1, 100, 1, 2), 10_500); // within LRU_GRANULARITY_MS of its last move: stays put
    expect(t.oldest()).toBe(ids[1]);
  });

  it('keeps finding every flow while its index grows and shrinks back by removal', () => {
    // 8192 flows max: the index starts at 64 slots and doubles eight times on the way to 5000 live flows.
    const t = new FlowTable({ maxFlows: 8192 });
    const ids: number[] = [];
    for (let i = 0; i < 5000; i++) ids.push(at(t, packet(i, 70_000 + (i % 7), 1000 + (i % 13), 80), i));
    expect(new Set(ids).size).toBe(5000);
    for (let i = 0; i < 5000; i++) {
      expect(at(t, packet(70_000 + (i % 7), i, 80, 1000 + (i % 13)), 10_000 + i)).toBe(ids[i]);
      expect([t.created, t.dir]).toEqual([false, 1]);
    }
    for (let i = 0; i < 5000; i += 2) t.remove(ids[i]!);
    for (let i = 1; i < 5000; i += 2)
      expect(at(t, packet(i, 70_000 + (i % 7), 1000 + (i % 13), 80), 20_000)).toBe(ids[i]);
    expect(t.size).toBe(2500);
    expect(at(t, packet(0, 70_000, 1000, 80), 30_000)).toBeGreaterThanOrEqual(0);
    expect(t.created).toBe(true);
  });

  it('counts packets and bytes per side and hands out canonical keys', () => {
    const t = new FlowTable({ maxFlows: 16 });
    const a = at(t, packet(0x0a000002, 0x0a000001, 80, 1000), 5);
    expect(t.dir).toBe(1);
    expect(t.count(a, 1, 60)).toBe(true);
    expect(t.count(a, 1, 40)).toBe(false);
    expect(t.count(a, 0, 1500)).toBe(true);
    expect([t.packets(a, 0), t.packets(a, 1), t.bytes(a, 0), t.bytes(a, 1)]).toEqual([1, 2, 1500, 100]);
    expect(t.firstTs(a)).toBe(5);
    expect([...t.keyOf(a)]).toEqual([
      0x0a000001,
      0x0a000002,
      0,
      0,
      0,
      0,
      0,
      0,
      (1000 << 16) | 80,
      6 | (4 << 8),
    ]);
    const b = at(t, packet(0x20010db8, 1, 443, 50_000, 17, true), 6);
    const key = t.keyOf(b);
    expect([key[0], key[3], key[4], key[7], key[8], key[9]]).toEqual([
      0,
      1,
      0,
      0x20010db8,
      ((50_000 << 16) | 443) >>> 0,
      17 | (6 << 8),
    ]);
  });

  it('rejects absurd sizes', () => {
    expect(() => new FlowTable({ maxFlows: 2 })).toThrow(RangeError);
  });
});
