// HART-IP code tables (FieldComm Group HCF_SPEC-085, HART-IP header: message types and message ids).

export const HARTIP_PORT = 5094;

/** Versions in the field: 1 (HART-IP 1.x) and 2 (HART-IP 2, TLS/DTLS capable). */
export const HARTIP_VERSIONS: ReadonlySet<number> = new Set([1, 2]);

export const MESSAGE_TYPES: Readonly<Record<number, string>> = {
  0: 'request',
  1: 'response',
  2: 'publish',
  3: 'error',
  4: 'nak',
};
export const TYPE_REQUEST = 0;

export const MESSAGE_IDS: Readonly<Record<number, string>> = {
  0: 'session-initiate',
  1: 'session-close',
  2: 'keep-alive',
  3: 'pass-through',
  4: 'direct-pdu',
  5: 'read-audit-log',
};
