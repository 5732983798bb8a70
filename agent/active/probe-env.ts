// What every probe family is given: the scope to re-check, the budget to charge, the decoders that
// read replies and the sink observations go to. One ProbeEnv per scan.

import type { Observation } from '../../core/observation.js';
import type { AppDecoder } from '../decode/types.js';
import type { RateLimiter } from './rate-limit.js';
import type { ScanScope } from './scope.js';

export interface Target {
  ip: string;
  /** From the neighbour table once the kernel resolved it; null behind a router or before. */
  mac: string | null;
  /** The kernel has not resolved this address yet: its first packet costs up to 3 ARP requests. */
  firstContact: boolean;
}

export interface ProbeEnv {
  scope: ScanScope;
  limiter: RateLimiter;
  signal: AbortSignal;
  /** The decoder with this registry id, or undefined when none is registered. */
  decoder(id: string): AppDecoder | undefined;
  emit(observation: Observation): void;
  /** Odd replies, counted by name (a decoder's anomalies, decode errors, oversize replies). */
  anomaly(name: string): void;
  /** SNMP communities to try, in order (configuration; default "public"). */
  communities: readonly string[];
  /** Milliseconds since the epoch, for observation timestamps. */
  now(): number;
}

/** Up to 3 ARP requests precede the first packet to an unresolved on-link address (mcast_solicit). */
export const ARP_SOLICITS = 3;

/** Linux retries an unanswered ARP request every retrans_time (1 s by default). */
const ARP_RETRY_MS = 1000;

/**
 * Charges the packets of one send to `target`. On first contact the kernel's ARP requests come too:
 * all charged now, and the retries also at the times the kernel will send them.
 */
export async function charge(env: ProbeEnv, target: Target, packets: number): Promise<void> {
  env.scope.check(target.ip);
  const arp = target.firstContact ? ARP_SOLICITS : 0;
  target.firstContact = false;
  const retries = Array.from({ length: Math.max(0, arp - 1) }, (_, i) => (i + 1) * ARP_RETRY_MS);
  await env.limiter.acquire(target.ip, packets + arp, env.signal, retries);
}
