import { describe, expect, it } from 'vitest';
import { iec104Decoder } from '../../../agent/decode/iec104.js';
import { ctx, hex, RecordingEmitter } from './helpers.js';
import { type ErrorType, expectDecoderError } from './ot-helpers.js';

const scada = { mac: '00:1b:1b:00:00:01', ip: '10.10.0.5', port: 50000 };
const rtu = { mac: '00:0e:8c:00:00:01', ip: '10.10.0.20', port: 2404 };
const fromScada = ctx('tcp', { fromClient: true, src: scada, dst: rtu });
const fromRtu = ctx('tcp', { fromClient: false, src: rtu, dst: scada });
const unknown = ctx('tcp', {
  fromClient: null,
  src: { ...rtu, port: 40000 },
  dst: { ...scada, port: 40001 },
});

// IEC 60870-5-104 §5 APDUs.
const STARTDT_ACT = '68 04 07 00 00 00'; // U-format STARTDT act
const STARTDT_CON = '68 04 0b 00 00 00'; // U-format STARTDT con
const INTERROGATION_ACT = `
  68 0e 00 00 00 00     # I-format, send 0, receive 0
  64 01 06 00 1e04      # C_IC_NA_1 (100), 1 object, cause 6 (activation), originator 0, common address 1054
  000000 14             # object address 0, QOI 20 (station interrogation)
`;
const INTERROGATION_CON = '68 0e 00 00 02 00 64 01 07 00 1e04 000000 14'; // cause 7 (activation confirmation)
const SPONTANEOUS = `
  68 12 02 00 02 00     # I-format, send 1, receive 1
  0d 01 03 00 1e04      # M_ME_NC_1 (13, short float), 1 object, cause 3 (spontaneous), common address 1054
  e90300 0000ac41 00    # object 1001, 21.5, quality 0
`;
const S_FRAME = '68 04 01 00 04 00';

function observe(bytes: string, c: ReturnType<typeof ctx>): RecordingEmitter {
  const out = new RecordingEmitter();
  iec104Decoder.observe(iec104Decoder.decode(hex(bytes), c), c, out);
  return out;
}

describe('iec104 decoder', () => {
  it('sniffs APCI', () => {
    expect(iec104Decoder.sniff(hex(STARTDT_ACT), fromScada)).toBe(true);
    expect(iec104Decoder.sniff(hex('68 04 ff 00 00 00'), fromScada)).toBe(false);
    expect(iec104Decoder.sniff(hex('05 64 05 c9 0a 00'), fromScada)).toBe(false);
  });

  it('names the controlling station and puts the common address on its peer', () => {
    const out = observe(`${STARTDT_ACT} ${INTERROGATION_ACT}`, fromScada);
    expect(out.values('ot.role', 'src')).toEqual(['iec104:client']);
    expect(out.values('iec104.common_address', 'dst')).toEqual([1054]);
    expect(out.values('iec104.common_address', 'src')).toEqual([]);
  });

  it('names the controlled station from its confirmations and monitor data', () => {
    const out = observe(`${STARTDT_CON} ${INTERROGATION_CON} ${SPONTANEOUS} ${S_FRAME}`, fromRtu);
    expect(out.values('ot.role', 'src')).toEqual(['iec104:server']);
    expect(out.values('iec104.common_address', 'src')).toEqual([1054]);
  });

  it('decides roles from the protocol when the connection direction is unknown', () => {
    expect(observe(STARTDT_CON, unknown).values('ot.role', 'src')).toEqual(['iec104:server']);
    expect(observe(INTERROGATION_ACT, unknown).values('iec104.common_address', 'dst')).toEqual([1054]);
    // TESTFR and S-frames may come from either station.
    expect(observe(`68 04 43 00 00 00 ${S_FRAME}`, unknown).observations).toEqual([]);
  });

  it('does not report the global common address', () => {
    const global = '68 0e 00 00 00 00 64 01 06 00 ffff 000000 14';
    expect(observe(global, fromScada).values('iec104.common_address')).toEqual([]);
  });

  it('keeps APDUs before junk and counts it', () => {
    const pdu = iec104Decoder.decode(hex(`${STARTDT_ACT} 00 68 04`), fromScada);
    expect(pdu.messages).toHaveLength(1);
    const out = new RecordingEmitter();
    iec104Decoder.observe(pdu, fromScada, out);
    expect(out.anomalies).toEqual(['iec104.malformed_message']);
  });

  describe('malformed input', () => {
    const cases: [string, string, string, ErrorType][] = [
      ['bad start byte', '69 04 07 00 00 00', 'apci.start', 'decode'],
      ['length below 4', '68 03 07 00 00', 'apci.length', 'decode'],
      ['length above 253', `68 fe ${'00'.repeat(254)}`, 'apci.length', 'decode'],
      ['APDU past the bytes', '68 0e 00 00 00 00 64 01', 'apci.apdu', 'truncated'],
      ['unknown U function', '68 04 0f 00 00 00', 'apci.u_function', 'decode'],
      ['U-format with data', '68 05 07 00 00 00 00', 'apci.length', 'decode'],
      ['S-format with data', '68 05 01 00 00 00 00', 'apci.length', 'decode'],
      ['I-format without an ASDU header', '68 06 00 00 00 00 64 01', 'asdu.length', 'decode'],
      ['type id 0', '68 0e 00 00 00 00 00 01 06 00 1e04 000000 14', 'asdu.type', 'decode'],
    ];
    for (const [name, bytes, field, type] of cases) {
      it(name, () => expectDecoderError(() => iec104Decoder.decode(hex(bytes), fromScada), type, field));
    }
  });
});
