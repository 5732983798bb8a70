import { describe, expect, it } from 'vitest';
import { dhcpv6Decoder, duidMac } from '../../../agent/decode/dhcpv6.js';
import { DecodeError, TruncatedError } from '../../../agent/decode/errors.js';
import { ctx, hex, RecordingEmitter } from './helpers.js';
import { DHCPV6_RELAY_FORW, DHCPV6_REPLY, DHCPV6_WINDOWS_SOLICIT } from './seeds/dhcpv6.seeds.js';

const fromClient = ctx('udp', {
  src: { mac: 'f0:1f:af:12:34:56', ip: 'fe80::f21f:afff:fe12:3456', port: 546 },
  dst: { mac: '33:33:00:01:00:02', ip: 'ff02::1:2', port: 547 },
});
const fromRelay = ctx('udp', {
  src: { mac: '00:1b:54:00:00:09', ip: '2001:db8:1::1', port: 547 },
  dst: { mac: '00:1b:54:00:00:0a', ip: '2001:db8::547', port: 547 },
});
const fromServer = ctx('udp', {
  src: { mac: '00:1b:54:00:00:01', ip: 'fe80::21b:54ff:fe00:1', port: 547 },
  dst: { mac: 'f0:1f:af:12:34:56', ip: 'fe80::f21f:afff:fe12:3456', port: 546 },
});

function run(bytes: Uint8Array, c = fromClient): RecordingEmitter {
  const out = new RecordingEmitter();
  dhcpv6Decoder.observe(dhcpv6Decoder.decode(bytes, c), c, out);
  return out;
}

describe('dhcpv6 decoder', () => {
  it('sniffs ports 546/547 and a known message type', () => {
    expect(dhcpv6Decoder.sniff(DHCPV6_WINDOWS_SOLICIT, fromClient)).toBe(true);
    expect(dhcpv6Decoder.sniff(DHCPV6_WINDOWS_SOLICIT, ctx('udp'))).toBe(false);
    expect(dhcpv6Decoder.sniff(hex('00 000000'), fromClient)).toBe(false);
  });

  it("reads a client's DUID, FQDN and vendor class about the sender", () => {
    expect(run(DHCPV6_WINDOWS_SOLICIT).observations).toEqual([
      { about: 'src', key: 'dhcpv6.duid', value: '000100012a3b4c5df01faf123456' },
      { about: 'src', key: 'dhcpv6.vendor_class', value: '311:MSFT 5.0' },
      { about: 'src', key: 'dhcpv6.fqdn', value: 'DESKTOP-7QK2V1P.corp.example' },
    ]);
  });

  it('attributes a relayed client message to the MAC of RFC 6939 option 79', () => {
    const out = run(DHCPV6_RELAY_FORW, fromRelay);
    const cam = 'mac:44:19:b6:00:00:07';
    expect(out.observations).toEqual([
      { about: cam, key: 'dhcpv6.duid', value: '000300014419b6000007' },
      { about: cam, key: 'dhcpv6.vendor_class', value: '32473:example-camera' },
    ]);
  });

  it('falls back to the DUID link-layer address without option 79, and gives up without either', () => {
    const noOption79 = Uint8Array.from(DHCPV6_RELAY_FORW);
    noOption79[35] = 0x50; // option 79 → 80: not a client link-layer address
    expect(run(noOption79, fromRelay).values('dhcpv6.duid', 'mac:44:19:b6:00:00:07')).toHaveLength(1);

    const uuid = Uint8Array.from(noOption79);
    uuid[59] = 4; // DUID-LL → DUID-UUID type: no MAC inside
    const out = run(uuid, fromRelay);
    expect(out.observations).toEqual([]);
    expect(out.anomalies).toEqual(['dhcpv6.unattributed']);
  });

  it('marks a server only when its DUID names the sender, and never takes echoed client options', () => {
    const out = run(DHCPV6_REPLY, fromServer);
    expect(out.observations).toEqual([{ about: 'src', key: 'dhcp.server', value: '00030001001b54000001' }]);
    const relayAgent = ctx('udp', { src: { mac: '00:1b:54:00:00:09', ip: 'fe80::9', port: 547 } });
    expect(run(DHCPV6_REPLY, relayAgent).observations).toEqual([]);
  });

  it('reads the MAC of DUID-LLT and DUID-LL only for Ethernet', () => {
    expect(duidMac(hex('0001 0001 2a3b4c5d f01faf123456'))).toBe('f0:1f:af:12:34:56');
    expect(duidMac(hex('0003 0001 4419b6000007'))).toBe('44:19:b6:00:00:07');
    expect(duidMac(hex('0003 0006 4419b6000007'))).toBeNull();
    expect(duidMac(hex('0002 00000137 0102030405'))).toBeNull();
    expect(duidMac(hex('0003 0001 010203040506'))).toBeNull(); // a group address names no device
  });

  it('throws TruncatedError on a cut header and reports a cut option', () => {
    expect(() => dhcpv6Decoder.decode(hex('01 3d'), fromClient)).toThrow(TruncatedError);
    expect(() => dhcpv6Decoder.decode(hex('0c 00 2001'), fromRelay)).toThrow(
      expect.objectContaining({ field: 'relay.header' }),
    );
    const pdu = dhcpv6Decoder.decode(DHCPV6_WINDOWS_SOLICIT.subarray(0, 30), fromClient);
    expect(pdu.message.options.map((o) => o.code)).toEqual([8, 1]);
    expect(pdu.problems[0]).toBeInstanceOf(TruncatedError);
    expect(pdu.problems[0]).toMatchObject({ field: 'option', offset: 28 });
  });

  it('reports an option overrunning its relay message as malformed at its datagram offset', () => {
    const bad = Uint8Array.from(DHCPV6_RELAY_FORW);
    bad[57] = 0x30; // inner client id (@54 in the datagram) length 10 → 48
    const pdu = dhcpv6Decoder.decode(bad, fromRelay);
    expect(pdu.problems[0]).toBeInstanceOf(DecodeError);
    expect(pdu.problems[0]).not.toBeInstanceOf(TruncatedError);
    expect(pdu.problems[0]).toMatchObject({ field: 'option', offset: 58 });
  });

  it(`stops relay nesting at the hop count limit`, () => {
    let message = DHCPV6_WINDOWS_SOLICIT;
    for (let i = 0; i < 10; i++) {
      const head = hex(`0c ${i.toString(16).padStart(2, '0')} ${'00'.repeat(32)} 0009`);
      const wrapped = new Uint8Array(head.length + 2 + message.length);
      wrapped.set(head);
      wrapped.set([message.length >> 8, message.length & 0xff], head.length);
      wrapped.set(message, head.length + 2);
      message = wrapped;
    }
    const pdu = dhcpv6Decoder.decode(message, fromRelay);
    expect(pdu.problems.map((p) => p.field)).toEqual(['relay.depth']);
  });
});
