import { describe, expect, it } from 'vitest';
import { cdpChecksum, cdpDecoder } from '../../../agent/decode/cdp.js';
import { DecodeError, TruncatedError } from '../../../agent/decode/errors.js';
import { ctx, hex, RecordingEmitter } from './helpers.js';
import { CDP_SWITCH } from './seeds/cdp.seeds.js';

const c = ctx('link', {
  ethertype: 0x0000,
  src: { mac: '00:1b:54:aa:00:11', ip: null, port: 0 },
  dst: { mac: '01:00:0c:cc:cc:cc', ip: null, port: 0 },
});

function run(bytes: Uint8Array): RecordingEmitter {
  const out = new RecordingEmitter();
  cdpDecoder.observe(cdpDecoder.decode(bytes, c), c, out);
  return out;
}

describe('cdp decoder', () => {
  it('sniffs the Cisco SNAP header and a CDP version', () => {
    expect(cdpDecoder.sniff(CDP_SWITCH, c)).toBe(true);
    const dtp = Uint8Array.from(CDP_SWITCH);
    dtp[7] = 0x04; // SNAP protocol 0x2004 is DTP
    expect(cdpDecoder.sniff(dtp, c)).toBe(false);
    expect(cdpDecoder.sniff(CDP_SWITCH.subarray(0, 10), c)).toBe(false);
  });

  it("reads a switch's identity, about the sender", () => {
    const out = run(CDP_SWITCH);
    expect(out.observations).toEqual([
      { about: 'src', key: 'cdp.device_id', value: 'plant-sw-01.example.net' },
      { about: 'src', key: 'cdp.platform', value: 'cisco WS-C2960X-48FPD-L' },
      {
        about: 'src',
        key: 'cdp.software_version',
        value:
          'Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(7)E4, RELEASE SOFTWARE (fc2)',
      },
      { about: 'src', key: 'cdp.capabilities', value: 'switch,igmp' },
      { about: 'src', key: 'cdp.address', value: '192.168.0.2' },
      { about: 'src', key: 'cdp.address', value: '2001:db8::2' },
      { about: 'src', key: 'cdp.port_id', value: 'GigabitEthernet1/0/17' },
    ]);
    expect(out.anomalies).toEqual([]);
  });

  it('drops the unspecified address a switch without an IP announces', () => {
    const pdu = cdpDecoder.decode(CDP_SWITCH, c);
    pdu.addresses.unshift('0.0.0.0');
    const out = new RecordingEmitter();
    cdpDecoder.observe(pdu, c, out);
    expect(out.values('cdp.address')).toEqual(['192.168.0.2', '2001:db8::2']);
  });

  it('verifies the checksum, ignoring Ethernet padding after the last TLV', () => {
    expect(cdpDecoder.decode(CDP_SWITCH, c).checksumOk).toBe(true);
    const padded = new Uint8Array(CDP_SWITCH.length + 7);
    padded.set(CDP_SWITCH);
    const pdu = cdpDecoder.decode(padded, c);
    expect(pdu.checksumOk).toBe(true);
    expect(pdu.problems).toEqual([]);
    const flipped = Uint8Array.from(CDP_SWITCH);
    flipped[10] = flipped[10]! ^ 0x01;
    expect(run(flipped).anomalies).toEqual(['cdp.bad_checksum']);
  });

  it("sums an odd final byte as IOS does (sign-extended), as Wireshark's check does", () => {
    // Bytes 0x12 0x34 0x80: RFC 1071 would add 0x8000; IOS adds 0xff7f (0x80 - 1, sign-extended).
    expect(cdpChecksum(hex('1234 80'))).toBe(~(0x1234 + 0xff7f - 0xffff) & 0xffff);
    expect(cdpChecksum(hex('1234 7f'))).toBe(~(0x1234 + 0x7f) & 0xffff);
  });

  it('throws on a cut header, a foreign SNAP and an unknown version', () => {
    expect(() => cdpDecoder.decode(CDP_SWITCH.subarray(0, 11), c)).toThrow(TruncatedError);
    const snap = Uint8Array.from(CDP_SWITCH);
    snap[5] = 0x0d;
    expect(() => cdpDecoder.decode(snap, c)).toThrow(expect.objectContaining({ field: 'snap', offset: 5 }));
    const version = Uint8Array.from(CDP_SWITCH);
    version[8] = 3;
    expect(() => cdpDecoder.decode(version, c)).toThrow(expect.objectContaining({ field: 'version' }));
  });

  it('stops at a TLV length below its header and keeps what came before', () => {
    const bad = Uint8Array.from(CDP_SWITCH);
    bad[14] = 0x00;
    bad[15] = 0x02; // the software version TLV (@12) claims 2 bytes
    const pdu = cdpDecoder.decode(bad, c);
    expect(pdu.deviceId).toBeNull();
    expect(pdu.problems[0]).toBeInstanceOf(DecodeError);
    expect(pdu.problems[0]).toMatchObject({ field: 'tlv.length' });
  });

  it('keeps the TLVs before a cut one', () => {
    const pdu = cdpDecoder.decode(CDP_SWITCH.subarray(0, 60), c);
    expect(pdu.deviceId).not.toBeNull();
    expect(pdu.problems[0]).toBeInstanceOf(TruncatedError);
    expect(pdu.problems[0]).toMatchObject({ field: 'tlv', offset: 39 });
  });

  it('skips an address TLV whose count overflows the cap or overruns, and a bad capabilities TLV', () => {
    const pdu = cdpDecoder.decode(
      hex(`aaaa0300000c2000 02 b4 0000
           0002 0008 ffffffff
           0002 000e 00000001 01 01 cc 0004 c0
           0004 0006 0028`),
      c,
    );
    expect(pdu.problems.map((p) => [p.field, p.message.split(': ').pop()])).toEqual([
      ['tlv.addresses', '4294967295 addresses, over the cap of 32'],
      ['tlv.addresses', 'address overruns'],
      ['tlv.capabilities', '2 bytes'],
    ]);
    expect(pdu.addresses).toEqual([]);
  });
});
