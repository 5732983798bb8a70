// The small wire pieces of the native probes: reply framing, SNMP and DNS request encoding, the
// neighbour table parsers.
import { describe, expect, it } from 'vitest';
import { completeLength } from '../../../agent/active/framing.js';
import { parseIpNeigh, parseProcArp } from '../../../agent/active/neighbours.js';
import { dnsQuery, reverseName } from '../../../agent/active/probes/dns-query.js';
import { snmpGet } from '../../../agent/active/probes/snmp-request.js';
import { snmpDecoder } from '../../../agent/decode/snmp.js';
import { ctx, hex } from '../decode/helpers.js';

describe('completeLength', () => {
  it('reads each protocol length field', () => {
    expect(completeLength('mbap', hex('0001 0000 0004 ff 2b 0e'))).toBeNull();
    expect(completeLength('mbap', hex('0001 0000 0003 ff 2b 0e 01 99'))).toBe(9);
    expect(completeLength('mbap', hex('0001 0000 0004 ff 2b 0e 01 99'))).toBe(10);
    expect(completeLength('tpkt', hex('0300 0007 02f080 aa'))).toBe(7);
    expect(completeLength('tpkt', hex('0300 0016 11d0'))).toBeNull();
    expect(completeLength('enip', new Uint8Array(24))).toBe(24);
    expect(completeLength('enip', Uint8Array.from([0x63, 0, 2, 0, ...new Array(20).fill(0), 1]))).toBeNull();
    expect(completeLength('fins-tcp', hex('46494e53 00000004 00000001'))).toBe(12);
    expect(completeLength('line', Buffer.from('SSH-2.0-x\r\nmore'))).toBe(11);
    expect(completeLength('line', Buffer.from('no newline'))).toBeNull();
  });

  it('ends HTTP replies at Content-Length, at the header for HEAD and RTSP, and waits otherwise', () => {
    const head = 'HTTP/1.1 200 OK\r\nServer: x\r\n\r\n';
    expect(completeLength('http', Buffer.from(`${head}body`), true)).toBe(head.length);
    expect(completeLength('http', Buffer.from(`${head}body`), false)).toBeNull();
    const withLength = 'HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\n';
    expect(completeLength('http', Buffer.from(`${withLength}bo`), false)).toBeNull();
    expect(completeLength('http', Buffer.from(`${withLength}body+extra`), false)).toBe(withLength.length + 4);
    expect(completeLength('http', Buffer.from('RTSP/1.0 200 OK\r\nCSeq: 1\r\n\r\n'), false)).toBe(28);
    expect(completeLength('http', Buffer.from('HTTP/1.1 204 No Content\r\n\r\n'), false)).toBe(27);
  });
});

describe('SNMP GET encoding', () => {
  it('encodes a v2c GetRequest (RFC 3416) that round-trips through a BER reader', () => {
    // Worked by hand from X.690: SEQUENCE { 1, "public", [0] { 1, 0, 0, { { sysDescr.0, NULL } } } }.
    expect(Buffer.from(snmpGet('public', ['1.3.6.1.2.1.1.1.0'], 1)).toString('hex')).toBe(
      '3026020101' + '04067075626c6963' + 'a019020101020100020100' + '300e300c06082b060102010101000500',
    );
    const bytes = snmpGet('public', ['1.3.6.1.2.1.1.1.0', '1.3.6.1.4.1.311.1'], 0x4f4d0000);
    // The request read back by the project's SNMP decoder names the same OIDs.
    const decoded = snmpDecoder.decode(bytes, ctx('udp'));
    expect(decoded.varbinds.map((v) => v.oid)).toEqual(['1.3.6.1.2.1.1.1.0', '1.3.6.1.4.1.311.1']);
  });
});

describe('DNS query encoding', () => {
  it('builds reverse names for both families', () => {
    expect(reverseName('198.18.1.16')).toBe('16.1.18.198.in-addr.arpa');
    expect(reverseName('2001:db8::1')).toBe(`1.0.0.0.${'0.'.repeat(20)}8.b.d.0.1.0.0.2.ip6.arpa`);
  });
  it('encodes questions (RFC 1035 §4.1.2) with the target’s reverse name substituted', () => {
    const q = dnsQuery(0x1234, [{ name: '{reverse}', type: 'PTR' }], '10.0.0.1');
    expect(Buffer.from(q).toString('hex')).toBe(
      `123400000001000000000000${Buffer.from('\x011\x010\x010\x0210\x07in-addr\x04arpa\x00', 'latin1').toString('hex')}000c0001`,
    );
  });
});

describe('neighbour tables', () => {
  it('reads /proc/net/arp: resolved entries have a MAC, incomplete ones none', () => {
    const text = [
      'IP address       HW type     Flags       HW address            Mask     Device',
      '198.18.1.10      0x1         0x2         00:1b:1b:4a:31:07     *        ombr',
      '198.18.1.99      0x1         0x0         00:00:00:00:00:00     *        ombr',
    ].join('\n');
    expect(parseProcArp(text)).toEqual([
      { ip: '198.18.1.10', mac: '00:1b:1b:4a:31:07', device: 'ombr' },
      { ip: '198.18.1.99', mac: null, device: 'ombr' },
    ]);
  });
  it('reads ip -6 neigh', () => {
    const text = 'fe80::1 dev eth0 lladdr 00:E0:FC:3A:77:12 router REACHABLE\nfd00::9 dev eth0 FAILED\n';
    expect(parseIpNeigh(text)).toEqual([
      { ip: 'fe80::1', mac: '00:e0:fc:3a:77:12', device: 'eth0' },
      { ip: 'fd00::9', mac: null, device: 'eth0' },
    ]);
  });
});
