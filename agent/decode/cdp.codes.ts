// CDP code tables (Cisco Discovery Protocol version 2, as documented by Cisco and implemented by
// Wireshark's packet-cdp.c and ladvd): SNAP header, TLV types, capability bits, address protocols.

/** 802.2 LLC (DSAP AA, SSAP AA, UI) + SNAP OUI 00:00:0c (Cisco), protocol id 0x2000. */
export const CDP_SNAP = [0xaa, 0xaa, 0x03, 0x00, 0x00, 0x0c, 0x20, 0x00] as const;
/** Version, TTL, checksum after the SNAP header. */
export const CDP_HEADER_LENGTH = 4;

export const CDP_TLV = {
  DEVICE_ID: 0x0001,
  ADDRESSES: 0x0002,
  PORT_ID: 0x0003,
  CAPABILITIES: 0x0004,
  SOFTWARE_VERSION: 0x0005,
  PLATFORM: 0x0006,
  MGMT_ADDRESSES: 0x0016,
} as const;

/** Capability bits, bit 0 first. */
export const CDP_CAPABILITY_NAMES: readonly string[] = [
  'router',
  'trans-bridge',
  'source-route-bridge',
  'switch',
  'host',
  'igmp',
  'repeater',
  'phone',
  'remotely-managed',
  'cvta',
  'two-port-mac-relay',
];

/** Address protocol type 1 (NLPID) with protocol 0xCC is IPv4. */
export const NLPID = { TYPE: 1, IPV4: 0xcc } as const;
/** Address protocol type 2 (802.2) with protocol AA AA 03 00 00 00 86 DD is IPv6. */
export const IEEE8022 = { TYPE: 2, IPV6: [0xaa, 0xaa, 0x03, 0x00, 0x00, 0x00, 0x86, 0xdd] } as const;
