// SNMP v1/v2c/v3 (RFC 1157, RFC 3416, RFC 3412) on UDP 161/162: sysDescr, sysObjectID (and its IANA
// enterprise number) and sysName that an agent returns or traps, and the enterprise in a v3 engine id.
// Community strings and v3 user names are secrets: they are never read into the PDU.
import { cleanText } from '../../core/observation.js';
import { berInteger, berOid, expectTlv, readTlv, type Tlv } from './ber.js';
import { DecodeError, TruncatedError } from './errors.js';
import { type Problems, reportProblems, skip } from './problems.js';
import {
  BER,
  ENTERPRISES_PREFIX,
  PDU_TAG,
  SECURITY_MODEL_USM,
  SNMP_PORT,
  SNMP_TRAP_PORT,
  SNMP_VERSION,
  SYS_DESCR,
  SYS_NAME,
  SYS_OBJECT_ID,
} from './snmp.codes.js';
import type { AppDecoder, Emitter } from './types.js';
import { wireText } from './wire-values.js';

/** Variable bindings read from one PDU, kept or skipped; a GetBulk answer may carry hundreds, we read 256. */
export const MAX_VARBINDS = 256;

export interface SnmpVarbind {
  oid: string;
  /** BER tag of the value (0x04 OCTET STRING, 0x06 OID, 0x80 noSuchObject…). */
  tag: number;
  value: Uint8Array;
  /** An OID value as dotted text (tag 0x06), else null. */
  valueOid: string | null;
}

export interface SnmpPdu {
  version: number;
  /** PDU tag (PDU_TAG); null when a v3 PDU is encrypted. */
  pduType: number | null;
  /** v1 Trap: the enterprise OID (sysObjectID for generic traps, RFC 3584 §3.1). */
  enterprise: string | null;
  varbinds: SnmpVarbind[];
  /** v3 with USM: msgAuthoritativeEngineID (RFC 3414 §2.4). */
  engineId: Uint8Array | null;
  problems: Problems;
}

const P = 'snmp';

export const snmpDecoder: AppDecoder<SnmpPdu> = {
  id: 'snmp',
  transports: ['udp'],
  ports: [SNMP_PORT, SNMP_TRAP_PORT],

  sniff(bytes) {
    // SEQUENCE, length, INTEGER version 0/1/3, then a community OCTET STRING (v1/v2c) or a SEQUENCE (v3).
    if (bytes.length < 8 || bytes[0] !== BER.SEQUENCE) return false;
    const lengthOctets = bytes[1]! & 0x80 ? 1 + (bytes[1]! & 0x7f) : 1;
    const at = 1 + lengthOctets;
    if (lengthOctets > 5 || bytes[at] !== BER.INTEGER || bytes[at + 1] !== 1) return false;
    const version = bytes[at + 2];
    const next = bytes[at + 3];
    return version === SNMP_VERSION.V3
      ? next === BER.SEQUENCE
      : (version === 0 || version === 1) && next === BER.OCTET_STRING;
  },

  decode(bytes) {
    const declared = declaredEnd(bytes);
    if (declared !== null && declared > bytes.length)
      throw new TruncatedError(P, 0, 'message', declared, bytes.length);
    const message = expectTlv(bytes, 0, bytes.length, BER.SEQUENCE, P, 'message');
    const versionTlv = expectTlv(bytes, message.start, message.end, BER.INTEGER, P, 'version');
    const version = berInteger(bytes, versionTlv, P);
    const pdu: SnmpPdu = {
      version,
      pduType: null,
      enterprise: null,
      varbinds: [],
      engineId: null,
      problems: [],
    };
    if (version === SNMP_VERSION.V1 || version === SNMP_VERSION.V2C) {
      // RFC 1157 §4.1 / RFC 1901: the community is stepped over, never kept.
      const community = expectTlv(bytes, versionTlv.end, message.end, BER.OCTET_STRING, P, 'community');
      readPdu(bytes, readTlv(bytes, community.end, message.end, P), pdu);
    } else if (version === SNMP_VERSION.V3) {
      readV3(bytes, versionTlv.end, message.end, pdu);
    } else {
      throw new DecodeError(P, versionTlv.start, 'version', `version ${version}`);
    }
    return pdu;
  },

  observe(pdu, ctx, out) {
    reportProblems(pdu.problems, out);
    if (pdu.engineId) {
      // The authoritative engine of a Get/Set/Response exchange is the agent on port 161 (RFC 3412 §6.3).
      const about = ctx.src.port === SNMP_PORT ? 'src' : ctx.dst.port === SNMP_PORT ? 'dst' : null;
      const enterprise = engineEnterprise(pdu.engineId);
      if (about && enterprise !== null) out.observe(about, 'snmp.enterprise', enterprise);
    }
    const t = pdu.pduType;
    // A Response sent from the trap port acknowledges an Inform: it echoes the agent's varbinds.
    const fromAgent =
      (t === PDU_TAG.RESPONSE && ctx.src.port !== SNMP_TRAP_PORT) ||
      t === PDU_TAG.TRAP_V1 ||
      t === PDU_TAG.TRAP_V2 ||
      t === PDU_TAG.INFORM;
    if (!fromAgent) return;
    if (pdu.enterprise) emitEnterprise(pdu.enterprise, out);
    for (const vb of pdu.varbinds) {
      if (vb.oid === SYS_DESCR && vb.tag === BER.OCTET_STRING) emitText('snmp.sys_descr', vb.value, out);
      else if (vb.oid === SYS_NAME && vb.tag === BER.OCTET_STRING) emitText('snmp.sys_name', vb.value, out);
      else if (vb.oid === SYS_OBJECT_ID && vb.valueOid) {
        out.observe('src', 'snmp.sys_object_id', vb.valueOid);
        emitEnterprise(vb.valueOid, out);
      }
    }
  },
};

function emitText(key: 'snmp.sys_descr' | 'snmp.sys_name', value: Uint8Array, out: Emitter): void {
  const text = wireText(value);
  if (text) out.observe('src', key, cleanText(text));
}

function emitEnterprise(oid: string, out: Emitter): void {
  if (!oid.startsWith(ENTERPRISES_PREFIX)) return;
  const arc = oid.slice(ENTERPRISES_PREFIX.length).split('.')[0]!;
  if (/^\d{1,10}$/.test(arc)) out.observe('src', 'snmp.enterprise', Number(arc));
}

/** Where the outer SEQUENCE says the message ends (X.690 §8.1.3), or null when that is unreadable. */
function declaredEnd(bytes: Uint8Array): number | null {
  if (bytes.length < 2) return null;
  const first = bytes[1]!;
  if (!(first & 0x80)) return 2 + first;
  const octets = first & 0x7f;
  if (octets === 0 || octets > 4 || bytes.length < 2 + octets) return null;
  let length = 0;
  for (let i = 0; i < octets; i++) length = length * 256 + bytes[2 + i]!;
  return 2 + octets + length;
}

/**
 * RFC 3411 §5 SnmpEngineID: the first four octets are the enterprise number, with the top bit set in
 * the current format and clear in the RFC 1910 one (then 12 octets long).
 */
export function engineEnterprise(id: Uint8Array): number | null {
  if (id.length < 5 || id.length > 32) return null;
  const enterprise = ((id[0]! & 0x7f) * 0x1000000 + ((id[1]! << 16) | (id[2]! << 8) | id[3]!)) >>> 0;
  if (!(id[0]! & 0x80) && id.length !== 12) return null;
  return enterprise === 0 ? null : enterprise;
}

/**
 * RFC 3416 §3: request-id, error-status, error-index, variable-bindings; or the RFC 1157 §4.1.6 Trap:
 * enterprise, agent-addr, generic-trap, specific-trap, time-stamp, variable-bindings.
 */
function readPdu(bytes: Uint8Array, tlv: Tlv, pdu: SnmpPdu): void {
  if (tlv.tag < PDU_TAG.GET || tlv.tag > PDU_TAG.REPORT) {
    throw new DecodeError(P, tlv.start, 'pdu', `tag 0x${tlv.tag.toString(16)} is not an SNMP PDU`);
  }
  pdu.pduType = tlv.tag;
  let pos = tlv.start;
  if (tlv.tag === PDU_TAG.TRAP_V1) {
    const enterprise = expectTlv(bytes, pos, tlv.end, BER.OID, P, 'trap.enterprise');
    pdu.enterprise = berOid(bytes, enterprise, P);
    pos = enterprise.end;
    for (let i = 0; i < 4; i++) pos = readTlv(bytes, pos, tlv.end, P).end; // agent-addr … time-stamp
  } else {
    for (let i = 0; i < 3; i++) pos = expectTlv(bytes, pos, tlv.end, BER.INTEGER, P, 'pdu.header').end;
  }
  const list = expectTlv(bytes, pos, tlv.end, BER.SEQUENCE, P, 'varbinds');
  for (let p = list.start, read = 0; p < list.end; read++) {
    const vb = expectTlv(bytes, p, list.end, BER.SEQUENCE, P, 'varbind');
    p = vb.end;
    if (read === MAX_VARBINDS) {
      pdu.problems.push(new DecodeError(P, vb.start, 'varbinds.count', `more than ${MAX_VARBINDS} varbinds`));
      return;
    }
    try {
      const name = expectTlv(bytes, vb.start, vb.end, BER.OID, P, 'varbind.name');
      const value = readTlv(bytes, name.end, vb.end, P);
      pdu.varbinds.push({
        oid: berOid(bytes, name, P),
        tag: value.tag,
        value: bytes.subarray(value.start, value.end),
        valueOid: value.tag === BER.OID ? berOid(bytes, value, P) : null,
      });
    } catch (err) {
      // One bad varbind inside a well-formed list is skipped; its SEQUENCE told us where the next starts.
      if (!(err instanceof DecodeError)) throw err;
      if (skip(pdu.problems, err)) return;
    }
  }
}

/**
 * RFC 3412 §6: msgGlobalData, msgSecurityParameters (a USM SEQUENCE inside an OCTET STRING, RFC 3414
 * §2.4, whose first field is the authoritative engine id), then a plaintext ScopedPDU or encrypted bytes.
 */
function readV3(bytes: Uint8Array, pos: number, end: number, pdu: SnmpPdu): void {
  const global = expectTlv(bytes, pos, end, BER.SEQUENCE, P, 'v3.global');
  let g = global.start;
  for (let i = 0; i < 3; i++) g = readTlv(bytes, g, global.end, P).end; // msgID, msgMaxSize, msgFlags
  const model = berInteger(bytes, expectTlv(bytes, g, global.end, BER.INTEGER, P, 'v3.security_model'), P);
  const params = expectTlv(bytes, global.end, end, BER.OCTET_STRING, P, 'v3.security_parameters');
  if (model === SECURITY_MODEL_USM && params.end > params.start) {
    const usm = expectTlv(bytes, params.start, params.end, BER.SEQUENCE, P, 'v3.usm');
    const engine = expectTlv(bytes, usm.start, usm.end, BER.OCTET_STRING, P, 'v3.engine_id');
    pdu.engineId = bytes.subarray(engine.start, engine.end);
  }
  const data = readTlv(bytes, params.end, end, P);
  if (data.tag !== BER.SEQUENCE) return; // encrypted: an OCTET STRING we cannot read
  // ScopedPDU: contextEngineID, contextName, PDU.
  const contextEngine = expectTlv(bytes, data.start, data.end, BER.OCTET_STRING, P, 'v3.context_engine_id');
  const contextName = expectTlv(bytes, contextEngine.end, data.end, BER.OCTET_STRING, P, 'v3.context_name');
  readPdu(bytes, readTlv(bytes, contextName.end, data.end, P), pdu);
}
