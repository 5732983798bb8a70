// Hands a probe's reply to the decoder that reads it, exactly as the passive pipeline would hand it a
// flow direction (TCP) or a datagram (UDP), and turns what the decoder emits into active observations.

import { cleanText, type ObservationValue } from '../../core/observation.js';
import type { ObservationKey } from '../../core/observation-keys.js';
import { isDecoderError } from '../decode/errors.js';
import type { AppContext, Emitter } from '../decode/types.js';
import type { ProbeEnv, Target } from './probe-env.js';

export interface ReplyOrigin {
  target: Target;
  /** The target's port the reply came from. */
  port: number;
  transport: 'tcp' | 'udp';
  /** The scanner's side of the exchange. */
  local: { ip: string | null; port: number };
}

/** Observation of a fact about the target, stamped now. */
export function observe(
  env: ProbeEnv,
  origin: Pick<ReplyOrigin, 'target' | 'port' | 'transport'>,
  key: ObservationKey,
  value: ObservationValue,
): void {
  const v = typeof value === 'string' ? cleanText(value) : value;
  if (v === '') return;
  env.emit({
    ts: env.now(),
    source: 'active',
    key,
    value: v,
    ip: origin.target.ip,
    ...(origin.target.mac ? { mac: origin.target.mac } : {}),
    ...(origin.port ? { port: origin.port, proto: origin.transport } : {}),
  });
}

/**
 * Decodes `bytes` (everything the target sent on a TCP connection, or one datagram) with the decoder
 * `decoderId`. Returns how many observations came out; 0 when the decoder is missing or the bytes
 * are not its protocol (counted as anomalies, never thrown).
 */
export function observeReply(
  env: ProbeEnv,
  decoderId: string,
  bytes: Uint8Array,
  origin: ReplyOrigin,
): number {
  if (!bytes.length) return 0;
  const decoder = env.decoder(decoderId);
  if (!decoder) {
    env.anomaly(`no-decoder:${decoderId}`);
    return 0;
  }
  const ctx: AppContext = {
    ts: env.now(),
    transport: origin.transport,
    src: { mac: origin.target.mac, ip: origin.target.ip, port: origin.port },
    dst: { mac: null, ip: origin.local.ip, port: origin.local.port },
    fromClient: origin.transport === 'tcp' ? false : null,
  };
  let count = 0;
  const emitter: Emitter = {
    observe(about, key, value) {
      // Facts about the scanner itself ('dst') are not what a scan is for.
      if (about !== 'src') return;
      observe(env, origin, key, value);
      count++;
    },
    observeMac(mac, key, value) {
      // Only facts about the target itself; a reply may name other stations (relays, neighbours).
      if (origin.target.mac && mac === origin.target.mac) {
        observe(env, origin, key, value);
        count++;
      }
    },
    nameAddress() {
      // Names for third-party addresses seen in a reply are not facts about the target.
    },
    anomaly(name) {
      env.anomaly(`${decoder.id}:${name}`);
    },
  };
  let pdu: unknown;
  try {
    pdu = decoder.decode(bytes, ctx);
  } catch (err) {
    if (!isDecoderError(err)) throw err;
    env.anomaly(`decode-error:${decoder.id}`);
    return 0;
  }
  decoder.observe(pdu, ctx, emitter);
  return count;
}
