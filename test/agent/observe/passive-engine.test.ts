// The engine's own bookkeeping around the decoders: bytes are buffered and dispatched only for a
// transport some decoder reads, and flows are counted the same either way.
import { describe, expect, it } from 'vitest';
import { PacketRef } from '../../../agent/capture/types.js';
import type { AppDecoder, Transport } from '../../../agent/decode/types.js';
import { PassiveEngine } from '../../../agent/observe/passive-engine.js';
import { privateRanges } from '../../../core/net/cidr.js';
import { arp, ethernet, TCP, tcpFrame, udpFrame } from '../../../scripts/lib/frames.js';

const a = { mac: 'f8:bc:12:00:00:01', ip: '192.168.1.21' };
const b = { mac: '00:50:56:00:00:09', ip: '8.8.8.8' };

/** A decoder that accepts nothing and remembers which transports it was offered bytes on. */
function spy(transports: Transport[]): AppDecoder & { offered: Transport[] } {
  const offered: Transport[] = [];
  return {
    id: 'spy',
    transports,
    ports: [],
    offered,
    sniff: (_bytes, ctx) => {
      offered.push(ctx.transport);
      return false;
    },
    decode: () => null,
    observe: () => {},
  };
}

function run(decoders: AppDecoder[]): PassiveEngine {
  const engine = new PassiveEngine({ homeNets: privateRanges(), decoders });
  const frames = [
    tcpFrame(
      { src: a.mac, dst: b.mac },
      { src: a.ip, dst: b.ip, sport: 50000, dport: 80, flags: TCP.SYN, seq: 9 },
    ),
    tcpFrame(
      { src: a.mac, dst: b.mac },
      { src: a.ip, dst: b.ip, sport: 50000, dport: 80, flags: TCP.ACK | TCP.PSH, seq: 10 },
      Buffer.from('GET / HTTP/1.1\r\n'),
    ),
    udpFrame(
      { src: a.mac, dst: b.mac },
      { src: a.ip, dst: b.ip, sport: 5000, dport: 161 },
      Buffer.from('0102', 'hex'),
    ),
  ];
  feed(engine, frames);
  return engine;
}

/** Hands Ethernet frames to the engine, one millisecond apart. */
function feed(engine: PassiveEngine, frames: Uint8Array[]): void {
  const pkt = new PacketRef();
  pkt.linkType = 1;
  frames.forEach((data, i) => {
    pkt.buf = data;
    pkt.offset = 0;
    pkt.caplen = data.length;
    pkt.origLen = data.length;
    pkt.tsMs = 1000 + i;
    engine.onPacket(pkt);
  });
}

describe('passive engine', () => {
  it('buffers a TCP direction only when some decoder reads TCP', () => {
    const tcpOnly = spy(['tcp']);
    const withTcp = run([tcpOnly]);
    expect(withTcp.streams.pending(0) || withTcp.streams.pending(1)).toBe(true);
    withTcp.finish();
    expect(tcpOnly.offered).toEqual(['tcp']); // the UDP datagram is not offered to a TCP-only decoder
    const udpOnly = spy(['udp']);
    const withoutTcp = run([udpOnly]);
    expect(withoutTcp.streams.pending(0) || withoutTcp.streams.pending(1)).toBe(false);
    withoutTcp.finish();
    expect(udpOnly.offered).toEqual(['udp']);
  });

  it('counts the same flows and connections with no decoders at all', () => {
    const none = run([]);
    none.finish();
    const some = run([spy(['tcp', 'udp'])]);
    some.finish();
    expect([none.packets, none.flowsSeen]).toEqual([3, 2]);
    expect(none.connections.rows.size).toBe(2);
    expect([...none.connections.rows.keys()]).toEqual([...some.connections.rows.keys()]);
    expect(none.store.endpoints.map((e) => e.mac)).toEqual(some.store.endpoints.map((e) => e.mac));
  });

  it('counts each VLAN tag set once per flow and side, single tags as numbers and QinQ as text', () => {
    const engine = new PassiveEngine({ homeNets: privateRanges(), decoders: [] });
    const c = { mac: '00:1b:1b:aa:bb:01', ip: '192.168.1.30' };
    const tags = [[20], [20], [20, 30], [20], [0]];
    feed(
      engine,
      tags.map((vlans, i) =>
        tcpFrame(
          { src: a.mac, dst: c.mac, vlans },
          { src: a.ip, dst: c.ip, sport: 40000 + i, dport: 502, flags: TCP.SYN },
        ),
      ),
    );
    for (const mac of [a.mac, c.mac]) {
      const ep = engine.store.endpoints.find((e) => e.mac === mac)!;
      const facts = engine.store.factsOf(ep, 'net.vlan').map((f) => [f.value, f.count, f.first, f.last]);
      expect(facts).toEqual([
        [20, 3, 1000, 1003],
        ['20.30', 1, 1002, 1002],
        [0, 1, 1004, 1004],
      ]);
    }
  });

  it('counts repeated ARP claims with their earliest and latest time, in any order', () => {
    const engine = new PassiveEngine({ homeNets: privateRanges(), decoders: [] });
    const claim = ethernet(
      { src: a.mac, dst: 'ff:ff:ff:ff:ff:ff', ethertype: 0x0806 },
      arp(2, a.mac, a.ip, 'ff:ff:ff:ff:ff:ff', a.ip),
    );
    const pkt = new PacketRef();
    pkt.linkType = 1;
    // The second and third claims take the repeat fast path; the third is earlier than the first.
    for (const ts of [2000, 3000, 1000]) {
      pkt.buf = claim;
      pkt.offset = 0;
      pkt.caplen = claim.length;
      pkt.origLen = claim.length;
      pkt.tsMs = ts;
      engine.onPacket(pkt);
    }
    const ep = engine.store.endpoints.find((e) => e.mac === a.mac && e.ip === null)!;
    expect(engine.store.factsOf(ep, 'mac.ip')).toEqual([
      { value: a.ip, count: 3, first: 1000, last: 3000, source: 'passive', sent: 0 },
    ]);
  });
});
