// One-shot unicast DNS/mDNS queries (RFC 1035 §4.1, RFC 6762 §6.7): sent from an ephemeral port to
// the target only, so the responder answers us directly and nothing is multicast.
import { randomInt } from 'node:crypto';
import { parseIpv6 } from '../../../core/net/ip.js';
import type { ProbeEnv, Target } from '../probe-env.js';
import type { DnsQuestion, ProbeSpec } from '../probe-spec.js';
import { observeReply } from '../reply-observer.js';
import { udpDatagrams } from './udp-exchange.js';

const TYPES: Record<DnsQuestion['type'], number> = { A: 1, PTR: 12, TXT: 16, AAAA: 28, SRV: 33, ANY: 255 };

/** The reverse-lookup name of an address (RFC 1035 §3.5, RFC 3596 §2.5). */
export function reverseName(ip: string): string {
  if (!ip.includes(':')) return `${ip.split('.').reverse().join('.')}.in-addr.arpa`;
  const bytes = parseIpv6(ip);
  if (!bytes) throw new Error(`not an address: ${ip}`);
  const nibbles: string[] = [];
  for (const b of bytes) nibbles.push((b >> 4).toString(16), (b & 15).toString(16));
  return `${nibbles.reverse().join('.')}.ip6.arpa`;
}

export function dnsQuery(id: number, questions: readonly DnsQuestion[], ip: string): Uint8Array {
  const parts: number[] = [id >> 8, id & 0xff, 0, 0, 0, questions.length, 0, 0, 0, 0, 0, 0];
  for (const q of questions) {
    const name = q.name === '{reverse}' ? reverseName(ip) : q.name;
    for (const label of name.split('.').filter(Boolean)) {
      const bytes = Buffer.from(label, 'utf8');
      if (bytes.length > 63) throw new Error(`DNS label longer than 63 bytes in ${name}`);
      parts.push(bytes.length, ...bytes);
    }
    parts.push(0, 0, TYPES[q.type], 0, 1); // QTYPE, QCLASS IN
  }
  return Uint8Array.from(parts);
}

export async function runDns(
  env: ProbeEnv,
  target: Target,
  probe: ProbeSpec,
  port: number,
): Promise<boolean> {
  const query = dnsQuery(randomInt(1, 0xffff), probe.questions, target.ip);
  const out = await udpDatagrams(env, target, port, [{ bytes: query }], probe.maxReply, probe.timeoutMs);
  const reply = out.replies[0];
  if (!reply) return false;
  observeReply(env, probe.decoder!, reply, { target, port, transport: 'udp', local: out.local });
  return true;
}
