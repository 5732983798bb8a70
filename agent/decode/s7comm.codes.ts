// S7comm code tables. S7comm is not publicly specified by Siemens; the layouts follow the SZL chapter of
// "System Software for S7-300/400 System and Standard Functions" (Siemens manual A5E02789976, ch. 34)
// and the open S7 dissectors (Wireshark packet-s7comm.c, Snap7) that were checked against real PLCs.

/** S7comm protocol ids (first byte after COTP DT). */
export const S7_PROTOCOL_ID = 0x32;
export const S7_PLUS_PROTOCOL_ID = 0x72;

/** Message type (ROSCTR). Ack and Ack-Data carry two error bytes more in the header. */
export const ROSCTR = { JOB: 1, ACK: 2, ACK_DATA: 3, USERDATA: 7 } as const;

/** Userdata parameter: method byte, function group (low nibble of type byte), subfunction. */
export const USERDATA_METHOD = { REQUEST: 0x11, RESPONSE: 0x12 } as const;
export const FUNCTION_GROUP_CPU = 4;
export const SUBFUNCTION_READ_SZL = 1;
/** Return code "success" of a userdata data item. */
export const RETURN_SUCCESS = 0xff;

/** SZL partial lists this decoder reads (the low byte names the list; the high byte the extract). */
export const SZL_MODULE_ID = 0x11;
export const SZL_COMPONENT_ID = 0x1c;

/** SZL-ID W#16#xy11 "module identification", record index → meaning (manual §34.5). */
export const SZL_0011_INDEX = {
  MODULE: 0x0001,
  BASIC_HARDWARE: 0x0006,
  BASIC_FIRMWARE: 0x0007,
} as const;

/** SZL-ID W#16#xy1C "component identification", record index → observation key (manual §34.8). */
export const SZL_001C_KEYS = {
  1: 's7.plc_name',
  2: 's7.module_name',
  3: 's7.plant_id',
  4: 's7.copyright',
  5: 's7.serial',
  7: 's7.module_type',
} as const;

/** S7comm-plus protocol versions as the open dissectors name them. */
export const S7_PLUS_VERSIONS: Readonly<Record<number, string>> = {
  1: 'V1',
  2: 'V2',
  3: 'V3',
  254: 'system-event',
};
