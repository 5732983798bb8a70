import { describe, expect, it } from 'vitest';
import { ascii } from '../../../agent/decode/text-lines.js';

describe('text lines: ascii', () => {
  it('gives one char per byte, the byte value as its code, short and long alike', () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const expected = String.fromCharCode(...all);
    expect(ascii(all)).toBe(expected);
    for (let n = 0; n <= 12; n++) expect(ascii(all, 250 - n, 250)).toBe(expected.slice(250 - n, 250));
    expect(ascii(all, 0x80, 0x90)).toBe(expected.slice(0x80, 0x90));
    expect(ascii(all, 5, 5)).toBe('');
  });
});
