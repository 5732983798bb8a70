// CDP (Cisco Discovery Protocol v1/v2) in 802.3 LLC/SNAP frames to 01:00:0c:cc:cc:cc: device id,
// platform, software version, capabilities, addresses and port of Cisco and CDP-speaking gear.
import { cleanText } from '../../core/observation.js';
import type { ObservationKey } from '../../core/observation-keys.js';
import { CDP_CAPABILITY_NAMES, CDP_HEADER_LENGTH, CDP_SNAP, CDP_TLV, IEEE8022, NLPID } from './cdp.codes.js';
import { DecodeError, need, TruncatedError } from './errors.js';
import { type Problems, reportProblems, skip } from './problems.js';
import type { AppDecoder } from './types.js';
import { ipv4At, ipv6At, textOrHex, utf8 } from './wire-values.js';

/** TLVs kept from one frame; each takes at least four bytes. */
export const MAX_CDP_TLVS = 256;
/** Addresses kept from one address TLV; a device lists a few. */
export const MAX_CDP_ADDRESSES = 32;

export interface CdpPdu {
  version: number;
  ttl: number;
  /** The checksum matched (RFC 1071 sum, with Cisco's handling of an odd final byte). */
  checksumOk: boolean;
  deviceId: Uint8Array | null;
  portId: Uint8Array | null;
  capabilities: number | null;
  softwareVersion: Uint8Array | null;
  platform: Uint8Array | null;
  /** IPv4/IPv6 addresses of the Addresses and Management Addresses TLVs, as text. */
  addresses: string[];
  problems: Problems;
}

const SNAP_LENGTH = CDP_SNAP.length;

export const cdpDecoder: AppDecoder<CdpPdu> = {
  id: 'cdp',
  transports: ['link'],
  ports: [],
  // 802.3 frames carry a length, not an EtherType: the SNAP check in sniff decides.
  ethertypes: [0x0000],

  sniff(bytes) {
    if (bytes.length < SNAP_LENGTH + CDP_HEADER_LENGTH) return false;
    for (let i = 0; i < SNAP_LENGTH; i++) if (bytes[i] !== CDP_SNAP[i]) return false;
    return bytes[SNAP_LENGTH] === 1 || bytes[SNAP_LENGTH] === 2;
  },

  decode(bytes) {
    need(bytes, 0, SNAP_LENGTH + CDP_HEADER_LENGTH, 'cdp', 'header');
    for (let i = 0; i < SNAP_LENGTH; i++) {
      if (bytes[i] !== CDP_SNAP[i]) throw new DecodeError('cdp', i, 'snap', 'not LLC/SNAP 00:00:0c/0x2000');
    }
    const version = bytes[SNAP_LENGTH]!;
    if (version !== 1 && version !== 2)
      throw new DecodeError('cdp', SNAP_LENGTH, 'version', `version ${version}`);
    const pdu: CdpPdu = {
      version,
      ttl: bytes[SNAP_LENGTH + 1]!,
      checksumOk: false,
      deviceId: null,
      portId: null,
      capabilities: null,
      softwareVersion: null,
      platform: null,
      addresses: [],
      problems: [],
    };
    let pos = SNAP_LENGTH + CDP_HEADER_LENGTH;
    let count = 0;
    while (pos < bytes.length) {
      if (pos + 4 > bytes.length) {
        if (isPadding(bytes, pos)) break;
        pdu.problems.push(new TruncatedError('cdp', pos, 'tlv', 4, bytes.length - pos));
        break;
      }
      const type = (bytes[pos]! << 8) | bytes[pos + 1]!;
      const length = (bytes[pos + 2]! << 8) | bytes[pos + 3]!;
      // The length counts the 4-byte type/length header: less cannot be stepped over.
      if (length < 4) {
        if (isPadding(bytes, pos)) break;
        pdu.problems.push(new DecodeError('cdp', pos, 'tlv.length', `TLV length ${length}`));
        break;
      }
      if (pos + length > bytes.length) {
        pdu.problems.push(new TruncatedError('cdp', pos, 'tlv', length, bytes.length - pos));
        break;
      }
      if (++count > MAX_CDP_TLVS) {
        pdu.problems.push(new DecodeError('cdp', pos, 'tlvs.count', `more than ${MAX_CDP_TLVS} TLVs`));
        break;
      }
      try {
        readTlv(pdu, type, bytes.subarray(pos + 4, pos + length), pos);
      } catch (err) {
        if (!(err instanceof DecodeError)) throw err;
        if (skip(pdu.problems, err)) break;
      }
      pos += length;
    }
    pdu.checksumOk = cdpChecksum(bytes.subarray(SNAP_LENGTH, pos)) === 0;
    return pdu;
  },

  observe(pdu, _ctx, out) {
    reportProblems(pdu.problems, out);
    if (!pdu.checksumOk) out.anomaly('cdp.bad_checksum');
    const emit = (key: ObservationKey, value: string): void => {
      const text = cleanText(value);
      if (text) out.observe('src', key, text);
    };
    if (pdu.deviceId) emit('cdp.device_id', textOrHex(pdu.deviceId));
    if (pdu.platform) emit('cdp.platform', utf8(pdu.platform));
    if (pdu.softwareVersion) {
      const first = utf8(pdu.softwareVersion)
        .split(/[\r\n]+/)
        .find((line) => line.trim() !== '');
      if (first) emit('cdp.software_version', first);
    }
    if (pdu.capabilities) {
      const names = CDP_CAPABILITY_NAMES.filter((_, bit) => pdu.capabilities! & (1 << bit));
      if (names.length) emit('cdp.capabilities', names.join(','));
    }
    // 0.0.0.0 is what a switch without an address on the VLAN announces: it names nothing.
    for (const a of new Set(pdu.addresses)) if (a !== '0.0.0.0' && a !== '::') emit('cdp.address', a);
    if (pdu.portId) emit('cdp.port_id', utf8(pdu.portId));
  },
};

function readTlv(pdu: CdpPdu, type: number, v: Uint8Array, offset: number): void {
  switch (type) {
    case CDP_TLV.DEVICE_ID:
      pdu.deviceId ??= v;
      return;
    case CDP_TLV.PORT_ID:
      pdu.portId ??= v;
      return;
    case CDP_TLV.SOFTWARE_VERSION:
      pdu.softwareVersion ??= v;
      return;
    case CDP_TLV.PLATFORM:
      pdu.platform ??= v;
      return;
    case CDP_TLV.CAPABILITIES:
      if (v.length !== 4) throw new DecodeError('cdp', offset, 'tlv.capabilities', `${v.length} bytes`);
      pdu.capabilities ??= ((v[0]! << 24) | (v[1]! << 16) | (v[2]! << 8) | v[3]!) >>> 0;
      return;
    case CDP_TLV.ADDRESSES:
    case CDP_TLV.MGMT_ADDRESSES:
      readAddresses(v, offset, pdu.addresses);
      return;
    default:
      return;
  }
}

/** Count (4), then per address: protocol type (1), protocol length (1), protocol, length (2), address. */
function readAddresses(v: Uint8Array, offset: number, into: string[]): void {
  const fail = (detail: string): DecodeError => new DecodeError('cdp', offset, 'tlv.addresses', detail);
  if (v.length < 4) throw fail(`${v.length} bytes`);
  const count = ((v[0]! << 24) | (v[1]! << 16) | (v[2]! << 8) | v[3]!) >>> 0;
  if (count > MAX_CDP_ADDRESSES) throw fail(`${count} addresses, over the cap of ${MAX_CDP_ADDRESSES}`);
  let p = 4;
  for (let i = 0; i < count; i++) {
    if (p + 2 > v.length) throw fail('address entry overruns');
    const protoType = v[p]!;
    const protoLength = v[p + 1]!;
    const proto = v.subarray(p + 2, p + 2 + protoLength);
    p += 2 + protoLength;
    if (p + 2 > v.length) throw fail('address entry overruns');
    const length = (v[p]! << 8) | v[p + 1]!;
    if (p + 2 + length > v.length) throw fail('address overruns');
    const at = p + 2;
    if (protoType === NLPID.TYPE && protoLength === 1 && proto[0] === NLPID.IPV4 && length === 4) {
      into.push(ipv4At(v, at));
    } else if (protoType === IEEE8022.TYPE && length === 16 && sameBytes(proto, IEEE8022.IPV6)) {
      into.push(ipv6At(v, at));
    }
    p = at + length;
  }
}

/** Zero bytes to the end: Ethernet padding to the 60-byte minimum, when a capture keeps it. */
function isPadding(bytes: Uint8Array, from: number): boolean {
  for (let i = from; i < bytes.length; i++) if (bytes[i] !== 0) return false;
  return true;
}

function sameBytes(a: Uint8Array, b: readonly number[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/**
 * The CDP checksum over version..last TLV: the RFC 1071 one's-complement sum, except that IOS adds an
 * odd final byte as a sign-extended value (Wireshark packet-cdp.c documents the same). 0 when valid.
 */
export function cdpChecksum(data: Uint8Array): number {
  let sum = 0;
  const even = data.length & ~1;
  for (let i = 0; i < even; i += 2) sum += (data[i]! << 8) | data[i + 1]!;
  if (data.length & 1) {
    const last = data[data.length - 1]!;
    sum += last & 0x80 ? ((last - 1) | 0xff00) & 0xffff : last;
  }
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}
