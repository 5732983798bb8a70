// BACnet/IP (UDP 47808): BVLC, NPDU and APDU; I-Am and device-object ReadProperty(Multiple) answers.
import {
  BVLC,
  BVLC_TYPE_IP,
  DEVICE_PROPERTY_KEYS,
  NPDU_FUNCTIONS,
  OBJECT_DEVICE,
  PDU,
  SERVICE,
  WILDCARD_INSTANCE,
} from './bacnet.codes.js';
import {
  APP_TAG,
  appValue,
  type BacnetValue,
  decodeString,
  readTag,
  type Tag,
  tagObjectId,
  tagUnsigned,
} from './bacnet-tags.js';
import { DecodeError, isDecoderError, need } from './errors.js';
import { OnceEmitter, u16be } from './ot-bytes.js';
import type { AppContext, AppDecoder, Emitter } from './types.js';

const P = 'bacnet';
/** Property results read from one ReadPropertyMultiple-ACK. */
export const BACNET_MAX_PROPERTIES = 256;
/** Nesting depth of constructed values walked through. */
const MAX_DEPTH = 16;

export interface BacnetProperty {
  objectType: number;
  instance: number;
  property: number;
  /** The first primitive application value of the property, or null (error result, constructed only). */
  value: BacnetValue | null;
}

export interface BacnetPdu {
  bvlcFunction: number;
  /** The NPDU came from another network (SNET) or through a BBMD (Forwarded-NPDU): the sender is a relay. */
  relayed: boolean;
  networkMessage: boolean;
  apduType: number | null;
  service: number | null;
  iAm: { instance: number; vendorId: number } | null;
  properties: BacnetProperty[];
  /** A segmented ComplexACK: only the complete values of its first segment are read. */
  segmented: boolean;
}

/** Reads tags up to the closing tag `close`, returning the first primitive value at the top level. */
function enclosedValue(
  b: Uint8Array,
  pos: number,
  limit: number,
  close: number,
): { value: BacnetValue | null; next: number } {
  let depth = 0;
  let value: BacnetValue | null = null;
  for (;;) {
    const tag = readTag(b, pos, limit);
    pos = tag.end;
    if (tag.open) {
      if (++depth > MAX_DEPTH) throw new DecodeError(P, pos, 'tag.depth', `nesting deeper than ${MAX_DEPTH}`);
    } else if (tag.close) {
      if (depth === 0) {
        if (tag.number !== close) throw new DecodeError(P, pos - 1, 'tag.close', `closing tag ${tag.number}`);
        return { value, next: pos };
      }
      depth--;
    } else if (depth === 0 && !tag.context && value === null) {
      value = appValue(b, tag);
    }
  }
}

function expectContext(b: Uint8Array, pos: number, limit: number, n: number, field: string): Tag {
  const tag = readTag(b, pos, limit);
  if (!tag.context || tag.number !== n || tag.open || tag.close) {
    throw new DecodeError(
      P,
      pos,
      field,
      `tag ${tag.number}${tag.context ? ' (context)' : ''} where context ${n} expected`,
    );
  }
  return tag;
}

function expectOpen(b: Uint8Array, pos: number, limit: number, n: number, field: string): number {
  const tag = readTag(b, pos, limit);
  if (!tag.open || tag.number !== n) throw new DecodeError(P, pos, field, `opening tag ${n} expected`);
  return tag.end;
}

/** ReadProperty-ACK (clause 15.5.1.3): [0] object id, [1] property, [2] array index (optional), [3] value. */
function readPropertyAck(b: Uint8Array, pos: number, limit: number, out: BacnetProperty[]): void {
  const objectTag = expectContext(b, pos, limit, 0, 'rp.object');
  const object = tagObjectId(b, objectTag);
  const propTag = expectContext(b, objectTag.end, limit, 1, 'rp.property');
  let at = propTag.end;
  const next = readTag(b, at, limit);
  if (next.context && next.number === 2 && !next.open) at = next.end;
  at = expectOpen(b, at, limit, 3, 'rp.value');
  const { value } = enclosedValue(b, at, limit, 3);
  out.push({ objectType: object.type, instance: object.instance, property: tagUnsigned(b, propTag), value });
}

/**
 * ReadPropertyMultiple-ACK (clause 15.7.1.3): per object [0] object id and [1] a list of results, each
 * [2] property, [3] array index (optional), then [4] value or [5] error.
 */
function readPropertyMultipleAck(b: Uint8Array, pos: number, limit: number, out: BacnetProperty[]): void {
  while (pos < limit) {
    const objectTag = expectContext(b, pos, limit, 0, 'rpm.object');
    const object = tagObjectId(b, objectTag);
    pos = expectOpen(b, objectTag.end, limit, 1, 'rpm.results');
    for (;;) {
      const tag = readTag(b, pos, limit);
      if (tag.close && tag.number === 1) {
        pos = tag.end;
        break;
      }
      if (out.length >= BACNET_MAX_PROPERTIES) {
        throw new DecodeError(P, pos, 'rpm.count', `more than ${BACNET_MAX_PROPERTIES} results`);
      }
      const propTag = expectContext(b, pos, limit, 2, 'rpm.property');
      let at = propTag.end;
      let result = readTag(b, at, limit);
      if (result.context && result.number === 3 && !result.open) {
        at = result.end;
        result = readTag(b, at, limit);
      }
      if (!result.open || (result.number !== 4 && result.number !== 5)) {
        throw new DecodeError(P, at, 'rpm.result', 'opening tag 4 (value) or 5 (error) expected');
      }
      const enclosed = enclosedValue(b, result.end, limit, result.number);
      const value = result.number === 4 ? enclosed.value : null;
      out.push({
        objectType: object.type,
        instance: object.instance,
        property: tagUnsigned(b, propTag),
        value,
      });
      pos = enclosed.next;
    }
  }
}

/** I-Am (clause 16.10.2): device object id, max APDU length, segmentation, vendor id — all application tags. */
function readIAm(b: Uint8Array, pos: number, limit: number): { instance: number; vendorId: number } {
  const tags: Tag[] = [];
  for (let i = 0; i < 4; i++) {
    const tag = readTag(b, pos, limit);
    if (tag.context) throw new DecodeError(P, pos, 'iam.tag', 'context tag in I-Am');
    tags.push(tag);
    pos = tag.end;
  }
  if (tags[0]!.number !== APP_TAG.OBJECT_ID || tags[3]!.number !== APP_TAG.UNSIGNED) {
    throw new DecodeError(P, tags[0]!.start, 'iam.tag', 'object id and vendor id expected');
  }
  const object = tagObjectId(b, tags[0]!);
  if (object.type !== OBJECT_DEVICE)
    throw new DecodeError(P, tags[0]!.start, 'iam.object', `object type ${object.type}`);
  return { instance: object.instance, vendorId: tagUnsigned(b, tags[3]!) };
}

/** NPDU (clause 6.2): version 1, control, optional DNET/DLEN/DADR, SNET/SLEN/SADR, hop count, message type. */
function readNpdu(b: Uint8Array, pos: number, pdu: BacnetPdu): number {
  need(b, pos, 2, P, 'npdu.header');
  if (b[pos] !== 1) throw new DecodeError(P, pos, 'npdu.version', `version ${b[pos]}`);
  const control = b[pos + 1]!;
  let at = pos + 2;
  if (control & 0x20) {
    need(b, at, 3, P, 'npdu.dnet');
    at += 3 + b[at + 2]!;
  }
  if (control & 0x08) {
    need(b, at, 3, P, 'npdu.snet');
    const slen = b[at + 2]!;
    if (slen === 0) throw new DecodeError(P, at + 2, 'npdu.slen', 'source address length 0');
    at += 3 + slen;
    pdu.relayed = true;
  }
  if (control & 0x20) at += 1; // hop count
  if (control & 0x80) {
    pdu.networkMessage = true;
    need(b, at, 1, P, 'npdu.message_type');
    return b.length;
  }
  need(b, at, 0, P, 'npdu.header');
  return at;
}

/** APDU headers (clause 20.1): the service choice and where the service data starts. */
function readApdu(b: Uint8Array, pos: number, pdu: BacnetPdu): void {
  need(b, pos, 2, P, 'apdu.header');
  const type = b[pos]! >> 4;
  pdu.apduType = type;
  const segmented = (b[pos]! & 0x08) !== 0;
  let at: number;
  if (type === PDU.CONFIRMED_REQUEST) at = pos + 3 + (segmented ? 2 : 0);
  else if (type === PDU.UNCONFIRMED_REQUEST) at = pos + 1;
  else if (type === PDU.COMPLEX_ACK) at = pos + 2 + (segmented ? 2 : 0);
  else if (type === PDU.SIMPLE_ACK || type === PDU.ERROR) at = pos + 2;
  else if (type <= PDU.ABORT) return;
  else throw new DecodeError(P, pos, 'apdu.type', `PDU type ${type}`);
  need(b, at, 1, P, 'apdu.service');
  pdu.service = b[at]!;
  const data = at + 1;
  if (type === PDU.UNCONFIRMED_REQUEST && pdu.service === SERVICE.I_AM) pdu.iAm = readIAm(b, data, b.length);
  if (type !== PDU.COMPLEX_ACK) return;
  // A segmented ACK: later segments lack the service header; the first is read up to its cut.
  if (segmented && b[pos + 2] !== 0) return;
  pdu.segmented = segmented;
  try {
    if (pdu.service === SERVICE.READ_PROPERTY) readPropertyAck(b, data, b.length, pdu.properties);
    else if (pdu.service === SERVICE.READ_PROPERTY_MULTIPLE)
      readPropertyMultipleAck(b, data, b.length, pdu.properties);
  } catch (err) {
    if (!segmented || !isDecoderError(err)) throw err;
  }
}

export const bacnetDecoder: AppDecoder<BacnetPdu> = {
  id: 'bacnet',
  transports: ['udp'],
  ports: [47808],
  sniff(bytes: Uint8Array): boolean {
    return (
      bytes.length >= 4 && bytes[0] === BVLC_TYPE_IP && bytes[1]! <= 0x0c && u16be(bytes, 2) === bytes.length
    );
  },
  /** BVLC (Annex J.2): type 0x81, function, length (2, the whole datagram). */
  decode(bytes: Uint8Array): BacnetPdu {
    need(bytes, 0, 4, P, 'bvlc.header');
    if (bytes[0] !== BVLC_TYPE_IP)
      throw new DecodeError(P, 0, 'bvlc.type', `type 0x${bytes[0]!.toString(16)}`);
    const length = u16be(bytes, 2);
    if (length !== bytes.length) {
      throw new DecodeError(P, 2, 'bvlc.length', `length ${length} for a datagram of ${bytes.length} bytes`);
    }
    const fn = bytes[1]!;
    const pdu: BacnetPdu = {
      bvlcFunction: fn,
      relayed: fn === BVLC.FORWARDED_NPDU,
      networkMessage: false,
      apduType: null,
      service: null,
      iAm: null,
      properties: [],
      segmented: false,
    };
    if (!NPDU_FUNCTIONS.has(fn)) return pdu;
    // Forwarded-NPDU: the original source's B/IP address (6 bytes) precedes the NPDU.
    const apdu = readNpdu(bytes, fn === BVLC.FORWARDED_NPDU ? 10 : 4, pdu);
    if (!pdu.networkMessage) readApdu(bytes, apdu, pdu);
    return pdu;
  },
  observe(pdu: BacnetPdu, _ctx: AppContext, emitter: Emitter): void {
    const out = new OnceEmitter(emitter);
    // A relayed message's facts belong to a device behind the sender, which the emitter cannot name.
    if (pdu.relayed || pdu.apduType === null) return;
    if (pdu.apduType === PDU.CONFIRMED_REQUEST) out.role('src', P, 'client');
    if (pdu.apduType === PDU.UNCONFIRMED_REQUEST && pdu.service === SERVICE.WHO_IS)
      out.role('src', P, 'client');
    if (pdu.iAm) {
      out.role('src', P, 'server');
      out.observe('src', 'bacnet.device_instance', pdu.iAm.instance);
      out.observe('src', 'bacnet.vendor_id', pdu.iAm.vendorId);
    }
    if (pdu.apduType === PDU.COMPLEX_ACK || pdu.apduType === PDU.SIMPLE_ACK) out.role('src', P, 'server');
    if (pdu.segmented) emitter.anomaly('bacnet.segmented_ack');
    for (const p of pdu.properties) {
      if (p.objectType !== OBJECT_DEVICE) continue;
      if (p.instance !== WILDCARD_INSTANCE) out.observe('src', 'bacnet.device_instance', p.instance);
      const key = DEVICE_PROPERTY_KEYS[p.property as keyof typeof DEVICE_PROPERTY_KEYS];
      if (!key || !p.value) continue;
      if (key === 'bacnet.vendor_id') {
        if (p.value.kind === 'unsigned') out.observe('src', key, p.value.value);
      } else if (p.value.kind === 'string') {
        const text = decodeString(p.value.charset, p.value.bytes);
        if (text === null) emitter.anomaly('bacnet.unsupported_charset');
        else out.observe('src', key, text);
      }
    }
  },
};
