import { describe, expect, it } from 'vitest';
import { mdnsDecoder, serviceParts } from '../../../agent/decode/mdns.js';
import { ctx, hex, RecordingEmitter } from './helpers.js';
import {
  MDNS_PRINTER_ANNOUNCEMENT,
  MDNS_QUERY_WITH_KNOWN_ANSWER_AND_PROBE,
  MDNS_REFLECTED,
} from './seeds/mdns.seeds.js';

const printer = ctx('udp', {
  src: { mac: '3c:d9:2b:00:00:01', ip: '192.168.0.10', port: 5353 },
  dst: { mac: '01:00:5e:00:00:fb', ip: '224.0.0.251', port: 5353 },
});

function run(bytes: Uint8Array, c = printer): RecordingEmitter {
  const out = new RecordingEmitter();
  mdnsDecoder.observe(mdnsDecoder.decode(bytes, c), c, out);
  return out;
}

describe('mdns decoder', () => {
  it('sniffs port 5353 only', () => {
    expect(mdnsDecoder.sniff(MDNS_PRINTER_ANNOUNCEMENT, printer)).toBe(true);
    expect(mdnsDecoder.sniff(MDNS_PRINTER_ANNOUNCEMENT, ctx('udp'))).toBe(false);
  });

  it("reads a printer's announcement: host, service, instance and the TXT keys that identify it", () => {
    const out = run(MDNS_PRINTER_ANNOUNCEMENT);
    expect(out.observations.every((o) => o.about === 'src')).toBe(true);
    expect(out.values('mdns.service')).toEqual(['_ipp._tcp']);
    expect(out.values('mdns.instance')).toEqual(['HP LaserJet M404']);
    expect(out.values('mdns.name')).toEqual(['NPI5A1B2C.local']);
    expect(out.values('mdns.txt')).toEqual([
      'ty=HP LaserJet Pro M404dn',
      'product=(HP LaserJet Pro M404dn)',
      'usb_MFG=HP',
      'usb_MDL=LaserJet Pro M404dn',
    ]);
    expect(out.names).toEqual([{ ip: '192.168.0.10', name: 'NPI5A1B2C.local', via: 'mdns' }]);
    expect(out.anomalies).toEqual([]);
  });

  it("attributes a probe's authority records to the sender, never the known answers of a query", () => {
    const out = run(MDNS_QUERY_WITH_KNOWN_ANSWER_AND_PROBE);
    expect(out.values('mdns.name')).toEqual(['cam-1.local']);
    expect(out.names).toEqual([{ ip: '192.168.0.10', name: 'cam-1.local', via: 'mdns' }]);
  });

  it("does not take another host's records repeated by a reflector as the sender's name", () => {
    const out = run(MDNS_REFLECTED);
    expect(out.values('mdns.name')).toEqual([]);
    expect(out.anomalies).toEqual(['mdns.foreign_host']);
    // The address binding itself still holds.
    expect(out.names).toEqual([{ ip: '192.168.0.66', name: 'kiosk1.local', via: 'mdns' }]);
  });

  it('cannot judge IPv4 records from an IPv6 sender, so keeps them', () => {
    const v6 = ctx('udp', { src: { mac: null, ip: 'fe80::1', port: 5353 } });
    expect(run(MDNS_REFLECTED, v6).values('mdns.name')).toEqual(['kiosk1.local']);
  });

  it('reads reverse-mapping PTRs as host names and TXT keys case-insensitively', () => {
    const msg = hex(`
      0000 8400 0000 0002 0000 0000                                     # QR|AA, 2 answers
      02 3130 01 30 03 313638 03 313932 07 696e2d61646472 04 61727061 00 # @12 10.0.168.192.in-addr.arpa
      000c 8001 00000078 000d 05 63616d2d31 05 6c6f63616c 00           # PTR → cam-1.local
      01 78 00 0010 0001 00000078 0008 07 4d4f44454c3d58               # x TXT "MODEL=X"
    `);
    const out = run(msg);
    expect(out.values('mdns.name')).toEqual(['cam-1.local']);
    expect(out.values('mdns.txt')).toEqual(['model=X']);
  });

  it('does not take an address record on a service instance name as a host name', () => {
    const msg = hex(`
      0000 8400 0000 0001 0000 0000                   # QR|AA, 1 answer
      03 4c4453 0a 5f6f706375612d746370 04 5f746370 05 6c6f63616c 00 # LDS._opcua-tcp._tcp.local
      0001 8001 00000078 0004 c0a8000a                # A, cache-flush|IN, 192.168.0.10
    `);
    const out = run(msg);
    expect(out.observations).toEqual([]);
    expect(out.names).toEqual([]);
  });

  it('splits service instance names (RFC 6763 §4.1) and subtypes (§7.1)', () => {
    expect(serviceParts('HP LaserJet M404._ipp._tcp.local')).toEqual({
      service: '_ipp._tcp',
      instance: 'HP LaserJet M404',
    });
    expect(serviceParts('_printer._sub._http._tcp.local')).toEqual({ service: '_http._tcp', instance: null });
    expect(serviceParts('_ipp._tcp.local')).toEqual({ service: '_ipp._tcp', instance: null });
    expect(serviceParts('a\\.b._hap._TCP.local')).toEqual({ service: '_hap._tcp', instance: 'a.b' });
    expect(serviceParts('host.local')).toBeNull();
    // "_tcp"/"_udp" inside a label, or a label that only starts so, is not a protocol label.
    expect(serviceParts('x_tcpy._ipp.local')).toBeNull();
    expect(serviceParts('_ipp._tcpx.local')).toBeNull();
    expect(serviceParts('my_udp.local')).toBeNull();
    expect(serviceParts('Cam._rtsp._UdP.local')).toEqual({ service: '_rtsp._udp', instance: 'Cam' });
    expect(serviceParts('_tcp.local')).toBeNull();
    expect(serviceParts('a._tcp')).toBeNull();
    expect(serviceParts('b._x._tcp')).toEqual({ service: '_x._tcp', instance: 'b' });
    expect(serviceParts('')).toBeNull();
  });

  it('reports a malformed record and still reads the others', () => {
    const bad = Uint8Array.from(MDNS_PRINTER_ANNOUNCEMENT);
    bad[257] = 0xc1; // answer 5's name pointer now targets 0x171, past its own run
    const out = run(bad);
    expect(out.anomalies).toEqual(['mdns.malformed.answer.name']);
    expect(out.values('mdns.service')).toEqual(['_ipp._tcp']);
  });
});
