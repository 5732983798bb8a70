// INTERIM: mDNS response reader for probe replies until agent/decode lands its mdns decoder (a
// registered decoder with the same id is preferred). RFC 1035 §4.1 with name compression (§4.1.4).
import { DecodeError, need } from '../../decode/errors.js';
import type { AppDecoder } from '../../decode/types.js';

const P = 'mdns';
const MAX_RECORDS = 64;
const MAX_POINTERS = 32;

interface Record {
  name: string;
  type: number;
  data: string | null;
}

function readName(bytes: Uint8Array, offset: number): { name: string; next: number } {
  const labels: string[] = [];
  let pos = offset;
  let next = -1;
  for (let jumps = 0; ; ) {
    need(bytes, pos, 1, P, 'name');
    const len = bytes[pos]!;
    if (len === 0) {
      if (next < 0) next = pos + 1;
      break;
    }
    if ((len & 0xc0) === 0xc0) {
      need(bytes, pos, 2, P, 'name.pointer');
      if (++jumps > MAX_POINTERS) throw new DecodeError(P, pos, 'name.pointer', 'pointer loop');
      if (next < 0) next = pos + 2;
      pos = ((len & 0x3f) << 8) | bytes[pos + 1]!;
      continue;
    }
    if (len > 63) throw new DecodeError(P, pos, 'name.label', `label length ${len}`);
    need(bytes, pos + 1, len, P, 'name.label');
    labels.push(Buffer.from(bytes.subarray(pos + 1, pos + 1 + len)).toString('utf8'));
    pos += 1 + len;
    if (labels.length > 128) throw new DecodeError(P, pos, 'name', 'too many labels');
  }
  return { name: labels.join('.'), next };
}

export const mdnsReply: AppDecoder<Record[]> = {
  id: P,
  transports: ['udp'],
  ports: [5353],
  sniff: (bytes) => bytes.length >= 12 && (bytes[2]! & 0x80) !== 0,
  decode(bytes) {
    need(bytes, 0, 12, P, 'header');
    if (!(bytes[2]! & 0x80)) throw new DecodeError(P, 2, 'flags', 'not a response');
    const qd = (bytes[4]! << 8) | bytes[5]!;
    const rr =
      ((bytes[6]! << 8) | bytes[7]!) + ((bytes[8]! << 8) | bytes[9]!) + ((bytes[10]! << 8) | bytes[11]!);
    if (qd > MAX_RECORDS || rr > MAX_RECORDS) throw new DecodeError(P, 4, 'counts', 'too many records');
    let pos = 12;
    for (let i = 0; i < qd; i++) pos = readName(bytes, pos).next + 4;
    const out: Record[] = [];
    for (let i = 0; i < rr; i++) {
      const { name, next } = readName(bytes, pos);
      need(bytes, next, 10, P, 'rr');
      const type = (bytes[next]! << 8) | bytes[next + 1]!;
      const rdlen = (bytes[next + 8]! << 8) | bytes[next + 9]!;
      const rdata = next + 10;
      need(bytes, rdata, rdlen, P, 'rr.rdata');
      const data = type === 12 ? readName(bytes, rdata).name : null;
      out.push({ name, type, data });
      pos = rdata + rdlen;
    }
    return out;
  },
  observe(records, _ctx, out) {
    for (const r of records) {
      if (r.type !== 12 || !r.data) continue;
      if (/\.(in-addr|ip6)\.arpa$/i.test(r.name)) out.observe('src', 'mdns.name', r.data);
      else if (r.name === '_services._dns-sd._udp.local') out.observe('src', 'mdns.service', r.data);
      else out.observe('src', 'mdns.instance', r.data);
    }
  },
};
