// INTERIM: Modbus/TCP response reader for probe replies until agent/decode/modbus.ts lands (a
// registered decoder with the same id is preferred). Reads 43/14 device identification and 17
// report server id responses (Modbus Application Protocol V1.1b3 §6.21, §6.13).

import type { ObservationKey } from '../../../core/observation-keys.js';
import { DecodeError, need } from '../../decode/errors.js';
import type { AppDecoder } from '../../decode/types.js';
import { fieldText } from './industrial-text.js';

const P = 'modbus';
const OBJECT_KEYS: Record<number, ObservationKey> = {
  0: 'modbus.vendor',
  1: 'modbus.product_code',
  2: 'modbus.revision',
  3: 'modbus.vendor_url',
  4: 'modbus.product_name',
  5: 'modbus.model_name',
};

interface Reply {
  unit: number;
  function: number;
  objects: { id: number; value: string }[];
  serverId: string | null;
}

function parsePdu(pdu: Uint8Array, unit: number, offset: number): Reply {
  const fn = pdu[0]!;
  const reply: Reply = { unit, function: fn, objects: [], serverId: null };
  if (fn === 0x2b) {
    need(pdu, 0, 7, P, 'mei');
    if (pdu[1] !== 0x0e) throw new DecodeError(P, offset + 1, 'mei', `MEI type ${pdu[1]}`);
    const count = pdu[6]!;
    let pos = 7;
    for (let i = 0; i < count; i++) {
      need(pdu, pos, 2, P, 'object');
      const len = pdu[pos + 1]!;
      need(pdu, pos + 2, len, P, 'object.value');
      reply.objects.push({ id: pdu[pos]!, value: fieldText(pdu.subarray(pos + 2, pos + 2 + len)) });
      pos += 2 + len;
    }
  } else if (fn === 0x11) {
    need(pdu, 0, 2, P, 'byte-count');
    const n = pdu[1]!;
    need(pdu, 2, n, P, 'server-id');
    // Device-specific bytes: keep the printable run(s) as the id text (the run indicator is 0x00/0xFF).
    const text = Buffer.from(pdu.subarray(2, 2 + n))
      .toString('latin1')
      .replace(/[^\x20-\x7e]+/g, ' ')
      .trim();
    reply.serverId = text || null;
  }
  return reply;
}

export const modbusReply: AppDecoder<Reply[]> = {
  id: P,
  transports: ['tcp'],
  ports: [502],
  sniff: (bytes) => bytes.length >= 8 && bytes[2] === 0 && bytes[3] === 0,
  decode(bytes) {
    const out: Reply[] = [];
    let pos = 0;
    while (pos < bytes.length) {
      if (bytes.length - pos < 8) {
        if (out.length) break;
        need(bytes, pos, 8, P, 'mbap');
      }
      if (bytes[pos + 2] !== 0 || bytes[pos + 3] !== 0)
        throw new DecodeError(P, pos + 2, 'protocol-id', 'not 0');
      const len = (bytes[pos + 4]! << 8) | bytes[pos + 5]!;
      if (len < 2 || len > 254) throw new DecodeError(P, pos + 4, 'length', `${len}`);
      if (bytes.length - pos < 6 + len) {
        if (out.length) break;
        need(bytes, pos, 6 + len, P, 'pdu');
      }
      out.push(parsePdu(bytes.subarray(pos + 7, pos + 6 + len), bytes[pos + 6]!, pos + 7));
      pos += 6 + len;
    }
    return out;
  },
  observe(replies, _ctx, out) {
    for (const r of replies) {
      if (r.function & 0x80) continue;
      out.observe('src', 'modbus.unit_id', r.unit);
      for (const o of r.objects) {
        const key = OBJECT_KEYS[o.id];
        if (key && o.value) out.observe('src', key, o.value);
      }
      if (r.serverId) out.observe('src', 'modbus.server_id', r.serverId);
    }
  },
};
