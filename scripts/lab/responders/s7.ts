// A Siemens S7-300 CPU's ISO-on-TCP identity side: COTP connect (RFC 1006, ISO 8073), S7 "setup
// communication", and userdata "read SZL" for SZL-IDs 0x0011 and 0x001C (Siemens SFC 51 manual ch. 34).
import type { Service } from '../device-types.js';
import { fixed, framedTcp, type Stop } from './serve.js';

type S7 = Extract<Service, { kind: 's7' }>;

const tpkt = (payload: Buffer) => {
  const h = Buffer.from([3, 0, 0, 0]);
  h.writeUInt16BE(payload.length + 4, 2);
  return Buffer.concat([h, payload]);
};
const dt = (s7: Buffer) => tpkt(Buffer.concat([Buffer.from([0x02, 0xf0, 0x80]), s7]));

/** Called TSAPs this CPU accepts: any connection type (PG, OP, S7 basic) to rack 0, slot 2. */
const ACCEPTED_TSAPS = new Set([0x0102, 0x0202, 0x0302]);

function connectConfirm(cr: Buffer): Buffer | null {
  // CR TPDU: LI, 0xE0, dst-ref(2), src-ref(2), class, parameters (code, length, value).
  let called = -1;
  for (let p = 11; p + 2 <= 5 + cr[4]! && p + 2 <= cr.length; ) {
    const code = cr[p]!;
    const len = cr[p + 1]!;
    if (code === 0xc2 && len === 2) called = cr.readUInt16BE(p + 2);
    p += 2 + len;
  }
  if (!ACCEPTED_TSAPS.has(called)) return null;
  const cotp = Buffer.from([
    0x11,
    0xd0,
    cr[9]!,
    cr[10]!,
    0x00,
    0x01,
    0x00,
    0xc0,
    0x01,
    0x0a,
    0xc1,
    0x02,
    0x01,
    0x00,
    0xc2,
    0x02,
  ]);
  const tsap = Buffer.alloc(2);
  tsap.writeUInt16BE(called);
  return tpkt(Buffer.concat([cotp, tsap]));
}

function record(index: number, body: Buffer): Buffer {
  const i = Buffer.alloc(2);
  i.writeUInt16BE(index);
  return Buffer.concat([i, body]);
}

function szl(d: S7, id: number): { size: number; records: Buffer[] } | null {
  if (id === 0x0011) {
    const mlfb = fixed(d.orderNumber, 20);
    const [maj, min, patch] = d.firmware;
    return {
      size: 28,
      records: [
        record(1, Buffer.concat([mlfb, Buffer.from([0, 0, 0, 4, 0, 1])])),
        record(6, Buffer.concat([mlfb, Buffer.from([0, 0, 0, 4, 0, 1])])),
        record(7, Buffer.concat([fixed('', 20), Buffer.from([0, 0, 0x56, maj, min, patch])])),
      ],
    };
  }
  if (id === 0x001c) {
    const records = Object.entries(d.components).map(([i, text]) => record(Number(i), fixed(text, 32, 0)));
    return { size: 34, records };
  }
  return null;
}

function userdataReply(d: S7, s7: Buffer): Buffer | null {
  // Header (10) + parameter; request parameter: 00 01 12 len method(0x11) type|group subfunction seq.
  const plen = s7.readUInt16BE(6);
  const param = s7.subarray(10, 10 + plen);
  const data = s7.subarray(10 + plen);
  if (
    param.length < 8 ||
    param[4] !== 0x11 ||
    (param[5]! & 0x0f) !== 4 ||
    param[6] !== 0x01 ||
    data.length < 8
  )
    return null;
  const id = data.readUInt16BE(4);
  const index = data.readUInt16BE(6);
  const list = szl(d, id);
  const head = Buffer.from([0x32, 0x07, 0, 0, s7[4]!, s7[5]!, 0, 12, 0, 0]);
  const rparam = Buffer.from([0x00, 0x01, 0x12, 0x08, 0x12, 0x84, 0x01, param[7]!, 0x00, 0x00, 0x00, 0x00]);
  let rdata: Buffer;
  if (!list) {
    // Return code 0x0A: object does not exist; no data follows.
    rdata = Buffer.from([0x0a, 0x00, 0x00, 0x00]);
    rparam.writeUInt16BE(0xd401, 10);
  } else {
    const body = Buffer.alloc(8);
    body.writeUInt16BE(id, 0);
    body.writeUInt16BE(index, 2);
    body.writeUInt16BE(list.size, 4);
    body.writeUInt16BE(list.records.length, 6);
    const payload = Buffer.concat([body, ...list.records]);
    const rc = Buffer.from([0xff, 0x09, 0, 0]);
    rc.writeUInt16BE(payload.length, 2);
    rdata = Buffer.concat([rc, payload]);
  }
  head.writeUInt16BE(rdata.length, 8);
  return dt(Buffer.concat([head, rparam, rdata]));
}

export function startS7(d: S7): Promise<Stop> {
  const connected = new WeakSet<object>();
  return framedTcp(
    d.port,
    (buf) => (buf.length >= 4 ? (buf[0] === 3 ? buf.readUInt16BE(2) : -1) : null),
    (msg, socket) => {
      const cotpType = msg[5];
      if (cotpType === 0xe0) {
        const cc = connectConfirm(msg);
        if (!cc) {
          socket.end();
          return null;
        }
        connected.add(socket);
        return cc;
      }
      if (cotpType !== 0xf0 || !connected.has(socket) || msg.length < 17 || msg[7] !== 0x32) return null;
      const s7 = msg.subarray(7);
      if (s7[1] === 0x01 && s7[10] === 0xf0) {
        // Setup communication: acknowledge with 1/1 parallel jobs and a 240-byte PDU.
        const ack = Buffer.from([
          0x32,
          0x03,
          0,
          0,
          s7[4]!,
          s7[5]!,
          0,
          8,
          0,
          0,
          0,
          0,
          0xf0,
          0,
          0,
          1,
          0,
          1,
          0x00,
          0xf0,
        ]);
        return dt(ack);
      }
      if (s7[1] === 0x07) return userdataReply(d, s7);
      return null;
    },
  );
}
