// CIDR sets for home networks (what is "local") and scan scopes: parse strictly, match fast.
import { parseIpv4, parseIpv6 } from './ip.js';

export interface Cidr {
  readonly text: string;
  readonly version: 4 | 6;
  /** IPv4: network as a 32-bit value; IPv6: the 16 network bytes. */
  readonly network: number | Uint8Array;
  readonly bits: number;
}

export class CidrError extends Error {
  override readonly name = 'CidrError';
}

/** "10.0.0.0/8", "fd00::/8", or a bare address (a /32 or /128). Host bits must be zero. */
export function parseCidr(text: string): Cidr {
  const trimmed = text.trim();
  const slash = trimmed.indexOf('/');
  const addr = slash >= 0 ? trimmed.slice(0, slash) : trimmed;
  const bitsText = slash >= 0 ? trimmed.slice(slash + 1) : null;
  const v4 = parseIpv4(addr);
  const v6 = v4 === null ? parseIpv6(addr) : null;
  if (v4 === null && v6 === null) throw new CidrError(`'${text}' is not an IP address or CIDR`);
  const max = v4 !== null ? 32 : 128;
  if (bitsText !== null && !/^\d{1,3}$/.test(bitsText)) throw new CidrError(`'${text}': bad prefix length`);
  const bits = bitsText === null ? max : Number(bitsText);
  if (bits > max) throw new CidrError(`'${text}': prefix length above ${max}`);
  if (v4 !== null) {
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    if ((v4 & ~mask) >>> 0 !== 0)
      throw new CidrError(`'${text}': host bits set (did you mean a /${bits} network?)`);
    return { text: trimmed, version: 4, network: v4, bits };
  }
  const net = v6!;
  for (let b = bits; b < 128; b++) {
    if (net[b >>> 3]! & (0x80 >>> (b & 7))) throw new CidrError(`'${text}': host bits set`);
  }
  return { text: trimmed, version: 6, network: net, bits };
}

/** Comma- or whitespace-separated list, e.g. a --home-net value. */
export function parseCidrList(text: string): Cidr[] {
  return text
    .split(/[\s,]+/)
    .filter(Boolean)
    .map(parseCidr);
}

function v4In(value: number, c: Cidr): boolean {
  const mask = c.bits === 0 ? 0 : (0xffffffff << (32 - c.bits)) >>> 0;
  return (value & mask) >>> 0 === c.network;
}

function v6In(bytes: Uint8Array, offset: number, c: Cidr): boolean {
  const net = c.network as Uint8Array;
  const full = c.bits >>> 3;
  for (let i = 0; i < full; i++) if (bytes[offset + i] !== net[i]) return false;
  const rest = c.bits & 7;
  if (!rest) return true;
  const mask = (0xff << (8 - rest)) & 0xff;
  return (bytes[offset + full]! & mask) === net[full];
}

/** A set of CIDRs with allocation-free membership tests for both families. */
export class CidrSet {
  readonly #v4: Cidr[];
  readonly #v6: Cidr[];
  constructor(readonly cidrs: readonly Cidr[]) {
    this.#v4 = cidrs.filter((c) => c.version === 4);
    this.#v6 = cidrs.filter((c) => c.version === 6);
  }
  hasV4(value: number): boolean {
    for (const c of this.#v4) if (v4In(value, c)) return true;
    return false;
  }
  /** 16 address bytes at `offset` of `bytes` (a packet view, so no copy is needed). */
  hasV6(bytes: Uint8Array, offset = 0): boolean {
    for (const c of this.#v6) if (v6In(bytes, offset, c)) return true;
    return false;
  }
  /** Text form; false for text that is not an address. */
  has(ip: string): boolean {
    const v4 = parseIpv4(ip);
    if (v4 !== null) return this.hasV4(v4);
    const v6 = parseIpv6(ip);
    return v6 !== null && this.hasV6(v6);
  }
}

/**
 * Addresses that are never "foreign": RFC 1918, CGNAT (RFC 6598), loopback, link-local, the
 * benchmarking range 198.18.0.0/15 (RFC 2544), multicast and broadcast, IPv6 ULA, link-local,
 * loopback and multicast. The default home networks of `--home-net`.
 */
export const PRIVATE_RANGES: readonly string[] = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '198.18.0.0/15',
  '224.0.0.0/4',
  '255.255.255.255/32',
  '::/128',
  '::1/128',
  'fc00::/7',
  'fe80::/10',
  'ff00::/8',
];

export function privateRanges(): CidrSet {
  return new CidrSet(PRIVATE_RANGES.map(parseCidr));
}
