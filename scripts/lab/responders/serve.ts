// Listener helpers for the lab's responders: every connection and datagram handler is guarded, so a
// scanner's odd input closes one connection and never the device.
import { createSocket, type RemoteInfo } from 'node:dgram';
import { createServer, type Server, type Socket } from 'node:net';

export type Stop = () => Promise<void>;

/** Longest request a responder buffers before it drops the connection. */
const MAX_BUFFER = 64 * 1024;

/**
 * Calls `onMessage` for each complete message, as cut by `frame` (length of the first complete
 * message, or null for "need more"). The handler's return value is written back.
 */
export function framedTcp(
  port: number,
  frame: (buf: Buffer) => number | null,
  onMessage: (msg: Buffer, socket: Socket) => Buffer | null | undefined,
  onConnect?: (socket: Socket) => void,
): Promise<Stop> {
  return listenTcp(port, (socket) => {
    let buf = Buffer.alloc(0);
    onConnect?.(socket);
    socket.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length > MAX_BUFFER) return socket.destroy();
      for (;;) {
        const n = frame(buf);
        if (n === null || n <= 0 || n > buf.length) break;
        const msg = buf.subarray(0, n);
        buf = buf.subarray(n);
        const reply = onMessage(msg, socket);
        if (reply && !socket.destroyed) socket.write(reply);
      }
    });
  });
}

export function listenTcp(port: number, onConnection: (socket: Socket) => void): Promise<Stop> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.setTimeout(15_000, () => socket.destroy());
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
    try {
      onConnection(socket);
    } catch {
      socket.destroy();
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '0.0.0.0', () =>
      resolve(
        () =>
          new Promise((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      ),
    );
  });
}

export function listenUdp(
  port: number,
  onDatagram: (msg: Buffer, from: RemoteInfo) => Buffer | Buffer[] | null | undefined,
): Promise<Stop> {
  const socket = createSocket({ type: 'udp4', reuseAddr: true });
  socket.on('message', (msg, from) => {
    let replies: Buffer | Buffer[] | null | undefined;
    try {
      replies = onDatagram(msg, from);
    } catch {
      return; // A malformed request gets no answer, like a real device.
    }
    for (const r of Array.isArray(replies) ? replies : replies ? [replies] : [])
      socket.send(r, from.port, from.address);
  });
  socket.on('error', () => undefined);
  return new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, '0.0.0.0', () => resolve(() => new Promise((done) => socket.close(() => done()))));
  });
}

/** Fixed-width field: text padded (or cut) to `width` bytes with `pad`. */
export function fixed(text: string, width: number, pad = 0x20): Buffer {
  const out = Buffer.alloc(width, pad);
  Buffer.from(text, 'latin1').copy(out, 0, 0, width);
  return out;
}
