// SNMPv2c GetRequest encoding (RFC 3416 §3, BER per X.690): one request per community, a fixed set of
// OIDs, nothing that could set a value. Replies go to the SNMP decoder like a captured response.
import type { ProbeEnv, Target } from '../probe-env.js';
import type { ProbeSpec } from '../probe-spec.js';
import { observeReply } from '../reply-observer.js';
import { udpDatagrams } from './udp-exchange.js';

function tlv(tag: number, value: Uint8Array): Uint8Array {
  const n = value.length;
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return Uint8Array.from([tag, ...len, ...value]);
}

function integer(v: number): Uint8Array {
  const bytes: number[] = [];
  let x = v >>> 0;
  do {
    bytes.unshift(x & 0xff);
    x >>>= 8;
  } while (x > 0);
  if (bytes[0]! & 0x80) bytes.unshift(0);
  return tlv(0x02, Uint8Array.from(bytes));
}

function oid(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map(Number);
  const out: number[] = [arcs[0]! * 40 + arcs[1]!];
  for (const arc of arcs.slice(2)) {
    const base128: number[] = [arc & 0x7f];
    for (let a = Math.floor(arc / 128); a > 0; a = Math.floor(a / 128)) base128.unshift((a & 0x7f) | 0x80);
    out.push(...base128);
  }
  return tlv(0x06, Uint8Array.from(out));
}

const concat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));

/** Message ::= SEQUENCE { version 1 (v2c), community, GetRequest-PDU [0] { id, 0, 0, varbinds } }. */
export function snmpGet(community: string, oids: readonly string[], requestId: number): Uint8Array {
  const varbinds = tlv(
    0x30,
    concat(...oids.map((o) => tlv(0x30, concat(oid(o), Uint8Array.of(0x05, 0x00))))),
  );
  const pdu = tlv(0xa0, concat(integer(requestId), integer(0), integer(0), varbinds));
  return tlv(0x30, concat(integer(1), tlv(0x04, Buffer.from(community, 'utf8')), pdu));
}

/** Tries each configured community until one is answered. */
export async function runSnmp(
  env: ProbeEnv,
  target: Target,
  probe: ProbeSpec,
  port: number,
): Promise<boolean> {
  for (const [i, community] of env.communities.entries()) {
    const out = await udpDatagrams(
      env,
      target,
      port,
      [{ bytes: snmpGet(community, probe.oids, 0x4f4d0000 + i) }],
      probe.maxReply,
      probe.timeoutMs,
    );
    const reply = out.replies[0];
    if (reply) {
      observeReply(env, probe.decoder!, reply, { target, port, transport: 'udp', local: out.local });
      return true;
    }
    if (out.refused) return false;
  }
  return false;
}
