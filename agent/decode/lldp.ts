// LLDP (IEEE 802.1AB-2016) on EtherType 0x88cc: what a switch, router, phone or PLC says about itself
// each 30 s: chassis and port ids, names, description, capabilities, management address and, from
// LLDP-MED endpoints (ANSI/TIA-1057), manufacturer, model and software revision.
import { cleanText } from '../../core/observation.js';
import type { ObservationKey } from '../../core/observation-keys.js';
import { DecodeError, need, TruncatedError } from './errors.js';
import {
  ADDRESS_FAMILY,
  CAPABILITY_NAMES,
  CHASSIS_SUBTYPE,
  LLDP_ETHERTYPE,
  LLDP_TLV,
  MED_SUBTYPE,
  PORT_SUBTYPE,
  TIA_OUI,
} from './lldp.codes.js';
import { type Problems, reportProblems, skip } from './problems.js';
import type { AppDecoder } from './types.js';
import { ipv4At, ipv6At, macAt, textOrHex, wireText } from './wire-values.js';

/** TLVs kept from one LLDPDU; each takes at least two bytes. */
export const MAX_LLDP_TLVS = 256;

export interface LldpId {
  subtype: number;
  value: Uint8Array;
}

export interface LldpPdu {
  chassisId: LldpId | null;
  portId: LldpId | null;
  /** Seconds; 0 means the agent is shutting down (§8.5.4). */
  ttl: number | null;
  portDescr: Uint8Array | null;
  sysName: Uint8Array | null;
  sysDescr: Uint8Array | null;
  /** §8.5.8: supported and enabled capability bits. */
  capabilities: { supported: number; enabled: number } | null;
  /** §8.5.9: address family (IANA) and address. */
  mgmtAddrs: { family: number; address: Uint8Array }[];
  /** LLDP-MED inventory TLVs by subtype. */
  inventory: { subtype: number; value: Uint8Array }[];
  problems: Problems;
}

export const lldpDecoder: AppDecoder<LldpPdu> = {
  id: 'lldp',
  transports: ['link'],
  ports: [],
  ethertypes: [LLDP_ETHERTYPE],

  sniff(bytes, ctx) {
    // §8.2: the Chassis ID TLV comes first.
    return ctx.ethertype === LLDP_ETHERTYPE && bytes.length >= 2 && bytes[0]! >> 1 === LLDP_TLV.CHASSIS_ID;
  },

  decode(bytes) {
    need(bytes, 0, 2, 'lldp', 'tlv');
    const pdu: LldpPdu = {
      chassisId: null,
      portId: null,
      ttl: null,
      portDescr: null,
      sysName: null,
      sysDescr: null,
      capabilities: null,
      mgmtAddrs: [],
      inventory: [],
      problems: [],
    };
    let count = 0;
    for (let pos = 0; pos < bytes.length; ) {
      // §8.4: 7-bit type, 9-bit length, value. Frames are padded to 60 bytes after the End TLV.
      if (pos + 2 > bytes.length) {
        pdu.problems.push(new TruncatedError('lldp', pos, 'tlv', 2, bytes.length - pos));
        break;
      }
      const type = bytes[pos]! >> 1;
      const length = ((bytes[pos]! & 1) << 8) | bytes[pos + 1]!;
      if (type === LLDP_TLV.END) break;
      if (pos + 2 + length > bytes.length) {
        pdu.problems.push(new TruncatedError('lldp', pos, 'tlv', 2 + length, bytes.length - pos));
        break;
      }
      if (++count > MAX_LLDP_TLVS) {
        pdu.problems.push(new DecodeError('lldp', pos, 'tlvs.count', `more than ${MAX_LLDP_TLVS} TLVs`));
        break;
      }
      try {
        readTlv(pdu, type, bytes.subarray(pos + 2, pos + 2 + length), pos, count);
      } catch (err) {
        if (!(err instanceof DecodeError)) throw err;
        if (skip(pdu.problems, err)) break;
      }
      pos += 2 + length;
    }
    return pdu;
  },

  observe(pdu, _ctx, out) {
    reportProblems(pdu.problems, out);
    // Everything here is about the sending agent. Its chassis id may be a base MAC other than the
    // port MAC the frame came from: it is reported as a value, never used to attribute.
    const emit = (key: ObservationKey, value: string): void => {
      const text = cleanText(value);
      if (text) out.observe('src', key, text);
    };
    if (pdu.chassisId)
      emit('lldp.chassis_id', idText(pdu.chassisId, CHASSIS_SUBTYPE.MAC, CHASSIS_SUBTYPE.NETWORK));
    if (pdu.portId) emit('lldp.port_id', idText(pdu.portId, PORT_SUBTYPE.MAC, PORT_SUBTYPE.NETWORK));
    if (pdu.portDescr) emit('lldp.port_descr', wireText(pdu.portDescr));
    if (pdu.sysName) emit('lldp.sys_name', wireText(pdu.sysName));
    if (pdu.sysDescr) emit('lldp.sys_descr', wireText(pdu.sysDescr));
    if (pdu.capabilities?.enabled) {
      const names = CAPABILITY_NAMES.filter((_, bit) => pdu.capabilities!.enabled & (1 << bit));
      if (names.length) emit('lldp.capabilities', names.join(','));
    }
    for (const m of pdu.mgmtAddrs) {
      const text = addressText(m.family, m.address);
      if (text && text !== '0.0.0.0' && text !== '::') emit('lldp.mgmt_addr', text);
    }
    for (const item of pdu.inventory) {
      const key = MED_KEYS.get(item.subtype);
      if (key) emit(key, wireText(item.value));
    }
  },
};

const MED_KEYS: ReadonlyMap<number, ObservationKey> = new Map([
  [MED_SUBTYPE.MANUFACTURER, 'lldp.med_manufacturer'],
  [MED_SUBTYPE.MODEL, 'lldp.med_model'],
  [MED_SUBTYPE.SOFTWARE_REVISION, 'lldp.med_software'],
]);

/** One TLV's value into the PDU (§8.5). `offset` is the TLV's; `index` its 1-based position. */
function readTlv(pdu: LldpPdu, type: number, v: Uint8Array, offset: number, index: number): void {
  const bad = (field: string, detail: string): DecodeError => new DecodeError('lldp', offset, field, detail);
  // §8.2: Chassis ID, Port ID and TTL come first, in that order; later copies are ignored.
  const mandatory = type === LLDP_TLV.CHASSIS_ID || type === LLDP_TLV.PORT_ID || type === LLDP_TLV.TTL;
  if (mandatory && index !== type) throw bad('tlv.order', `TLV type ${type} at position ${index}`);
  switch (type) {
    case LLDP_TLV.CHASSIS_ID:
    case LLDP_TLV.PORT_ID:
      // §8.5.2, §8.5.3: a subtype and 1-255 bytes of id.
      if (v.length < 2 || v.length > 256) throw bad('tlv.id', `id TLV of ${v.length} bytes`);
      if (type === LLDP_TLV.CHASSIS_ID) pdu.chassisId = { subtype: v[0]!, value: v.subarray(1) };
      else pdu.portId = { subtype: v[0]!, value: v.subarray(1) };
      return;
    case LLDP_TLV.TTL:
      if (v.length < 2) throw bad('tlv.ttl', `TTL of ${v.length} bytes`);
      pdu.ttl = (v[0]! << 8) | v[1]!;
      return;
    case LLDP_TLV.PORT_DESCR:
      pdu.portDescr ??= v;
      return;
    case LLDP_TLV.SYS_NAME:
      pdu.sysName ??= v;
      return;
    case LLDP_TLV.SYS_DESCR:
      pdu.sysDescr ??= v;
      return;
    case LLDP_TLV.SYS_CAPABILITIES:
      if (v.length !== 4) throw bad('tlv.capabilities', `capabilities of ${v.length} bytes`);
      pdu.capabilities ??= { supported: (v[0]! << 8) | v[1]!, enabled: (v[2]! << 8) | v[3]! };
      return;
    case LLDP_TLV.MGMT_ADDR: {
      // §8.5.9: string length (subtype byte included, 2-32), subtype, address, then interface and OID fields.
      const n = v[0] ?? 0;
      if (n < 2 || n > 32 || 1 + n > v.length) throw bad('tlv.mgmt_addr', `address string of ${n} bytes`);
      pdu.mgmtAddrs.push({ family: v[1]!, address: v.subarray(2, 1 + n) });
      return;
    }
    case LLDP_TLV.ORG_SPECIFIC: {
      if (v.length < 4) throw bad('tlv.org', `organisation TLV of ${v.length} bytes`);
      const oui = (v[0]! << 16) | (v[1]! << 8) | v[2]!;
      if (oui === TIA_OUI) pdu.inventory.push({ subtype: v[3]!, value: v.subarray(4) });
      return;
    }
    default:
      return;
  }
}

/** A chassis or port id as text: a MAC, a network address, or the text (hex when binary). */
function idText(id: LldpId, macSubtype: number, networkSubtype: number): string {
  if (id.subtype === macSubtype && id.value.length === 6) return macAt(id.value, 0);
  if (id.subtype === networkSubtype && id.value.length > 1) {
    const text = addressText(id.value[0]!, id.value.subarray(1));
    if (text) return text;
  }
  return textOrHex(id.value);
}

function addressText(family: number, address: Uint8Array): string | null {
  if (family === ADDRESS_FAMILY.IPV4 && address.length === 4) return ipv4At(address, 0);
  if (family === ADDRESS_FAMILY.IPV6 && address.length === 16) return ipv6At(address, 0);
  if (family === ADDRESS_FAMILY.MAC && address.length === 6) return macAt(address, 0);
  return null;
}
