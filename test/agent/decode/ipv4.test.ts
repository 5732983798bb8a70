import { describe, expect, it } from 'vitest';
import { DecodeError, TruncatedError } from '../../../agent/decode/errors.js';
import { decodeIpv4 } from '../../../agent/decode/ipv4.js';
import {
  FRAGMENT_FIRST,
  FRAGMENT_LATER,
  FRAGMENT_NONE,
  PacketInfo,
} from '../../../agent/decode/packet-info.js';
import { hex } from './helpers.js';

function decode(b: Uint8Array): PacketInfo {
  const i = new PacketInfo();
  i.reset(b, 0, b.length, 101);
  decodeIpv4(b, 0, i);
  return i;
}

// version/IHL, TOS, total length, id, flags/fragment, TTL, protocol, checksum, src, dst
const HEADER = (total: string, frag = '0000', ihl = '45') =>
  `${ihl}00 ${total} 1234 ${frag} 40 06 0000 c0a80a14 08080808`;

describe('ipv4', () => {
  it('reads addresses, TTL, protocol and trims Ethernet padding by total length', () => {
    const i = decode(hex(`${HEADER('0018')} 00000000 ffffffffffff`));
    expect(i).toMatchObject({
      ipVersion: 4,
      ttl: 64,
      ipProto: 6,
      srcIpOff: 12,
      dstIpOff: 16,
      l4Off: 20,
      l4End: 24,
      fragment: FRAGMENT_NONE,
    });
  });
  it('skips options (IHL 6)', () => {
    const i = decode(hex(`${HEADER('001c', '0000', '46')} 01010100 deadbeef`));
    expect(i.l4Off).toBe(24);
  });
  it('marks first and later fragments', () => {
    expect(decode(hex(`${HEADER('0014', '2000')}`)).fragment).toBe(FRAGMENT_FIRST);
    expect(decode(hex(`${HEADER('0014', '00b9')}`)).fragment).toBe(FRAGMENT_LATER);
    expect(decode(hex(`${HEADER('0014', '20b9')}`)).fragment).toBe(FRAGMENT_LATER);
  });
  it('uses the captured length when total length is 0 (segmentation offload)', () => {
    expect(decode(hex(`${HEADER('0000')} 0102030405`)).l4End).toBe(25);
  });
  it('keeps a snap-length cut: payload ends at the captured bytes', () => {
    expect(decode(hex(`${HEADER('05dc')} 0102`)).l4End).toBe(22);
  });
  it('malformed: version, IHL below 5, total length below header, truncation', () => {
    expect(() => decode(hex(`65${HEADER('0014').slice(2)}`))).toThrow(DecodeError);
    const ihl = (() => {
      try {
        decode(hex(HEADER('0014', '0000', '44')));
      } catch (e) {
        return e as DecodeError;
      }
    })();
    expect(ihl?.field).toBe('ihl');
    expect(() => decode(hex(HEADER('0010')))).toThrow(/total_length/);
    expect(() => decode(hex('4500 0014 1234'))).toThrow(TruncatedError);
    expect(() => decode(hex(`${HEADER('0020', '0000', '48')} 0102`))).toThrow(TruncatedError);
  });
});
