// What the engine learns per flow: its two endpoints, passive OS hints (TTL, SYN layout), the
// services a device answers on, application bytes handed to the decoders, and, when the flow
// ends, the connection it adds to a device's outbound (or inbound) traffic.
import type { CidrSet } from '../../core/net/cidr.js';
import type { ObservationValue } from '../../core/observation.js';
import type { ObservationKey } from '../../core/observation-keys.js';
import { IP_PROTO, type PacketInfo, TCP_FLAGS } from '../decode/packet-info.js';
import type { AppContext, Emitter, Transport } from '../decode/types.js';
import { ipText, isStationIp, isStationMac, keyIpText, macText } from './address-text.js';
import { type Endpoint, HOT } from './evidence-store.js';
import { initialTtl, ServiceTexts, SynTexts } from './flow-texts.js';
import type { PassiveEngine } from './passive-engine.js';

// Per-flow bits.
const SYN_FROM = [0x01, 0x02];
const SYNACK_FROM = [0x04, 0x08];
const LOCAL = [0x10, 0x20];
const CREATED_BY_B = 0x40;
/** Ports that identify a server side when no handshake was seen (well-known and common ICS/IoT ports). */
const SERVICE_PORTS = [
  102, 502, 1883, 1900, 2222, 2404, 4840, 5006, 5007, 5094, 5353, 5355, 5560, 5683, 8080, 8443, 8883, 9600,
  20000, 44818, 47808, 554, 8000, 37777, 34964, 4011,
];
/** Well-known ports that are the client's: BOOTP/DHCP (68) and DHCPv6 (546) clients never serve on them. */
const CLIENT_PORTS = [68, 546];

/** Per port, 1 when it looks like a service's: below 1024 or a SERVICE_PORTS one, and not a CLIENT_PORTS one. */
const SERVICE_PORT = new Uint8Array(65536).fill(1, 0, 1024);
for (const p of SERVICE_PORTS) SERVICE_PORT[p] = 1;
for (const p of CLIENT_PORTS) SERVICE_PORT[p] = 0;

function looksLikeService(port: number): boolean {
  return SERVICE_PORT[port] === 1;
}

/**
 * Which side opened a flow, by (flow bits & 0x4f) | whether port 0 / port 1 looks like a service
 * (0x10 / 0x20): from the handshake (a SYN names its sender, else a SYN-ACK its receiver), else the
 * side whose port does not look like a service's when exactly one does, else who spoke first. One
 * lookup, not a chain of tests: V8 compiled the chain before the first flow that showed only a
 * SYN-ACK, or none, ended, and threw the code away then (in #report, finish and #context).
 */
const CLIENT_OF = Int8Array.from({ length: 128 }, (_, i) => {
  if (i & SYN_FROM[0]!) return 0;
  if (i & SYN_FROM[1]!) return 1;
  if (i & SYNACK_FROM[0]!) return 1;
  if (i & SYNACK_FROM[1]!) return 0;
  const s0 = (i & 0x10) !== 0;
  const s1 = (i & 0x20) !== 0;
  if (s0 !== s1) return s0 ? 1 : 0;
  return i & CREATED_BY_B ? 1 : 0;
});

/**
 * FNV-1a over what a SYN signature is made of (initial TTL, window, the option bytes), kept within
 * V8's small integers. Two layouts sharing a digest (about one in 10^9) would count as one.
 */
export function synDigest(info: PacketInfo): number {
  let h = Math.imul(0x811c9dc5 ^ initialTtl(info.ttl), 0x01000193);
  h = Math.imul(h ^ info.window, 0x01000193);
  const buf = info.buf;
  const end = info.tcpOptOff + info.tcpOptLen;
  for (let i = info.tcpOptOff; i < end; i++) h = Math.imul(h ^ buf[i]!, 0x01000193);
  return (h >>> 2) & 0x1fffffff;
}

/** Bound on the IPv4 endpoint cache (the evidence store has its own cap on endpoints). */
const MAX_V4_ENDPOINT_CACHE = 262_144;

/** Bound on the IPv4 address-text cache of application contexts. */
const MAX_V4_TEXT_CACHE = 65_536;

/**
 * An entry of the IPv4 endpoint cache. A class, not an object literal: the GC moves a literal whose
 * objects live long (these do) to old-space allocation, and that throws away the optimised code of
 * every function that inlined it (#endpoint, created, firstFromSide) to be compiled again.
 */
class KnownV4 {
  constructor(
    readonly hi: number,
    readonly lo: number,
    public id: number,
  ) {}
}

export class FlowRecorder implements Emitter {
  readonly #bits: Uint8Array;
  readonly #ep: Int32Array;
  /** UDP payload bytes decoded per flow direction. */
  readonly #udpBytes: Uint32Array;
  /** Last endpoint seen per IPv4 address, with its MAC as two 24-bit halves (-1: none). */
  readonly #v4Endpoints = new Map<number, KnownV4>();
  /** The one context handed to the decoders for TCP directions and datagrams (see #context). */
  readonly #ctx: AppContext = {
    ts: 0,
    transport: 'tcp',
    src: { mac: null, ip: null, port: 0 },
    dst: { mac: null, ip: null, port: 0 },
    fromClient: null,
  };
  /** IPv4 address → its text, for application contexts and connections (see #ipText). */
  readonly #v4Texts = new Map<number, string>();
  readonly #synTexts = new SynTexts();
  readonly #tcpServices = new ServiceTexts('tcp');
  readonly #udpServices = new ServiceTexts('udp');
  /** Per flow: packets (id*2) and bytes (id*2 + 1) already added to the connection table. */
  readonly #reported: Float64Array;
  // Current emitter target.
  #src: Endpoint | null = null;
  #dst: Endpoint | null = null;
  #ts = 0;

  constructor(
    readonly engine: PassiveEngine,
    /** Which addresses are local; the agent may replace it (new flows use the new set). */
    public homeNets: CidrSet,
    readonly udpBytesPerDirection: number,
  ) {
    const max = engine.flows.maxFlows;
    this.#bits = new Uint8Array(max);
    this.#ep = new Int32Array(max * 2);
    this.#udpBytes = new Uint32Array(max * 2);
    this.#reported = new Float64Array(max * 2);
  }

  created(id: number, dir: number, info: PacketInfo, ts: number): void {
    const buf = info.buf;
    const v4 = info.ipVersion === 4;
    const srcLocal = v4
      ? this.homeNets.hasV4(u32(buf, info.srcIpOff))
      : this.homeNets.hasV6(buf, info.srcIpOff);
    const dstLocal = v4
      ? this.homeNets.hasV4(u32(buf, info.dstIpOff))
      : this.homeNets.hasV6(buf, info.dstIpOff);
    let bits = dir ? CREATED_BY_B : 0;
    if (srcLocal) bits |= LOCAL[dir]!;
    if (dstLocal) bits |= LOCAL[dir ^ 1]!;
    this.#bits[id] = bits;
    const f0 = id * 2;
    this.#udpBytes[f0] = 0;
    this.#udpBytes[f0 + 1] = 0;
    this.#reported[f0] = 0;
    this.#reported[f0 + 1] = 0;
    this.engine.streams.reset(f0);
    this.engine.streams.reset(f0 + 1);
    this.#ep[f0 + dir] = srcLocal ? this.#endpoint(info, info.srcMacOff, info.srcIpOff) : -1;
    this.#ep[f0 + (dir ^ 1)] = dstLocal ? this.#endpoint(info, info.dstMacOff, info.dstIpOff) : -1;
    if (info.vlanCount > 0) {
      // The tags as one exact small integer: a repeat is a counter bump without building the text.
      const qinq = info.vlanCount > 1;
      const digest = qinq ? (1 << 24) | (info.vlanOuter << 12) | info.vlanInner : info.vlanOuter;
      const store = this.engine.store;
      for (let side = 0; side < 2; side++) {
        const ep = this.#endpointOf(id, side);
        if (!ep || store.bumpHot(ep, HOT.VLAN, digest, ts)) continue;
        const vlan = qinq ? `${info.vlanOuter}.${info.vlanInner}` : info.vlanOuter;
        store.recordHot(ep, HOT.VLAN, 'net.vlan', vlan, ts, digest);
      }
    }
    this.firstFromSide(id, dir, info, ts);
  }

  /** The first packet from a side: its TTL, and a better endpoint if this side now shows its MAC. */
  firstFromSide(id: number, dir: number, info: PacketInfo, ts: number): void {
    let ep = this.#endpointOf(id, dir);
    if (ep && ep.mac === null && info.srcMacOff >= 0 && isStationMac(info.buf, info.srcMacOff)) {
      // Cooked captures show only the sender's MAC: learn it when this side first sends.
      this.#ep[id * 2 + dir] = this.#endpoint(info, info.srcMacOff, info.srcIpOff);
      ep = this.#endpointOf(id, dir);
    }
    // ICMPv6 neighbour discovery always uses 255 (RFC 4861 §7.1): only transport flows say what the stack defaults to.
    if (ep) ep.sent = true;
    // Link-scoped multicast (LLMNR, SSDP, mDNS, DHCPv6) is sent with hop limits of 1–2 or 255 whatever
    // the stack's default, so only unicast says what the stack's initial TTL is.
    if (
      ep &&
      (info.ipProto === IP_PROTO.TCP || info.ipProto === IP_PROTO.UDP) &&
      isStationIp(info.buf, info.dstIpOff, info.ipVersion)
    ) {
      this.engine.store.recordHot(ep, HOT.TTL, 'ip.ttl', initialTtl(info.ttl), ts);
    }
  }

  syn(id: number, dir: number, info: PacketInfo, ts: number): void {
    const ack = (info.tcpFlags & TCP_FLAGS.ACK) !== 0;
    const bit = ack ? SYNACK_FROM[dir]! : SYN_FROM[dir]!;
    if (this.#bits[id]! & bit) return; // retransmitted SYN
    this.#bits[id]! |= bit;
    const ep = this.#endpointOf(id, dir);
    if (!ep) return;
    const store = this.engine.store;
    const slot = ack ? HOT.SYN_ACK : HOT.SYN;
    // A host sends the same SYN layout all day: recognise it by a digest of the bytes that make the
    // signature and build the text only when it changes.
    const h = synDigest(info);
    if (!store.bumpHot(ep, slot, h, ts)) {
      store.recordHot(ep, slot, ack ? 'tcp.syn_ack' : 'tcp.syn', this.#synTexts.text(info, h), ts, h);
    }
    if (ack && !store.bumpHot(ep, HOT.SERVICE, info.srcPort, ts)) {
      store.recordHot(ep, HOT.SERVICE, 'net.service', this.#tcpServices.text(info.srcPort), ts, info.srcPort);
    }
  }

  datagram(id: number, dir: number, info: PacketInfo, ts: number): void {
    const fd = id * 2 + dir;
    const buf = info.buf;
    // Discovery traffic (broadcast, multicast, unconfigured senders) shares one 5-tuple among many
    // stations, so it is decoded every time; other flows have a per-direction budget.
    const discovery =
      !isStationIp(buf, info.dstIpOff, info.ipVersion) || !isStationIp(buf, info.srcIpOff, info.ipVersion);
    if (!discovery) {
      if (this.#udpBytes[fd]! >= this.udpBytesPerDirection) return;
      this.#udpBytes[fd]! += info.payloadLen;
    }
    const bytes = buf.subarray(info.payloadOff, info.payloadOff + info.payloadLen);
    const ctx = this.#context(id, dir, 'udp', ts, info);
    this.engine.dispatcher.run(bytes, ctx, this);
  }

  /**
   * Decodes a direction's buffered bytes (its buffer is full, it ended, or its flow did), and
   * releases the direction (one with no bytes buffered is only released). What the
   * decoders find carries the capture time of the direction's first buffered segment, not of this
   * moment, which may be minutes later (a flow finished by the idle timeout).
   */
  decodeStream(id: number, dir: number): void {
    const fd = id * 2 + dir;
    const streams = this.engine.streams;
    const bytes = streams.bytes(fd);
    if (bytes) {
      const ts = streams.since(fd);
      const ctx = this.#context(id, dir, 'tcp', ts, null);
      this.engine.dispatcher.run(bytes, ctx, this);
    }
    streams.release(fd);
  }

  /** Non-IP frames (LLDP, CDP, PROFINET DCP…): decoded per frame; they are rare by nature. */
  linkFrame(info: PacketInfo, ts: number): void {
    const buf = info.buf;
    const srcMac =
      info.srcMacOff >= 0 && isStationMac(buf, info.srcMacOff) ? macText(buf, info.srcMacOff) : null;
    const dstMac =
      info.dstMacOff >= 0 && isStationMac(buf, info.dstMacOff) ? macText(buf, info.dstMacOff) : null;
    const ctx: AppContext = {
      ts,
      transport: 'link',
      src: { mac: srcMac, ip: null, port: 0 },
      dst: { mac: dstMac, ip: null, port: 0 },
      fromClient: null,
      ethertype: info.etherType,
    };
    this.#src = srcMac ? this.engine.store.endpoint(srcMac, null) : null;
    this.#dst = dstMac ? this.engine.store.endpoint(dstMac, null) : null;
    if (this.#src) {
      this.#src.seen(ts);
      this.#src.sent = true;
    }
    this.#ts = ts;
    this.engine.dispatcher.run(buf.subarray(info.l3Off, info.end), ctx, this);
  }

  finish(id: number): void {
    const engine = this.engine;
    // Both directions, buffering or not (decodeStream only releases one with nothing buffered):
    // tested first, the calls were a path V8 met cold when the first flow ended with bytes still
    // buffered, late in a capture, and it threw finish away.
    this.decodeStream(id, 0);
    this.decodeStream(id, 1);
    const key = engine.flows.keyOf(id);
    const proto = key[9]! & 0xff;
    const ports = [key[8]! >>> 16, key[8]! & 0xffff];
    const server = this.#clientOf(id, ports[0]!, ports[1]!) ^ 1;
    const first = engine.flows.firstTs(id);
    const last = engine.flows.lastTs(id);
    const a = this.#endpointOf(id, 0);
    const b = this.#endpointOf(id, 1);
    a?.seen(first);
    a?.seen(last);
    b?.seen(first);
    b?.seen(last);
    // A UDP service: the non-initiating side answered from a service-looking port.
    if (proto === IP_PROTO.UDP && engine.flows.packets(id, server) > 0 && looksLikeService(ports[server]!)) {
      const ep = this.#endpointOf(id, server);
      if (ep) engine.store.record(ep, 'net.service', this.#udpServices.text(ports[server]!), last);
    }
    this.#report(id);
  }

  /**
   * A flow still alive (a Modbus session can last for weeks): adds its traffic since the last report
   * to the connection table, so a long-running agent reports it as it grows, each packet once.
   */
  reportLive(id: number): void {
    const last = this.engine.flows.lastTs(id);
    this.#endpointOf(id, 0)?.seen(last);
    this.#endpointOf(id, 1)?.seen(last);
    this.#report(id);
  }

  /** Adds the endpoint ids live flows refer to (they must survive an eviction). */
  endpointsInUse(into: Set<number>): void {
    const flows = this.engine.flows;
    for (let id = flows.oldest(); id >= 0; id = flows.newer(id)) {
      if (this.#ep[id * 2]! >= 0) into.add(this.#ep[id * 2]!);
      if (this.#ep[id * 2 + 1]! >= 0) into.add(this.#ep[id * 2 + 1]!);
    }
  }

  /** After the evidence store renumbered its endpoints: old id → new id (-1: evicted). */
  remapEndpoints(map: Int32Array): void {
    const ep = this.#ep;
    for (let i = 0; i < ep.length; i++) if (ep[i]! >= 0) ep[i] = map[ep[i]!] ?? -1;
    // The IPv4 lookup cache holds endpoint ids too: a stale one would file facts under another device.
    for (const [ip4, known] of this.#v4Endpoints) {
      const id = map[known.id] ?? -1;
      if (id < 0) this.#v4Endpoints.delete(ip4);
      else known.id = id;
    }
  }

  /** The flow's packets and bytes not yet reported, as a connection of its local side (if exactly one). */
  #report(id: number): void {
    const engine = this.engine;
    const f0 = id * 2;
    const packets = engine.flows.packets(id, 0) + engine.flows.packets(id, 1);
    const bytes = engine.flows.bytes(id, 0) + engine.flows.bytes(id, 1);
    const newPackets = packets - this.#reported[f0]!;
    const newBytes = bytes - this.#reported[f0 + 1]!;
    if (newPackets === 0 && newBytes === 0) return;
    this.#reported[f0] = packets;
    this.#reported[f0 + 1] = bytes;
    const key = engine.flows.keyOf(id);
    const proto = key[9]! & 0xff;
    const ports = [key[8]! >>> 16, key[8]! & 0xffff];
    const client = this.#clientOf(id, ports[0]!, ports[1]!);
    const server = client ^ 1;
    const bits = this.#bits[id]!;
    const localClient = (bits & LOCAL[client]!) !== 0;
    const localServer = (bits & LOCAL[server]!) !== 0;
    if (localClient === localServer) return;
    const side = localClient ? client : server;
    const ep = this.#ep[f0 + side]!;
    if (ep < 0) return;
    const protoName =
      proto === IP_PROTO.TCP
        ? 'tcp'
        : proto === IP_PROTO.UDP
          ? 'udp'
          : proto === 1 || proto === 58
            ? 'icmp'
            : 'other';
    const hasPorts = protoName === 'tcp' || protoName === 'udp';
    engine.connections.add(
      {
        endpoint: ep,
        remoteIp: this.#ipText(key, side ^ 1),
        remotePort: localClient && hasPorts ? ports[server]! : null,
        localPort: !localClient && hasPorts ? ports[server]! : null,
        direction: localClient ? 'outbound' : 'inbound',
        proto: protoName,
      },
      newPackets,
      newBytes,
      engine.flows.firstTs(id),
      engine.flows.lastTs(id),
    );
  }

  // --- Emitter: observations from the application decoders ---

  observe(about: 'src' | 'dst', key: ObservationKey, value: ObservationValue): void {
    const ep = about === 'src' ? this.#src : this.#dst;
    if (ep) this.engine.store.record(ep, key, value, this.#ts);
  }

  /** A fact about a station named by its MAC (a DHCP client behind a relay, a DHCPv6 DUID). */
  observeMac(mac: string, key: ObservationKey, value: ObservationValue): void {
    const ep = this.engine.store.endpoint(mac, null);
    if (ep) this.engine.store.record(ep, key, value, this.#ts);
  }

  nameAddress(ip: string, name: string): void {
    this.engine.store.nameAddress(ip, name);
  }

  anomaly(name: string): void {
    const s = this.engine.skipped;
    s[`anomaly_${name}`] = (s[`anomaly_${name}`] ?? 0) + 1;
  }

  // --- helpers ---

  /** Which side opened the flow: from the handshake, else a service-looking port, else who spoke first. */
  #clientOf(id: number, port0: number, port1: number): number {
    const bits =
      this.#bits[id]! & (SYN_FROM[0]! | SYN_FROM[1]! | SYNACK_FROM[0]! | SYNACK_FROM[1]! | CREATED_BY_B);
    return CLIENT_OF[bits | (SERVICE_PORT[port0]! << 4) | (SERVICE_PORT[port1]! << 5)]!;
  }

  /**
   * The context of the bytes about to be decoded, in one object reused for every direction and
   * datagram (decoders use it during the call only: types.ts); a fresh one per call was ~37 MB of
   * short-lived objects on the bench capture. Also points the emitter at the sender and receiver.
   */
  #context(id: number, dir: number, transport: Transport, ts: number, info: PacketInfo | null): AppContext {
    const key = this.engine.flows.keyOf(id);
    const p0 = key[8]! >>> 16;
    const p1 = key[8]! & 0xffff;
    const src = this.#endpointOf(id, dir);
    const dst = this.#endpointOf(id, dir ^ 1);
    this.#src = src;
    this.#dst = dst;
    this.#ts = ts;
    const client = transport === 'tcp' ? this.#clientOf(id, p0, p1) : -1;
    const ctx = this.#ctx;
    ctx.ts = ts;
    ctx.transport = transport;
    ctx.src.mac = src?.mac ?? (info ? this.#macAt(info, info.srcMacOff) : null);
    // A local side's endpoint already holds the same text (both come from ipText of this address).
    ctx.src.ip = src?.ip ?? this.#ipText(key, dir);
    ctx.src.port = dir ? p1 : p0;
    ctx.dst.mac = dst?.mac ?? (info ? this.#macAt(info, info.dstMacOff) : null);
    ctx.dst.ip = dst?.ip ?? this.#ipText(key, dir ^ 1);
    ctx.dst.port = dir ? p0 : p1;
    ctx.fromClient = client < 0 ? null : client === dir;
    return ctx;
  }

  /**
   * Address text of a flow key's side. IPv4 texts are remembered (bounded, cleared when full): remote
   * servers recur across thousands of flows, and one string per address also spares the evidence
   * store's name map a fresh string hash per lookup.
   */
  #ipText(key: Uint32Array, side: number): string {
    if (key[9]! >> 8 !== 4) return keyIpText(key, side);
    // As a signed 32-bit number: a small integer to V8, where addresses from 128.0.0.0 up read as
    // unsigned would be heap numbers, allocated and hashed as doubles on every lookup.
    const ip4 = key[side]! | 0;
    return this.#v4Texts.get(ip4) ?? this.#newIpText(key, side, ip4);
  }

  /** #ipText's miss, a method of its own: rare enough that TurboFan keeps it out of its callers' code. */
  #newIpText(key: Uint32Array, side: number, ip4: number): string {
    const text = keyIpText(key, side);
    if (this.#v4Texts.size >= MAX_V4_TEXT_CACHE) this.#v4Texts.clear();
    this.#v4Texts.set(ip4, text);
    return text;
  }

  #macAt(info: PacketInfo, off: number): string | null {
    return off >= 0 && isStationMac(info.buf, off) ? macText(info.buf, off) : null;
  }

  #endpointOf(id: number, side: number): Endpoint | null {
    const e = this.#ep[id * 2 + side]!;
    return e >= 0 ? (this.engine.store.endpoints[e] ?? null) : null;
  }

  /** A local station's endpoint: its MAC when the frame shows a station MAC, and its address. */
  #endpoint(info: PacketInfo, macOff: number, ipOff: number): number {
    const buf = info.buf;
    if (!isStationIp(buf, ipOff, info.ipVersion)) {
      // Broadcast/multicast destinations and 0.0.0.0 senders: only the MAC can name a station.
      if (macOff < 0 || !isStationMac(buf, macOff)) return -1;
      return this.engine.store.endpoint(macText(buf, macOff), null)?.id ?? -1;
    }
    // A group MAC (multicast/broadcast) is not a station; an all-zero MAC (anonymised captures,
    // some emulators) names nobody, so the address alone keys the endpoint.
    if (macOff >= 0 && buf[macOff]! & 1) return -1;
    const hasMac = macOff >= 0 && isStationMac(buf, macOff);
    // IPv4 fast path: most flows are between endpoints already known, so look them up by number
    // (address, MAC halves) before building the text key.
    const v4 = info.ipVersion === 4;
    // Signed: a small integer to V8 (see #ipText).
    let ip4 = 0;
    let hi = -1;
    let lo = -1;
    if (v4) {
      ip4 = u32(buf, ipOff) | 0;
      if (hasMac) {
        hi = (buf[macOff]! << 16) | (buf[macOff + 1]! << 8) | buf[macOff + 2]!;
        lo = (buf[macOff + 3]! << 16) | (buf[macOff + 4]! << 8) | buf[macOff + 5]!;
      }
      const known = this.#v4Endpoints.get(ip4);
      if (known && known.hi === hi && known.lo === lo) return known.id;
    }
    return this.#textEndpoint(info, macOff, ipOff, hasMac, ip4, hi, lo);
  }

  /**
   * #endpoint past the IPv4 cache (a new station, a changed MAC, IPv6): the endpoint by its text
   * key. A method of its own: it runs for ~4,000 of the bench capture's ~70,000 lookups, and called
   * that rarely TurboFan leaves it out of #endpoint's code instead of compiling it in.
   */
  #textEndpoint(
    info: PacketInfo,
    macOff: number,
    ipOff: number,
    hasMac: boolean,
    ip4: number,
    hi: number,
    lo: number,
  ): number {
    const buf = info.buf;
    const mac = hasMac ? macText(buf, macOff) : null;
    const id = this.engine.store.endpoint(mac, ipText(buf, ipOff, info.ipVersion))?.id ?? -1;
    if (info.ipVersion === 4 && id >= 0 && this.#v4Endpoints.size < MAX_V4_ENDPOINT_CACHE)
      this.#v4Endpoints.set(ip4, new KnownV4(hi, lo, id));
    return id;
  }
}

function u32(b: Uint8Array, o: number): number {
  return ((b[o]! << 24) | (b[o + 1]! << 16) | (b[o + 2]! << 8) | b[o + 3]!) >>> 0;
}
