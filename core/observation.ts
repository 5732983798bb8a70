// The Observation record (DESIGN.md §3): one fact seen once, the unit every stage trades.
import type { ObservationKey } from './observation-keys.js';

export type ObservationSource = 'passive' | 'active';
export type ObservationValue = string | number;

export interface Observation {
  /** Milliseconds since the Unix epoch (fractional part keeps µs/ns precision). */
  ts: number;
  source: ObservationSource;
  key: ObservationKey;
  value: ObservationValue;
  /** The device this fact is about: its MAC when seen on the wire, its IP otherwise. */
  mac?: string;
  ip?: string;
  port?: number;
  proto?: 'tcp' | 'udp' | 'link';
}

/** Longest text value kept from the wire; longer values are cut and marked. */
export const MAX_OBSERVATION_TEXT = 512;

/**
 * Wire text is attacker-controlled: strip control characters (keep tab), cap the length.
 * Kept as data everywhere; renderers escape it again.
 */
export function cleanText(text: string): string {
  if (isClean(text)) return text;
  let out = text.replace(/[\u0000-\u0008\u000a-\u001f\u007f]/g, ' ').trim();
  if (out.length > MAX_OBSERVATION_TEXT) out = `${out.slice(0, MAX_OBSERVATION_TEXT)}…`;
  return out;
}

/**
 * True when cleanText would return `text` unchanged: no control character but tab, no DEL, within
 * the cap, and printable ASCII other than space at both ends (so trim() has nothing to remove). Most
 * wire texts are; the scan is several times cheaper than the replace and trim it saves.
 */
function isClean(text: string): boolean {
  const n = text.length;
  if (n === 0 || n > MAX_OBSERVATION_TEXT) return n === 0;
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(n - 1);
  if (first <= 0x20 || first >= 0x7f || last <= 0x20 || last >= 0x7f) return false;
  for (let i = 1; i < n - 1; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09) || c === 0x7f) return false;
  }
  return true;
}
