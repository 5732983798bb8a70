// BACnet code tables (ASHRAE 135-2020: Annex J for BVLC, clause 6 NPDU, clause 20/21 APDU and enumerations).

/** BVLC type for BACnet/IP (Annex J.2). */
export const BVLC_TYPE_IP = 0x81;

/** BVLC functions (Annex J.2.1); Forwarded-NPDU carries the original source's B/IP address first. */
export const BVLC = {
  RESULT: 0x00,
  FORWARDED_NPDU: 0x04,
  DISTRIBUTE_BROADCAST: 0x09,
  ORIGINAL_UNICAST: 0x0a,
  ORIGINAL_BROADCAST: 0x0b,
} as const;

/** Functions whose payload is an NPDU. */
export const NPDU_FUNCTIONS: ReadonlySet<number> = new Set([
  BVLC.FORWARDED_NPDU,
  BVLC.DISTRIBUTE_BROADCAST,
  BVLC.ORIGINAL_UNICAST,
  BVLC.ORIGINAL_BROADCAST,
]);

/** PDU types (clause 20.1.1, high nibble of the first APDU byte). */
export const PDU = {
  CONFIRMED_REQUEST: 0,
  UNCONFIRMED_REQUEST: 1,
  SIMPLE_ACK: 2,
  COMPLEX_ACK: 3,
  SEGMENT_ACK: 4,
  ERROR: 5,
  REJECT: 6,
  ABORT: 7,
} as const;

/** Service choices (clause 21): unconfirmed I-Am and Who-Is, confirmed ReadProperty(Multiple). */
export const SERVICE = {
  I_AM: 0,
  WHO_IS: 8,
  READ_PROPERTY: 12,
  READ_PROPERTY_MULTIPLE: 14,
} as const;

/** BACnetObjectType device (clause 21, BACnetObjectType). */
export const OBJECT_DEVICE = 8;
/** The wildcard device instance: "the device that receives this" (clause 12.11.1), not an identity. */
export const WILDCARD_INSTANCE = 4194303;

/** BACnetPropertyIdentifier values of the device object this decoder reports, and their keys. */
export const DEVICE_PROPERTY_KEYS = {
  121: 'bacnet.vendor_name',
  120: 'bacnet.vendor_id',
  70: 'bacnet.model_name',
  44: 'bacnet.firmware',
  12: 'bacnet.app_version',
  77: 'bacnet.object_name',
} as const;
