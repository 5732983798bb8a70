// Link-Local Multicast Name Resolution (RFC 4795) on UDP 5355: the names a device answers for.
// Windows hosts answer LLMNR for their own computer name, so a response names its sender.
import { cleanText } from '../../core/observation.js';
import { DNS_OPCODE, DNS_RCODE_NOERROR } from './dns.codes.js';
import { DNS_HEADER_LENGTH, type DnsMessage, decodeDnsMessage, sameName } from './dns-wire.js';
import { reportProblems } from './problems.js';
import type { AppDecoder } from './types.js';

const PORT = 5355;
/** RFC 4795 §2.1.1: the C (conflict) flag; a response with it set reports a name clash, not ownership. */
const FLAG_CONFLICT = 0x0400;

export const llmnrDecoder: AppDecoder<DnsMessage> = {
  id: 'llmnr',
  transports: ['udp'],
  ports: [PORT],

  sniff(bytes, ctx) {
    if (ctx.src.port !== PORT && ctx.dst.port !== PORT) return false;
    if (bytes.length < DNS_HEADER_LENGTH) return false;
    // §2.1.1: OPCODE 0 and exactly one question in every LLMNR message.
    return ((bytes[2]! >> 3) & 0x0f) === DNS_OPCODE.QUERY && bytes[4] === 0 && bytes[5] === 1;
  },

  decode(bytes) {
    return decodeDnsMessage(bytes, 'llmnr');
  },

  observe(msg, _ctx, out) {
    reportProblems(msg.problems, out);
    const { header } = msg;
    if (!header.response || header.opcode !== DNS_OPCODE.QUERY || header.rcode !== DNS_RCODE_NOERROR) return;
    if (header.flags & FLAG_CONFLICT) return;
    const question = msg.questions[0];
    if (!question || question.name === '') return;
    // §2.3: a responder answers only for names it is authoritative for, with address records of that name.
    const owns = msg.records.some(
      (r) => r.section === 'answer' && r.data.kind === 'address' && sameName(r.name, question.name),
    );
    if (owns) out.observe('src', 'llmnr.name', cleanText(question.name));
  },
};
