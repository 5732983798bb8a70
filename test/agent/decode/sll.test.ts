import { describe, expect, it } from 'vitest';
import { TruncatedError } from '../../../agent/decode/errors.js';
import { decodeNull } from '../../../agent/decode/null-loopback.js';
import { PacketInfo } from '../../../agent/decode/packet-info.js';
import { decodeSll, decodeSll2 } from '../../../agent/decode/sll.js';
import { hex } from './helpers.js';

function info(bytes: Uint8Array, linkType: number): PacketInfo {
  const i = new PacketInfo();
  i.reset(bytes, 0, bytes.length, linkType);
  return i;
}

describe('linux cooked captures', () => {
  it('SLL: Ethernet sender MAC and protocol', () => {
    // pkttype 0 (to us), ARPHRD_ETHER, halen 6, addr + 2 pad, protocol IPv4
    const b = hex('0000 0001 0006 001b1b0000010000 0800 45');
    const i = info(b, 113);
    decodeSll(b, 0, i);
    expect(i).toMatchObject({ srcMacOff: 6, dstMacOff: -1, etherType: 0x0800, l3Off: 16 });
  });
  it('SLL: no MAC for a non-Ethernet hardware type (loopback, ARPHRD 772)', () => {
    const b = hex('0000 0304 0000 0000000000000000 0800 45');
    const i = info(b, 113);
    decodeSll(b, 0, i);
    expect(i.srcMacOff).toBe(-1);
  });
  it('SLL2: protocol first, address at 12', () => {
    const b = hex('86dd 0000 00000002 0001 00 06 001b1b0000010000 60');
    const i = info(b, 276);
    decodeSll2(b, 0, i);
    expect(i).toMatchObject({ srcMacOff: 12, etherType: 0x86dd, l3Off: 20 });
  });
  it('throws TruncatedError for short headers', () => {
    const b = hex('0000 0001 0006');
    expect(() => decodeSll(b, 0, info(b, 113))).toThrow(TruncatedError);
    expect(() => decodeSll2(b, 0, info(b, 276))).toThrow(TruncatedError);
  });
});

describe('BSD loopback', () => {
  it('reads AF_INET in either byte order and the AF_INET6 values of several systems', () => {
    for (const [h, et] of [
      ['02000000', 0x0800],
      ['00000002', 0x0800],
      ['1e000000', 0x86dd],
      ['0a000000', 0x86dd],
      ['18000000', 0x86dd],
      ['07000000', 0],
    ] as const) {
      const b = hex(`${h} 45`);
      const i = info(b, 0);
      decodeNull(b, 0, i, false);
      expect(i.etherType, h).toBe(et);
      expect(i.l3Off).toBe(4);
    }
  });
  it('LINKTYPE_LOOP is network byte order', () => {
    const b = hex('00000002 45');
    const i = info(b, 108);
    decodeNull(b, 0, i, true);
    expect(i.etherType).toBe(0x0800);
  });
  it('throws TruncatedError for a cut family', () => {
    const b = hex('0200');
    expect(() => decodeNull(b, 0, info(b, 0), false)).toThrow(TruncatedError);
  });
});
