// A command's --json output: JSON.stringify escapes only C0 controls, so on a terminal the C1, bidi
// and zero-width characters a hostile banner may carry are escaped too (the same JSON once parsed).
// Piped output stays exactly JSON.stringify's: scanning a 27 MB report costs 25–40 ms for nobody.
import { escapeInvisible } from '../../core/escape-invisible.js';

export function jsonText(value: unknown, toTerminal = process.stdout.isTTY === true): string {
  const text = `${JSON.stringify(value, null, 2)}\n`;
  return toTerminal ? escapeInvisible(text) : text;
}
