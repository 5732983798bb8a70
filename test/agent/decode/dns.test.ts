import { describe, expect, it } from 'vitest';
import { dnsDecoder } from '../../../agent/decode/dns.js';
import { DecodeError, TruncatedError } from '../../../agent/decode/errors.js';
import { ctx, hex, RecordingEmitter } from './helpers.js';
import { DNS_CNAME_RESPONSE, DNS_QUERY, DNS_UNRELATED_RESPONSE } from './seeds/dns.seeds.js';

const toServer = ctx('udp', { dst: { mac: '00:1c:06:00:00:02', ip: '192.168.0.1', port: 53 } });
const fromServer = ctx('udp', { src: { mac: '00:1c:06:00:00:02', ip: '192.168.0.1', port: 53 } });

function run(bytes: Uint8Array, c = fromServer): RecordingEmitter {
  const out = new RecordingEmitter();
  dnsDecoder.observe(dnsDecoder.decode(bytes, c), c, out);
  return out;
}

describe('dns decoder', () => {
  it('sniffs DNS on port 53 only, with a sane opcode and question count', () => {
    expect(dnsDecoder.sniff(DNS_QUERY, toServer)).toBe(true);
    expect(dnsDecoder.sniff(DNS_CNAME_RESPONSE, fromServer)).toBe(true);
    expect(dnsDecoder.sniff(DNS_QUERY, ctx('udp'))).toBe(false);
    const opcode3 = Uint8Array.from(DNS_QUERY);
    opcode3[2] = 0x18;
    expect(dnsDecoder.sniff(opcode3, toServer)).toBe(false);
    expect(dnsDecoder.sniff(hex('abcd 0100 0001'), toServer)).toBe(false);
  });

  it('records the asked name about the client', () => {
    const out = run(DNS_QUERY, toServer);
    expect(out.observations).toEqual([{ about: 'src', key: 'dns.query', value: 'update.vendor.example' }]);
    expect(out.names).toEqual([]);
  });

  it('lower-cases asked names (resolvers randomise case, draft-vixie-dnsext-dns0x20)', () => {
    const mixed = hex('0001 0100 0001 0000 0000 0000 03 577757 07 4578616d706c65 03 434f4d 00 0001 0001');
    expect(run(mixed, toServer).values('dns.query')).toEqual(['www.example.com']);
  });

  it('binds answer addresses to the asked name and to the CNAME target, and marks the server', () => {
    const out = run(DNS_CNAME_RESPONSE);
    expect(out.observations).toEqual([{ about: 'src', key: 'dns.server', value: 'udp/53' }]);
    expect(out.names).toEqual([
      { ip: '192.0.2.7', name: 'www.example.com', via: 'dns' },
      { ip: '192.0.2.7', name: 'edge.example.net', via: 'dns' },
      { ip: '2001:db8::7', name: 'www.example.com', via: 'dns' },
      { ip: '2001:db8::7', name: 'edge.example.net', via: 'dns' },
    ]);
    expect(out.anomalies).toEqual([]);
  });

  it('never binds an answer for a name that was not asked', () => {
    const out = run(DNS_UNRELATED_RESPONSE);
    expect(out.names).toEqual([]);
    expect(out.anomalies).toEqual(['dns.unrelated_answer']);
  });

  it('binds nothing from an error response', () => {
    const nx = Uint8Array.from(DNS_CNAME_RESPONSE);
    nx[3] = 0x83; // RCODE 3, NXDOMAIN
    const out = run(nx);
    expect(out.names).toEqual([]);
    expect(out.values('dns.server')).toEqual(['udp/53']);
  });

  it('stops at a CNAME loop and counts it', () => {
    const loop = hex(`
      0009 8180 0001 0002 0000 0000
      01 61 00 0001 0001                # @12 a
      c00c 0005 0001 00000000 0004 01 62 c00c # @19 a CNAME b.a
      c01f 0005 0001 00000000 0002 c00c # @35 b.a CNAME a
    `);
    const out = run(loop);
    expect(out.anomalies).toEqual(['dns.cname_loop']);
    expect(out.names).toEqual([]);
  });

  it('ignores UPDATE and other opcodes for dns.query', () => {
    const update = Uint8Array.from(DNS_QUERY);
    update[2] = 0x28; // opcode 5
    expect(run(update, toServer).observations).toEqual([]);
  });

  it('throws TruncatedError for a cut header and DecodeError for a count overflow', () => {
    expect(() => dnsDecoder.decode(hex('abcd 01'), toServer)).toThrow(TruncatedError);
    try {
      dnsDecoder.decode(hex('abcd 0100 0001 0000 ff00 0000'), toServer);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(DecodeError);
      expect(err).toMatchObject({ protocol: 'dns', field: 'header.counts' });
    }
  });

  it('reports a skipped record as an anomaly and keeps the rest', () => {
    const bad = Uint8Array.from(DNS_CNAME_RESPONSE);
    bad[74] = 0x05; // the A record's rdlength 4 → 5: it is skipped, and the AAAA after it misaligned
    const out = run(bad);
    expect(out.anomalies).toEqual(['dns.malformed.answer.rdata', 'dns.truncated']);
    expect(out.names).toEqual([]);
  });
});
