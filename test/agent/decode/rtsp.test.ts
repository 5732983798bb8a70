// The RTSP decoder: RFC 2326 messages as cameras send them, interleaved data, malformed input.
import { describe, expect, it } from 'vitest';
import { DecodeError, TruncatedError } from '../../../agent/decode/errors.js';
import { type RtspPdu, rtspDecoder, sniffRtsp } from '../../../agent/decode/rtsp.js';
import { ctx, RecordingEmitter } from './helpers.js';

const camera = ctx('tcp', {
  src: { mac: '3c:ef:8c:00:00:03', ip: '192.168.0.108', port: 554 },
  dst: { mac: '00:1b:1b:00:00:01', ip: '192.168.0.10', port: 50200 },
  fromClient: false,
});
const player = ctx('tcp', {
  src: { mac: '00:1b:1b:00:00:01', ip: '192.168.0.10', port: 50200 },
  dst: { mac: '3c:ef:8c:00:00:03', ip: '192.168.0.108', port: 554 },
});

const text = (s: string) => Buffer.from(s, 'latin1');

function decode(s: string | Uint8Array, c = camera): RtspPdu {
  return rtspDecoder.decode(typeof s === 'string' ? text(s) : s, c);
}

function observe(s: string | Uint8Array, c = camera): RecordingEmitter {
  const out = new RecordingEmitter();
  rtspDecoder.observe(decode(s, c), c, out);
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

const SDP = 'v=0\r\no=- 0 0 IN IP4 192.168.0.108\r\ns=Media Server\r\nm=video 0 RTP/AVP 96\r\n';

describe('rtsp', () => {
  it('sniffs RTSP request and status lines, not HTTP', () => {
    expect(sniffRtsp(text('RTSP/1.0 200 OK\r\n'))).toBe(true);
    expect(sniffRtsp(text('DESCRIBE rtsp://192.168.0.108/cam/realmonitor RTSP/1.0\r\n'))).toBe(true);
    expect(sniffRtsp(text('OPTIONS rtsp://192.168.0.108:554/ch1'))).toBe(true);
    expect(sniffRtsp(text('OPTIONS * HTTP/1.1\r\n'))).toBe(false);
    expect(sniffRtsp(text('HTTP/1.1 200 OK\r\n'))).toBe(false);
  });

  it('looks for the method within 16 bytes and the line end within 2048', () => {
    // The method's space at offset 16 is past the window: not a request line.
    expect(sniffRtsp(text(`${'X'.repeat(16)} rtsp://h/ RTSP/1.0\r\n`))).toBe(false);
    // A request line longer than the window: decided by the URI scheme, as for a cut line.
    const uri = `/${'a'.repeat(2100)}`;
    expect(sniffRtsp(text(`PLAY rtsp://h${uri} RTSP/1.0\r\n`))).toBe(true);
    expect(sniffRtsp(text(`PLAY http://h${uri} RTSP/1.0\r\n`))).toBe(false);
    // The line end at offset 2047 is inside the window, and the line ends in the version.
    const line = `PLAY /${'b'.repeat(2047 - 'PLAY / RTSP/1.0\r'.length)} RTSP/1.0\r\n`;
    expect(line.indexOf('\n')).toBe(2047);
    expect(sniffRtsp(text(line))).toBe(true);
  });

  it('yields the Server header of responses, once, across a DESCRIBE body and interleaved RTP', () => {
    const rtp = Buffer.concat([Buffer.from([0x24, 0x00, 0x00, 0x04]), Buffer.from([0x80, 0x60, 0x00, 0x01])]);
    const bytes = Buffer.concat([
      text('RTSP/1.0 200 OK\r\nCSeq: 2\r\nServer: Dahua Rtsp Server\r\nPublic: OPTIONS, DESCRIBE\r\n\r\n'),
      text(`RTSP/1.0 200 OK\r\nCSeq: 3\r\nServer: Dahua Rtsp Server\r\nContent-Type: application/sdp\r\n`),
      text(`Content-Length: ${SDP.length}\r\n\r\n${SDP}`),
      text('RTSP/1.0 200 OK\r\nCSeq: 5\r\nSession: 1234\r\n\r\n'),
      rtp,
      text('RTSP/1.0 200 OK\r\nCSeq: 6\r\nServer: Dahua Rtsp Server\r\n\r\n'),
    ]);
    const pdu = decode(bytes);
    expect(pdu.messages.map((m) => m.status)).toEqual([200, 200, 200, 200]);
    expect(Buffer.from(pdu.messages[1]!.body).toString()).toBe(SDP);
    const out = observe(bytes);
    expect(out.values('rtsp.server', 'src')).toEqual(['Dahua Rtsp Server']);
  });

  it('decodes requests but says nothing about the player', () => {
    const out = observe(
      'OPTIONS rtsp://192.168.0.108:554/cam/realmonitor RTSP/1.0\r\nCSeq: 2\r\nUser-Agent: LibVLC/3.0.20\r\n\r\n',
      player,
    );
    expect(out.observations).toEqual([]);
  });

  it('a response cut inside its headers is a TruncatedError on header', () => {
    const err = thrown(() => decode('RTSP/1.0 200 OK\r\nCSeq: 2\r\nServ'));
    expect(err).toBeInstanceOf(TruncatedError);
    expect(err.field).toBe('header');
  });

  it('a status line with a bad code is a DecodeError on status_line.status', () => {
    expect(thrown(() => decode('RTSP/1.0 2OO OK\r\n\r\n')).field).toBe('status_line.status');
  });

  it('bytes that are not RTSP are a DecodeError on start_line', () => {
    expect(thrown(() => decode('HTTP/1.1 200 OK\r\n\r\n')).field).toBe('start_line');
  });

  it('a header flood is a DecodeError on header.count', () => {
    expect(thrown(() => decode(`RTSP/1.0 200 OK\r\n${'CSeq: 1\r\n'.repeat(101)}\r\n`)).field).toBe(
      'header.count',
    );
  });
});
