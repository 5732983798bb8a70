import { describe, expect, it } from 'vitest';
import { decodeArp } from '../../../agent/decode/arp.js';
import { DecodeError, TruncatedError } from '../../../agent/decode/errors.js';
import { decodeIcmp } from '../../../agent/decode/icmp.js';
import { decodeNd, ND_NEIGHBOR_ADVERT } from '../../../agent/decode/icmpv6.js';
import { hex } from './helpers.js';

describe('arp', () => {
  it('reads a reply: sender and target MAC/IP', () => {
    const b = hex('0001 0800 06 04 0002 001b1b000001 c0a8140a f48e38112233 c0a80a14');
    expect(decodeArp(b, 0, b.length)).toEqual({
      op: 2,
      senderMacOff: 8,
      senderIp: 0xc0a8140a,
      targetMacOff: 18,
      targetIp: 0xc0a80a14,
    });
  });
  it('malformed: not Ethernet/IPv4, truncated', () => {
    const b = hex('0006 0800 06 04 0001 001b1b000001 c0a8140a 000000000000 c0a80a14');
    expect(() => decodeArp(b, 0, b.length)).toThrow(DecodeError);
    expect(() => decodeArp(b, 0, 20)).toThrow(TruncatedError);
  });
});

describe('icmp', () => {
  it('reads type and code', () => {
    const b = hex('0000 ffff 00010001');
    expect(decodeIcmp(b, 0, b.length)).toEqual({ type: 0, code: 0 });
    expect(() => decodeIcmp(b, 0, 2)).toThrow(TruncatedError);
  });
});

describe('icmpv6 neighbour discovery', () => {
  it('reads a neighbour advertisement with a target link-layer option', () => {
    const b = hex('88 00 0000 60000000 fe800000000000000000000000000001 0201 f48e38112233');
    expect(decodeNd(b, 0, b.length)).toEqual({
      type: ND_NEIGHBOR_ADVERT,
      targetOff: 8,
      sourceLlOff: -1,
      targetLlOff: 26,
    });
  });
  it('ignores other ICMPv6 types', () => {
    const b = hex('80 00 0000 00010001');
    expect(decodeNd(b, 0, b.length)).toBeNull();
  });
  it('malformed: a zero-length option, a cut body', () => {
    const zero = hex('87 00 0000 00000000 fe800000000000000000000000000001 0100 000000000000');
    expect(() => decodeNd(zero, 0, zero.length)).toThrow(/option_length/);
    const cut = hex('87 00 0000 00000000 fe80');
    expect(() => decodeNd(cut, 0, cut.length)).toThrow(TruncatedError);
  });
});
