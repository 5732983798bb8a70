// What a decoder kept going past: errors of skipped elements and a cut tail, reported as anomalies.
// STYLE.md: a bad record inside a container is skipped and counted, and parsing goes on.
import { DecodeError, TruncatedError } from './errors.js';
import type { Emitter } from './types.js';

/** Errors met while decoding a container that still yielded a PDU. Field names are fixed strings. */
export type Problems = DecodeError[];

/**
 * Skipped elements recorded per message. Past this the rest is not read: an error object costs
 * microseconds (measured 3-11 µs with its stack), so a datagram of bad records must stop early.
 */
export const MAX_PROBLEMS = 8;

/**
 * Records a skipped element's error. At the cap it adds a final "problems" error and returns it: the
 * caller stops reading there (and may throw that error to leave nested loops).
 */
export function skip(problems: Problems, err: DecodeError): DecodeError | null {
  problems.push(err);
  if (problems.length < MAX_PROBLEMS) return null;
  const stop = new DecodeError(
    err.protocol,
    err.offset,
    'problems',
    `${MAX_PROBLEMS} malformed elements, the rest is not read`,
  );
  problems.push(stop);
  return stop;
}

/**
 * Counts each problem as an anomaly: "<protocol>.truncated" for a cut tail,
 * "<protocol>.malformed.<field>" for a skipped element.
 */
export function reportProblems(problems: Problems, out: Emitter): void {
  // Indexed, as in reportAnomalies.
  for (let i = 0; i < problems.length; i++) {
    const p = problems[i]!;
    out.anomaly(
      p instanceof TruncatedError ? `${p.protocol}.truncated` : `${p.protocol}.malformed.${p.field}`,
    );
  }
}

/**
 * Counts each named anomaly. An indexed loop, not for-of: the observers call this once per
 * direction, and a for-of is an iterator and a try/finally in the code TurboFan builds for every
 * function it is inlined into.
 */
export function reportAnomalies(anomalies: readonly string[], out: Emitter): void {
  for (let i = 0; i < anomalies.length; i++) out.anomaly(anomalies[i]!);
}
