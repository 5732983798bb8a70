// UDP request/response with one target: a connected socket (the kernel drops datagrams from anyone
// else), one datagram per step, each reply awaited before the next. Broadcast is never enabled, so
// the kernel itself refuses a send to a broadcast address.
import { createSocket, type Socket } from 'node:dgram';
import { charge, type ProbeEnv, type Target } from '../probe-env.js';
import type { Step } from '../probe-spec.js';
import { matches, payloadBytes } from './tcp-exchange.js';

export interface UdpOutcome {
  /** One reply per answered step, in order. */
  replies: Uint8Array[];
  /** ICMP port unreachable came back: nothing listens there. */
  refused: boolean;
  local: { ip: string | null; port: number };
}

export interface UdpExchange {
  port: number;
  /** Datagrams to send (the first alternative of each step), or prebuilt payloads. */
  steps: readonly Step[];
  maxReply: number;
  timeoutMs: number;
}

export async function udpExchange(env: ProbeEnv, target: Target, x: UdpExchange): Promise<UdpOutcome> {
  return udpDatagrams(
    env,
    target,
    x.port,
    x.steps.map((s) => ({ step: s })),
    x.maxReply,
    x.timeoutMs,
  );
}

/** Sends each datagram (built lazily, so text placeholders see the local address) and awaits its reply. */
export async function udpDatagrams(
  env: ProbeEnv,
  target: Target,
  port: number,
  items: readonly { step?: Step; bytes?: Uint8Array }[],
  maxReply: number,
  timeoutMs: number,
): Promise<UdpOutcome> {
  env.scope.check(target.ip);
  const socket = createSocket({ type: target.ip.includes(':') ? 'udp6' : 'udp4' });
  const inbox: Buffer[] = [];
  let refused = false;
  let wake: (() => void) | null = null;
  socket.on('message', (msg) => {
    if (inbox.length < 16) inbox.push(msg.subarray(0, maxReply));
    if (msg.length > maxReply) env.anomaly('reply-capped');
    wake?.();
  });
  socket.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'ECONNREFUSED') refused = true;
    else env.anomaly(`udp-error:${err.code ?? 'unknown'}`);
    wake?.();
  });
  const replies: Uint8Array[] = [];
  let local: UdpOutcome['local'] = { ip: null, port: 0 };
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.connect(port, target.ip, () => {
        socket.off('error', reject);
        resolve();
      });
    });
    const addr = socket.address();
    local = { ip: addr.address, port: addr.port };
    for (const item of items) {
      const payload = item.bytes ?? payloadBytes(item.step!.send[0]!, target, port, local.ip);
      await charge(env, target, 1);
      inbox.length = 0;
      await send(socket, payload);
      const reply = await next(
        inbox,
        timeoutMs,
        env.signal,
        () => refused,
        (w) => {
          wake = w;
        },
      );
      if (!reply) break;
      const expect = item.step?.expect;
      if (expect && !matches(reply, expect.offset, expect.bytes)) break;
      replies.push(reply);
    }
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code) env.anomaly(`udp-error:${(err as NodeJS.ErrnoException).code}`);
    else throw err;
  } finally {
    socket.close();
  }
  return { replies, refused, local };
}

function send(socket: Socket, bytes: Uint8Array): Promise<void> {
  return new Promise((resolve) => {
    // A send error (ICMP unreachable of an earlier datagram, EACCES for broadcast) surfaces on 'error'.
    socket.send(bytes, () => resolve());
  });
}

async function next(
  inbox: Buffer[],
  timeoutMs: number,
  signal: AbortSignal,
  refused: () => boolean,
  setWake: (w: (() => void) | null) => void,
): Promise<Buffer | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (inbox.length) return inbox.shift()!;
    const left = deadline - Date.now();
    if (left <= 0 || refused() || signal.aborted) return null;
    await new Promise<void>((resolve) => {
      const t = setTimeout(resolve, left);
      setWake(() => {
        clearTimeout(t);
        resolve();
      });
    });
    setWake(null);
  }
}
