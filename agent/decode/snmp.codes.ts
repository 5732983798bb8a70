// SNMP code tables (RFC 1157 §4.1, RFC 3416 §3, RFC 3412 §6, RFC 3414 §2.4, RFC 3411 §5, RFC 1213):
// BER tags, PDU types and the MIB-2 system objects the decoder reads.

export const SNMP_PORT = 161;
export const SNMP_TRAP_PORT = 162;

/** Universal BER tags (X.690 §8). */
export const BER = {
  INTEGER: 0x02,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  SEQUENCE: 0x30,
} as const;

/** Context-specific constructed PDU tags (RFC 3416 §3, RFC 1157 §4.1.6 for the v1 Trap). */
export const PDU_TAG = {
  GET: 0xa0,
  GET_NEXT: 0xa1,
  RESPONSE: 0xa2,
  SET: 0xa3,
  TRAP_V1: 0xa4,
  GET_BULK: 0xa5,
  INFORM: 0xa6,
  TRAP_V2: 0xa7,
  REPORT: 0xa8,
} as const;

/** msgVersion values: 0 = SNMPv1, 1 = SNMPv2c (RFC 1901), 3 = SNMPv3. */
export const SNMP_VERSION = { V1: 0, V2C: 1, V3: 3 } as const;

/** msgSecurityModel 3: the User-based Security Model (RFC 3414). */
export const SECURITY_MODEL_USM = 3;

/** RFC 1213 system group instances. */
export const SYS_DESCR = '1.3.6.1.2.1.1.1.0';
export const SYS_OBJECT_ID = '1.3.6.1.2.1.1.2.0';
export const SYS_NAME = '1.3.6.1.2.1.1.5.0';

/** iso.org.dod.internet.private.enterprises: the next arc is the IANA Private Enterprise Number. */
export const ENTERPRISES_PREFIX = '1.3.6.1.4.1.';
