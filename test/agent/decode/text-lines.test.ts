import { describe, expect, it } from 'vitest';
import { ascii, indexOfAsciiCi } from '../../../agent/decode/text-lines.js';
import { intRng } from '../../../scripts/lib/xorshift.js';

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

describe('text lines: indexOfAsciiCi', () => {
  /** The definition: lower-case the Latin-1 text's ASCII letters, then indexOf within the limit. */
  function reference(bytes: Uint8Array, lower: string, from: number, limit: number): number {
    const text = ascii(bytes).replace(/[A-Z]/g, (c) => c.toLowerCase());
    const i = text.indexOf(lower, Math.max(0, from));
    return i >= 0 && i + lower.length <= Math.min(limit, bytes.length) ? i : -1;
  }

  it('agrees with the definition for needles with and without a cased first character', () => {
    // Deterministic pseudo-random haystacks over a small alphabet, so matches and near misses abound.
    const alphabet = Buffer.from('<</tTiIlLeE >hH');
    const below = intRng(7);
    for (let round = 0; round < 400; round++) {
      const bytes = Uint8Array.from({ length: below(40) }, () => alphabet[below(alphabet.length)]!);
      for (const needle of ['<title', '</title', 'title', 'html', '<']) {
        const from = below(45) - 3;
        const limit = below(45);
        expect(indexOfAsciiCi(bytes, needle, from, limit), `${ascii(bytes)} ${needle} ${from} ${limit}`).toBe(
          reference(bytes, needle, from, limit),
        );
      }
      expect(indexOfAsciiCi(bytes, '<title', 0)).toBe(reference(bytes, '<title', 0, bytes.length));
    }
  });

  it('does not fold bytes above 0x7f onto ASCII letters', () => {
    expect(indexOfAsciiCi(Uint8Array.from([0x3c, 0xd4, 0x49, 0x54, 0x4c, 0x45]), '<title', 0)).toBe(-1);
    expect(indexOfAsciiCi(Buffer.from('x<TiTlE>'), '<title', 0)).toBe(1);
  });
});
