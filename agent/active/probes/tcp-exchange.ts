// One TCP conversation with a target: connect, send each step once its predecessor's reply is whole,
// read at most `maxReply` bytes, close with FIN. Every packet it causes is charged before it is sent.
import { connect, type Socket } from 'node:net';
import { completeLength } from '../framing.js';
import { charge, type ProbeEnv, type Target } from '../probe-env.js';
import type { Framing, Payload, Step } from '../probe-spec.js';

export type TcpState = 'open' | 'closed' | 'filtered' | 'unreachable';

export interface TcpOutcome {
  state: TcpState;
  /** Everything the target sent, in order (the server direction of the connection). */
  reply: Uint8Array;
  /** Steps whose reply arrived and passed its check. */
  stepsAnswered: number;
  local: { ip: string | null; port: number };
}

export interface TcpExchange {
  port: number;
  steps: readonly Step[];
  /** Index of the alternative to send for step 0. */
  alternative?: number;
  framing: Framing | null;
  maxReply: number;
  timeoutMs: number;
  /** Read what the server says first, sending nothing (banners). */
  listenFirst?: boolean;
}

/** A typical Ethernet MSS: used to estimate the ACKs the kernel sends for a multi-segment reply. */
const MSS = 1448;

export function payloadBytes(p: Payload, target: Target, port: number, localIp: string | null): Uint8Array {
  if (p.text !== undefined) {
    const host = target.ip.includes(':') ? `[${target.ip}]` : target.ip;
    return Buffer.from(
      p.text.replaceAll('{ip}', target.ip).replaceAll('{host}', host).replaceAll('{port}', String(port)),
      'utf8',
    );
  }
  const bytes = Uint8Array.from(p.bytes!);
  if (p.srcNodeAt?.length) {
    const last = localIp && !localIp.includes(':') ? Number(localIp.split('.')[3]) : 0;
    for (const at of p.srcNodeAt) bytes[at] = last;
  }
  return bytes;
}

function isBodyless(p: Payload | undefined): boolean {
  return p?.text !== undefined && /^(HEAD|OPTIONS) /.test(p.text);
}

export async function tcpExchange(env: ProbeEnv, target: Target, x: TcpExchange): Promise<TcpOutcome> {
  // SYN, and the ACK completing the handshake.
  await charge(env, target, 2);
  const socket = connect({ host: target.ip, port: x.port, noDelay: true });
  const chunks: Buffer[] = [];
  let received = 0;
  let closed = false;
  let wake: (() => void) | null = null;
  const poke = () => {
    wake?.();
    wake = null;
  };
  socket.on('data', (d: Buffer) => {
    if (received >= x.maxReply) return;
    const keep = d.subarray(0, x.maxReply - received);
    chunks.push(keep);
    received += keep.length;
    if (received >= x.maxReply) env.anomaly('reply-capped');
    poke();
  });
  socket.on('close', () => {
    closed = true;
    poke();
  });
  socket.on('end', poke);

  const state = await new Promise<TcpState>((resolve) => {
    const timer = setTimeout(() => resolve('filtered'), x.timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      resolve('open');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      resolve(err.code === 'ECONNREFUSED' ? 'closed' : err.code === 'ETIMEDOUT' ? 'filtered' : 'unreachable');
    });
  });
  socket.on('error', () => undefined); // Late resets after a close are expected; the outcome is settled.
  const local = { ip: socket.localAddress ?? null, port: socket.localPort ?? 0 };
  if (state !== 'open') {
    socket.destroy();
    return { state, reply: new Uint8Array(0), stepsAnswered: 0, local };
  }

  const reply = () => (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));
  /** Waits until the reply from `from` on is complete, the peer closed, the cap or the timeout. */
  const awaitReply = async (from: number, bodyless: boolean): Promise<Uint8Array | null> => {
    const deadline = Date.now() + x.timeoutMs;
    for (;;) {
      const all = reply().subarray(from);
      if (x.framing) {
        const n = all.length ? completeLength(x.framing, all, bodyless) : null;
        if (n !== null) return all.subarray(0, n);
      }
      if (closed || received >= x.maxReply) return all.length ? all : null;
      const left = deadline - Date.now();
      if (left <= 0 || env.signal.aborted) return all.length && !x.framing ? all : null;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
  };

  let answered = 0;
  try {
    if (x.listenFirst) {
      const got = await awaitReply(0, false);
      if (got) answered++;
    }
    for (let i = 0; i < x.steps.length && !closed; i++) {
      const step = x.steps[i]!;
      const payload = step.send[i === 0 ? (x.alternative ?? 0) : 0]!;
      const bytes = payloadBytes(payload, target, x.port, local.ip);
      const from = received;
      // The request segment and the ACK of the reply.
      await charge(env, target, 1 + Math.ceil(bytes.length / MSS));
      if (!socket.write(bytes)) await new Promise((r) => socket.once('drain', r));
      const got = await awaitReply(from, isBodyless(payload));
      if (!got) break;
      if (got.length > MSS) await charge(env, target, Math.ceil(got.length / MSS) - 1);
      if (step.expect && !matches(got, step.expect.offset, step.expect.bytes)) break;
      answered++;
    }
  } finally {
    await close(env, target, socket, closed);
  }
  return { state, reply: reply(), stepsAnswered: answered, local };
}

export function matches(bytes: Uint8Array, offset: number, want: Uint8Array): boolean {
  if (bytes.length < offset + want.length) return false;
  for (let i = 0; i < want.length; i++) if (bytes[offset + i] !== want[i]) return false;
  return true;
}

/** FIN and the ACK of the peer's FIN; a peer that does not close within a second is dropped. */
async function close(env: ProbeEnv, target: Target, socket: Socket, closed: boolean): Promise<void> {
  if (closed || socket.destroyed) return;
  try {
    await charge(env, target, 2);
  } catch {
    socket.destroy(); // Aborted: drop the connection now.
    return;
  }
  await new Promise<void>((resolve) => {
    const t = setTimeout(() => {
      socket.destroy();
      resolve();
    }, 1000);
    socket.once('close', () => {
      clearTimeout(t);
      resolve();
    });
    socket.end();
  });
}
