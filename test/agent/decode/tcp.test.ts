import { describe, expect, it } from 'vitest';
import { DecodeError, TruncatedError } from '../../../agent/decode/errors.js';
import { PacketInfo } from '../../../agent/decode/packet-info.js';
import { decodeTcp, tcpOptionSignature } from '../../../agent/decode/tcp.js';
import { decodeUdp } from '../../../agent/decode/udp.js';
import { hex } from './helpers.js';

function l4(b: Uint8Array): PacketInfo {
  const i = new PacketInfo();
  i.reset(b, 0, b.length, 101);
  i.l4End = b.length;
  return i;
}

describe('tcp', () => {
  // sport 49200, dport 502, seq, ack, offset 8 words, SYN, window 64240, checksum, urgent, options
  const syn = hex('c030 01f6 000f4241 00000000 80 02 faf0 0000 0000 020405b4 01030308 01010402');
  it('reads ports, flags, sequence numbers, window and options', () => {
    const i = l4(syn);
    decodeTcp(syn, 0, i);
    expect(i).toMatchObject({
      srcPort: 49200,
      dstPort: 502,
      seq: 1000001,
      tcpFlags: 2,
      window: 64240,
      tcpOptOff: 20,
      tcpOptLen: 12,
      payloadOff: 32,
      payloadLen: 0,
    });
  });
  it('turns the option layout into a p0f-style signature', () => {
    expect(tcpOptionSignature(syn, 20, 12)).toEqual({ layout: 'M,N,W,N,N,S', mss: 1460, wscale: 8 });
    const linux = hex('020405b4 0402 080a0000000100000000 01 030307');
    expect(tcpOptionSignature(linux, 0, linux.length).layout).toBe('M,S,T,N,W');
    const bad = hex('0205 05b4');
    expect(tcpOptionSignature(bad, 0, bad.length).layout).toBe('?');
  });
  it('malformed: data offset below 5, options past the end, short header', () => {
    const low = hex('c030 01f6 00000000 00000000 40 02 faf0 0000 0000');
    expect(() => decodeTcp(low, 0, l4(low))).toThrow(DecodeError);
    const over = hex('c030 01f6 00000000 00000000 f0 02 faf0 0000 0000 0000');
    expect(() => decodeTcp(over, 0, l4(over))).toThrow(TruncatedError);
    const short = hex('c030 01f6 0000');
    expect(() => decodeTcp(short, 0, l4(short))).toThrow(TruncatedError);
  });
});

describe('udp', () => {
  it('reads ports and bounds the payload by the UDP length', () => {
    const b = hex('0044 0043 000a 0000 0102 ffff');
    const i = l4(b);
    decodeUdp(b, 0, i);
    expect(i).toMatchObject({ srcPort: 68, dstPort: 67, payloadOff: 8, payloadLen: 2 });
  });
  it('malformed: length below 8, short header', () => {
    const b = hex('0044 0043 0004 0000');
    expect(() => decodeUdp(b, 0, l4(b))).toThrow(/length/);
    const s = hex('0044 00');
    expect(() => decodeUdp(s, 0, l4(s))).toThrow(TruncatedError);
  });
});
