// SSDP (UPnP Device Architecture 2.0 §1, HTTP over UDP, port 1900): a device's NOTIFY announcements
// and M-SEARCH answers (SERVER, USN, LOCATION, NT/ST), and a control point's M-SEARCH USER-AGENT.
import type { ObservationKey } from '../../core/observation-keys.js';
import { DecodeError, TruncatedError } from './errors.js';
import { type Problems, reportProblems, skip } from './problems.js';
import type { AppDecoder } from './types.js';
import { wireText } from './wire-values.js';

const PORT = 1900;
/** Header lines read from one message, good or bad; UDA messages carry about ten. */
export const MAX_SSDP_HEADERS = 64;

export type SsdpKind = 'notify' | 'search' | 'response';

export interface SsdpHeader {
  /** Header name as sent (compare case-insensitively, RFC 7230 §3.2). */
  name: Uint8Array;
  /** Value without surrounding whitespace. */
  value: Uint8Array;
}

export interface SsdpPdu {
  kind: SsdpKind;
  /** Response status code; null for requests. */
  status: number | null;
  headers: SsdpHeader[];
  problems: Problems;
}

const PREFIXES: readonly [string, SsdpKind][] = [
  ['NOTIFY * HTTP/1.', 'notify'],
  ['M-SEARCH * HTTP/1.', 'search'],
  ['HTTP/1.', 'response'],
];

/** Which headers become which observations, per message kind (UDA 2.0 §1.2.2, §1.3.2, §1.3.3). */
const EMITTED: Readonly<Record<SsdpKind, readonly [string, ObservationKey][]>> = {
  notify: [
    ['server', 'ssdp.server'],
    ['usn', 'ssdp.usn'],
    ['location', 'ssdp.location'],
    ['nt', 'ssdp.nt'],
  ],
  response: [
    ['server', 'ssdp.server'],
    ['usn', 'ssdp.usn'],
    ['location', 'ssdp.location'],
    ['st', 'ssdp.nt'],
  ],
  // A search's ST is what the searcher wants, not what it is.
  search: [['user-agent', 'ssdp.user_agent']],
};

export const ssdpDecoder: AppDecoder<SsdpPdu> = {
  id: 'ssdp',
  transports: ['udp'],
  ports: [PORT],

  sniff(bytes) {
    return startKind(bytes) !== null;
  },

  decode(bytes) {
    const kind = startKind(bytes);
    if (!kind)
      throw new DecodeError('ssdp', 0, 'start_line', 'not NOTIFY, M-SEARCH or an HTTP/1.x status line');
    const firstEnd = lineEnd(bytes, 0);
    if (firstEnd < 0) throw new TruncatedError('ssdp', 0, 'start_line', bytes.length + 1, bytes.length);
    let status: number | null = null;
    if (kind === 'response') {
      // "HTTP/1.1 200 OK": three digits after the version and a space.
      const digits = String.fromCharCode(...bytes.subarray(9, 12));
      if (bytes[8] !== 0x20 || !/^\d{3}$/.test(digits)) {
        throw new DecodeError('ssdp', 9, 'status', 'no three-digit status code');
      }
      status = Number(digits);
    }
    const pdu: SsdpPdu = { kind, status, headers: [], problems: [] };
    let pos = next(bytes, firstEnd);
    for (let lines = 0; pos < bytes.length; lines++) {
      const end = lineEnd(bytes, pos);
      const stop = end < 0 ? bytes.length : end;
      if (stop === pos) break; // the empty line ends the headers
      // Bad lines count too: each costs an error object, so a datagram of junk lines must stop early.
      if (lines === MAX_SSDP_HEADERS) {
        pdu.problems.push(
          new DecodeError('ssdp', pos, 'headers.count', `more than ${MAX_SSDP_HEADERS} header lines`),
        );
        break;
      }
      if (bytes[pos] === 0x20 || bytes[pos] === 0x09) {
        if (skip(pdu.problems, new DecodeError('ssdp', pos, 'header.fold', 'obsolete line folding'))) break;
      } else {
        const colon = bytes.subarray(pos, stop).indexOf(0x3a);
        if (colon <= 0) {
          if (skip(pdu.problems, new DecodeError('ssdp', pos, 'header', 'line without a name and colon')))
            break;
        } else {
          pdu.headers.push({
            name: trim(bytes, pos, pos + colon),
            value: trim(bytes, pos + colon + 1, stop),
          });
        }
      }
      if (end < 0) break;
      pos = next(bytes, end);
    }
    return pdu;
  },

  observe(pdu, _ctx, out) {
    reportProblems(pdu.problems, out);
    if (pdu.kind === 'response' && pdu.status !== 200) return;
    for (const [name, key] of EMITTED[pdu.kind]) {
      for (const h of pdu.headers) {
        if (!sameHeader(h.name, name)) continue;
        const value = wireText(h.value);
        if (value) out.observe('src', key, value);
      }
    }
  },
};

function startKind(bytes: Uint8Array): SsdpKind | null {
  for (const [prefix, kind] of PREFIXES) {
    if (bytes.length < prefix.length + (kind === 'response' ? 5 : 1)) continue;
    let match = true;
    for (let i = 0; i < prefix.length && match; i++) match = bytes[i] === prefix.charCodeAt(i);
    if (match) return kind;
  }
  return null;
}

/** Offset of the CR of a CRLF (or a bare LF, which many devices send) at or after `from`; -1 if none. */
function lineEnd(bytes: Uint8Array, from: number): number {
  const lf = bytes.indexOf(0x0a, from);
  if (lf < 0) return -1;
  return lf > from && bytes[lf - 1] === 0x0d ? lf - 1 : lf;
}

/** The offset after the line end at `end`. */
function next(bytes: Uint8Array, end: number): number {
  return bytes[end] === 0x0d ? end + 2 : end + 1;
}

function trim(bytes: Uint8Array, start: number, end: number): Uint8Array {
  let s = start;
  let e = end;
  while (s < e && (bytes[s] === 0x20 || bytes[s] === 0x09)) s++;
  while (e > s && (bytes[e - 1] === 0x20 || bytes[e - 1] === 0x09)) e--;
  return bytes.subarray(s, e);
}

/** ASCII case-insensitive comparison of a header name view with a lower-case name. */
function sameHeader(view: Uint8Array, lower: string): boolean {
  if (view.length !== lower.length) return false;
  for (let i = 0; i < view.length; i++) {
    const c = view[i]!;
    if ((c >= 0x41 && c <= 0x5a ? c | 0x20 : c) !== lower.charCodeAt(i)) return false;
  }
  return true;
}
