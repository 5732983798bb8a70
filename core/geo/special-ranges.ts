// Addresses that are not on the public Internet, so they have no country, AS or provider
// (IANA special-purpose address registries, RFC 6890 and later). The packaged data does carry
// entries for some of them (a 192.168.0.0/16 row says AU, 2001:db8::/32 says JP): those are data
// errors, so these ranges are decided here, before any lookup.
import { CidrSet, parseCidr } from '../net/cidr.js';

const V4_SPECIAL = [
  '0.0.0.0/8', // "this network" (RFC 791)
  '10.0.0.0/8', // private (RFC 1918)
  '100.64.0.0/10', // shared / CGNAT (RFC 6598)
  '127.0.0.0/8', // loopback (RFC 1122)
  '169.254.0.0/16', // link-local (RFC 3927)
  '172.16.0.0/12', // private (RFC 1918)
  '192.0.0.0/24', // IETF protocol assignments (RFC 6890)
  '192.0.2.0/24', // TEST-NET-1 (RFC 5737)
  '192.88.99.0/24', // deprecated 6to4 relay anycast (RFC 7526)
  '192.168.0.0/16', // private (RFC 1918)
  '198.18.0.0/15', // benchmarking (RFC 2544)
  '198.51.100.0/24', // TEST-NET-2 (RFC 5737)
  '203.0.113.0/24', // TEST-NET-3 (RFC 5737)
  '224.0.0.0/4', // multicast (RFC 5771)
  '240.0.0.0/4', // reserved, and the limited broadcast 255.255.255.255 (RFC 1112, RFC 919)
];

/** Inside 2000::/3 (global unicast, RFC 4291 §2.4), these are still not public hosts. */
const V6_SPECIAL_IN_GLOBAL = [
  '2001:db8::/32', // documentation (RFC 3849)
  '3fff::/20', // documentation (RFC 9637)
];

let v4: CidrSet | undefined;
let v6: CidrSet | undefined;

export function isSpecialIpv4(value: number): boolean {
  v4 ??= new CidrSet(V4_SPECIAL.map(parseCidr));
  return v4.hasV4(value);
}

/** Everything outside 2000::/3 (ULA, link-local, multicast, loopback, unspecified…) is special. */
export function isSpecialIpv6(bytes: Uint8Array): boolean {
  if ((bytes[0]! & 0xe0) !== 0x20) return true;
  v6 ??= new CidrSet(V6_SPECIAL_IN_GLOBAL.map(parseCidr));
  return v6.hasV6(bytes);
}

/**
 * The IPv4 address carried by an IPv4-mapped (::ffff:0:0/96, RFC 4291 §2.5.5.2) or NAT64
 * well-known-prefix (64:ff9b::/96, RFC 6052) IPv6 address; null for other addresses.
 */
export function embeddedIpv4(bytes: Uint8Array): number | null {
  const mapped = bytes.subarray(0, 12).every((b, i) => b === (i >= 10 ? 0xff : 0));
  const nat64 =
    bytes[0] === 0x00 &&
    bytes[1] === 0x64 &&
    bytes[2] === 0xff &&
    bytes[3] === 0x9b &&
    bytes.subarray(4, 12).every((b) => b === 0);
  if (!mapped && !nat64) return null;
  return ((bytes[12]! << 24) | (bytes[13]! << 16) | (bytes[14]! << 8) | bytes[15]!) >>> 0;
}
