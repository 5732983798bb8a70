// Builds a whole TCP conversation as frames for generated captures: three-way handshake, data turns
// split at the MSS and acknowledged, FIN both ways. Sequence numbers and timestamps are deterministic.
import { TCP, tcpFrame } from './frames.js';
import type { FrameRecord } from './pcap-writer.js';

export interface TcpPeer {
  /** The MAC frames from this peer carry on the capture's link (the router's, for a remote host). */
  mac: string;
  ip: string;
  port: number;
  /** Initial sequence number. */
  isn: number;
  /** IP TTL as captured (64 Linux, 128 Windows, 255 many network OSes). */
  ttl?: number;
  window?: number;
  /** Raw options on this peer's SYN or SYN+ACK (MSS, SACK-permitted, timestamps, window scale). */
  synOptions?: Uint8Array;
}

export interface TcpTurn {
  from: 'client' | 'server';
  data: Uint8Array;
}

export interface ConversationTiming {
  startNs: bigint;
  /** Round-trip time between the peers, ns (LAN default 400 µs). */
  rttNs?: bigint;
  /** Gap between back-to-back segments of one sender, ns. */
  gapNs?: bigint;
  mss?: number;
}

/** TCP options: MSS 1460, NOP, window scale 8, NOP, NOP, SACK permitted (a Windows 10/11 SYN). */
export const WINDOWS_SYN = Uint8Array.from([2, 4, 0x05, 0xb4, 1, 3, 3, 8, 1, 1, 4, 2]);
/** MSS 1460, NOP, NOP, SACK permitted, NOP, window scale 2, no timestamps: a small embedded Linux. */
export const EMBEDDED_LINUX = Uint8Array.from([2, 4, 0x05, 0xb4, 1, 1, 4, 2, 1, 3, 3, 2]);
/** MSS only: what many RTOS stacks (VxWorks, VRP) answer with. */
export const MSS_ONLY = Uint8Array.from([2, 4, 0x05, 0xb4]);

export function tcpConversation(
  client: TcpPeer,
  server: TcpPeer,
  turns: readonly TcpTurn[],
  timing: ConversationTiming,
): { frames: FrameRecord[]; endNs: bigint } {
  const rtt = timing.rttNs ?? 400_000n;
  const gap = timing.gapNs ?? 20_000n;
  const mss = timing.mss ?? 1460;
  const frames: FrameRecord[] = [];
  let t = timing.startNs;
  const next = { client: client.isn + 1, server: server.isn + 1 };
  const peer = (side: 'client' | 'server') => (side === 'client' ? client : server);
  // RFC 7323 §2.2: window scaling is on only when both SYNs carry the option; then later windows
  // are the SYN's window shifted right by the sender's own scale.
  const shifts = [windowShift(client.synOptions), windowShift(server.synOptions)];
  const scaled = shifts[0] !== null && shifts[1] !== null;
  const dataWindow = (side: 'client' | 'server') => {
    const window = peer(side).window ?? 64240;
    return scaled ? window >> (shifts[side === 'client' ? 0 : 1] ?? 0) : window;
  };
  const other = (side: 'client' | 'server') => (side === 'client' ? 'server' : 'client');

  const send = (side: 'client' | 'server', flags: number, payload?: Uint8Array, options?: Uint8Array) => {
    const from = peer(side);
    const to = peer(other(side));
    const syn = (flags & TCP.SYN) !== 0;
    const seq = syn ? from.isn : next[side];
    const data = tcpFrame(
      { src: from.mac, dst: to.mac },
      {
        src: from.ip,
        dst: to.ip,
        sport: from.port,
        dport: to.port,
        seq,
        ack: flags & TCP.ACK ? next[other(side)] : 0,
        flags,
        window: syn ? (from.window ?? 64240) : dataWindow(side),
        options,
        ttl: from.ttl,
      },
      payload,
    );
    frames.push({ tsNs: t, data });
    if (!syn) next[side] = (next[side] + (payload?.length ?? 0) + (flags & TCP.FIN ? 1 : 0)) >>> 0;
  };

  send('client', TCP.SYN, undefined, client.synOptions);
  t += rtt / 2n;
  send('server', TCP.SYN | TCP.ACK, undefined, server.synOptions);
  t += rtt / 2n;
  send('client', TCP.ACK);
  for (const turn of turns) {
    t += gap;
    for (let i = 0; i < turn.data.length; i += mss) {
      const last = i + mss >= turn.data.length;
      send(turn.from, TCP.ACK | (last ? TCP.PSH : 0), turn.data.subarray(i, i + mss));
      if (!last) t += gap;
    }
    t += rtt / 2n;
    send(other(turn.from), TCP.ACK);
    t += rtt / 2n;
  }
  t += gap;
  send('client', TCP.FIN | TCP.ACK);
  t += rtt / 2n;
  send('server', TCP.FIN | TCP.ACK);
  t += rtt / 2n;
  send('client', TCP.ACK);
  return { frames, endNs: t };
}

/** The shift count of a window-scale option (kind 3, RFC 7323 §2.2) in raw TCP options, or null. */
function windowShift(options: Uint8Array | undefined): number | null {
  if (!options) return null;
  for (let i = 0; i < options.length; ) {
    const kind = options[i]!;
    if (kind === 0) break;
    if (kind === 1) {
      i++;
      continue;
    }
    if (kind === 3) return options[i + 2] ?? null;
    i += Math.max(2, options[i + 1] ?? 2);
  }
  return null;
}
