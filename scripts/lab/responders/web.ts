// HTTP(S) and RTSP servers that answer every request with the device's page or media-server reply:
// enough for banner, realm and title reads and for nmap's service probes.

import type { Socket } from 'node:net';
import { createServer as createTlsServer } from 'node:tls';
import type { Service } from '../device-types.js';
import { listenTcp, type Stop } from './serve.js';

type Http = Extract<Service, { kind: 'http' }>;
type Rtsp = Extract<Service, { kind: 'rtsp' }>;

const REASONS: Record<number, string> = {
  200: 'OK',
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
};

/** Reads request heads (up to 8 KiB each) and answers each with `answer(head)`. */
function onRequests(socket: Socket, answer: (head: string) => string | null): void {
  let buf = '';
  socket.setEncoding('latin1');
  socket.on('data', (d: string) => {
    buf += d;
    if (buf.length > 8192) return socket.destroy();
    for (let end = buf.indexOf('\r\n\r\n'); end >= 0; end = buf.indexOf('\r\n\r\n')) {
      const head = buf.slice(0, end);
      buf = buf.slice(end + 4);
      const reply = answer(head);
      if (reply === null) return socket.end();
      socket.write(reply, 'utf8');
    }
  });
}

function httpAnswer(d: Http, ip: string, socket: Socket): (head: string) => string | null {
  return (head) => {
    const [method = '', , version = ''] = head.split('\r\n')[0]!.split(' ');
    if (!/^HTTP\/1\.[01]$/.test(version)) {
      socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return null;
    }
    const body = Buffer.from(d.page.body.replaceAll('{ip}', ip), 'utf8');
    const lines = [`HTTP/1.1 ${d.page.status} ${REASONS[d.page.status] ?? 'OK'}`];
    for (const [k, v] of d.page.headers) lines.push(`${k}: ${v}`);
    lines.push(`Content-Length: ${body.length}`, 'Connection: close', '', '');
    socket.end(
      Buffer.concat([Buffer.from(lines.join('\r\n'), 'latin1'), method === 'HEAD' ? Buffer.alloc(0) : body]),
    );
    return null;
  };
}

export async function startHttp(d: Http, ip: string): Promise<Stop> {
  if (!d.tls) return listenTcp(d.port, (socket) => onRequests(socket, httpAnswer(d, ip, socket)));
  const server = createTlsServer({ cert: d.tls.cert, key: d.tls.key, minVersion: 'TLSv1.2' }, (socket) => {
    socket.on('error', () => socket.destroy());
    socket.setTimeout(15_000, () => socket.destroy());
    onRequests(socket, httpAnswer(d, ip, socket));
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(d.port, '0.0.0.0', () => resolve());
  });
  return () => new Promise((done) => server.close(() => done()));
}

export function startRtsp(d: Rtsp): Promise<Stop> {
  return listenTcp(d.port, (socket) =>
    onRequests(socket, (head) => {
      const first = head.split('\r\n')[0]!;
      const cseq = /\r\ncseq:\s*(\d{1,9})/i.exec(head)?.[1] ?? '0';
      if (!/ RTSP\/1\.0$/.test(first)) return 'RTSP/1.0 400 Bad Request\r\nCSeq: 0\r\n\r\n';
      const server = d.server ? `Server: ${d.server}\r\n` : '';
      if (first.startsWith('OPTIONS ')) {
        return `RTSP/1.0 200 OK\r\nCSeq: ${cseq}\r\n${server}Public: OPTIONS, DESCRIBE, PLAY, PAUSE, SETUP, TEARDOWN, SET_PARAMETER, GET_PARAMETER\r\n\r\n`;
      }
      return `RTSP/1.0 401 Unauthorized\r\nCSeq: ${cseq}\r\n${server}WWW-Authenticate: Digest realm="${d.realm}", nonce="a1b2c3d4e5"\r\n\r\n`;
    }),
  );
}
