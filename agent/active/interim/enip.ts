// INTERIM: EtherNet/IP ListIdentity response reader for probe replies until agent/decode/enip.ts
// lands (a registered decoder with the same id is preferred). CIP Vol. 2 §2-4.2: encapsulation
// header, CPF item 0x000C with the Identity object's attributes (little-endian).
import { DecodeError, need } from '../../decode/errors.js';
import type { AppDecoder } from '../../decode/types.js';
import { fieldText } from './industrial-text.js';

const P = 'enip';

interface Identity {
  vendorId: number;
  deviceType: number;
  productCode: number;
  revision: string;
  serial: number;
  productName: string;
}

const u16 = (b: Uint8Array, o: number) => b[o]! | (b[o + 1]! << 8);

function parseIdentity(item: Uint8Array, offset: number): Identity {
  // Encapsulation version(2), socket address(16), vendor(2), type(2), product code(2), revision(2),
  // status(2), serial(4), product name (short string), state(1).
  need(item, 0, 33, P, 'identity');
  const nameLen = item[32]!;
  need(item, 33, nameLen, P, 'identity.product-name');
  if (u16(item, 0) !== 1) throw new DecodeError(P, offset, 'identity.version', `${u16(item, 0)}`);
  return {
    vendorId: u16(item, 18),
    deviceType: u16(item, 20),
    productCode: u16(item, 22),
    revision: `${item[24]}.${item[25]}`,
    serial: (item[28]! | (item[29]! << 8) | (item[30]! << 16) | (item[31]! << 24)) >>> 0,
    productName: fieldText(item.subarray(33, 33 + nameLen)),
  };
}

export const enipReply: AppDecoder<Identity[]> = {
  id: P,
  transports: ['tcp', 'udp'],
  ports: [44818],
  sniff: (bytes) => bytes.length >= 24 && bytes[0] === 0x63 && bytes[1] === 0,
  decode(bytes) {
    need(bytes, 0, 24, P, 'encapsulation');
    if (u16(bytes, 0) !== 0x63) throw new DecodeError(P, 0, 'command', `0x${u16(bytes, 0).toString(16)}`);
    const len = u16(bytes, 2);
    need(bytes, 24, len, P, 'data');
    const data = bytes.subarray(24, 24 + len);
    if (!len) return [];
    need(data, 0, 2, P, 'item-count');
    const count = u16(data, 0);
    const out: Identity[] = [];
    for (let i = 0, pos = 2; i < count; i++) {
      need(data, pos, 4, P, 'item');
      const type = u16(data, pos);
      const itemLen = u16(data, pos + 2);
      need(data, pos + 4, itemLen, P, 'item.data');
      if (type === 0x000c) out.push(parseIdentity(data.subarray(pos + 4, pos + 4 + itemLen), 24 + pos + 4));
      pos += 4 + itemLen;
    }
    return out;
  },
  observe(ids, _ctx, out) {
    for (const id of ids) {
      out.observe('src', 'enip.vendor_id', id.vendorId);
      out.observe('src', 'enip.device_type', id.deviceType);
      out.observe('src', 'enip.product_code', id.productCode);
      out.observe('src', 'enip.revision', id.revision);
      out.observe('src', 'enip.serial', `0x${id.serial.toString(16).padStart(8, '0')}`);
      if (id.productName) out.observe('src', 'enip.product_name', id.productName);
    }
  },
};
