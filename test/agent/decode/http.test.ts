// The HTTP decoder: messages written from RFC 9112's grammar, what each yields, one case per
// malformed input (asserting the error type and field), and the framing rules between messages.
import { describe, expect, it } from 'vitest';
import { DecodeError, TruncatedError } from '../../../agent/decode/errors.js';
import { createHttpDecoder, type HttpPdu, httpDecoder, sniffHttp } from '../../../agent/decode/http.js';
import { ctx, RecordingEmitter } from './helpers.js';

const client = ctx('tcp', {
  src: { mac: '00:1b:1b:00:00:01', ip: '192.168.0.10', port: 50123 },
  dst: { mac: '44:19:b6:00:00:02', ip: '192.168.0.64', port: 80 },
});
const server = ctx('tcp', {
  src: { mac: '44:19:b6:00:00:02', ip: '192.168.0.64', port: 80 },
  dst: { mac: '00:1b:1b:00:00:01', ip: '192.168.0.10', port: 50123 },
  fromClient: false,
});

const text = (s: string) => Buffer.from(s, 'latin1');

function decode(s: string | Uint8Array, c = client): HttpPdu {
  return httpDecoder.decode(typeof s === 'string' ? text(s) : s, c);
}

function observe(s: string | Uint8Array, c = client): RecordingEmitter {
  const out = new RecordingEmitter();
  httpDecoder.observe(decode(s, c), c, out);
  return out;
}

function thrown(fn: () => unknown): DecodeError {
  try {
    fn();
  } catch (err) {
    if (err instanceof DecodeError) return err;
    throw err;
  }
  throw new Error('expected a DecodeError');
}

// A camera's 401 (Hikvision-style digest challenge) followed by a small login page.
const RESPONSES =
  'HTTP/1.1 401 Unauthorized\r\n' +
  'Date: Sun, 01 Apr 2018 18:58:53 GMT\r\n' +
  'Server: DNVRS-Webs\r\n' +
  'Content-Length: 0\r\n' +
  'WWW-Authenticate: Digest qop="auth", realm="IP Camera(C2183)", nonce="4e5468", stale="FALSE"\r\n' +
  '\r\n' +
  'HTTP/1.1 200 OK\r\n' +
  'Server: DNVRS-Webs\r\n' +
  'Content-Type: text/html; charset=UTF-8\r\n' +
  'Content-Length: 72\r\n' +
  '\r\n' +
  '<!DOCTYPE html><html><head><title>index</title></head><body></body></html>'.padEnd(72, ' ');

describe('http sniff', () => {
  it('recognises request and status lines on any port, and not RTSP', () => {
    expect(sniffHttp(text('GET / HTTP/1.1\r\nHost: x\r\n\r\n'))).toBe(true);
    expect(sniffHttp(text('HTTP/1.0 200 OK\r\n'))).toBe(true);
    expect(sniffHttp(text('SUBSCRIBE /evt HTTP/1.1\r\n'))).toBe(true);
    expect(sniffHttp(text('GET /very-long-url-still-arriving'))).toBe(true);
    expect(sniffHttp(text('OPTIONS rtsp://cam/ RTSP/1.0\r\n'))).toBe(false);
    expect(sniffHttp(text('OPTIONS rtsp://cam/stream'))).toBe(false);
    expect(sniffHttp(text('RTSP/1.0 200 OK\r\n'))).toBe(false);
    expect(sniffHttp(text('GET / FOO/1.1\r\n'))).toBe(false);
    expect(sniffHttp(text('SSH-2.0-OpenSSH_9.6\r\n'))).toBe(false);
  });

  it('looks for the first line end only within its first 2 KiB', () => {
    // "GET /" + n bytes + " FTP/1.1\r\n": the LF is at 14 + n. Within 2 KiB the version decides
    // (FTP/1.1 is not HTTP); past it, only the method is judged.
    const ftp = (n: number) => text(`GET /${'a'.repeat(n)} FTP/1.1\r\n`);
    expect(sniffHttp(ftp(2033))).toBe(false); // LF at 2047
    expect(sniffHttp(ftp(2034))).toBe(true); // LF at 2048
    expect(sniffHttp(text(`GET /${'a'.repeat(2033)} HTTP/1.1\r\n`))).toBe(true);
    expect(sniffHttp(text('GET'))).toBe(false);
    expect(sniffHttp(text('GETX / HTTP/1.1\r\n'))).toBe(false);
    expect(sniffHttp(text('UNSUBSCRIBE /x HTTP/1.1\r\n'))).toBe(true); // its SP is the 12th byte
    expect(sniffHttp(text('XUNSUBSCRIBE /x HTTP/1.1\r\n'))).toBe(false); // no SP in the first 12
  });
});

describe('http requests', () => {
  it('yields Host and User-Agent about the client and names the server address by Host', () => {
    const out = observe(
      'GET /ISAPI/System/deviceInfo HTTP/1.1\r\nHost: Cam-01.plant.example:8080\r\n' +
        'User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64)\r\nAccept: */*\r\n\r\n',
    );
    expect(out.values('http.host', 'src')).toEqual(['Cam-01.plant.example:8080']);
    expect(out.values('http.user_agent', 'src')).toEqual(['Mozilla/5.0 (Windows NT 10.0; Win64; x64)']);
    expect(out.names).toEqual([{ ip: '192.168.0.64', name: 'cam-01.plant.example', via: 'http' }]);
  });

  it('decodes pipelined requests and emits each distinct value once', () => {
    const req = 'GET /a HTTP/1.1\r\nHost: a.example\r\nUser-Agent: curl/8.5.0\r\n\r\n';
    const post = 'POST /b HTTP/1.1\r\nHost: a.example\r\nContent-Length: 5\r\n\r\nhello';
    const pdu = decode(req + post + req);
    expect(pdu.messages.map((m) => m.kind)).toEqual(['request', 'request', 'request']);
    expect(Buffer.from(pdu.messages[1]!.body).toString()).toBe('hello');
    const out = observe(req + post + req);
    expect(out.values('http.user_agent')).toEqual(['curl/8.5.0']);
  });

  it('does not bind a name for proxy requests or IP literals', () => {
    const proxied = observe('GET http://b.example/ HTTP/1.1\r\nHost: b.example\r\n\r\n');
    expect(proxied.values('http.host')).toEqual(['b.example']);
    expect(proxied.names).toEqual([]);
    expect(observe('CONNECT b.example:443 HTTP/1.1\r\nHost: b.example:443\r\n\r\n').names).toEqual([]);
    expect(observe('GET / HTTP/1.1\r\nHost: 192.168.0.64\r\n\r\n').names).toEqual([]);
    expect(observe('GET / HTTP/1.1\r\nHost: [fe80::1]:80\r\n\r\n').names).toEqual([]);
  });

  it('counts a Host that is not a DNS name', () => {
    const out = observe('GET / HTTP/1.1\r\nHost: bad_name..example\r\n\r\n');
    expect(out.names).toEqual([]);
    expect(out.anomalies).toEqual(['http.bad_host']);
  });
});

describe('http responses', () => {
  it('yields Server, the WWW-Authenticate realm and the page title about the server', () => {
    const out = observe(RESPONSES, server);
    expect(out.values('http.server', 'src')).toEqual(['DNVRS-Webs']);
    expect(out.values('http.www_authenticate', 'src')).toEqual(['IP Camera(C2183)']);
    expect(out.values('http.title', 'src')).toEqual(['index']);
  });

  it('reads the first of each field whatever its case, and every WWW-Authenticate after a Content-Encoding', () => {
    const out = observe(
      'HTTP/1.1 401 Unauthorized\r\nsErVeR: first\r\nServer: second\r\nCONTENT-ENCODING: identity\r\n' +
        'www-authenticate: Basic realm=one\r\nContent-Type: text/plain\r\nContent-Type: text/html\r\n' +
        'WWW-Authenticate: Basic realm=two\r\nContent-Length: 20\r\n\r\n<title>nope</title> ',
      server,
    );
    expect(out.values('http.server')).toEqual(['first']);
    expect(out.values('http.www_authenticate')).toEqual(['one', 'two']);
    // The first Content-Type decides: text/plain holds no title.
    expect(out.values('http.title')).toEqual([]);
    const client = observe(
      'GET / HTTP/1.1\r\nUSER-AGENT: ua/1\r\nhOST: a.example\r\nUser-Agent: ua/2\r\n\r\n',
    );
    expect(client.values('http.user_agent')).toEqual(['ua/1']);
    expect(client.values('http.host')).toEqual(['a.example']);
  });

  it('reads every realm of several challenges, quoted-pairs and tokens', () => {
    const out = observe(
      'HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm="a \\"b\\""\r\n' +
        'WWW-Authenticate: Digest nonce="x", realm=Router, qop=auth\r\nContent-Length: 0\r\n\r\n',
      server,
    );
    expect(out.values('http.www_authenticate')).toEqual(['a "b"', 'Router']);
  });

  it('decodes the title with the declared charset, entities and white space', () => {
    const body = Buffer.concat([
      text('<html><head><meta charset="gbk"><title>\n  '),
      Buffer.from('c9e3cff1bbfa', 'hex'), // 摄像机 in GBK
      text(' &amp; NVR&#33;</title>'),
    ]);
    const head = text(`HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: ${body.length}\r\n\r\n`);
    expect(observe(Buffer.concat([head, body]), server).values('http.title')).toEqual(['摄像机 & NVR!']);
  });

  it('finds a title in the first chunk of a chunked body, none in a gzip body or a non-HTML one', () => {
    const chunked =
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1a\r\n<title>Router Login</title>\r\n0\r\n\r\n';
    expect(observe(chunked, server).values('http.title')).toEqual(['Router Login']);
    const gzip =
      'HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\nContent-Length: 20\r\n\r\n<title>nope</title> ';
    expect(observe(gzip, server).values('http.title')).toEqual([]);
    const json =
      'HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 19\r\n\r\n<title>nope</title>';
    expect(observe(json, server).values('http.title')).toEqual([]);
  });

  it('finds no title when the page is cut before </title>', () => {
    const cut = 'HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n<html><title>Cut here';
    expect(observe(cut, server).values('http.title')).toEqual([]);
  });

  it('walks 1xx, chunked and length-framed responses in order', () => {
    const pdu = decode(
      'HTTP/1.1 100 Continue\r\n\r\n' +
        'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n3;ext=1\r\nabc\r\n0\r\nX-Trailer: 1\r\n\r\n' +
        'HTTP/1.1 204 No Content\r\nServer: s3\r\n\r\n',
      server,
    );
    expect(pdu.messages.map((m) => [m.status, m.framing, m.bodyComplete])).toEqual([
      [100, 'none', true],
      [200, 'chunked', true],
      [204, 'none', true],
    ]);
  });

  it('tolerates bare LF, obs-fold and a space before the colon, counting each', () => {
    const out = observe(
      'HTTP/1.0 200 OK\nServer : Boa/0.94.14rc21\nX-Fold: a\n\tb\nContent-Length: 0\n\n',
      server,
    );
    expect(out.values('http.server')).toEqual(['Boa/0.94.14rc21']);
    expect(out.anomalies).toEqual(['http.bare_lf', 'http.space_before_colon', 'http.obs_fold']);
    const folded = observe('HTTP/1.1 200 OK\r\nServer: Linux/2.x\r\n  UPnP/1.0 Avtech/1.0\r\n\r\n', server);
    expect(folded.values('http.server')).toEqual(['Linux/2.x UPnP/1.0 Avtech/1.0']);
  });

  it('counts a bad message after a good one and keeps the good one', () => {
    const pdu = decode(
      'HTTP/1.1 200 OK\r\nServer: a\r\nContent-Length: 0\r\n\r\nHTTP/1.1 2x0 Bad\r\n\r\n',
      server,
    );
    expect(pdu.messages).toHaveLength(1);
    expect(pdu.anomalies).toEqual(['http.bad_message']);
  });

  it('stops framing at an invalid Content-Length but keeps the headers', () => {
    const pdu = decode('HTTP/1.1 200 OK\r\nServer: a\r\nContent-Length: 5, 6\r\n\r\nhello', server);
    expect(pdu.messages[0]!.framing).toBe('unknown');
    expect(pdu.anomalies).toEqual(['http.bad_content_length']);
  });

  it('reads Content-Length as digits only: leading zeros, a list of equal values, 15 digits at most', () => {
    const framed = (value: string) => {
      const pdu = decode(`HTTP/1.1 200 OK\r\nContent-Length: ${value}\r\n\r\nhello`, server);
      return [pdu.messages[0]!.framing, pdu.messages[0]!.body.length, pdu.anomalies] as const;
    };
    expect(framed('005')).toEqual(['length', 5, []]);
    expect(framed('5, 5')).toEqual(['length', 5, []]);
    expect(framed('4')).toEqual(['length', 4, []]);
    expect(framed('999999999999999')).toEqual(['length', 5, []]);
    expect(framed('1000000000000000')).toEqual(['unknown', 5, ['http.bad_content_length']]);
    expect(framed('+5')).toEqual(['unknown', 5, ['http.bad_content_length']]);
    expect(framed('5x')).toEqual(['unknown', 5, ['http.bad_content_length']]);
    expect(framed('')).toEqual(['unknown', 5, ['http.bad_content_length']]);
  });
});

describe('http malformed input', () => {
  it('a header block cut before its empty line is a TruncatedError on header', () => {
    const err = thrown(() => decode('HTTP/1.1 200 OK\r\nServer: x\r\n', server));
    expect(err).toBeInstanceOf(TruncatedError);
    expect(err.field).toBe('header');
  });

  it('a start line cut before its end is a TruncatedError on start_line', () => {
    const err = thrown(() => decode('GET /index.html HTTP/1.'));
    expect(err).toBeInstanceOf(TruncatedError);
    expect(err.field).toBe('start_line');
  });

  it('a header flood is a DecodeError on header.count', () => {
    const flood = `GET / HTTP/1.1\r\n${'X-A: b\r\n'.repeat(101)}\r\n`;
    const err = thrown(() => decode(flood));
    expect(err).not.toBeInstanceOf(TruncatedError);
    expect(err.field).toBe('header.count');
  });

  it('a line over the length cap is a DecodeError on header.line, ended or not', () => {
    const small = createHttpDecoder({ maxHeaders: 100, maxLineLength: 64, maxMessages: 8 });
    const long = `GET / HTTP/1.1\r\nCookie: ${'x'.repeat(80)}`;
    expect(thrown(() => small.decode(text(long), client)).field).toBe('header.line');
    expect(thrown(() => small.decode(text(`${long}\r\n\r\n`), client)).field).toBe('header.line');
  });

  it.each([
    ['status_line.status', 'HTTP/1.1 20 OK\r\n\r\n'],
    ['status_line.status', 'HTTP/1.1 2000 OK\r\n\r\n'],
    ['status_line.version', 'HTTP/1.x 200 OK\r\n\r\n'],
    ['request_line.version', 'GET / xHTTP/1.1\r\n\r\n'],
    ['start_line', 'GET / HTTP/1.1 extra\r\n\r\n'],
    ['request_line.target', 'GET  HTTP/1.1\r\n\r\n'],
    ['start_line', 'BREW /pot HTCPCP/1.0\r\n\r\n'],
  ])('a malformed start line is a DecodeError on %s', (field, message) => {
    expect(thrown(() => decode(message)).field).toBe(field);
  });

  it('lines without a colon or with a bad name are skipped and counted', () => {
    const pdu = decode('GET / HTTP/1.1\r\nno colon here\r\nBad Name: x\r\nHost: h.example\r\n\r\n');
    expect(pdu.messages[0]!.headers).toHaveLength(1);
    expect(pdu.anomalies).toEqual(['http.header_without_colon', 'http.bad_header_name']);
  });

  it('a chunk-size line that is not hex ends the walk as an anomaly', () => {
    const pdu = decode('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n', server);
    expect(pdu.messages[0]!.bodyComplete).toBe(false);
    expect(pdu.anomalies).toEqual(['http.bad_chunk_size']);
  });

  it('stops after maxMessages and says so', () => {
    const small = createHttpDecoder({ maxHeaders: 10, maxLineLength: 256, maxMessages: 2 });
    const pdu = small.decode(text('GET / HTTP/1.1\r\n\r\n'.repeat(3)), client);
    expect(pdu.messages).toHaveLength(2);
    expect(pdu.anomalies).toEqual(['http.message_cap']);
  });
});
