// Fuzz seeds for http: pipelined requests, a digest challenge and a chunked HTML page (RFC 9112).
import type { FuzzSeed } from '../helpers.js';

const t = (s: string) => Buffer.from(s, 'latin1');

export const seeds: FuzzSeed[] = [
  {
    transport: 'tcp',
    bytes: t(
      'GET /index.html HTTP/1.1\r\nHost: cam.example:8080\r\nUser-Agent: Mozilla/5.0\r\n\r\n' +
        'POST /api HTTP/1.1\r\nHost: cam.example\r\nContent-Length: 4\r\n\r\nabcd',
    ),
  },
  {
    transport: 'tcp',
    ctx: { fromClient: false },
    bytes: t(
      'HTTP/1.1 401 Unauthorized\r\nServer: App-webs/\r\nContent-Length: 0\r\n' +
        'WWW-Authenticate: Digest qop="auth", realm="IP Camera(C6217)", nonce="abc", stale="FALSE"\r\n\r\n' +
        'HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=gbk\r\nTransfer-Encoding: chunked\r\n\r\n' +
        '1c\r\n<html><title>Login</title>\r\n0\r\n\r\n',
    ),
  },
  {
    transport: 'tcp',
    ctx: { fromClient: false },
    bytes: t('HTTP/1.0 200 OK\nServer: Boa/0.94\n X-Fold: y\n\n<html><head><title>a &amp; b</title>'),
  },
];
