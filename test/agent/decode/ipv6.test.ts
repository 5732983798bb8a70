import { describe, expect, it } from 'vitest';
import { DecodeError, TruncatedError } from '../../../agent/decode/errors.js';
import { decodeIpv6 } from '../../../agent/decode/ipv6.js';
import { FRAGMENT_FIRST, FRAGMENT_LATER, PacketInfo } from '../../../agent/decode/packet-info.js';
import { hex } from './helpers.js';

const SRC = 'fe800000000000000000000000000001';
const DST = 'ff020000000000000000000000000001';
const header = (len: string, next: string) => `60000000 ${len} ${next} ff ${SRC} ${DST}`;

function decode(b: Uint8Array): PacketInfo {
  const i = new PacketInfo();
  i.reset(b, 0, b.length, 229);
  decodeIpv6(b, 0, i);
  return i;
}

describe('ipv6', () => {
  it('reads the fixed header', () => {
    const i = decode(hex(`${header('0008', '11')} 0035003500080000`));
    expect(i).toMatchObject({
      ipVersion: 6,
      ttl: 255,
      ipProto: 17,
      srcIpOff: 8,
      dstIpOff: 24,
      l4Off: 40,
      l4End: 48,
    });
  });
  it('walks hop-by-hop and destination options to the transport header', () => {
    // hop-by-hop (next 60, len 0 → 8 bytes), dest opts (next 6, len 0)
    const i = decode(
      hex(
        `${header('0024', '00')} 3c00010400000000 0600010400000000 0000000000000000000000005002000000000000`,
      ),
    );
    expect(i).toMatchObject({ ipProto: 6, l4Off: 56 });
  });
  it('marks fragments from the fragment header', () => {
    expect(decode(hex(`${header('0010', '2c')} 1100000100000001 0035003500080000`)).fragment).toBe(
      FRAGMENT_FIRST,
    );
    const later = decode(hex(`${header('0010', '2c')} 1100051800000001 0102030405060708`));
    expect(later.fragment).toBe(FRAGMENT_LATER);
  });
  it('malformed: too many extension headers, a cut extension, a short header', () => {
    const chain = Array.from({ length: 9 }, () => '0000010400000000').join('');
    const err = (() => {
      try {
        decode(hex(`${header('0048', '00')} ${chain}`));
      } catch (e) {
        return e as DecodeError;
      }
    })();
    expect(err).toBeInstanceOf(DecodeError);
    expect(err?.field).toBe('extension_chain');
    expect(() => decode(hex(`${header('0010', '00')} 06ff0000`))).toThrow(TruncatedError);
    expect(() => decode(hex('6000000000081140'))).toThrow(TruncatedError);
    expect(() => decode(hex(`40${header('0000', '11').slice(2)}`))).toThrow(/version/);
  });
});
