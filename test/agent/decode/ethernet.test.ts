import { describe, expect, it } from 'vitest';
import { type DecodeError, TruncatedError } from '../../../agent/decode/errors.js';
import { decodeEthernet } from '../../../agent/decode/ethernet.js';
import { PacketInfo } from '../../../agent/decode/packet-info.js';
import { hex } from './helpers.js';

function decode(bytes: Uint8Array): PacketInfo {
  const info = new PacketInfo();
  info.reset(bytes, 0, bytes.length, 1);
  decodeEthernet(bytes, 0, info);
  return info;
}

describe('ethernet', () => {
  it('reads an untagged IPv4 frame', () => {
    const info = decode(hex('ffffffffffff 001b1b000001 0800 4500'));
    expect(info).toMatchObject({ dstMacOff: 0, srcMacOff: 6, etherType: 0x0800, l3Off: 14, vlanCount: 0 });
  });
  it('reads an 802.1Q tag (VLAN 20, priority 5)', () => {
    const info = decode(hex('ffffffffffff 001b1b000001 8100 a014 0800 4500'));
    expect(info).toMatchObject({ vlanCount: 1, vlanOuter: 20, etherType: 0x0800, l3Off: 18 });
  });
  it('reads QinQ (802.1ad outer 0x88a8, inner 0x8100)', () => {
    const info = decode(hex('ffffffffffff 001b1b000001 88a8 0064 8100 00c8 86dd 6000'));
    expect(info).toMatchObject({
      vlanCount: 2,
      vlanOuter: 100,
      vlanInner: 200,
      etherType: 0x86dd,
      l3Off: 22,
    });
  });
  it('treats a type field up to 1500 as an 802.3 length (LLC follows)', () => {
    const info = decode(hex('01000ccccccc 001b1b000001 0100 aaaa03 00000c 2000'));
    expect(info).toMatchObject({ etherType: 0, l3Off: 14 });
  });
  it('stops after four tags', () => {
    const info = decode(
      hex('ffffffffffff 001b1b000001 8100 0001 8100 0002 8100 0003 8100 0004 8100 0005 0800'),
    );
    expect(info.vlanCount).toBe(4);
    expect(info.etherType).toBe(0x8100);
  });
  it('throws TruncatedError for a short header', () => {
    expect(() => decode(hex('ffffffffffff 001b1b'))).toThrow(TruncatedError);
  });
  it('throws TruncatedError for a cut VLAN tag', () => {
    const err = (() => {
      try {
        decode(hex('ffffffffffff 001b1b000001 8100 00'));
      } catch (e) {
        return e as DecodeError;
      }
    })();
    expect(err).toBeInstanceOf(TruncatedError);
    expect(err?.field).toBe('vlan_tag');
  });
});
