// DNS over UDP port 53 (RFC 1035): the names a device asks its resolver for, that it answers as a
// server, and the addresses answers bind names to (for naming remote connections).
import { cleanText } from '../../core/observation.js';
import { DNS_OPCODE, DNS_RCODE_NOERROR, DNS_TYPE } from './dns.codes.js';
import { DNS_HEADER_LENGTH, type DnsMessage, decodeDnsMessage } from './dns-wire.js';
import { reportProblems } from './problems.js';
import type { AppDecoder, Emitter } from './types.js';

const PORT = 53;
/** dns.server's value, one string for every answer (a template per answer was a fresh string to hash). */
const SERVER = `udp/${PORT}`;
/** CNAME links followed from the asked name; resolvers cap chains near 8-16 (BIND: 16). */
export const MAX_CNAME_CHAIN = 16;

export const dnsDecoder: AppDecoder<DnsMessage> = {
  id: 'dns',
  transports: ['udp'],
  ports: [PORT],

  sniff(bytes, ctx) {
    if (ctx.src.port !== PORT && ctx.dst.port !== PORT) return false;
    if (bytes.length < DNS_HEADER_LENGTH) return false;
    const opcode = (bytes[2]! >> 3) & 0x0f;
    // Standard queries carry one question; UPDATE's zone section is one too. More is not DNS.
    const qdcount = (bytes[4]! << 8) | bytes[5]!;
    return opcode <= DNS_OPCODE.UPDATE && opcode !== 3 && qdcount <= 4;
  },

  decode(bytes) {
    return decodeDnsMessage(bytes, 'dns');
  },

  observe(msg, ctx, out) {
    reportProblems(msg.problems, out);
    const { header } = msg;
    if (!header.response) {
      if (header.opcode !== DNS_OPCODE.QUERY) return;
      const seen = new Set<string>();
      const questions = msg.questions;
      for (let i = 0; i < questions.length; i++) {
        const name = cleanText(questions[i]!.name.toLowerCase());
        if (name && !seen.has(name)) {
          seen.add(name);
          out.observe('src', 'dns.query', name);
        }
      }
      return;
    }
    if (ctx.src.port === PORT) out.observe('src', 'dns.server', SERVER);
    if (header.opcode === DNS_OPCODE.QUERY && header.rcode === DNS_RCODE_NOERROR)
      bindAnswers(msg, 'dns', out);
  },
};

/**
 * Binds answer addresses to names (RFC 1034 §3.6.2): an A/AAAA answer is kept only when its owner is the
 * asked name or reached from it through CNAMEs, and then binds both its owner and the asked name.
 * Answers for other names are counted as "<protocol>.unrelated_answer", never bound (a hostile or
 * confused server must not name someone else's address).
 */
export function bindAnswers(msg: DnsMessage, protocol: string, out: Emitter): void {
  const question = msg.questions[0];
  if (!question || question.name === '') return;
  // Indexed loops over the records, answers picked in place: no closures, no filtered copy, no
  // iterator (this runs for every DNS and mDNS answer, and TurboFan compiled all of that).
  const records = msg.records;
  const chain = [question.name.toLowerCase()];
  for (let i = 0; i < MAX_CNAME_CHAIN; i++) {
    const last = chain[chain.length - 1];
    let target: string | null = null;
    for (let j = 0; j < records.length; j++) {
      const r = records[j]!;
      if (r.section !== 'answer' || r.type !== DNS_TYPE.CNAME || r.data.kind !== 'name') continue;
      if (r.name.toLowerCase() !== last) continue;
      target = r.data.name.toLowerCase();
      break;
    }
    if (target === null) break;
    if (chain.includes(target)) {
      out.anomaly(`${protocol}.cname_loop`);
      break;
    }
    chain.push(target);
  }
  const asked = cleanText(chain[0]!);
  for (let j = 0; j < records.length; j++) {
    const r = records[j]!;
    if (r.section !== 'answer' || r.data.kind !== 'address') continue;
    const owner = r.name.toLowerCase();
    if (!chain.includes(owner)) {
      out.anomaly(`${protocol}.unrelated_answer`);
      continue;
    }
    out.nameAddress(r.data.address, asked, 'dns');
    if (owner !== chain[0]) out.nameAddress(r.data.address, cleanText(owner), 'dns');
  }
}
