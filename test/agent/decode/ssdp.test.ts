import { describe, expect, it } from 'vitest';
import { DecodeError, TruncatedError } from '../../../agent/decode/errors.js';
import { MAX_PROBLEMS } from '../../../agent/decode/problems.js';
import { MAX_SSDP_HEADERS, ssdpDecoder } from '../../../agent/decode/ssdp.js';
import { ctx, RecordingEmitter } from './helpers.js';
import { SSDP_MSEARCH, SSDP_NOTIFY, SSDP_RESPONSE, text } from './seeds/ssdp.seeds.js';

const c = ctx('udp', { dst: { mac: '01:00:5e:7f:ff:fa', ip: '239.255.255.250', port: 1900 } });

function run(bytes: Uint8Array): RecordingEmitter {
  const out = new RecordingEmitter();
  ssdpDecoder.observe(ssdpDecoder.decode(bytes, c), c, out);
  return out;
}

describe('ssdp decoder', () => {
  it('sniffs NOTIFY, M-SEARCH and HTTP/1.x status lines on any port', () => {
    expect(ssdpDecoder.sniff(SSDP_NOTIFY, ctx('udp'))).toBe(true);
    expect(ssdpDecoder.sniff(SSDP_MSEARCH, ctx('udp'))).toBe(true);
    expect(ssdpDecoder.sniff(SSDP_RESPONSE, ctx('udp'))).toBe(true);
    expect(ssdpDecoder.sniff(text(['GET / HTTP/1.1', '']), ctx('udp'))).toBe(false);
    expect(ssdpDecoder.sniff(text(['notify * HTTP/1.1', '']), ctx('udp'))).toBe(false);
  });

  it("reads a device's NOTIFY: SERVER, USN, LOCATION and NT, about the sender", () => {
    expect(run(SSDP_NOTIFY).observations).toEqual([
      { about: 'src', key: 'ssdp.server', value: 'Linux/3.10 UPnP/1.0 Portable SDK for UPnP devices/1.6.18' },
      { about: 'src', key: 'ssdp.usn', value: 'uuid:6d3c0e6a-0000-1000-8000-4419b6000064::upnp:rootdevice' },
      { about: 'src', key: 'ssdp.location', value: 'http://192.168.0.64:49152/rootDesc.xml' },
      { about: 'src', key: 'ssdp.nt', value: 'upnp:rootdevice' },
    ]);
  });

  it('reads only the USER-AGENT of a search: its ST is what it looks for, not what it is', () => {
    expect(run(SSDP_MSEARCH).observations).toEqual([
      { about: 'src', key: 'ssdp.user_agent', value: 'Windows/10.0 UPnP/1.1 ExampleControlPoint/2.4' },
    ]);
  });

  it('reads a 200 answer with lower-case names and bare LF line ends, ST as ssdp.nt', () => {
    const out = run(SSDP_RESPONSE);
    expect(out.values('ssdp.server')).toEqual(['ExampleOS/2.0 UPnP/1.0 ExampleRouter/1.0']);
    expect(out.values('ssdp.nt')).toEqual(['urn:schemas-upnp-org:device:InternetGatewayDevice:1']);
    expect(out.values('ssdp.location')).toEqual(['http://192.168.0.1:1900/igd.xml']);
    expect(out.values('ssdp.usn')).toHaveLength(1);
  });

  it('ignores non-200 answers and headers of other kinds', () => {
    const notFound = text(['HTTP/1.1 404 Not Found', 'SERVER: x', '', '']);
    expect(run(notFound).observations).toEqual([]);
  });

  it('returns header values as views into the datagram', () => {
    const pdu = ssdpDecoder.decode(SSDP_NOTIFY, c);
    expect(pdu.headers[0]!.value.buffer).toBe(SSDP_NOTIFY.buffer);
    expect(pdu.kind).toBe('notify');
  });

  it('throws on an unknown start line, a bad status and a start line without an end', () => {
    expect(() => ssdpDecoder.decode(text(['GET / HTTP/1.1', '']), c)).toThrow(
      expect.objectContaining({ field: 'start_line' }),
    );
    expect(() => ssdpDecoder.decode(text(['HTTP/1.1 2x0 OK', '']), c)).toThrow(
      expect.objectContaining({ field: 'status' }),
    );
    expect(() => ssdpDecoder.decode(text(['NOTIFY * HTTP/1.1']), c)).toThrow(TruncatedError);
  });

  it('skips a line without a colon and a folded line, counting both', () => {
    const odd = text(['NOTIFY * HTTP/1.1', 'garbage line', ' folded', 'SERVER: ok/1', '', '']);
    const pdu = ssdpDecoder.decode(odd, c);
    expect(pdu.problems.map((p) => [p.constructor, p.field])).toEqual([
      [DecodeError, 'header'],
      [DecodeError, 'header.fold'],
    ]);
    const out = run(odd);
    expect(out.values('ssdp.server')).toEqual(['ok/1']);
    expect(out.anomalies).toEqual(['ssdp.malformed.header', 'ssdp.malformed.header.fold']);
  });

  it(`keeps at most ${MAX_SSDP_HEADERS} headers`, () => {
    const many = text([
      'NOTIFY * HTTP/1.1',
      ...Array.from({ length: 100 }, (_, i) => `X-${i}: ${i}`),
      '',
      '',
    ]);
    const pdu = ssdpDecoder.decode(many, c);
    expect(pdu.headers).toHaveLength(MAX_SSDP_HEADERS);
    expect(pdu.problems[0]).toMatchObject({ field: 'headers.count' });
  });

  it(`stops after ${MAX_PROBLEMS} bad lines (each costs an error object)`, () => {
    const junk = text([
      'NOTIFY * HTTP/1.1',
      ...Array.from({ length: 5000 }, () => 'junk'),
      'SERVER: late',
      '',
      '',
    ]);
    const pdu = ssdpDecoder.decode(junk, c);
    expect(pdu.problems).toHaveLength(MAX_PROBLEMS + 1);
    expect(pdu.problems.at(-1)).toMatchObject({ field: 'problems' });
    expect(pdu.headers).toEqual([]);
  });

  it('strips control characters from wire text', () => {
    const evil = text(['NOTIFY * HTTP/1.1', 'SERVER: a\u0007b\u001bc', '', '']);
    expect(run(evil).values('ssdp.server')).toEqual(['a b c']);
  });
});
