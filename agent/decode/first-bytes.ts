// First bytes a sniff can accept (AppDecoder.firstBytes), spelled from the same tables and texts
// the sniffs test, so a list cannot drift from its sniff.

/** The first byte of each text. */
export function firstChars(texts: Iterable<string>): number[] {
  return [...new Set([...texts].map((t) => t.charCodeAt(0)))];
}

/** Bytes that may start a printable line (text-lines.ts isPrintable: TAB, SP to ~, and 0x80 up). */
export const PRINTABLE_FIRST: readonly number[] = Array.from({ length: 256 }, (_, b) => b).filter(
  (b) => (b >= 0x20 || b === 0x09) && b !== 0x7f,
);

/** Every byte from `from` to 0xff. */
export function bytesFrom(from: number): number[] {
  return Array.from({ length: 256 - from }, (_, i) => from + i);
}
