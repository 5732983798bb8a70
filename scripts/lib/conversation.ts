// Builds whole conversations (TCP handshake, segmented data both ways with ACKs, FIN) and single
// datagrams as frames, for generated captures. Deterministic: the caller's clock sets every time.
import { TCP, tcpFrame, udpFrame } from './frames.js';
import type { FrameRecord } from './pcap-writer.js';

export interface Host {
  mac: string;
  ip: string;
  /** 802.1Q tags on frames this host sends and receives, outer first. */
  vlans?: number[];
  /** Initial TTL of the host's stack (64 Linux/Unix, 128 Windows, 255 network gear, 30/32 some PLCs). */
  ttl?: number;
}

/** Capture-time clock in ns; every frame advances it by a step. */
export class Clock {
  constructor(
    public ns: bigint,
    readonly stepNs: bigint = 200_000n,
  ) {}
  next(): bigint {
    this.ns += this.stepNs;
    return this.ns;
  }
}

export interface TcpExchange {
  from: 'client' | 'server';
  data: Uint8Array;
}

export interface TcpOptions {
  mss?: number;
  window?: number;
  /** SYN options bytes (defaults to a Linux-like MSS,SACK,TS,NOP,WS layout). */
  synOptions?: Uint8Array;
  /** The L2 next hop for a remote server: frames to/from it use this MAC instead of the server's. */
  gatewayMac?: string;
  /** Leave the connection open (no FIN): a capture that stops mid-conversation. */
  noFin?: boolean;
}

export const LINUX_SYN_OPTIONS = Uint8Array.from([
  2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7,
]);
export const WINDOWS_SYN_OPTIONS = Uint8Array.from([2, 4, 5, 0xb4, 1, 3, 3, 8, 1, 1, 4, 2]);

export function tcpSession(
  clock: Clock,
  client: Host,
  server: Host,
  sport: number,
  dport: number,
  exchanges: readonly TcpExchange[],
  opts: TcpOptions = {},
): FrameRecord[] {
  const frames: FrameRecord[] = [];
  const mss = opts.mss ?? 1448;
  const serverMac = opts.gatewayMac ?? server.mac;
  const vlans = client.vlans ?? server.vlans;
  let cseq = 1_000_000 + sport * 7;
  let sseq = 5_000_000 + dport * 13;
  const c2s = (flags: number, payload?: Uint8Array, options?: Uint8Array) =>
    frames.push({
      tsNs: clock.next(),
      data: tcpFrame(
        { src: client.mac, dst: serverMac, vlans },
        {
          src: client.ip,
          dst: server.ip,
          sport,
          dport,
          seq: cseq,
          ack: sseq,
          flags,
          window: opts.window ?? 64240,
          options,
          ttl: client.ttl,
        },
        payload,
      ),
    });
  const s2c = (flags: number, payload?: Uint8Array, options?: Uint8Array) =>
    frames.push({
      tsNs: clock.next(),
      data: tcpFrame(
        { src: serverMac, dst: client.mac, vlans },
        {
          src: server.ip,
          dst: client.ip,
          sport: dport,
          dport: sport,
          seq: sseq,
          ack: cseq,
          flags,
          window: 65160,
          options,
          ttl: server.ttl,
        },
        payload,
      ),
    });
  const synOpts = opts.synOptions ?? LINUX_SYN_OPTIONS;
  c2s(TCP.SYN, undefined, synOpts);
  cseq++;
  s2c(TCP.SYN | TCP.ACK, undefined, Uint8Array.from([2, 4, 5, 0xb4, 4, 2, 1, 3, 3, 7]));
  sseq++;
  c2s(TCP.ACK);
  for (const ex of exchanges) {
    for (let off = 0; off < ex.data.length; off += mss) {
      const seg = ex.data.subarray(off, Math.min(ex.data.length, off + mss));
      if (ex.from === 'client') {
        c2s(TCP.ACK | TCP.PSH, seg);
        cseq = (cseq + seg.length) >>> 0;
      } else {
        s2c(TCP.ACK | TCP.PSH, seg);
        sseq = (sseq + seg.length) >>> 0;
      }
      // Delayed ACK: one for every second full segment and at the end of each message.
      const last = off + mss >= ex.data.length;
      if (last || (off / mss) % 2 === 1) {
        if (ex.from === 'client') s2c(TCP.ACK);
        else c2s(TCP.ACK);
      }
    }
  }
  if (!opts.noFin) {
    c2s(TCP.FIN | TCP.ACK);
    cseq++;
    s2c(TCP.FIN | TCP.ACK);
    sseq++;
    c2s(TCP.ACK);
  }
  return frames;
}

/** One UDP datagram from `from` to `to` (a multicast/broadcast `to.mac` is fine). */
export function datagram(
  clock: Clock,
  from: Host,
  to: Host,
  sport: number,
  dport: number,
  payload: Uint8Array,
): FrameRecord {
  return {
    tsNs: clock.next(),
    data: udpFrame(
      { src: from.mac, dst: to.mac, vlans: from.vlans ?? to.vlans },
      { src: from.ip, dst: to.ip, sport, dport, ttl: from.ttl },
      payload,
    ),
  };
}

export const BROADCAST: Host = { mac: 'ff:ff:ff:ff:ff:ff', ip: '255.255.255.255' };
export const MDNS_V4: Host = { mac: '01:00:5e:00:00:fb', ip: '224.0.0.251' };
export const SSDP_V4: Host = { mac: '01:00:5e:7f:ff:fa', ip: '239.255.255.250' };

export function text(s: string): Uint8Array {
  return Buffer.from(s, 'latin1');
}
