import { describe, expect, it } from 'vitest';
import { embeddedIpv4, isSpecialIpv4, isSpecialIpv6 } from '../../../core/geo/special-ranges.js';
import { parseIpv4, parseIpv6 } from '../../../core/net/ip.js';

describe('special-purpose addresses', () => {
  it('covers the IPv4 special registry and nothing public', () => {
    for (const ip of [
      '0.1.2.3',
      '10.1.1.1',
      '100.127.255.255',
      '127.0.0.1',
      '169.254.0.1',
      '172.31.0.1',
      '192.0.0.8',
      '192.0.2.55',
      '192.88.99.1',
      '192.168.0.1',
      '198.19.255.255',
      '198.51.100.1',
      '203.0.113.9',
      '239.255.255.250',
      '240.0.0.1',
      '255.255.255.255',
    ]) {
      expect(isSpecialIpv4(parseIpv4(ip)!), ip).toBe(true);
    }
    for (const ip of [
      '1.1.1.1',
      '8.8.8.8',
      '100.128.0.1',
      '172.32.0.1',
      '192.0.3.1',
      '198.20.0.1',
      '223.255.255.255',
    ]) {
      expect(isSpecialIpv4(parseIpv4(ip)!), ip).toBe(false);
    }
  });
  it('treats only global unicast outside the documentation prefixes as public IPv6', () => {
    for (const ip of [
      '::',
      '::1',
      'fe80::1',
      'fc00::1',
      'ff02::1',
      '2001:db8:1::1',
      '3fff:fff::1',
      '100::1',
      '4000::1',
    ]) {
      expect(isSpecialIpv6(parseIpv6(ip)!), ip).toBe(true);
    }
    for (const ip of ['2001:4860::8888', '2400:cb00::1', '3ffe::1'])
      expect(isSpecialIpv6(parseIpv6(ip)!), ip).toBe(false);
  });
  it('extracts IPv4 from mapped and NAT64 addresses only', () => {
    expect(embeddedIpv4(parseIpv6('::ffff:8.8.4.4')!)).toBe(parseIpv4('8.8.4.4'));
    expect(embeddedIpv4(parseIpv6('64:ff9b::808:808')!)).toBe(parseIpv4('8.8.8.8'));
    expect(embeddedIpv4(parseIpv6('::8.8.8.8')!)).toBeNull();
    expect(embeddedIpv4(parseIpv6('2001:db8::808:808')!)).toBeNull();
  });
});
