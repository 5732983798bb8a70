// A Modbus/TCP server's identity side: 43/14 Read Device Identification (V1.1b3 §6.21) and
// 17 Report Server ID (§6.13); any other function gets exception 01 (illegal function).
import type { Service } from '../device-types.js';
import { framedTcp, type Stop } from './serve.js';

type Modbus = Extract<Service, { kind: 'modbus' }>;

function mbap(req: Buffer, pdu: Buffer): Buffer {
  const h = Buffer.alloc(7);
  req.copy(h, 0, 0, 4); // transaction and protocol id echoed
  h.writeUInt16BE(pdu.length + 1, 4);
  h[6] = req[6]!;
  return Buffer.concat([h, pdu]);
}

function deviceId(d: Modbus, code: number, start: number): Buffer {
  // Conformity 0x83: basic, regular and extended levels, individual access supported.
  const ids = Object.keys(d.objects)
    .map(Number)
    .filter(
      (id) =>
        (code === 1 ? id <= 2 : code === 4 ? id === start : id <= 0x7f) && id >= (code === 4 ? start : 0),
    );
  const objects = ids.map((id) => {
    const v = Buffer.from(d.objects[id]!, 'latin1');
    return Buffer.concat([Buffer.from([id, v.length]), v]);
  });
  return Buffer.concat([Buffer.from([0x2b, 0x0e, code, 0x83, 0x00, 0x00, ids.length]), ...objects]);
}

export function startModbus(d: Modbus): Promise<Stop> {
  return framedTcp(
    d.port,
    (buf) => (buf.length >= 6 ? 6 + buf.readUInt16BE(4) : null),
    (req) => {
      if (req.length < 8 || req.readUInt16BE(2) !== 0) return null;
      const fn = req[7]!;
      if (fn === 0x2b && req[8] === 0x0e && req.length >= 11) {
        const code = req[9]!;
        if (code < 1 || code > 4) return mbap(req, Buffer.from([0xab, 0x03]));
        return mbap(req, deviceId(d, code, req[10]!));
      }
      if (fn === 0x11) {
        const text = Buffer.from(d.serverId, 'latin1');
        // Server id byte, run indicator (0xFF = running), then the device's text.
        return mbap(req, Buffer.concat([Buffer.from([0x11, text.length + 2, 0x01, 0xff]), text]));
      }
      return mbap(req, Buffer.from([fn | 0x80, 0x01]));
    },
  );
}
