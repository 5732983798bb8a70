// Modbus code tables (Modbus Application Protocol Specification V1.1b3, §5 and §6.21).

/** Function codes of the public range (§5.1). */
export const MODBUS_FUNCTIONS: Readonly<Record<number, string>> = {
  1: 'Read Coils',
  2: 'Read Discrete Inputs',
  3: 'Read Holding Registers',
  4: 'Read Input Registers',
  5: 'Write Single Coil',
  6: 'Write Single Register',
  7: 'Read Exception Status',
  8: 'Diagnostics',
  11: 'Get Comm Event Counter',
  12: 'Get Comm Event Log',
  15: 'Write Multiple Coils',
  16: 'Write Multiple Registers',
  17: 'Report Server ID',
  20: 'Read File Record',
  21: 'Write File Record',
  22: 'Mask Write Register',
  23: 'Read/Write Multiple Registers',
  24: 'Read FIFO Queue',
  43: 'Encapsulated Interface Transport',
};

/** Function codes a sniff accepts: the public ones and the user-defined ranges 65–72 and 100–110 (§5). */
export function isKnownFunction(code: number): boolean {
  const fc = code & 0x7f;
  return fc in MODBUS_FUNCTIONS || (fc >= 65 && fc <= 72) || (fc >= 100 && fc <= 110);
}

export const FC_REPORT_SERVER_ID = 17;
export const FC_MEI = 43;
/** MEI type 14: Read Device Identification (§6.21); 13 is CANopen General Reference. */
export const MEI_READ_DEVICE_ID = 0x0e;

/** Read Device Identification object ids (§6.21, table "Device identification objects"). */
export const DEVICE_ID_OBJECTS: Readonly<Record<number, string>> = {
  0: 'VendorName',
  1: 'ProductCode',
  2: 'MajorMinorRevision',
  3: 'VendorUrl',
  4: 'ProductName',
  5: 'ModelName',
  6: 'UserApplicationName',
};
