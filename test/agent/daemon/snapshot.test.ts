// Snapshots of a long-running engine: a device goes out when it changed (new facts at once, grown
// counts at the refresh), counts are deltas that add up to the one-shot inventory, the spool bound
// triggers compaction then holds data back, and eviction keeps memory flat as devices come and go.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PacketRef } from '../../../agent/capture/types.js';
import { collectDeviceDeltas, fullyReported } from '../../../agent/daemon/device-deltas.js';
import { createAgentLogger } from '../../../agent/daemon/log.js';
import { AgentMetrics } from '../../../agent/daemon/metrics.js';
import { Snapshotter } from '../../../agent/daemon/snapshot.js';
import { APP_DECODERS } from '../../../agent/decode/registry.js';
import { buildInventory } from '../../../agent/observe/inventory-builder.js';
import { PassiveEngine } from '../../../agent/observe/passive-engine.js';
import type { BatchContent } from '../../../agent/uplink/batch-content.js';
import { Spool } from '../../../agent/uplink/spool.js';
import { privateRanges } from '../../../core/net/cidr.js';
import { buildNetwork, conversation, Rng } from '../../../scripts/bench/traffic-mix.js';
import { allFixtureFrames } from '../../../scripts/fixtures/index.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'om-snap-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function engine(): PassiveEngine {
  return new PassiveEngine({ homeNets: privateRanges(), decoders: APP_DECODERS, maxFlows: 4096 });
}

function feed(e: PassiveEngine, frames: readonly { ts: number; data: Uint8Array }[]): void {
  const pkt = new PacketRef();
  pkt.linkType = 1;
  for (const f of frames) {
    pkt.buf = f.data;
    pkt.offset = 0;
    pkt.caplen = f.data.length;
    pkt.origLen = f.data.length;
    pkt.tsMs = f.ts;
    e.onPacket(pkt);
  }
}

const fixtures = (shiftMs = 0) =>
  allFixtureFrames().map((f) => ({ ts: Number(f.tsNs / 1_000_000n) + shiftMs, data: f.data }));

/** Sums device deltas the way the collector does: counts per device, key and value. */
function sum(into: Map<string, number>, devices: BatchContent['devices']): Map<string, number> {
  for (const d of devices)
    for (const o of d.observations) {
      const k = `${d.id}|${o.key}|${o.value}`;
      into.set(k, (into.get(k) ?? 0) + o.count);
    }
  return into;
}

describe('device deltas', () => {
  it('sends new devices and facts at once, grown counts at the refresh, and adds up to the one-shot inventory', () => {
    const e = engine();
    const frames = fixtures();
    feed(e, frames.slice(0, 40));
    const got = new Map<string, number>();
    let d = collectDeviceDeltas(e.store, { refreshDue: false });
    expect(d.devices.length).toBeGreaterThan(0);
    // Built a few at a time (what the snapshot spools), the same devices in the same order.
    const chunks = [...d.chunks(2)];
    expect(chunks.every((c) => c.length >= 1 && c.length <= 2)).toBe(true);
    expect(chunks.flat()).toEqual(d.devices);
    expect(d.changed).toBe(d.devices.length);
    sum(got, d.devices);
    d.commit();
    expect(collectDeviceDeltas(e.store, { refreshDue: false }).devices).toEqual([]);

    feed(e, frames.slice(40));
    d = collectDeviceDeltas(e.store, { refreshDue: false });
    sum(got, d.devices);
    d.commit();
    // The same traffic again, an hour later: no new fact, only counts.
    feed(e, fixtures(3_600_000));
    expect(collectDeviceDeltas(e.store, { refreshDue: false }).devices).toEqual([]);
    e.finish();
    d = collectDeviceDeltas(e.store, { refreshDue: true });
    expect(d.devices.length).toBeGreaterThan(0);
    sum(got, d.devices);
    d.commit();
    expect(collectDeviceDeltas(e.store, { refreshDue: true }).devices).toEqual([]);

    const once = engine();
    feed(once, [...fixtures(), ...fixtures(3_600_000)]);
    once.finish();
    const expected = new Map<string, number>();
    for (const dev of buildInventory(once.store, null, { identifier: null, geo: null }).devices)
      for (const o of dev.observations) expected.set(`${dev.id}|${o.key}|${o.value}`, o.count);
    expect(got).toEqual(expected);
    expect(e.store.endpoints.every((ep) => ep.last === 0 || fullyReported(e.store, ep))).toBe(true);
  });
});

describe('snapshots and the spool bound', () => {
  function setup(maxSpoolBytes: number) {
    const lines: string[] = [];
    const metrics = new AgentMetrics();
    const spool = Spool.open(join(mkdtempSync(join(dir, 's-')), 'spool.db'));
    const e = engine();
    const snap = new Snapshotter({
      engine: e,
      spool: () => spool,
      watcher: null,
      maxBatchDevices: () => 1000,
      maxSpoolBytes,
      deviceRefreshMs: 0,
      log: createAgentLogger('debug', { destination: { write: (l: string) => void lines.push(l) } }),
      metrics,
    });
    return { lines, metrics, spool, e, snap };
  }

  it('compacts unsent batches when over the bound, and says so', () => {
    const probe = setup(1 << 30);
    feed(probe.e, fixtures());
    probe.snap.run();
    const one = probe.spool.depth().bytes;
    probe.spool.close();

    const { lines, metrics, spool, e, snap } = setup(Math.round(one * 1.5));
    for (let hour = 0; hour < 4; hour++) {
      feed(e, fixtures(hour * 3_600_000));
      expect(snap.run()).toBe('spooled');
    }
    expect(metrics.get('spool_compactions_total')).toBeGreaterThan(0);
    expect(lines.some((l) => l.includes('compacted unsent batches'))).toBe(true);
    expect(spool.depth().batches).toBe(1);
    // The one merged batch carries all four hours.
    const merged = JSON.parse(spool.next()!.payloadJson) as BatchContent;
    const once = engine();
    for (let hour = 0; hour < 4; hour++) feed(once, fixtures(hour * 3_600_000));
    const total = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
    const expected = new Map<string, number>();
    for (const dev of buildInventory(once.store, null, { identifier: null, geo: null }).devices)
      for (const o of dev.observations) expected.set(`${dev.id}|${o.key}|${o.value}`, o.count);
    expect(total(sum(new Map(), merged.devices))).toBe(total(expected));
    spool.close();
  });

  it('holds data back when compaction is not enough, and resumes when uploads make room', () => {
    const { metrics, spool, e, snap } = setup(100);
    feed(e, fixtures());
    expect(snap.run()).toBe('spooled');
    expect(snap.full).toBe(true);
    expect(metrics.get('spool_full')).toBe(1);
    feed(e, fixtures(3_600_000));
    expect(snap.run()).toBe('held');
    for (let b = spool.next(); b; b = spool.next()) spool.ack(b.seq);
    expect(snap.run()).toBe('spooled');
    const held = JSON.parse(spool.next()!.payloadJson) as BatchContent;
    expect(held.devices.length).toBeGreaterThan(0); // the second hour, held in memory, not lost
    spool.close();
  });
});

describe('memory over days', () => {
  it('stays flat: devices that left are freed once reported, the ones still talking stay', () => {
    const spool = Spool.open(join(dir, 'spool.db'));
    const e = engine();
    const metrics = new AgentMetrics();
    const snap = new Snapshotter({
      engine: e,
      spool: () => spool,
      watcher: null,
      maxBatchDevices: () => 5000,
      maxSpoolBytes: 1 << 30,
      deviceRefreshMs: 0,
      log: createAgentLogger('warn', { destination: { write: () => {} } }),
      metrics,
    });
    const DAY = 86_400_000;
    const now = Date.now();
    const sizes: number[] = [];
    for (let day = 0; day < 8; day++) {
      // A different plant population every day (another seed picks other OUIs for the same hosts).
      const rng = new Rng(100 + day);
      const net = buildNetwork(rng, 300);
      const t0 = now - (8 - day) * DAY;
      let ts = t0;
      const frames: { ts: number; data: Uint8Array }[] = [];
      for (let c = 0; c < 400; c++)
        for (const f of conversation(rng, net, c)) {
          ts += 5;
          frames.push({ ts, data: f.data });
        }
      feed(e, frames);
      snap.run(now);
      for (let b = spool.next(); b; b = spool.next()) spool.ack(b.seq);
      // The daemon's eviction: unseen for a day and fully reported.
      e.evictEndpoints((ep) => ep.last < t0 - DAY && fullyReported(e.store, ep));
      sizes.push(e.store.endpoints.length);
    }
    // Each day brings ~300 new endpoints; without eviction there would be ~2400 by now. With it, the
    // store holds today's and yesterday's (unseen for a day is the threshold), whatever the day.
    expect(Math.max(...sizes)).toBeLessThanOrEqual(2.1 * sizes[0]!);
    expect(sizes.at(-1)).toBeLessThan(3 * sizes[0]!);
    spool.close();
  });
});
