// LLDP code tables (IEEE 802.1AB-2016 §8.5, ANSI/TIA-1057 §10.2.6): TLV types, id subtypes,
// capability bits, address families and the LLDP-MED inventory subtypes.

export const LLDP_ETHERTYPE = 0x88cc;

export const LLDP_TLV = {
  END: 0,
  CHASSIS_ID: 1,
  PORT_ID: 2,
  TTL: 3,
  PORT_DESCR: 4,
  SYS_NAME: 5,
  SYS_DESCR: 6,
  SYS_CAPABILITIES: 7,
  MGMT_ADDR: 8,
  ORG_SPECIFIC: 127,
} as const;

/** Table 8-2: chassis ID subtype 4 is a MAC, 5 a network address (IANA family byte first). */
export const CHASSIS_SUBTYPE = { MAC: 4, NETWORK: 5 } as const;
/** Table 8-3: port ID subtype 3 is a MAC, 4 a network address. */
export const PORT_SUBTYPE = { MAC: 3, NETWORK: 4 } as const;

/** Table 8-4: system capability bits, bit 0 first. */
export const CAPABILITY_NAMES: readonly string[] = [
  'other',
  'repeater',
  'bridge',
  'wlan-ap',
  'router',
  'telephone',
  'docsis',
  'station',
  'c-vlan',
  's-vlan',
  'two-port-mac-relay',
];

/** IANA "Address Family Numbers": the ones a management address is given in. */
export const ADDRESS_FAMILY = { IPV4: 1, IPV6: 2, MAC: 6 } as const;

/** TIA (LLDP-MED) organisationally unique identifier 00-12-BB. */
export const TIA_OUI = 0x0012bb;
/** ANSI/TIA-1057 §10.2.6: inventory TLV subtypes the decoder reads. */
export const MED_SUBTYPE = { SOFTWARE_REVISION: 7, MANUFACTURER: 9, MODEL: 10 } as const;
