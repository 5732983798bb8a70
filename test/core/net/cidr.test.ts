import { describe, expect, it } from 'vitest';
import { CidrError, CidrSet, parseCidr, parseCidrList, privateRanges } from '../../../core/net/cidr.js';
import { formatIpv6, parseIpv4, parseIpv6 } from '../../../core/net/ip.js';

describe('ip text', () => {
  it('parses IPv4 strictly', () => {
    expect(parseIpv4('192.168.1.1')).toBe(0xc0a80101);
    for (const bad of ['1.2.3', '1.2.3.4.5', '256.1.1.1', '01.2.3.4', '1.2.3.-4', 'a.b.c.d', '']) {
      expect(parseIpv4(bad)).toBeNull();
    }
  });
  it('parses and formats IPv6 per RFC 5952', () => {
    for (const [text, out] of [
      ['2001:db8::1', '2001:db8::1'],
      ['::', '::'],
      ['::1', '::1'],
      ['FE80::0:0:1%eth0', 'fe80::1'],
      ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
      ['::ffff:192.0.2.1', '::ffff:c000:201'],
      ['2001:db8:1:2:3:4:5:6', '2001:db8:1:2:3:4:5:6'],
    ] as const) {
      expect(formatIpv6(parseIpv6(text)!)).toBe(out);
    }
    for (const bad of ['1::2::3', '12345::', '1:2:3:4:5:6:7:8:9', ':::', 'g::1', '1:2:3:4:5:6:7::8']) {
      expect(parseIpv6(bad)).toBeNull();
    }
  });
});

describe('CIDR sets', () => {
  it('matches both families', () => {
    const set = new CidrSet(parseCidrList('10.0.0.0/8, 198.18.0.0/15 2001:db8::/32'));
    expect(set.has('10.200.1.1')).toBe(true);
    expect(set.has('198.19.255.255')).toBe(true);
    expect(set.has('198.20.0.0')).toBe(false);
    expect(set.has('2001:db8:ffff::1')).toBe(true);
    expect(set.has('2001:db9::1')).toBe(false);
    expect(set.has('not an ip')).toBe(false);
  });
  it('treats a bare address as a host route and /0 as everything', () => {
    expect(new CidrSet([parseCidr('192.0.2.7')]).has('192.0.2.7')).toBe(true);
    expect(new CidrSet([parseCidr('192.0.2.7')]).has('192.0.2.8')).toBe(false);
    expect(new CidrSet([parseCidr('0.0.0.0/0')]).has('8.8.8.8')).toBe(true);
  });
  it('rejects bad CIDRs with a reason', () => {
    expect(() => parseCidr('10.0.0.1/8')).toThrow(/host bits set/);
    expect(() => parseCidr('10.0.0.0/33')).toThrow(CidrError);
    expect(() => parseCidr('10.0.0.0/x')).toThrow(/prefix length/);
    expect(() => parseCidr('fe80::1/10')).toThrow(/host bits/);
    expect(() => parseCidr('example.com')).toThrow(/not an IP/);
  });
  it('knows private, loopback, link-local and multicast as local by default', () => {
    const p = privateRanges();
    for (const ip of [
      '10.1.2.3',
      '172.31.0.1',
      '192.168.0.1',
      '127.0.0.1',
      '169.254.9.9',
      '224.0.0.251',
      'fe80::1',
      'fd12::1',
      'ff02::fb',
      '198.18.0.5',
    ]) {
      expect(p.has(ip), ip).toBe(true);
    }
    for (const ip of ['8.8.8.8', '172.32.0.1', '1.0.1.1', '2001:4860:4860::8888'])
      expect(p.has(ip), ip).toBe(false);
  });
});
