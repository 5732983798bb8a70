// INTERIM: Omron FINS/UDP Controller Data Read response reader for probe replies until agent/decode
// lands its FINS decoder (a registered decoder with the same id is preferred). W342 §5-3-3: after the
// 10-byte header, MRC/SRC 05 01, a 2-byte end code, then a 20-byte model and a 20-byte version.
import { DecodeError, need } from '../../decode/errors.js';
import type { AppDecoder } from '../../decode/types.js';
import { fieldText } from './industrial-text.js';

const P = 'fins';

interface ControllerData {
  model: string;
  version: string;
}

export const finsReply: AppDecoder<ControllerData | null> = {
  id: P,
  transports: ['udp'],
  ports: [9600],
  sniff: (bytes) => bytes.length >= 12 && (bytes[0]! & 0x40) !== 0,
  decode(bytes) {
    need(bytes, 0, 14, P, 'header');
    // ICF bit 6 set: a response.
    if (!(bytes[0]! & 0x40)) throw new DecodeError(P, 0, 'icf', 'not a response');
    if (bytes[10] !== 0x05 || bytes[11] !== 0x01) return null;
    const endCode = (bytes[12]! << 8) | bytes[13]!;
    // End code bits other than the network-relay/fatal/non-fatal flags (0x8000, 0x0080, 0x0040) mean failure.
    if ((endCode & ~0x80c0) !== 0) return null;
    need(bytes, 14, 40, P, 'controller-data');
    return { model: fieldText(bytes.subarray(14, 34)), version: fieldText(bytes.subarray(34, 54)) };
  },
  observe(data, _ctx, out) {
    if (!data) return;
    if (data.model) out.observe('src', 'fins.model', data.model);
    if (data.version) out.observe('src', 'fins.version', data.version);
  },
};
