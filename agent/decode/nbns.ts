// NetBIOS Name Service (RFC 1001 §15, RFC 1002 §4.2) on UDP 137: the names a Windows, Samba or
// embedded SMB host registers, defends and lists for itself, with their suffix type.
import { cleanText } from '../../core/observation.js';
import { DNS_HEADER_LENGTH, type DnsHeader, decodeDnsMessage, nameLabels } from './dns-wire.js';
import { DecodeError } from './errors.js';
import {
  NB_ENTRY_LENGTH,
  NBNS_GROUP_FLAG,
  NBNS_OPCODE,
  NBNS_TYPE,
  NBSTAT_ENTRY_LENGTH,
} from './nbns.codes.js';
import { type Problems, reportProblems, skip } from './problems.js';
import type { AppDecoder } from './types.js';
import { ipv4At } from './wire-values.js';

const PORT = 137;
const OPCODES: ReadonlySet<number> = new Set(Object.values(NBNS_OPCODE));
/** Addresses kept from one NB record; multi-homed hosts list a handful (RFC 1002 §4.2.2). */
export const MAX_NB_ENTRIES = 64;

export interface NbnsName {
  /** The 15-byte name, trailing spaces removed (bytes as Latin-1: the OEM code page is not on the wire). */
  name: string;
  /** The 16th byte: the service suffix (0x00 workstation, 0x20 file server, 0x1d master browser…). */
  suffix: number;
}

export interface NbnsEntry extends NbnsName {
  group: boolean;
  /** NB_ADDRESS of an NB record; null for a node status name. */
  address: string | null;
}

export interface NbnsPdu {
  header: DnsHeader;
  /** Entries of NB records (answers and additionals): one per address. */
  entries: NbnsEntry[];
  /** Names of a node status (NBSTAT) response: the responder's name table. */
  statusNames: NbnsEntry[];
  problems: Problems;
}

export const nbnsDecoder: AppDecoder<NbnsPdu> = {
  id: 'nbns',
  transports: ['udp'],
  ports: [PORT],

  sniff(bytes, ctx) {
    if (ctx.src.port !== PORT && ctx.dst.port !== PORT) return false;
    if (bytes.length < DNS_HEADER_LENGTH) return false;
    const opcode = (bytes[2]! >> 3) & 0x0f;
    return OPCODES.has(opcode) && bytes[4] === 0 && bytes[5]! <= 1;
  },

  decode(bytes) {
    // NetBIOS types collide with DNS ones (NBSTAT = 0x21 = SRV): RDATA is read here, not by dns-wire.
    const msg = decodeDnsMessage(bytes, 'nbns', { rdata: false });
    const pdu: NbnsPdu = { header: msg.header, entries: [], statusNames: [], problems: msg.problems };
    for (const r of msg.records) {
      try {
        if (r.type === NBNS_TYPE.NB) {
          const name = netbiosName(r.name, r.rdataOffset);
          const n = r.rdata.length;
          // §4.2.2 / §4.2.13: NB_FLAGS (G bit, ONT) then NB_ADDRESS, repeated. A WACK's 2 bytes are not entries.
          if (msg.header.opcode === NBNS_OPCODE.WACK) continue;
          if (n === 0 || n % NB_ENTRY_LENGTH !== 0) {
            throw new DecodeError(
              'nbns',
              r.rdataOffset,
              'nb.rdata',
              `${n} bytes is not a list of 6-byte entries`,
            );
          }
          if (n / NB_ENTRY_LENGTH > MAX_NB_ENTRIES) {
            throw new DecodeError('nbns', r.rdataOffset, 'nb.rdata', `more than ${MAX_NB_ENTRIES} entries`);
          }
          for (let p = 0; p < n; p += NB_ENTRY_LENGTH) {
            const group = (r.rdata[p]! << 8) & NBNS_GROUP_FLAG;
            pdu.entries.push({ ...name, group: group !== 0, address: ipv4At(r.rdata, p + 2) });
          }
        } else if (r.type === NBNS_TYPE.NBSTAT && msg.header.response) {
          statusNames(r.rdata, r.rdataOffset, pdu.statusNames);
        }
      } catch (err) {
        if (!(err instanceof DecodeError)) throw err;
        if (skip(pdu.problems, err)) break;
      }
    }
    return pdu;
  },

  observe(pdu, ctx, out) {
    reportProblems(pdu.problems, out);
    const seen = new Set<string>();
    const emit = (e: NbnsEntry): void => {
      // Names with control bytes are protocol names (\x01\x02__MSBROWSE__\x02), not a host's.
      if (e.name === '' || /[\u0000-\u001f\u007f]/.test(e.name)) return;
      const value = cleanText(
        `${e.name}<${e.suffix.toString(16).padStart(2, '0')}>${e.group ? ' group' : ''}`,
      );
      if (seen.has(value)) return;
      seen.add(value);
      out.observe('src', 'nbns.name', value);
    };
    // A node registers, refreshes, releases and defends its names with NB records carrying its own
    // address (RFC 1002 §5.1.1); a name server answering for another node carries that node's.
    if (ctx.src.ip) for (const e of pdu.entries) if (e.address === ctx.src.ip) emit(e);
    // §4.2.18: a node status response lists the responder's own name table.
    for (const e of pdu.statusNames) emit(e);
  },
};

/** First-level decoding (RFC 1001 §14.1): 32 letters 'A'-'P', two per byte, then the scope labels. */
export function netbiosName(encoded: string, offset: number): NbnsName {
  const label = nameLabels(encoded)[0] ?? '';
  if (label.length !== 32) {
    throw new DecodeError(
      'nbns',
      offset,
      'name.encoding',
      `first label of ${label.length} characters, not 32`,
    );
  }
  let name = '';
  let suffix = 0;
  for (let i = 0; i < 32; i += 2) {
    const hi = label.charCodeAt(i) - 0x41;
    const lo = label.charCodeAt(i + 1) - 0x41;
    if (hi < 0 || hi > 15 || lo < 0 || lo > 15) {
      throw new DecodeError('nbns', offset, 'name.encoding', 'character outside A-P');
    }
    const byte = (hi << 4) | lo;
    if (i === 30) suffix = byte;
    else name += String.fromCharCode(byte);
  }
  return { name: name.replace(/ +$/, ''), suffix };
}

/** NODE_STATUS_RESPONSE RDATA (§4.2.18): NUM_NAMES, then 18-byte NODE_NAME entries, then STATISTICS. */
function statusNames(rdata: Uint8Array, offset: number, into: NbnsEntry[]): void {
  if (rdata.length < 1) throw new DecodeError('nbns', offset, 'nbstat.rdata', 'empty');
  const count = rdata[0]!;
  if (1 + count * NBSTAT_ENTRY_LENGTH > rdata.length) {
    throw new DecodeError(
      'nbns',
      offset,
      'nbstat.rdata',
      `${count} names do not fit in ${rdata.length} bytes`,
    );
  }
  for (let i = 0; i < count; i++) {
    const p = 1 + i * NBSTAT_ENTRY_LENGTH;
    const name = String.fromCharCode(...rdata.subarray(p, p + 15)).replace(/[ \u0000]+$/, '');
    into.push({ name, suffix: rdata[p + 15]!, group: (rdata[p + 16]! & 0x80) !== 0, address: null });
  }
}
