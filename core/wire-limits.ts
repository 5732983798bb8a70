// Caps of the agent → collector wire (core/wire.ts), apart from the schemas so that code which only
// needs the numbers (the agent's snapshot and spool) does not load the schema library.
import { MAX_OBSERVATION_TEXT } from './observation.js';

/** Caps a batch must respect (the collector also caps the inflated body size). */
export const WIRE_LIMITS = {
  devices: 5_000,
  connections: 20_000,
  observations: 20_000,
  /** Distinct observation summaries per device in one batch. */
  evidencePerDevice: 512,
  addressesPerDevice: 64,
  namesPerDevice: 64,
  servicesPerDevice: 256,
  namesPerConnection: 32,
  /** Observation text is cut at MAX_OBSERVATION_TEXT (+ "…"); a little slack for other producers. */
  text: MAX_OBSERVATION_TEXT + 64,
  /** DNS names are at most 253 characters (RFC 1035 §2.3.4). */
  name: 255,
  /**
   * Largest count (packets, bytes, evidence counts): the collector's sums saturate here, so a hostile
   * agent repeating maximal deltas cannot push a stored count past SQLite's 64-bit integers.
   */
  counter: Number.MAX_SAFE_INTEGER,
} as const;
