// A BACnet/IP controller: Who-Is answered with a unicast I-Am (§16.10), ReadProperty of its device
// object (its own instance or the wildcard 4194303, §12.11.1) answered from its property table.
import type { Service } from '../device-types.js';
import { listenUdp, type Stop } from './serve.js';

type Bacnet = Extract<Service, { kind: 'bacnet' }>;

const WILDCARD = 4194303;
const DEVICE = 8;

function bvlc(npduApdu: Buffer): Buffer {
  const h = Buffer.from([0x81, 0x0a, 0, 0]);
  h.writeUInt16BE(npduApdu.length + 4, 2);
  return Buffer.concat([h, npduApdu]);
}

function objectId(instance: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(((DEVICE << 22) | instance) >>> 0);
  return b;
}

function unsigned(v: number): Buffer {
  return v < 0x100 ? Buffer.from([0x21, v]) : Buffer.from([0x22, v >> 8, v & 0xff]);
}

function charString(text: string): Buffer {
  const body = Buffer.concat([Buffer.from([0x00]), Buffer.from(text, 'utf8')]);
  return body.length <= 4
    ? Buffer.concat([Buffer.from([0x70 | body.length]), body])
    : Buffer.concat([Buffer.from([0x75, body.length]), body]);
}

function value(d: Bacnet, property: number): Buffer | null {
  if (property === 75) return Buffer.concat([Buffer.from([0xc4]), objectId(d.instance)]);
  if (property === 120) return unsigned(d.vendorId);
  if (property === 79) return Buffer.from([0x91, DEVICE]); // object-type: device
  const s = d.strings[property];
  return s === undefined ? null : charString(s);
}

export function startBacnet(d: Bacnet): Promise<Stop> {
  return listenUdp(d.port, (msg) => {
    if (msg.length < 8 || msg[0] !== 0x81 || msg[4] !== 0x01) return null;
    const control = msg[5]!;
    if (control & 0xa8) return null; // network messages and routed traffic are not for this lab device
    const apdu = msg.subarray(6);
    if (apdu[0] === 0x10 && apdu[1] === 0x08) {
      // I-Am: device object, max APDU 1476, segmentation none (3), vendor id.
      return bvlc(
        Buffer.concat([
          Buffer.from([0x01, 0x00, 0x10, 0x00, 0xc4]),
          objectId(d.instance),
          Buffer.from([0x22, 0x05, 0xc4, 0x91, 0x03]),
          unsigned(d.vendorId),
        ]),
      );
    }
    if ((apdu[0]! & 0xf0) !== 0x00 || apdu[3] !== 0x0c || apdu[4] !== 0x0c || apdu.length < 11) return null;
    const invoke = apdu[2]!;
    const oid = apdu.readUInt32BE(5);
    const instance = oid & 0x3fffff;
    if (oid >>> 22 !== DEVICE || (instance !== d.instance && instance !== WILDCARD) || apdu[9] !== 0x19) {
      return bvlc(Buffer.from([0x01, 0x00, 0x50, invoke, 0x0c, 0x91, 0x01, 0x91, 0x1f])); // object, unknown-object
    }
    const property = apdu[10]!;
    const v = value(d, property);
    if (!v) return bvlc(Buffer.from([0x01, 0x00, 0x50, invoke, 0x0c, 0x91, 0x02, 0x91, 0x20])); // property, unknown-property
    return bvlc(
      Buffer.concat([
        Buffer.from([0x01, 0x00, 0x30, invoke, 0x0c, 0x0c]),
        objectId(d.instance),
        Buffer.from([0x19, property, 0x3e]),
        v,
        Buffer.from([0x3f]),
      ]),
    );
  });
}
