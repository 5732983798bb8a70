// DNS message wire format (RFC 1035 §4.1) shared by dns, mdns, llmnr and nbns: header, questions,
// records and compressed names (§4.1.4), bounded against pointer loops, long names and record floods.
import { DNS_TYPE, MDNS_CLASS_FLAG } from './dns.codes.js';
import { DecodeError, need, TruncatedError } from './errors.js';
import { type Problems, skip } from './problems.js';
import { ascii } from './text-lines.js';
import { ipv4At, ipv6At, utf8 } from './wire-values.js';

export const DNS_HEADER_LENGTH = 12;
/** RFC 1035 §3.1: a name is at most 255 octets on the wire (length bytes included). */
export const MAX_NAME_OCTETS = 255;
/** Compression pointers followed for one name; encoders need one, the bound only stops abuse. */
export const MAX_NAME_POINTERS = 16;
/** Default cap on questions plus records a message may declare. */
export const DEFAULT_MAX_RECORDS = 256;
/** Character-strings kept from one TXT record; each takes at least one byte, so this bounds allocation. */
export const MAX_TXT_STRINGS = 256;

export interface DnsWireOptions {
  /** Most questions plus records a message may declare (default 256); more is a DecodeError on header.counts. */
  maxRecords?: number;
  /** Parse RDATA of A, AAAA, NS, CNAME, PTR, SRV and TXT (default true). NetBIOS turns it off: its types collide. */
  rdata?: boolean;
}

/** RFC 1035 §4.1.1. */
export interface DnsHeader {
  id: number;
  /** The 16 flag bits as sent (QR, OPCODE, AA, TC, RD, RA, Z, AD, CD, RCODE; LLMNR/NetBIOS reuse some). */
  flags: number;
  response: boolean;
  opcode: number;
  rcode: number;
  qdcount: number;
  ancount: number;
  nscount: number;
  arcount: number;
}

/** RFC 1035 §4.1.2. */
export interface DnsQuestion {
  /** Labels joined by '.', a '.' or '\' inside a label escaped with '\'; the root is ''. */
  name: string;
  type: number;
  /** CLASS without its top bit. */
  class: number;
  /** The top CLASS bit: mDNS "unicast response requested" (RFC 6762 §5.4). */
  classFlag: boolean;
}

export type DnsSection = 'answer' | 'authority' | 'additional';

export type DnsRdata =
  | { kind: 'address'; address: string }
  | { kind: 'name'; name: string }
  | { kind: 'srv'; priority: number; weight: number; port: number; target: string }
  | { kind: 'txt'; strings: Uint8Array[] }
  | { kind: 'raw' };

/** RFC 1035 §4.1.3. */
export interface DnsRecord {
  readonly section: DnsSection;
  readonly name: string;
  readonly type: number;
  readonly class: number;
  /** The top CLASS bit: mDNS cache-flush (RFC 6762 §10.2). */
  readonly classFlag: boolean;
  readonly ttl: number;
  /** View of the RDATA. */
  readonly rdata: Uint8Array;
  /** Offset of the RDATA in the message (NetBIOS reads it itself). */
  readonly rdataOffset: number;
  readonly data: DnsRdata;
}

/** A record whose RDATA view is made only when asked for: the decoders read `data` or the offset. */
class RecordAt implements DnsRecord {
  readonly class: number;
  readonly classFlag: boolean;

  constructor(
    readonly section: DnsSection,
    readonly name: string,
    readonly type: number,
    rawClass: number,
    readonly ttl: number,
    readonly rdataOffset: number,
    readonly rdataEnd: number,
    readonly data: DnsRdata,
    readonly message: Uint8Array,
  ) {
    this.class = rawClass & ~MDNS_CLASS_FLAG;
    this.classFlag = (rawClass & MDNS_CLASS_FLAG) !== 0;
  }

  get rdata(): Uint8Array {
    return this.message.subarray(this.rdataOffset, this.rdataEnd);
  }
}

export interface DnsMessage {
  header: DnsHeader;
  questions: DnsQuestion[];
  records: DnsRecord[];
  /** Skipped questions and records, and where parsing had to stop (problems.ts). */
  problems: Problems;
}

/**
 * Decodes one DNS-format message. Only a cut header or a record count over the cap throws; a bad
 * question or record is skipped and kept in `problems`, and a structural break ends parsing there.
 */
export function decodeDnsMessage(
  bytes: Uint8Array,
  protocol: string,
  options: DnsWireOptions = {},
): DnsMessage {
  need(bytes, 0, DNS_HEADER_LENGTH, protocol, 'header');
  const u16 = (o: number): number => (bytes[o]! << 8) | bytes[o + 1]!;
  const flags = u16(2);
  const header: DnsHeader = {
    id: u16(0),
    flags,
    response: (flags & 0x8000) !== 0,
    opcode: (flags >> 11) & 0x0f,
    rcode: flags & 0x0f,
    qdcount: u16(4),
    ancount: u16(6),
    nscount: u16(8),
    arcount: u16(10),
  };
  const total = header.qdcount + header.ancount + header.nscount + header.arcount;
  const max = options.maxRecords ?? DEFAULT_MAX_RECORDS;
  if (total > max) {
    throw new DecodeError(
      protocol,
      4,
      'header.counts',
      `${total} questions and records, over the cap of ${max}`,
    );
  }
  const message: DnsMessage = { header, questions: [], records: [], problems: [] };
  const parseRdata = options.rdata ?? true;
  let pos = DNS_HEADER_LENGTH;
  try {
    for (let i = 0; i < header.qdcount; i++) pos = readQuestion(bytes, pos, protocol, message);
    for (let i = 0; i < header.ancount; i++)
      pos = readRecord(bytes, pos, protocol, 'answer', parseRdata, message);
    for (let i = 0; i < header.nscount; i++)
      pos = readRecord(bytes, pos, protocol, 'authority', parseRdata, message);
    for (let i = 0; i < header.arcount; i++)
      pos = readRecord(bytes, pos, protocol, 'additional', parseRdata, message);
  } catch (err) {
    // A break in the structure (cut bytes, a reserved label type): the next element cannot be found.
    // Or the problem cap, whose error skip() has already recorded.
    if (!(err instanceof DecodeError)) throw err;
    if (message.problems.at(-1) !== err) message.problems.push(err);
  }
  return message;
}

function readQuestion(bytes: Uint8Array, pos: number, protocol: string, message: DnsMessage): number {
  const nameNext = nameEnd(bytes, pos, bytes.length, protocol, 'question.name');
  need(bytes, nameNext, 4, protocol, 'question');
  const rawClass = (bytes[nameNext + 2]! << 8) | bytes[nameNext + 3]!;
  try {
    message.questions.push({
      name: readName(bytes, pos, protocol, 'question.name').name,
      type: (bytes[nameNext]! << 8) | bytes[nameNext + 1]!,
      class: rawClass & ~MDNS_CLASS_FLAG,
      classFlag: (rawClass & MDNS_CLASS_FLAG) !== 0,
    });
  } catch (err) {
    if (!(err instanceof DecodeError)) throw err;
    const stop = skip(message.problems, err);
    if (stop) throw stop;
  }
  return nameNext + 4;
}

// Error field names per section, made once: readRecord runs for every record of every DNS/mDNS datagram.
const NAME_FIELD: Record<DnsSection, string> = {
  answer: 'answer.name',
  authority: 'authority.name',
  additional: 'additional.name',
};
const RDATA_FIELD: Record<DnsSection, string> = {
  answer: 'answer.rdata',
  authority: 'authority.rdata',
  additional: 'additional.rdata',
};

function readRecord(
  bytes: Uint8Array,
  pos: number,
  protocol: string,
  section: DnsSection,
  parseRdata: boolean,
  message: DnsMessage,
): number {
  const nameNext = nameEnd(bytes, pos, bytes.length, protocol, NAME_FIELD[section]);
  need(bytes, nameNext, 10, protocol, section);
  const type = (bytes[nameNext]! << 8) | bytes[nameNext + 1]!;
  const rawClass = (bytes[nameNext + 2]! << 8) | bytes[nameNext + 3]!;
  const ttl =
    ((bytes[nameNext + 4]! << 24) |
      (bytes[nameNext + 5]! << 16) |
      (bytes[nameNext + 6]! << 8) |
      bytes[nameNext + 7]!) >>>
    0;
  const rdlength = (bytes[nameNext + 8]! << 8) | bytes[nameNext + 9]!;
  const start = nameNext + 10;
  need(bytes, start, rdlength, protocol, RDATA_FIELD[section]);
  const end = start + rdlength;
  try {
    const name = readName(bytes, pos, protocol, NAME_FIELD[section]).name;
    const data = parseRdata ? rdataOf(bytes, start, end, type, protocol, RDATA_FIELD[section]) : RAW;
    message.records.push(new RecordAt(section, name, type, rawClass, ttl, start, end, data, bytes));
  } catch (err) {
    if (!(err instanceof DecodeError)) throw err;
    const stop = skip(message.problems, err);
    if (stop) throw stop;
  }
  return end;
}

const RAW: DnsRdata = { kind: 'raw' };

/** RDATA of the types the decoders read (RFC 1035 §3.3, RFC 3596 §2.2, RFC 2782, RFC 1035 §3.3.14). */
function rdataOf(
  bytes: Uint8Array,
  start: number,
  end: number,
  type: number,
  protocol: string,
  field: string,
): DnsRdata {
  const length = end - start;
  switch (type) {
    case DNS_TYPE.A:
      if (length !== 4) throw new DecodeError(protocol, start, field, `A record of ${length} bytes`);
      return { kind: 'address', address: ipv4At(bytes, start) };
    case DNS_TYPE.AAAA:
      if (length !== 16) throw new DecodeError(protocol, start, field, `AAAA record of ${length} bytes`);
      return { kind: 'address', address: ipv6At(bytes, start) };
    case DNS_TYPE.NS:
    case DNS_TYPE.CNAME:
    case DNS_TYPE.PTR:
      return { kind: 'name', name: readName(bytes, start, protocol, field, end).name };
    case DNS_TYPE.SRV: {
      if (length < 7) throw new DecodeError(protocol, start, field, `SRV record of ${length} bytes`);
      const u16 = (o: number): number => (bytes[o]! << 8) | bytes[o + 1]!;
      const target = readName(bytes, start + 6, protocol, field, end).name;
      return { kind: 'srv', priority: u16(start), weight: u16(start + 2), port: u16(start + 4), target };
    }
    case DNS_TYPE.TXT: {
      const strings: Uint8Array[] = [];
      for (let p = start; p < end; ) {
        const n = bytes[p]!;
        if (p + 1 + n > end) throw new DecodeError(protocol, p, field, `TXT string of ${n} bytes overruns`);
        if (strings.length === MAX_TXT_STRINGS) {
          throw new DecodeError(protocol, p, field, `more than ${MAX_TXT_STRINGS} TXT strings`);
        }
        strings.push(bytes.subarray(p + 1, p + 1 + n));
        p += 1 + n;
      }
      return { kind: 'txt', strings };
    }
    default:
      return RAW;
  }
}

/**
 * The offset after a name's in-place part (labels up to a zero byte or a pointer), without
 * following pointers: where the element after the name starts. `limit` bounds the name (RDATA end).
 */
export function nameEnd(
  bytes: Uint8Array,
  offset: number,
  limit: number,
  protocol: string,
  field: string,
): number {
  let pos = offset;
  for (;;) {
    boundCheck(bytes, pos, 1, limit, protocol, field);
    const len = bytes[pos]!;
    if (len === 0) return pos + 1;
    if ((len & 0xc0) === 0xc0) {
      boundCheck(bytes, pos, 2, limit, protocol, field);
      return pos + 2;
    }
    if (len & 0xc0)
      throw new DecodeError(protocol, pos, field, `reserved label type 0x${(len & 0xc0).toString(16)}`);
    if (pos + len + 1 - offset > MAX_NAME_OCTETS) {
      throw new DecodeError(protocol, pos, field, `name longer than ${MAX_NAME_OCTETS} octets`);
    }
    boundCheck(bytes, pos, len + 1, limit, protocol, field);
    pos += len + 1;
  }
}

/**
 * Cut bytes in a name's own place are a TruncatedError; overrunning an enclosing RDATA, or running off
 * the message after a pointer (`jumped`), is malformed.
 */
function boundCheck(
  bytes: Uint8Array,
  pos: number,
  n: number,
  limit: number,
  protocol: string,
  field: string,
  jumped = false,
): void {
  if (pos + n <= limit) return;
  if (jumped) throw new DecodeError(protocol, pos, field, 'name behind a pointer runs off the message');
  if (limit >= bytes.length)
    throw new TruncatedError(protocol, pos, field, n, Math.max(0, bytes.length - pos));
  throw new DecodeError(protocol, pos, field, 'name overruns its record data');
}

/**
 * Reads a (possibly compressed) name at `offset`. Every pointer must point before the start of the
 * label run it ends, so positions strictly decrease and loops are impossible (a pointer into its own
 * run is reported as a compression loop); at most MAX_NAME_POINTERS are followed and the expanded name
 * must fit in 255 octets. `limit` bounds the in-place part.
 */
export function readName(
  bytes: Uint8Array,
  offset: number,
  protocol: string,
  field: string,
  limit: number = bytes.length,
): { name: string; next: number } {
  let pos = offset;
  let runStart = offset;
  let next = -1;
  let octets = 1; // the root label
  let pointers = 0;
  // Plain labels (ASCII, no '.' or backslash) are copied into `scratch` and made text at once (ascii); a
  // label that needs escaping or UTF-8 switches to building the text label by label (`slow`).
  let n = 0;
  let slow: string | null = null;
  for (;;) {
    const jumped = next >= 0;
    const bound = jumped ? bytes.length : limit;
    boundCheck(bytes, pos, 1, bound, protocol, field, jumped);
    const len = bytes[pos]!;
    if (len === 0) {
      if (next < 0) next = pos + 1;
      return { name: slow ?? ascii(scratch, 0, n), next };
    }
    if ((len & 0xc0) === 0xc0) {
      boundCheck(bytes, pos, 2, bound, protocol, field, jumped);
      const target = ((len & 0x3f) << 8) | bytes[pos + 1]!;
      if (next < 0) next = pos + 2;
      if (target >= runStart)
        throw new DecodeError(protocol, pos, field, `compression loop (pointer to ${target})`);
      if (target < DNS_HEADER_LENGTH)
        throw new DecodeError(protocol, pos, field, 'compression pointer into the header');
      if (++pointers > MAX_NAME_POINTERS) {
        throw new DecodeError(protocol, pos, field, `more than ${MAX_NAME_POINTERS} compression pointers`);
      }
      pos = runStart = target;
      continue;
    }
    if (len & 0xc0)
      throw new DecodeError(protocol, pos, field, `reserved label type 0x${(len & 0xc0).toString(16)}`);
    octets += len + 1;
    if (octets > MAX_NAME_OCTETS)
      throw new DecodeError(protocol, pos, field, `name longer than ${MAX_NAME_OCTETS} octets`);
    boundCheck(bytes, pos, len + 1, bound, protocol, field, jumped);
    const start = pos + 1;
    const end = start + len;
    if (slow === null && isPlainLabel(bytes, start, end)) {
      // octets <= MAX_NAME_OCTETS bounds the text: labels plus dots fit the scratch.
      if (n) scratch[n++] = 0x2e;
      for (let i = start; i < end; i++) scratch[n++] = bytes[i]!;
    } else {
      if (slow === null) slow = ascii(scratch, 0, n);
      slow += (slow ? '.' : '') + labelText(bytes, start, end);
    }
    pos = end;
  }
}

/** Where readName assembles plain names (text of at most MAX_NAME_OCTETS - 1 bytes). */
const scratch = new Uint8Array(MAX_NAME_OCTETS);

/** ASCII without '.' and backslash: the label's text is its bytes, no escape, no UTF-8. */
function isPlainLabel(bytes: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const b = bytes[i]!;
    if (b >= 0x80 || b === 0x2e || b === 0x5c) return false;
  }
  return true;
}

/** One label as text: ASCII as is, other bytes as UTF-8 (mDNS instance names); '.' and '\' escaped. */
function labelText(bytes: Uint8Array, start: number, end: number): string {
  // A char-by-char loop: labels are short, and spreading a view into fromCharCode is several times slower.
  let text = '';
  let needsEscape = false;
  for (let i = start; i < end; i++) {
    const b = bytes[i]!;
    if (b >= 0x80) {
      text = utf8(bytes.subarray(start, end));
      needsEscape = text.includes('.') || text.includes('\\');
      break;
    }
    if (b === 0x2e || b === 0x5c) needsEscape = true;
    text += String.fromCharCode(b);
  }
  return needsEscape ? text.replace(/[.\\]/g, '\\$&') : text;
}

/**
 * An uncompressed name inside an option (DHCP option 81, DHCPv6 option 39: RFC 4702 §2.3.1, RFC 4704
 * §4.2): labels until a zero byte or the end (a partial name has no root). Null when it has no label
 * or a label is a pointer or overruns: compression is forbidden there.
 */
export function plainName(view: Uint8Array): string | null {
  const labels: string[] = [];
  for (let p = 0; p < view.length; ) {
    const n = view[p]!;
    if (n === 0) break;
    if (n > 63 || p + 1 + n > view.length) return null;
    labels.push(labelText(view, p + 1, p + 1 + n));
    p += 1 + n;
  }
  return labels.length ? labels.join('.') : null;
}

/** Splits a name from readName into its labels, undoing the escapes. */
export function nameLabels(name: string): string[] {
  if (name === '') return [];
  // Without an escape the labels are the text between dots (most names: no label holds '.' or '\').
  if (!name.includes('\\')) return name.split('.');
  const labels: string[] = [];
  let current = '';
  for (let i = 0; i < name.length; i++) {
    const c = name[i]!;
    if (c === '\\' && i + 1 < name.length) current += name[++i];
    else if (c === '.') {
      labels.push(current);
      current = '';
    } else current += c;
  }
  labels.push(current);
  return labels;
}

/** DNS names compare case-insensitively (RFC 4343). */
export function sameName(a: string, b: string): boolean {
  return a.length === b.length && a.toLowerCase() === b.toLowerCase();
}
