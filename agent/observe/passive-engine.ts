// Packets → observations. The per-packet path decodes L2–L4 into one reused PacketInfo, updates
// the flow table and buffers the first bytes of each TCP direction; everything that allocates
// (endpoints, text, application decoding) happens once per flow, per direction or per datagram.
import type { CidrSet } from '../../core/net/cidr.js';
import type { PacketRef } from '../capture/types.js';
import { decodeArp } from '../decode/arp.js';
import { isDecoderError } from '../decode/errors.js';
import { decodeEthernet } from '../decode/ethernet.js';
import { decodeNd, ND_NEIGHBOR_ADVERT, ND_NEIGHBOR_SOLICIT, ND_ROUTER_ADVERT } from '../decode/icmpv6.js';
import { decodeIpv4 } from '../decode/ipv4.js';
import { decodeIpv6 } from '../decode/ipv6.js';
import { decodeNull } from '../decode/null-loopback.js';
import { ETHERTYPE, FRAGMENT_LATER, IP_PROTO, PacketInfo, TCP_FLAGS } from '../decode/packet-info.js';
import { decodeSll, decodeSll2 } from '../decode/sll.js';
import { decodeTcp } from '../decode/tcp.js';
import type { AppDecoder } from '../decode/types.js';
import { decodeUdp } from '../decode/udp.js';
import { ipText, isStationIp, isStationMac, macText } from './address-text.js';
import { AppDispatcher } from './app-dispatch.js';
import { ClosedFlows } from './closed-flows.js';
import { type ConnectionAgg, ConnectionTable } from './connection-table.js';
import { type Endpoint, type EvidenceLimits, EvidenceStore } from './evidence-store.js';
import { FlowRecorder } from './flow-recorder.js';
import { FlowTable } from './flow-table.js';
import { StreamBuffers } from './stream-buffers.js';

export interface EngineOptions {
  /** Home networks: addresses in them are devices, others are remote (default: private ranges). */
  homeNets: CidrSet;
  decoders: readonly AppDecoder[];
  maxFlows?: number;
  /** A flow idle this long is finished and its memory freed (default 300 s of capture time). */
  idleTimeoutMs?: number;
  streamBytes?: number;
  streamBuffers?: number;
  /** UDP payload bytes decoded per flow direction, whole datagrams (default: streamBytes, 4096); discovery multicast is always decoded. */
  udpBytesPerDirection?: number;
  evidence?: Partial<EvidenceLimits>;
}

const SWEEP_EVERY = 4096;
/**
 * The rare branches of the per-packet path — a sweep, a FIN or RST, a full stream buffer — are
 * entered once with nothing to do when this many packets have reached the sweep count. V8 compiles
 * onPacket, #flow and #tcp after a few hundred packets, with type feedback only for the branches
 * taken by then, and threw that code away at the first sweep, close or full buffer that came later,
 * to compile it again (bench capture: #flow compiled 3 times, onPacket twice). 32 packets: after V8
 * has given the functions their feedback vectors (a few calls), before it compiles them.
 */
const PRIME_AT = 32;

export class PassiveEngine {
  readonly flows: FlowTable;
  readonly streams: StreamBuffers;
  readonly store: EvidenceStore;
  readonly connections = new ConnectionTable();
  readonly dispatcher: AppDispatcher;
  /** Counted, never fatal: unknown link types, malformed packets by protocol, fragments… */
  readonly skipped: Record<string, number> = {};
  // packets, bytes, latest capture time: per-packet numbers in a typed array (see PacketRef).
  readonly #num = new Float64Array(4);
  get packets(): number {
    return this.#num[0]!;
  }
  get bytes(): number {
    return this.#num[1]!;
  }
  evictedFlows = 0;
  flowsSeen = 0;
  readonly #info = new PacketInfo();
  readonly #rec: FlowRecorder;
  readonly #closed: ClosedFlows;
  /** Last ARP claim per IPv4 address (MAC as two 24-bit halves), for the repeat fast path. */
  readonly #arpSeen = new Map<number, { hi: number; lo: number; ep: Endpoint; row: number }>();
  readonly #idle: number;
  #sinceSweep = 0;
  /** The sweep count at which onPacket enters #sweep early (PRIME_AT), then -1. */
  #primeSweepAt = PRIME_AT;
  /** Whether #tcp has yet to enter #tcpEnd early (PRIME_AT). */
  #tcpUnprimed = true;
  /**
   * Whether any decoder reads TCP streams / UDP datagrams: without one, bytes are neither buffered nor
   * dispatched (`analyze` with decoders: [] measures the per-packet path alone this way).
   */
  readonly #tcpApps: boolean;
  readonly #udpApps: boolean;

  constructor(readonly opts: EngineOptions) {
    // The current packet's time, read by both (a view of #num[3], not an argument: see #flow).
    const clock = this.#num.subarray(3, 4);
    this.flows = new FlowTable({ maxFlows: opts.maxFlows }, clock);
    this.streams = new StreamBuffers(
      this.flows.maxFlows,
      { bytesPerDirection: opts.streamBytes, maxBuffers: opts.streamBuffers },
      clock,
    );
    this.store = new EvidenceStore(opts.evidence);
    this.dispatcher = new AppDispatcher(opts.decoders);
    this.#idle = opts.idleTimeoutMs ?? 300_000;
    this.#tcpApps = opts.decoders.some((d) => d.transports.includes('tcp'));
    this.#udpApps = opts.decoders.some((d) => d.transports.includes('udp'));
    this.#closed = new ClosedFlows(this.flows.maxFlows);
    this.#rec = new FlowRecorder(this, opts.homeNets, opts.udpBytesPerDirection ?? opts.streamBytes ?? 4096);
  }

  /** The packet handler for a CaptureStream. */
  readonly onPacket = (pkt: PacketRef): void => {
    const num = this.#num;
    num[0]!++;
    num[1]! += pkt.origLen;
    const ts = pkt.tsMs;
    if (ts > num[2]!) num[2] = ts;
    num[3] = ts;
    const info = this.#info;
    info.reset(pkt.buf, pkt.offset, pkt.caplen, pkt.linkType);
    try {
      if (!this.#link(pkt, info)) return;
      const et = info.etherType;
      if (et === ETHERTYPE.IPV4) decodeIpv4(info.buf, info.l3Off, info);
      else if (et === ETHERTYPE.IPV6) decodeIpv6(info.buf, info.l3Off, info);
      else {
        this.#nonIp(info, ts);
        return;
      }
      if (info.fragment === FRAGMENT_LATER) {
        this.#skip('ip_fragment_later');
        return;
      }
      const proto = info.ipProto;
      if (proto === IP_PROTO.TCP) decodeTcp(info.buf, info.l4Off, info);
      else if (proto === IP_PROTO.UDP) decodeUdp(info.buf, info.l4Off, info);
      else if (proto === IP_PROTO.ICMPV6) this.#neighbour(info, ts);
      this.#flow(info, pkt.origLen);
    } catch (err) {
      if (!isDecoderError(err)) throw err;
      this.#skip(`${err.name === 'TruncatedError' ? 'truncated' : 'malformed'}_${err.protocol}`);
    }
    const due = ++this.#sinceSweep >= SWEEP_EVERY;
    if (due || this.#sinceSweep === this.#primeSweepAt) this.#sweep(due);
  };

  /** Finishes every flow (end of input): pending application bytes are decoded now. */
  finish(): void {
    for (let id = this.flows.oldest(); id >= 0; id = this.flows.oldest()) this.#end(id);
  }

  /** New home networks (the agent pulled them from the collector): flows from now on use them. */
  setHomeNets(nets: CidrSet): void {
    this.#rec.homeNets = nets;
  }

  /**
   * The long-running agent's periodic report: connection traffic since the previous drain, including
   * flows still alive (each packet is counted in exactly one drain). Empties the connection table.
   */
  drainConnections(): ConnectionAgg[] {
    for (let id = this.flows.oldest(); id >= 0; id = this.flows.newer(id)) this.#rec.reportLive(id);
    return this.connections.drain();
  }

  /**
   * Frees endpoints `evictable` allows, except those a live flow or a pending connection row refers
   * to. Returns how many went. The caller decides (the agent: long unseen and fully reported).
   */
  evictEndpoints(evictable: (ep: Endpoint) => boolean): number {
    const inUse = new Set<number>();
    this.#rec.endpointsInUse(inUse);
    for (const row of this.connections.rows.values()) inUse.add(row.endpoint);
    const { remap, evicted } = this.store.evict((ep) => inUse.has(ep.id) || !evictable(ep));
    if (evicted.length === 0) return 0;
    this.#rec.remapEndpoints(remap);
    this.connections.remapEndpoints(remap);
    const gone = new Set(evicted);
    for (const [ip, seen] of this.#arpSeen) if (gone.has(seen.ep)) this.#arpSeen.delete(ip);
    return evicted.length;
  }

  /** Decodes the link header; false when the link type is not one we read. */
  #link(pkt: PacketRef, info: PacketInfo): boolean {
    const lt = pkt.linkType;
    if (lt === 1) decodeEthernet(info.buf, pkt.offset, info);
    else if (lt === 113) decodeSll(info.buf, pkt.offset, info);
    else if (lt === 276) decodeSll2(info.buf, pkt.offset, info);
    else if (lt === 101 || lt === 228 || lt === 229 || lt === 12 || lt === 14) {
      // Raw IP: 101 (and the BSD aliases 12/14) by version nibble, 228 IPv4, 229 IPv6.
      const v = pkt.caplen > 0 ? info.buf[pkt.offset]! >> 4 : 0;
      info.etherType =
        lt === 228 || (lt !== 229 && v === 4) ? ETHERTYPE.IPV4 : lt === 229 || v === 6 ? ETHERTYPE.IPV6 : 0;
      info.l3Off = pkt.offset;
    } else if (lt === 0 || lt === 108) decodeNull(info.buf, pkt.offset, info, lt === 108);
    else {
      this.#skip(`link_type_${lt}`);
      return false;
    }
    return true;
  }

  // The per-packet calls below take the packet time from #num[3], not as an argument: a double
  // passed to a function V8 does not inline is boxed into a new heap number on every call.
  #flow(info: PacketInfo, wireLen: number): void {
    const flows = this.flows;
    let id = flows.lookup(info);
    if (id < 0) {
      this.#end(flows.oldest());
      this.evictedFlows++;
      id = flows.lookup(info);
    }
    const dir = flows.dir;
    const fd = id * 2 + dir;
    const firstFromSide = flows.count(id, dir, wireLen);
    if (flows.created) {
      const ts = this.#num[3]!;
      this.flowsSeen++;
      this.#closed.created(id);
      this.#rec.created(id, dir, info, ts);
    } else if (firstFromSide) {
      this.#rec.firstFromSide(id, dir, info, this.#num[3]!);
    }
    if (info.ipProto === IP_PROTO.TCP) this.#tcp(id, dir, fd, info);
    else if (info.ipProto === IP_PROTO.UDP && info.payloadLen > 0 && this.#udpApps)
      this.#rec.datagram(id, dir, info, this.#num[3]!);
  }

  #tcp(id: number, dir: number, fd: number, info: PacketInfo): void {
    const flags = info.tcpFlags;
    if (flags & TCP_FLAGS.SYN) {
      this.streams.syn(fd, info.seq);
      this.#rec.syn(id, dir, info, this.#num[3]!);
    }
    const streams = this.streams;
    let full = false;
    if (info.payloadLen > 0 && this.#tcpApps && streams.state[fd] !== 3)
      full = streams.add(fd, info.seq, info.buf, info.payloadOff, info.payloadLen);
    if (
      full ||
      (flags & (TCP_FLAGS.FIN | TCP_FLAGS.RST)) !== 0 ||
      (this.#tcpUnprimed && this.#sinceSweep >= PRIME_AT)
    )
      this.#tcpEnd(id, dir, fd, flags, full);
  }

  /** Out of the per-packet line: a direction's buffer is full (time to decode it), or a FIN or RST. */
  #tcpEnd(id: number, dir: number, fd: number, flags: number, full: boolean): void {
    if (full) this.#rec.decodeStream(id, dir);
    if (flags & (TCP_FLAGS.FIN | TCP_FLAGS.RST)) {
      const streams = this.streams;
      const ts = this.#num[3]!;
      if (streams.pending(fd)) this.#rec.decodeStream(id, dir);
      const other = fd ^ 1;
      if (flags & TCP_FLAGS.RST && streams.pending(other)) this.#rec.decodeStream(id, dir ^ 1);
      this.#closed.tcpFlags(id, dir, (flags & TCP_FLAGS.FIN) !== 0, (flags & TCP_FLAGS.RST) !== 0, ts);
    } else if (!full) {
      this.#tcpUnprimed = false; // the early entry with nothing to do (PRIME_AT)
    }
  }

  #nonIp(info: PacketInfo, ts: number): void {
    const et = info.etherType;
    if (et === ETHERTYPE.ARP) {
      const arp = decodeArp(info.buf, info.l3Off, info.end);
      this.#arpClaim(info.buf, arp.senderMacOff, arp.senderIp, ts);
      if (arp.op === 2) this.#arpClaim(info.buf, arp.targetMacOff, arp.targetIp, ts);
      return;
    }
    this.#rec.linkFrame(info, ts);
  }

  /**
   * ARP repeats the same claims all day: a claim already seen (same address, same MAC) only bumps
   * its count, without building text; a new or changed claim goes through #bind.
   */
  #arpClaim(buf: Uint8Array, macOff: number, ip: number, ts: number): void {
    const hi = (buf[macOff]! << 16) | (buf[macOff + 1]! << 8) | buf[macOff + 2]!;
    const lo = (buf[macOff + 3]! << 16) | (buf[macOff + 4]! << 8) | buf[macOff + 5]!;
    // Keyed signed: a small integer to V8, where 128.0.0.0 and up read unsigned are heap numbers.
    const key = ip | 0;
    const known = ip === 0 ? undefined : this.#arpSeen.get(key);
    if (known && known.hi === hi && known.lo === lo) {
      this.store.rows.bump(known.row, ts);
      known.ep.seen(ts);
      return;
    }
    if (ip === 0) {
      this.#bind(buf, macOff, null, ts);
      return;
    }
    const text = ipText(buf, macOff + 6, 4);
    const ep = this.#bind(buf, macOff, text, ts);
    const row = ep ? this.store.find(ep, 'mac.ip', text) : -1;
    if (ep && row >= 0 && this.#arpSeen.size < 65_536) this.#arpSeen.set(key, { hi, lo, ep, row });
  }

  /** ICMPv6 neighbour discovery: address claims with the MAC in a link-layer option. */
  #neighbour(info: PacketInfo, ts: number): void {
    const nd = decodeNd(info.buf, info.l4Off, info.l4End);
    if (!nd) return;
    const buf = info.buf;
    if (nd.type === ND_NEIGHBOR_ADVERT && nd.targetOff >= 0) {
      const macOff = nd.targetLlOff >= 0 ? nd.targetLlOff : info.srcMacOff;
      if (macOff >= 0) this.#bind(buf, macOff, ipText(buf, nd.targetOff, 6), ts);
    } else if ((nd.type === ND_NEIGHBOR_SOLICIT || nd.type === ND_ROUTER_ADVERT) && nd.sourceLlOff >= 0) {
      if (isStationIp(buf, info.srcIpOff, 6))
        this.#bind(buf, nd.sourceLlOff, ipText(buf, info.srcIpOff, 6), ts);
    }
  }

  /** A MAC claiming an address (ARP, NDP): strong evidence of who owns the address. */
  #bind(buf: Uint8Array, macOff: number, ip: string | null, ts: number): Endpoint | null {
    if (!isStationMac(buf, macOff)) return null;
    const ep = this.store.endpoint(macText(buf, macOff), null);
    if (!ep) return null;
    ep.sent = true;
    if (ip) this.store.record(ep, 'mac.ip', ip, ts);
    else ep.seen(ts);
    return ep;
  }

  /** Finishes flows idle longer than the timeout, oldest first (when `due`: see PRIME_AT). */
  #sweep(due: boolean): void {
    if (!due) {
      this.#primeSweepAt = -1;
      return;
    }
    this.#sinceSweep = 0;
    const now = this.#num[2]!;
    this.#closed.expire(now, this.#endClosed);
    const limit = now - this.#idle;
    for (let id = this.flows.oldest(); id >= 0 && this.flows.lastTs(id) < limit; id = this.flows.oldest()) {
      this.#end(id);
    }
  }

  #end(id: number): void {
    this.#rec.finish(id);
    this.flows.remove(id);
    this.#closed.ended(id);
  }

  readonly #endClosed = (id: number): void => this.#end(id);

  #skip(name: string): void {
    this.skipped[name] = (this.skipped[name] ?? 0) + 1;
  }
}
