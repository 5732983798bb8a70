// PROFINET DCP code tables (IEC 61158-6-10:2014 §4.3.1, "DCP" APDU syntax and coding).

export const ETHERTYPE_PROFINET = 0x8892;

/** Frame ids of DCP (IEC 61158-6-10 table "FrameID"); the rest of 0x8892 is RT/alarm traffic. */
export const FRAME_ID = {
  HELLO: 0xfefc,
  GET_SET: 0xfefd,
  IDENTIFY_REQUEST: 0xfefe,
  IDENTIFY_RESPONSE: 0xfeff,
} as const;

export const SERVICE_ID = { GET: 3, SET: 4, IDENTIFY: 5, HELLO: 6 } as const;
export const SERVICE_TYPE = { REQUEST: 0, RESPONSE: 1, UNSUPPORTED: 5 } as const;

/** Option / suboption pairs read here, as option << 8 | suboption. */
export const BLOCK = {
  IP_PARAMETER: 0x0102,
  DEVICE_VENDOR: 0x0201,
  NAME_OF_STATION: 0x0202,
  DEVICE_ID: 0x0203,
  DEVICE_ROLE: 0x0204,
} as const;

/** DeviceRoleDetails bits (IEC 61158-6-10 "DeviceRoleDetails"). */
export const DEVICE_ROLES: readonly [number, string][] = [
  [0x01, 'IO-Device'],
  [0x02, 'IO-Controller'],
  [0x04, 'IO-Multidevice'],
  [0x08, 'PN-Supervisor'],
];
