import { describe, expect, it } from 'vitest';
import { cleanText, MAX_OBSERVATION_TEXT } from '../../core/observation.js';

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
    let seed = 3;
    const next = () => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed >>> 8;
    };
    for (let round = 0; round < 3000; round++) {
      const length = round % 50 === 0 ? MAX_OBSERVATION_TEXT - 2 + (next() % 5) : next() % 12;
      let text = '';
      for (let i = 0; i < length; i++) text += alphabet[next() % alphabet.length];
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
