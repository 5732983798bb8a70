// The CIP identity object's attribute layout (ODVA Vol. 1 §5A-2.2), shared by ListIdentity and Get_Attributes_All.
import { DecodeError } from './errors.js';
import { hex, isPrintable, latin1, type OnceEmitter, u16le, u32le } from './ot-bytes.js';

export interface CipIdentity {
  vendorId: number;
  deviceType: number;
  productCode: number;
  major: number;
  minor: number;
  status: number;
  serial: number;
  productName: Uint8Array;
}

/** Bytes before the product name: vendor, device type, product code (UINT each), revision (2 USINT), status, serial. */
const FIXED = 14;

/**
 * Identity attributes 1–7 in order: vendor id, device type, product code, revision major/minor,
 * status, serial number (all little-endian), product name as SHORT_STRING (length byte + chars).
 * Throws when the name overruns `body`.
 */
export function readIdentity(body: Uint8Array, base: number, protocol: string): CipIdentity {
  if (body.length < FIXED + 1) {
    throw new DecodeError(protocol, base, 'cip.identity', `${body.length} bytes, ${FIXED + 1} needed`);
  }
  const nameLength = body[FIXED]!;
  if (FIXED + 1 + nameLength > body.length) {
    throw new DecodeError(protocol, base + FIXED, 'cip.product_name', `${nameLength} bytes overrun the item`);
  }
  return {
    vendorId: u16le(body, 0),
    deviceType: u16le(body, 2),
    productCode: u16le(body, 4),
    major: body[6]!,
    minor: body[7]!,
    status: u16le(body, 8),
    serial: u32le(body, 10),
    productName: body.subarray(FIXED + 1, FIXED + 1 + nameLength),
  };
}

/**
 * A Get_Attributes_All reply does not repeat the class it answers (that is in the request, in the other
 * direction), so a reply is read as an identity only when it has exactly the identity shape: attributes
 * 1–7 with a printable name and at most the optional attributes 8–10 (state, configuration value,
 * heartbeat: 4 bytes) after it.
 */
export function identityShape(body: Uint8Array): CipIdentity | null {
  if (body.length < FIXED + 2) return null;
  const nameLength = body[FIXED]!;
  const rest = body.length - (FIXED + 1 + nameLength);
  if (nameLength === 0 || rest < 0 || rest > 4) return null;
  const identity = readIdentity(body, 0, 'enip');
  return isPrintable(identity.productName) ? identity : null;
}

export function observeIdentity(identity: CipIdentity, out: OnceEmitter): void {
  out.observe('src', 'enip.vendor_id', identity.vendorId);
  out.observe('src', 'enip.device_type', identity.deviceType);
  out.observe('src', 'enip.product_code', identity.productCode);
  out.observe('src', 'enip.revision', `${identity.major}.${identity.minor}`);
  out.observe('src', 'enip.serial', hex(identity.serial, 8));
  out.observe('src', 'enip.product_name', latin1(identity.productName));
}
