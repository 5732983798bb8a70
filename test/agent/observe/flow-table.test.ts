import { describe, expect, it } from 'vitest';
import { PacketInfo } from '../../../agent/decode/packet-info.js';
import { FlowTable } from '../../../agent/observe/flow-table.js';

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
    expect(t.lastTs[a]).toBe(2);
  });

  it('matches a model Map under random inserts, lookups and LRU removals', () => {
    const t = new FlowTable({ maxFlows: 64 });
    const model = new Map<string, number>();
    let seed = 7;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return seed % n;
    };
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

  it('rejects absurd sizes', () => {
    expect(() => new FlowTable({ maxFlows: 2 })).toThrow(RangeError);
  });
});
