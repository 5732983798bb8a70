// What a decoder kept going past: errors of skipped elements and a cut tail, reported as anomalies.
// STYLE.md: a bad record inside a container is skipped and counted, and parsing goes on.
import { type DecodeError, TruncatedError } from './errors.js';
import type { Emitter } from './types.js';

/** Errors met while decoding a container that still yielded a PDU. Field names are fixed strings. */
export type Problems = DecodeError[];

/**
 * Counts each problem as an anomaly: "<protocol>.truncated" for a cut tail,
 * "<protocol>.malformed.<field>" for a skipped element.
 */
export function reportProblems(problems: Problems, out: Emitter): void {
  for (const p of problems) {
    out.anomaly(
      p instanceof TruncatedError ? `${p.protocol}.truncated` : `${p.protocol}.malformed.${p.field}`,
    );
  }
}
