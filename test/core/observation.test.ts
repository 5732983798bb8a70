import { describe, expect, it } from 'vitest';
import { cleanText, MAX_OBSERVATION_TEXT } from '../../core/observation.js';
import { intRng } from '../../scripts/lib/xorshift.js';

/** The definition: controls but tab and DEL become spaces, then trim, then the cap. */
function reference(text: string): string {
  let out = text.replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, ' ').trim();
  if (out.length > MAX_OBSERVATION_TEXT) out = `${out.slice(0, MAX_OBSERVATION_TEXT)}…`;
  return out;
}

describe('cleanText', () => {
  it('agrees with its definition on generated texts: controls, tabs, Unicode spaces, long ones', () => {
    const alphabet = [
      'a',
      'Z',
      '0',
      ' ',
      '\t',
      '\n',
      '\r',
      '\u0000',
      '\u001f',
      '\u007f',
      '\u00a0',
      '\u2003',
      '\ufeff',
      '\u3000',
      'é',
      '中',
      '~',
      '!',
    ];
    const below = intRng(3);
    for (let round = 0; round < 3000; round++) {
      const length = round % 50 === 0 ? MAX_OBSERVATION_TEXT - 2 + below(5) : below(12);
      let text = '';
      for (let i = 0; i < length; i++) text += alphabet[below(alphabet.length)];
      expect(cleanText(text), JSON.stringify(text)).toBe(reference(text));
    }
  });

  it('returns clean text as it is, and cuts long text', () => {
    expect(cleanText('Mozilla/5.0 (X11; Linux)')).toBe('Mozilla/5.0 (X11; Linux)');
    expect(cleanText('a\tb')).toBe('a\tb');
    expect(cleanText('\ta ')).toBe('a');
    expect(cleanText('x'.repeat(MAX_OBSERVATION_TEXT))).toBe('x'.repeat(MAX_OBSERVATION_TEXT));
    expect(cleanText('x'.repeat(MAX_OBSERVATION_TEXT + 1))).toBe(`${'x'.repeat(MAX_OBSERVATION_TEXT)}…`);
    expect(cleanText('')).toBe('');
  });
});
