import { describe, expect, it } from 'vitest';
import { jsonText } from '../../../agent/commands/json-output.js';

// A hostile HTTP Server header: CSI (U+009B, 'ESC [' to xterm) clearing the screen, a right-to-left
// override, a zero-width space, and plain C0 controls JSON already escapes.
const report = { devices: [{ banner: 'nginx\u009b2J\u202egnp.exe\u200b\u001b[0m\u0007' }] };

describe('jsonText', () => {
  it('escapes C1, bidi and zero-width characters on a terminal, and parses back to the same value', () => {
    const text = jsonText(report, true);
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u200b\u202e]/);
    expect(text).toContain('\\u009b');
    expect(JSON.parse(text)).toEqual(report);
  });

  it('leaves piped output exactly as JSON.stringify writes it', () => {
    expect(jsonText(report, false)).toBe(`${JSON.stringify(report, null, 2)}\n`);
  });
});
