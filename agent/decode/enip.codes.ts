// EtherNet/IP and CIP code tables (ODVA "The CIP Networks Library", Vol. 1 CIP and Vol. 2 EtherNet/IP).

/** Encapsulation commands (Vol. 2 §2-3.2, table 2-3.2). */
export const ENIP_COMMANDS: Readonly<Record<number, string>> = {
  0: 'NOP',
  4: 'ListServices',
  99: 'ListIdentity',
  100: 'ListInterfaces',
  101: 'RegisterSession',
  102: 'UnRegisterSession',
  111: 'SendRRData',
  112: 'SendUnitData',
  114: 'IndicateStatus',
  115: 'Cancel',
};

/** Encapsulation status codes (Vol. 2 §2-3.3): success and the defined errors. */
export const ENIP_STATUSES: ReadonlySet<number> = new Set([
  0x0000, 0x0001, 0x0002, 0x0003, 0x0064, 0x0065, 0x0069,
]);

export const CMD = {
  LIST_IDENTITY: 0x0063,
  SEND_RR_DATA: 0x006f,
  SEND_UNIT_DATA: 0x0070,
} as const;

/** Common Packet Format item type ids (Vol. 2 §2-6.3, table 2-6.3). */
export const CPF = {
  NULL_ADDRESS: 0x0000,
  LIST_IDENTITY: 0x000c,
  CONNECTED_ADDRESS: 0x00a1,
  CONNECTED_DATA: 0x00b1,
  UNCONNECTED_DATA: 0x00b2,
  LIST_SERVICES: 0x0100,
  SOCKADDR_O_T: 0x8000,
  SOCKADDR_T_O: 0x8001,
  SEQUENCED_ADDRESS: 0x8002,
} as const;

/** CIP services (Vol. 1 Appendix A, table ); a reply sets bit 0x80. */
export const CIP_SERVICE = {
  GET_ATTRIBUTES_ALL: 0x01,
  REPLY: 0x80,
} as const;

/** The identity object's class id (Vol. 1 §5A-2). */
export const CIP_CLASS_IDENTITY = 0x01;

/** Well-known ports (Vol. 2 §2-2): explicit messaging on 44818 (TCP and UDP), I/O on UDP 2222. */
export const ENIP_PORT = 44818;
export const ENIP_IO_PORT = 2222;
