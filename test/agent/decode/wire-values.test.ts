import { describe, expect, it } from 'vitest';
import { ipv4At } from '../../../agent/decode/wire-values.js';

describe('wire values: ipv4At', () => {
  it('gives the dotted text of every address, remembered ones and clashing ones alike', () => {
    // 20,000 addresses into 4,096 remembered slots: clashes are certain; repeats hit.
    let seed = 11;
    const next = () => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed;
    };
    const bytes = new Uint8Array(4);
    const view = new DataView(bytes.buffer);
    const values = Array.from({ length: 20000 }, next);
    for (let round = 0; round < 2; round++) {
      for (const v of values) {
        view.setUint32(0, v);
        const expected = `${bytes[0]}.${bytes[1]}.${bytes[2]}.${bytes[3]}`;
        expect(ipv4At(bytes, 0)).toBe(expected);
      }
    }
  });

  it('reads at an offset, the extremes included', () => {
    const b = Uint8Array.from([9, 255, 255, 255, 255, 0, 0, 0, 0, 128, 0, 0, 1]);
    expect(ipv4At(b, 1)).toBe('255.255.255.255');
    expect(ipv4At(b, 5)).toBe('0.0.0.0');
    expect(ipv4At(b, 9)).toBe('128.0.0.1');
    expect(ipv4At(b, 1)).toBe('255.255.255.255');
  });
});
