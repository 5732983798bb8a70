// The long-running engine: connection deltas drained while flows are alive add up to exactly what a
// one-shot run reports (each packet counted once), endpoint eviction keeps what live flows use, and
// the named-address cap forgets the oldest first.
import { describe, expect, it } from 'vitest';
import { PacketRef } from '../../../agent/capture/types.js';
import { APP_DECODERS } from '../../../agent/decode/registry.js';
import { type ConnectionAgg, ConnectionTable } from '../../../agent/observe/connection-table.js';
import { EvidenceStore } from '../../../agent/observe/evidence-store.js';
import { PassiveEngine } from '../../../agent/observe/passive-engine.js';
import { privateRanges } from '../../../core/net/cidr.js';
import { buildNetwork, conversation, Rng } from '../../../scripts/bench/traffic-mix.js';
import { Clock, tcpSession } from '../../../scripts/lib/conversation.js';
import type { FrameRecord } from '../../../scripts/lib/pcap-writer.js';

const START_MS = 1_763_856_000_000;

/** Interleaved conversations of the benchmark mix, with increasing capture times (ms). */
function mix(seed: number, frames: number, hosts = 200): { ts: number; data: Uint8Array }[] {
  const rng = new Rng(seed);
  const net = buildNetwork(rng, hosts);
  const active: { frames: FrameRecord[]; next: number }[] = [];
  const out: { ts: number; data: Uint8Array }[] = [];
  let ts = START_MS;
  let seq = 0;
  while (out.length < frames) {
    while (active.length < 50) active.push({ frames: conversation(rng, net, seq++), next: 0 });
    const slot = rng.int(active.length);
    const conv = active[slot]!;
    ts += 0.001 + rng.int(400) / 1000;
    out.push({ ts, data: conv.frames[conv.next++]!.data });
    if (conv.next >= conv.frames.length) active.splice(slot, 1);
  }
  return out;
}

function engine(maxFlows = 4096): PassiveEngine {
  return new PassiveEngine({ homeNets: privateRanges(), decoders: APP_DECODERS, maxFlows });
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

/** Connection totals keyed by local endpoint identity (MAC/IP text) and remote side. */
function totals(e: PassiveEngine, rows: Iterable<ConnectionAgg>, into = new Map<string, number[]>()) {
  for (const r of rows) {
    const ep = e.store.endpoints[r.endpoint]!;
    const key = `${ep.mac}|${ep.ip}|${r.remoteIp}|${r.remotePort}|${r.localPort}|${r.proto}|${r.direction}`;
    const t = into.get(key) ?? [0, 0, Number.POSITIVE_INFINITY, 0];
    t[0]! += r.packets;
    t[1]! += r.bytes;
    t[2] = Math.min(t[2]!, r.first);
    t[3] = Math.max(t[3]!, r.last);
    into.set(key, t);
  }
  return into;
}

describe('connection deltas of a long-running engine', () => {
  it('a flow that never ends is reported as it grows, each packet once', () => {
    const c = new Clock(BigInt(START_MS) * 1_000_000n, 1_000_000_000n); // one packet a second
    const plc = { mac: '00:1b:1b:00:00:01', ip: '10.0.0.10' };
    const cloud = { mac: '00:1a:a0:ff:ff:01', ip: '203.0.113.7' };
    const frames = tcpSession(
      c,
      plc,
      cloud,
      40000,
      502,
      Array.from({ length: 20 }, (_, i) => ({
        from: i % 2 ? 'server' : 'client',
        data: new Uint8Array(100),
      })),
      { noFin: true },
    ).map((f) => ({ ts: Number(f.tsNs / 1_000_000n), data: f.data }));
    const e = engine();
    const drained: ConnectionAgg[][] = [];
    for (let i = 0; i < frames.length; i += 7) {
      feed(e, frames.slice(i, i + 7));
      drained.push(e.drainConnections());
    }
    drained.push(e.drainConnections()); // nothing new: no row
    expect(drained.at(-1)).toEqual([]);
    const sizes = drained.slice(0, -1).map((rows) => rows.reduce((n, r) => n + r.packets, 0));
    expect(sizes.every((n) => n > 0)).toBe(true);
    const wireBytes = frames.reduce((n, f) => n + f.data.length, 0);
    const all = drained.flat();
    expect(all.reduce((n, r) => n + r.packets, 0)).toBe(frames.length);
    expect(all.reduce((n, r) => n + r.bytes, 0)).toBe(wireBytes);
    expect(new Set(all.map((r) => `${r.remoteIp}:${r.remotePort}:${r.direction}`))).toEqual(
      new Set(['203.0.113.7:502:outbound']),
    );
    // The flow is still alive; finishing it later adds nothing twice.
    e.finish();
    expect(e.drainConnections()).toEqual([]);
  });

  it('drains at random points add up to the one-shot totals of the same traffic', () => {
    const frames = mix(7, 30_000);
    const once = engine(512);
    feed(once, frames);
    once.finish();
    const expected = totals(once, once.connections.rows.values());
    expect(expected.size).toBeGreaterThan(20);

    const live = engine(512);
    const got = new Map<string, number[]>();
    const rng = new Rng(99);
    for (let i = 0; i < frames.length; ) {
      const n = 1 + rng.int(3000);
      feed(live, frames.slice(i, i + n));
      i += n;
      totals(live, live.drainConnections(), got);
    }
    live.finish();
    totals(live, live.drainConnections(), got);
    expect(got).toEqual(expected);
  });

  it('restored rows merge back and are drained once', () => {
    const e = engine();
    feed(e, mix(3, 2000));
    const rows = e.drainConnections();
    const sum = rows.reduce((n, r) => n + r.bytes, 0);
    e.connections.restore(rows);
    const again = e.drainConnections();
    expect(again.reduce((n, r) => n + r.bytes, 0)).toBe(sum);
    expect(e.drainConnections()).toEqual([]);
  });
});

describe('endpoint eviction', () => {
  it('keeps endpoints of live flows and pending rows, renumbers the rest, and traffic goes on', () => {
    const frames = mix(11, 20_000, 400);
    const e = engine(1024);
    feed(e, frames.slice(0, 10_000));
    const before = e.store.endpoints.length;
    const drainedBefore = e.drainConnections();
    const beforeTotals = totals(e, drainedBefore);
    const live = new Set<number>();
    // Evict every endpoint the caller allows: only ones still in use survive.
    const evicted = e.evictEndpoints(() => true);
    expect(evicted).toBeGreaterThan(0);
    expect(e.store.endpoints.length).toBe(before - evicted);
    e.store.endpoints.forEach((ep, i) => {
      expect(ep.id).toBe(i);
      live.add(i);
    });
    // A new endpoint with an evicted identity is created afresh, and the store stays consistent.
    feed(e, frames.slice(10_000));
    e.finish();
    const after = totals(e, e.drainConnections(), beforeTotals);
    const once = engine(1024);
    feed(once, frames);
    once.finish();
    const oneShot = totals(once, once.connections.rows.values());
    // Same traffic totals whether or not endpoints were evicted in between.
    const sum = (m: Map<string, number[]>) => [...m.values()].reduce((n, t) => n + t[1]!, 0);
    expect(sum(after)).toBe(sum(oneShot));
    for (const ep of e.store.endpoints) expect(e.store.endpoint(ep.mac, ep.ip)).toBe(ep);
  });

  it('rows still pending follow their endpoint: no later flow adds to a row not its own', () => {
    const frames = mix(13, 20_000, 400);
    const e = engine(1024);
    feed(e, frames.slice(0, 10_000));
    // Evict with rows not yet drained: their endpoints stay, renumbered, and so must the rows' keys.
    expect(e.evictEndpoints(() => true)).toBeGreaterThan(0);
    feed(e, frames.slice(10_000));
    e.finish();
    const got = totals(e, e.drainConnections());
    const once = engine(1024);
    feed(once, frames);
    once.finish();
    expect(got).toEqual(totals(once, once.connections.rows.values()));
  });

  it('renumbers pending connection rows with their keys', () => {
    const t = new ConnectionTable();
    const c = { remoteIp: '198.51.100.7', remotePort: 502, localPort: null, proto: 'tcp' as const };
    t.add({ ...c, endpoint: 7, direction: 'outbound' }, 2, 200, 1, 2);
    // Endpoint 7 becomes 5; another endpoint takes id 7 and talks to the same service.
    const map = Int32Array.from({ length: 9 }, (_, i) => (i === 7 ? 5 : i === 8 ? 7 : -1));
    t.remapEndpoints(map);
    t.add({ ...c, endpoint: 7, direction: 'outbound' }, 1, 100, 3, 3);
    t.add({ ...c, endpoint: 5, direction: 'outbound' }, 1, 50, 4, 4);
    const rows = t.drain().map((r) => [r.endpoint, r.packets, r.bytes]);
    expect(rows.sort()).toEqual([
      [5, 3, 250],
      [7, 1, 100],
    ]);
  });

  it('evicts nothing the caller refuses', () => {
    const e = engine();
    feed(e, mix(5, 3000));
    const n = e.store.endpoints.length;
    expect(e.evictEndpoints(() => false)).toBe(0);
    expect(e.store.endpoints.length).toBe(n);
  });
});

describe('named addresses', () => {
  it('forgets the address named longest ago beyond the cap, and counts it', () => {
    const store = new EvidenceStore({ maxNamedAddresses: 3 });
    for (const ip of ['192.0.2.1', '192.0.2.2', '192.0.2.3', '192.0.2.4']) store.nameAddress(ip, `h-${ip}`);
    expect([...store.names.keys()]).toEqual(['192.0.2.2', '192.0.2.3', '192.0.2.4']);
    expect(store.dropped.named_addresses).toBe(1);
  });
});
