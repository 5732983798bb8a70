import { describe, expect, it } from 'vitest';
import { TruncatedError } from '../../../agent/decode/errors.js';
import { s7commDecoder } from '../../../agent/decode/s7comm.js';
import { ctx, hex, RecordingEmitter } from './helpers.js';
import { type ErrorType, expectDecoderError } from './ot-helpers.js';

const plc = { mac: '28:63:36:00:00:01', ip: '192.168.0.1', port: 102 };
const station = { mac: '00:1b:1b:00:00:01', ip: '192.168.0.10', port: 49200 };
const fromPlc = ctx('tcp', { fromClient: false, src: plc, dst: station });
const fromStation = ctx('tcp', { fromClient: true, src: station, dst: plc });

// RFC 1006 TPKT + X.224 CR: calling TSAP 0x0100, called TSAP 0x0102 (rack 0, slot 2), TPDU size 1024.
const COTP_CR = `
  03 00 0016          # TPKT v3, length 22
  11 e0 0000 0001 00  # COTP LI 17, CR, dst-ref 0, src-ref 1, class 0
  c0 01 0a            # TPDU size 2^10
  c1 02 0100          # calling TSAP
  c2 02 0102          # called TSAP
`;

// Read-SZL response W#16#0011 (module identification) from an S7-1500.
const SZL_0011 = `
  03 00 007d 02 f0 80        # TPKT length 125, COTP DT with end-of-TSDU
  32 07 0000 0100 000c 0060  # S7: userdata, PDU ref 0x0100, parameter 12 bytes, data 96 bytes
  000112 08 12 84 01 01 00 00 0000 # param: head, length 8, response, CPU functions, read SZL, seq 1, ref 0, last, no error
  ff 09 005c                 # data: success, octet string, 92 bytes
  0011 0000 001c 0003        # SZL id 0x0011, index 0, records of 28 bytes, 3 records
  0001 36455337203531312d31414b30322d30414230 20 00c0 0002 0000 # index 1: MLFB "6ES7 511-1AK02-0AB0 "
  0006 36455337203531312d31414b30322d30414230 20 00c0 0002 0000 # index 6: basic hardware, same MLFB
  0007 2020202020202020202020202020202020202020 00c0 5602 0806   # index 7: firmware 'V' 2 . 8 . 6
`;

// Read-SZL response W#16#001C (component identification), cut into two userdata fragments (data unit ref 5).
const SZL_001C_PART1 = `
  03 00 0055 02 f0 80 32 07 0000 0200 000c 0038 # TPKT 85, DT, userdata, parameter 12, data 56
  000112 08 12 84 01 02 05 01 0000               # seq 2, data unit ref 5, more fragments follow
  ff 09 0034                                     # 52 bytes
  001c 0000 0022 0004                            # SZL 0x001C, records of 34 bytes, 4 records
  0001 504c435f31 00000000000000000000000000000000000000 0000000000000000 # index 1: PLC name "PLC_1", NUL padded
  0002 4350552031353131                          # index 2: first 8 of "CPU 1511-1 PN" (record continues)
`;
const SZL_001C_PART2 = `
  03 00 007d 02 f0 80 32 07 0000 0300 000c 0060 # TPKT 125, DT, userdata, parameter 12, data 96
  000112 08 12 84 01 02 05 00 0000               # same data unit ref 5, last fragment
  ff 09 005c                                     # 92 bytes of continuation
  2d3120504e 00000000000000000000000000000000000000 # rest of index 2: "-1 PN" and 19 NULs
  0004 4f726967696e616c205369656d656e732045717569706d656e74 000000000000 # copyright (26 + 6 reserved)
  0005 5320562d4c3941423132333435 00000000000000000000000000000000000000 # serial "S V-L9AB12345"
`;

// S7comm-plus (S7-1200/1500) frame: protocol id 0x72, version 3, data length 4, data, trailer.
const S7_PLUS = '03 00 0013 02 f0 80  72 03 0004 31 00 04 ca  72 03 0000';

function observe(bytes: string, c = fromPlc): RecordingEmitter {
  const out = new RecordingEmitter();
  s7commDecoder.observe(s7commDecoder.decode(hex(bytes), c), c, out);
  return out;
}

describe('s7comm decoder', () => {
  it('sniffs TPKT/COTP', () => {
    expect(s7commDecoder.sniff(hex(COTP_CR), fromStation)).toBe(true);
    expect(s7commDecoder.sniff(hex(SZL_0011), fromPlc)).toBe(true);
    expect(s7commDecoder.sniff(hex('0001 0000 0006 01 03'), fromPlc)).toBe(false);
  });

  it('reads order number and firmware from SZL 0x0011', () => {
    const out = observe(SZL_0011);
    expect(out.values('s7.order_number', 'src')).toEqual(['6ES7 511-1AK02-0AB0']);
    expect(out.values('s7.firmware', 'src')).toEqual(['V 2.8.6']);
    expect(out.values('ot.role', 'src')).toEqual(['s7comm:server']);
  });

  it('joins a component list cut over two fragments', () => {
    const out = observe(`${SZL_001C_PART1} ${SZL_001C_PART2}`);
    expect(out.values('s7.plc_name')).toEqual(['PLC_1']);
    expect(out.values('s7.module_name')).toEqual(['CPU 1511-1 PN']);
    expect(out.values('s7.copyright')).toEqual(['Original Siemens Equipment']);
    expect(out.values('s7.serial')).toEqual(['S V-L9AB12345']);
  });

  it('keeps the complete records of a list whose last fragment is beyond the bytes', () => {
    const out = observe(SZL_001C_PART1);
    expect(out.values('s7.plc_name')).toEqual(['PLC_1']);
    expect(out.values('s7.module_name')).toEqual([]);
  });

  it('reads the connection request and names the station as client', () => {
    const pdu = s7commDecoder.decode(hex(COTP_CR), fromStation);
    expect(pdu.connects).toBe(1);
    const out = new RecordingEmitter();
    s7commDecoder.observe(pdu, fromStation, out);
    expect(out.observations).toEqual([{ about: 'src', key: 'ot.role', value: 's7comm:client' }]);
  });

  it('detects S7comm-plus and its version', () => {
    const out = observe(S7_PLUS);
    expect(out.values('s7.plus')).toEqual(['V3']);
  });

  it('names the PLC from its answers when the connection direction is unknown', () => {
    const unknown = ctx('tcp', {
      fromClient: null,
      src: { ...plc, port: 40000 },
      dst: { ...station, port: 40001 },
    });
    expect(observe(SZL_0011, unknown).values('ot.role', 'src')).toEqual(['s7comm:server']);
  });

  it('reads nothing from an SZL request', () => {
    const request = `
      03 00 0021 02 f0 80 32 07 0000 0500 0008 0008 # TPKT 33, userdata, parameter 8, data 8
      000112 04 11 44 01 00                         # request, CPU functions, read SZL, seq 0
      ff 09 0004 0011 0001                          # SZL id 0x0011, index 1
    `;
    const out = observe(request, fromStation);
    expect(out.values('s7.order_number')).toEqual([]);
    expect(out.values('ot.role')).toEqual(['s7comm:client']);
  });

  it('keeps the PDUs before a cut one', () => {
    const pdu = s7commDecoder.decode(hex(`${SZL_0011} 03 00 007d 02 f0`), fromPlc);
    expect(pdu.messages).toHaveLength(1);
    expect(pdu.stop).toBeInstanceOf(TruncatedError);
  });

  it('rejects ISO-on-TCP data that is not S7', () => {
    // COTP DT carrying an ISO 8327 session SPDU (MMS / IEC 61850), not S7.
    expectDecoderError(
      () => s7commDecoder.decode(hex('03 00 000b 02 f0 80 0d 02 01 00'), fromPlc),
      'decode',
      's7.protocol_id',
    );
  });

  describe('malformed input', () => {
    const cases: [string, string, string, ErrorType][] = [
      ['TPKT version not 3', '04 00 0007 02 f0 80', 'tpkt.version', 'decode'],
      ['TPKT length below 7', '03 00 0005 02 f0 80', 'tpkt.length', 'decode'],
      ['TPKT length past the bytes', '03 00 0040 02 f0 80 32 07', 'tpkt.packet', 'truncated'],
      ['COTP length indicator past the packet', '03 00 0007 09 f0 80', 'cotp.length', 'decode'],
      ['COTP type unknown', '03 00 0007 02 30 80', 'cotp.type', 'decode'],
      ['COTP parameter overrun', '03 00 000e 09 e0 0000 0001 00 c1 05 01', 'cotp.parameter', 'decode'],
      ['S7 message type unknown', '03 00 0011 02 f0 80 32 05 0000 0001 0000 0000', 's7.rosctr', 'decode'],
      ['S7 lengths beyond the TPDU', '03 00 0011 02 f0 80 32 01 0000 0001 0010 0000', 's7.length', 'decode'],
      [
        'SZL data length overrun',
        '03 00 0021 02 f0 80 32 07 0000 0500 000c 0004 000112 08 12 84 01 01 00 00 0000 ff 09 0040',
        'szl.length',
        'decode',
      ],
      [
        'SZL count overflow',
        `03 00 002d 02 f0 80 32 07 0000 0500 000c 0010 000112 08 12 84 01 01 00 00 0000
         ff 09 000c 0011 0000 001c 0009 0001 4142`,
        'szl.count',
        'decode',
      ],
      [
        'SZL record length above the cap',
        `03 00 002b 02 f0 80 32 07 0000 0500 000c 000e 000112 08 12 84 01 01 00 00 0000
         ff 09 000a 0011 0000 ffff 0001 0001`,
        'szl.record_length',
        'decode',
      ],
    ];
    for (const [name, bytes, field, type] of cases) {
      it(name, () => expectDecoderError(() => s7commDecoder.decode(hex(bytes), fromPlc), type, field));
    }
  });
});
