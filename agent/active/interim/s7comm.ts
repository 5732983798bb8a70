// INTERIM: S7comm SZL response reader for probe replies until agent/decode/s7comm.ts lands (a
// registered decoder with the same id is preferred). TPKT (RFC 1006) + COTP DT (ISO 8073), S7 userdata
// "read SZL" responses for SZL-ID 0x0011 (28-byte records) and 0x001C (34-byte records).

import type { ObservationKey } from '../../../core/observation-keys.js';
import { DecodeError, need } from '../../decode/errors.js';
import type { AppDecoder } from '../../decode/types.js';
import { fieldText } from './industrial-text.js';

const P = 's7comm';
const COMPONENT_KEYS: Record<number, ObservationKey> = {
  1: 's7.plc_name',
  2: 's7.module_name',
  3: 's7.plant_id',
  4: 's7.copyright',
  5: 's7.serial',
  7: 's7.module_type',
};

interface SzlRecord {
  szl: number;
  index: number;
  body: Uint8Array;
}

function szlRecords(pdu: Uint8Array, offset: number, out: SzlRecord[]): void {
  // S7 header: 0x32, ROSCTR, redundancy(2), PDU ref(2), param length(2), data length(2) [+ error(2) for 2/3].
  need(pdu, 0, 10, P, 's7.header');
  if (pdu[0] !== 0x32) throw new DecodeError(P, offset, 's7.protocol-id', `0x${pdu[0]!.toString(16)}`);
  const rosctr = pdu[1]!;
  const head = rosctr === 2 || rosctr === 3 ? 12 : 10;
  const plen = (pdu[6]! << 8) | pdu[7]!;
  const dlen = (pdu[8]! << 8) | pdu[9]!;
  need(pdu, head, plen + dlen, P, 's7.body');
  if (rosctr !== 7 || plen < 8) return;
  const param = pdu.subarray(head, head + plen);
  // Userdata parameter: 00 01 12, length, method, type|group, subfunction; group 4 = CPU functions, sub 1 = read SZL.
  if ((param[5]! & 0x0f) !== 4 || param[6] !== 1) return;
  const data = pdu.subarray(head + plen, head + plen + dlen);
  if (data.length < 12 || data[0] !== 0xff) return;
  const szl = (data[4]! << 8) | data[5]!;
  const size = (data[8]! << 8) | data[9]!;
  const count = (data[10]! << 8) | data[11]!;
  if (size < 2) throw new DecodeError(P, offset + head + plen + 8, 'szl.record-size', `${size}`);
  for (let i = 0, pos = 12; i < count && pos + size <= data.length; i++, pos += size) {
    out.push({
      szl: szl & 0x00ff,
      index: (data[pos]! << 8) | data[pos + 1]!,
      body: data.subarray(pos + 2, pos + size),
    });
  }
}

export const s7commReply: AppDecoder<SzlRecord[]> = {
  id: P,
  transports: ['tcp'],
  ports: [102],
  sniff: (bytes) => bytes.length >= 4 && bytes[0] === 3 && bytes[1] === 0,
  decode(bytes) {
    const out: SzlRecord[] = [];
    let pos = 0;
    let packets = 0;
    while (pos + 4 <= bytes.length) {
      if (bytes[pos] !== 3) throw new DecodeError(P, pos, 'tpkt.version', `${bytes[pos]}`);
      const len = (bytes[pos + 2]! << 8) | bytes[pos + 3]!;
      if (len < 7) throw new DecodeError(P, pos + 2, 'tpkt.length', `${len}`);
      if (pos + len > bytes.length) break;
      packets++;
      const cotpLen = bytes[pos + 4]!;
      // COTP DT (0xF0): the only TPDU that carries S7 PDUs; CC/DR and others carry none.
      if (bytes[pos + 5] === 0xf0 && 5 + cotpLen < len) {
        szlRecords(bytes.subarray(pos + 5 + cotpLen, pos + len), pos + 5 + cotpLen, out);
      }
      pos += len;
    }
    if (!packets) need(bytes, 0, Math.max(4, bytes.length + 1), P, 'tpkt');
    return out;
  },
  observe(records, _ctx, out) {
    for (const r of records) {
      if (r.szl === 0x11 && r.body.length >= 26) {
        if (r.index === 1) out.observe('src', 's7.order_number', fieldText(r.body.subarray(0, 20)));
        // Index 7: firmware; "V" and major in Ausbg, minor and patch in Ausbe.
        if (r.index === 7 && r.body[22] === 0x56) {
          out.observe('src', 's7.firmware', `V${r.body[23]}.${r.body[24]}.${r.body[25]}`);
        }
      } else if (r.szl === 0x1c) {
        const key = COMPONENT_KEYS[r.index];
        const text = fieldText(r.body.subarray(0, 32));
        if (key && text) out.observe('src', key, text);
      }
    }
  },
};
