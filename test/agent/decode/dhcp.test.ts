import { describe, expect, it } from 'vitest';
import { dhcpDecoder } from '../../../agent/decode/dhcp.js';
import { fqdnText, MAX_DHCP_OPTIONS, userClassText } from '../../../agent/decode/dhcp-options.js';
import { DecodeError, TruncatedError } from '../../../agent/decode/errors.js';
import { MAX_PROBLEMS } from '../../../agent/decode/problems.js';
import { ctx, hex, RecordingEmitter } from './helpers.js';
import { DHCP_ACK, DHCP_RELAYED_REQUEST, DHCP_WINDOWS_DISCOVER } from './seeds/dhcp.seeds.js';

const client = { mac: 'f0:1f:af:12:34:56', ip: '0.0.0.0', port: 68 };
const server = { mac: '00:1b:54:00:00:01', ip: '192.168.0.1', port: 67 };
const broadcast = { mac: 'ff:ff:ff:ff:ff:ff', ip: '255.255.255.255', port: 67 };
const fromClient = ctx('udp', { src: client, dst: broadcast });
const fromServer = ctx('udp', { src: server, dst: { ...broadcast, port: 68 } });
const fromRelay = ctx('udp', {
  src: { mac: '00:1b:54:00:00:09', ip: '10.1.0.1', port: 67 },
  dst: { mac: '00:1b:54:00:00:0a', ip: '10.0.0.1', port: 67 },
});

function run(bytes: Uint8Array, c = fromClient): RecordingEmitter {
  const out = new RecordingEmitter();
  dhcpDecoder.observe(dhcpDecoder.decode(bytes, c), c, out);
  return out;
}

describe('dhcp decoder', () => {
  it('sniffs the magic cookie on any port, plain BOOTP only on 67/68', () => {
    expect(dhcpDecoder.sniff(DHCP_WINDOWS_DISCOVER, ctx('udp'))).toBe(true);
    const bootp = Uint8Array.from(DHCP_WINDOWS_DISCOVER);
    bootp[236] = 0;
    expect(dhcpDecoder.sniff(bootp, ctx('udp'))).toBe(false);
    expect(dhcpDecoder.sniff(bootp, fromClient)).toBe(true);
    expect(dhcpDecoder.sniff(DHCP_WINDOWS_DISCOVER.subarray(0, 200), fromClient)).toBe(false);
  });

  it("reads a Windows client's DISCOVER about the client itself, parameter list in order", () => {
    const out = run(DHCP_WINDOWS_DISCOVER);
    expect(out.observations).toEqual([
      { about: 'src', key: 'dhcp.message_type', value: 'DISCOVER' },
      { about: 'src', key: 'dhcp.hostname', value: 'DESKTOP-7QK2V1P' },
      { about: 'src', key: 'dhcp.requested_ip', value: '192.168.0.10' },
      { about: 'src', key: 'dhcp.param_list', value: '1,3,6,15,31,33,43,44,46,47,119,121,249,252' },
      { about: 'src', key: 'dhcp.vendor_class', value: 'MSFT 5.0' },
      { about: 'src', key: 'dhcp.client_id', value: '01f01faf123456' },
    ]);
  });

  it('attributes a relayed request to chaddr, reading options overloaded into sname', () => {
    const out = run(DHCP_RELAYED_REQUEST, fromRelay);
    const cam = 'mac:44:19:b6:00:00:07';
    expect(out.observations.every((o) => o.about === cam)).toBe(true);
    expect(out.values('dhcp.message_type', cam)).toEqual(['REQUEST']);
    expect(out.values('dhcp.hostname', cam)).toEqual(['IPC-CAM-01']);
    expect(out.values('dhcp.vendor_class', cam)).toEqual(['udhcp 1.20.2']);
    expect(out.values('dhcp.max_size', cam)).toEqual([576]);
    expect(out.values('dhcp.fqdn', cam)).toEqual(['cam01.plant.example']);
    expect(out.values('dhcp.param_list', cam)).toEqual(['1,3,6,12,15,28,42']);
    expect(out.values('dhcp.server')).toEqual([]);
  });

  it("gives an ACK's facts to the client by chaddr and marks the sender a DHCP server", () => {
    const out = run(DHCP_ACK, fromServer);
    const pc = 'mac:f0:1f:af:12:34:56';
    expect(out.observations).toEqual([
      { about: pc, key: 'dhcp.offered_ip', value: '192.168.0.10' },
      { about: pc, key: 'mac.ip', value: '192.168.0.10' },
      { about: pc, key: 'dhcp.router', value: '192.168.0.1' },
      { about: pc, key: 'dhcp.dns_server', value: '192.168.0.2' },
      { about: pc, key: 'dhcp.dns_server', value: '192.168.0.3' },
      { about: 'src', key: 'dhcp.server', value: '192.168.0.1' },
    ]);
  });

  it('passes each fact on once in a reply listing many addresses, repeats included', () => {
    // 40 distinct DNS servers, each listed twice: past the short list, repeats are still caught.
    const dns: number[] = [];
    for (let round = 0; round < 2; round++) for (let i = 1; i <= 40; i++) dns.push(10, 9, 0, i);
    // Two option-6 instances of 160 bytes: one option holds at most 255 (RFC 3396 joins them).
    const half = dns.length / 2;
    const ack = Uint8Array.from([
      ...DHCP_ACK.subarray(0, 240),
      ...[0x35, 1, 5],
      ...[6, half, ...dns.slice(0, half)],
      ...[6, half, ...dns.slice(half)],
      0xff,
    ]);
    const out = run(ack, fromServer);
    const servers = out.values('dhcp.dns_server', 'mac:f0:1f:af:12:34:56');
    expect(servers).toHaveLength(40);
    expect(new Set(servers).size).toBe(40);
    expect(servers[39]).toBe('10.9.0.40');
  });

  it('does not bind an OFFERed address, and trusts a relayed reply only from the server id', () => {
    const offer = Uint8Array.from(DHCP_ACK);
    offer[242] = 2; // message type OFFER
    const out = run(offer, fromServer);
    expect(out.values('mac.ip')).toEqual([]);
    expect(out.values('dhcp.offered_ip')).toEqual(['192.168.0.10']);

    const relayed = Uint8Array.from(DHCP_ACK);
    relayed.set([10, 1, 0, 1], 24); // giaddr
    const relayToClient = ctx('udp', { src: { mac: '00:1b:54:00:00:09', ip: '10.1.0.1', port: 67 } });
    expect(run(relayed, relayToClient).values('dhcp.server')).toEqual([]);
    expect(run(relayed, fromServer).values('dhcp.server')).toEqual(['192.168.0.1']);
  });

  it('never takes client fingerprint options from a server reply', () => {
    const ack = Uint8Array.from(DHCP_ACK);
    // The lease-time option (@249) becomes option 60 "Arub": a server echoing a vendor class.
    ack.set(hex('3c 04 41727562'), 249);
    const out = run(ack, fromServer);
    expect(out.values('dhcp.vendor_class')).toEqual([]);
  });

  it("takes nothing from a relay's LEASEQUERY about another client", () => {
    const query = Uint8Array.from(DHCP_RELAYED_REQUEST);
    query[242] = 10; // message type REQUEST → LEASEQUERY (RFC 4388)
    expect(run(query, fromRelay).observations).toEqual([]);
  });

  it('does not attribute when chaddr cannot name a device', () => {
    const zero = Uint8Array.from(DHCP_WINDOWS_DISCOVER);
    zero.fill(0, 28, 34);
    const out = run(zero);
    expect(out.observations).toEqual([]);
    expect(out.anomalies).toEqual(['dhcp.unattributed']);
  });

  it('reads plain BOOTP: a reply binds yiaddr', () => {
    const bootp = Uint8Array.from(DHCP_ACK.subarray(0, 300));
    bootp.fill(0, 236);
    const out = run(bootp, fromServer);
    expect(out.values('mac.ip', 'mac:f0:1f:af:12:34:56')).toEqual(['192.168.0.10']);
    expect(out.values('dhcp.server')).toEqual(['192.168.0.1']);
  });

  it('throws on a cut header, a bad op and an oversized hlen', () => {
    expect(() => dhcpDecoder.decode(DHCP_ACK.subarray(0, 100), fromServer)).toThrow(TruncatedError);
    const op = Uint8Array.from(DHCP_ACK);
    op[0] = 3;
    expect(() => dhcpDecoder.decode(op, fromServer)).toThrow(expect.objectContaining({ field: 'op' }));
    const hlen = Uint8Array.from(DHCP_ACK);
    hlen[2] = 17;
    expect(() => dhcpDecoder.decode(hlen, fromServer)).toThrow(expect.objectContaining({ field: 'hlen' }));
  });

  it('keeps the options before a cut one and reports the cut', () => {
    const pdu = dhcpDecoder.decode(DHCP_WINDOWS_DISCOVER.subarray(0, 262), fromClient);
    expect(pdu.options.map((o) => o.code)).toEqual([53, 61, 50]);
    expect(pdu.problems[0]).toBeInstanceOf(TruncatedError);
    expect(pdu.problems[0]).toMatchObject({ field: 'option', offset: 258 });
  });

  it('skips a fixed-size option of the wrong length and goes on', () => {
    const bad = Uint8Array.from(DHCP_WINDOWS_DISCOVER);
    bad.set(hex('32 03 c0a800'), 252); // option 50 of 3 bytes, then a stray 0x0a read as an option code…
    bad.set(hex('00'), 257); // …made a pad
    const pdu = dhcpDecoder.decode(bad, fromClient);
    expect(pdu.problems).toHaveLength(1);
    expect(pdu.problems[0]).toBeInstanceOf(DecodeError);
    expect(pdu.problems[0]).toMatchObject({ field: 'option.requested_ip', offset: 252 });
    expect(pdu.options.map((o) => o.code)).toEqual([53, 61, 12, 60, 55]);
  });

  it(`reads at most ${MAX_DHCP_OPTIONS} options and stops after ${MAX_PROBLEMS} bad ones`, () => {
    const options = (pair: number[]): Uint8Array => {
      const bytes = new Uint8Array(240 + 2 * 1000);
      bytes.set(DHCP_WINDOWS_DISCOVER.subarray(0, 240));
      for (let i = 0; i < 1000; i++) bytes.set(pair, 240 + 2 * i);
      return bytes;
    };
    const good = dhcpDecoder.decode(options([12, 0]), fromClient); // empty host names
    expect(good.options).toHaveLength(MAX_DHCP_OPTIONS);
    expect(good.problems.map((p) => p.field)).toEqual(['options.count']);
    const bad = dhcpDecoder.decode(options([53, 0]), fromClient); // message types of length 0
    expect(bad.problems).toHaveLength(MAX_PROBLEMS + 1);
    expect(bad.problems.at(-1)).toMatchObject({ field: 'problems' });
  });

  it('rejects an option overrunning the sname field', () => {
    const bad = Uint8Array.from(DHCP_RELAYED_REQUEST);
    bad[45] = 0x40; // option 60 in sname claims 64 bytes
    const pdu = dhcpDecoder.decode(bad, fromRelay);
    expect(pdu.problems[0]).toMatchObject({ field: 'option', offset: 44 });
    expect(pdu.problems[0]).not.toBeInstanceOf(TruncatedError);
  });

  it('concatenates an option split over several instances (RFC 3396)', () => {
    // Option 55 (@285) as two instances of 7 items each.
    const list = hex('37 07 0103060f1f212b 37 07 2c2e2f7779f9fc ff');
    const out = new Uint8Array(285 + list.length);
    out.set(DHCP_WINDOWS_DISCOVER.subarray(0, 285));
    out.set(list, 285);
    expect(run(out).values('dhcp.param_list')).toEqual(['1,3,6,15,31,33,43,44,46,47,119,121,249,252']);
  });

  it('reads option 81 in both encodings and option 77 in both forms', () => {
    expect(fqdnText(hex('01 0000 686f73742e6c616e'))).toBe('host.lan');
    expect(fqdnText(hex('05 0000 04 686f7374 00'))).toBe('host');
    expect(fqdnText(hex('05 0000'))).toBeNull();
    expect(userClassText(hex('69505845'))).toBe('iPXE');
    expect(userClassText(hex('04 69505845 02 6162'))).toBe('iPXE,ab');
  });
});
