import { describe, expect, it } from 'vitest';
import { TruncatedError } from '../../../agent/decode/errors.js';
import { modbusDecoder, serverIdText } from '../../../agent/decode/modbus.js';
import { ctx, hex, RecordingEmitter } from './helpers.js';
import { type ErrorType, expectDecoderError } from './ot-helpers.js';

// Server → client direction of a Modbus/TCP connection (the server answers on 502).
const fromServer = ctx('tcp', {
  fromClient: false,
  src: { mac: '00:80:f4:00:00:01', ip: '10.0.0.5', port: 502 },
  dst: { mac: '00:1b:1b:00:00:01', ip: '10.0.0.9', port: 49152 },
});
const fromClient = ctx('tcp', { fromClient: true, dst: { mac: null, ip: '10.0.0.5', port: 502 } });

// Read Device Identification response (MAP V1.1b3 §6.21), basic level, three objects.
const DEVICE_ID = `
  0001 0000 0030 01    # MBAP: transaction 1, protocol 0, length 0x30 (unit id + 47 PDU bytes), unit 1
  2b 0e 01 01 00 00 03 # FC 43, MEI 14, code 1 (basic), conformity 1, more follows 0, next id 0, 3 objects
  00 12 5363686e656964657220456c656374726963 # object 0 VendorName, 18 bytes "Schneider Electric"
  01 0a 424d5850333432303230                 # object 1 ProductCode, 10 bytes "BMXP342020"
  02 06 7630322e3930                         # object 2 MajorMinorRevision, 6 bytes "v02.90"
`;

// Report Server ID response (§6.13): byte count 18, server id 0x00, run indicator 0xff, "Wingpath Limited".
const SERVER_ID = '0000 0000 0015 0a  11 12 00 ff 57696e6770617468204c696d69746564';

describe('modbus decoder', () => {
  it('sniffs MBAP and rejects other bytes', () => {
    expect(modbusDecoder.sniff(hex(SERVER_ID), fromServer)).toBe(true);
    expect(modbusDecoder.sniff(hex('0300002102f080'), fromServer)).toBe(false);
    expect(modbusDecoder.sniff(new Uint8Array(3), fromServer)).toBe(false);
    // A HART-IP header also has zeros where MBAP's protocol id is; function code 13 is not defined.
    expect(modbusDecoder.sniff(hex('01 01 00 00 0002 000d 01 00007530'), fromServer)).toBe(false);
    // A second frame must also carry protocol id 0.
    expect(modbusDecoder.sniff(hex('0001 0000 0003 01 08 00 0002 0005 0003 01 08 00'), fromServer)).toBe(
      false,
    );
    expect(modbusDecoder.sniff(hex('0001 0000 0003 01 08 00 0002 0000 0003 01 08 00'), fromServer)).toBe(
      true,
    );
  });

  it('reads 43/14 objects from a response', () => {
    const pdu = modbusDecoder.decode(hex(DEVICE_ID), fromServer);
    expect(pdu.messages).toHaveLength(1);
    const out = new RecordingEmitter();
    modbusDecoder.observe(pdu, fromServer, out);
    expect(out.values('modbus.vendor', 'src')).toEqual(['Schneider Electric']);
    expect(out.values('modbus.product_code')).toEqual(['BMXP342020']);
    expect(out.values('modbus.revision')).toEqual(['v02.90']);
    expect(out.values('modbus.unit_id')).toEqual([1]);
    expect(out.values('modbus.function')).toEqual([43]);
    expect(out.values('ot.role', 'src')).toEqual(['modbus:server']);
  });

  it('reads the Report Server ID text and every frame of a buffer', () => {
    const two = hex(`${SERVER_ID} 0002 0000 0006 0a 03 04 0000 0001`); // + FC 3 response, 4 bytes
    const pdu = modbusDecoder.decode(two, fromServer);
    expect(pdu.messages.map((m) => m.functionCode)).toEqual([17, 3]);
    const out = new RecordingEmitter();
    modbusDecoder.observe(pdu, fromServer, out);
    expect(out.values('modbus.server_id')).toEqual(['Wingpath Limited']);
    expect(out.values('modbus.function')).toEqual([17, 3]);
    expect(out.values('modbus.unit_id')).toEqual([10]); // repeated unit ids are reported once
  });

  it('reports other and private 43/14 objects with their id', () => {
    const bytes = hex(`
      0001 0000 0012 01  2b 0e 03 83 00 00 02  # extended, 2 objects
      06 04 4c 69 6e 65              # 0x06 UserApplicationName "Line"
      80 02 53 4e                    # 0x80 private "SN"
    `);
    const out = new RecordingEmitter();
    modbusDecoder.observe(modbusDecoder.decode(bytes, fromServer), fromServer, out);
    expect(out.values('modbus.device_object')).toEqual(['0x06=Line', '0x80=SN']);
  });

  it('does not count exception responses as answered functions', () => {
    const bytes = hex('0007 0000 0003 01 ab 01'); // FC 43 | 0x80, exception 1 (illegal function)
    const out = new RecordingEmitter();
    modbusDecoder.observe(modbusDecoder.decode(bytes, fromServer), fromServer, out);
    expect(out.values('modbus.function')).toEqual([]);
    expect(out.values('modbus.unit_id')).toEqual([1]);
  });

  it('reports each unit and function of a polling run once, and every server id', () => {
    const bytes = hex(`
      0001 0000 0005 01 03 02 0000  # unit 1, FC 3
      0002 0000 0005 01 03 02 0000  # the same poll again
      0003 0000 0005 02 03 02 0000  # unit 2, FC 3
      0004 0000 0003 01 83 02       # unit 1, FC 3 exception
      0005 0000 0005 01 03 02 0000  # unit 1, FC 3 again
      ${SERVER_ID}
      0006 0000 0013 0a  11 10 00 ff 4f74686572204c696d6974656420 # the same unit and FC, another id
      0007 0000 0005 01 04 02 0000  # unit 1, FC 4
    `);
    const out = new RecordingEmitter();
    const pdu = modbusDecoder.decode(bytes, fromServer);
    expect(pdu.messages.map((m) => [m.transactionId, m.unitId, m.functionCode])).toEqual([
      [1, 1, 3],
      [2, 1, 3],
      [3, 2, 3],
      [4, 1, 0x83],
      [5, 1, 3],
      [0, 10, 17],
      [6, 10, 17],
      [7, 1, 4],
    ]);
    expect([...pdu.messages[3]!.data]).toEqual([2]);
    modbusDecoder.observe(pdu, fromServer, out);
    expect(out.values('modbus.unit_id')).toEqual([1, 2, 10]);
    expect(out.values('modbus.function')).toEqual([3, 17, 4]);
    expect(out.values('modbus.server_id')).toEqual(['Wingpath Limited', 'Other Limited']);
  });

  it('reads no identity from a client frame, even one of response size', () => {
    // 43/14 request with a stray trailing byte, as a test tool sent it.
    const pdu = modbusDecoder.decode(hex('0001 0000 0006 0a 2b 0e 03 01 00'), fromClient);
    expect(pdu.messages[0]!.deviceId).toBeNull();
  });

  it('reads a 43/14 response by its size when the direction is unknown', () => {
    const unknown = ctx('tcp', { fromClient: null });
    const pdu = modbusDecoder.decode(hex(DEVICE_ID), unknown);
    const out = new RecordingEmitter();
    modbusDecoder.observe(pdu, unknown, out);
    expect(out.values('modbus.vendor', 'src')).toEqual(['Schneider Electric']);
    expect(out.values('ot.role', 'src')).toEqual(['modbus:server']);
  });

  it('names the client side and reads no identity from requests', () => {
    const request = hex('0001 0000 0005 01 2b 0e 01 00'); // 43/14 request, basic, from object 0
    const pdu = modbusDecoder.decode(request, fromClient);
    expect(pdu.messages[0]!.deviceId).toBeNull();
    const out = new RecordingEmitter();
    modbusDecoder.observe(pdu, fromClient, out);
    expect(out.observations).toEqual([{ about: 'src', key: 'ot.role', value: 'modbus:client' }]);
  });

  it('keeps complete frames when the buffer ends inside the next one', () => {
    const pdu = modbusDecoder.decode(hex(`${SERVER_ID} 0002 0000 0006 0a 03`), fromServer);
    expect(pdu.messages).toHaveLength(1);
    expect(pdu.stop).toBeInstanceOf(TruncatedError);
  });

  it('keeps good frames before a malformed one and counts an anomaly', () => {
    const pdu = modbusDecoder.decode(hex(`${SERVER_ID} 0002 0001 0006 0a 03 04 0000 0001`), fromServer);
    expect(pdu.messages).toHaveLength(1);
    const out = new RecordingEmitter();
    modbusDecoder.observe(pdu, fromServer, out);
    expect(out.anomalies).toEqual(['modbus.malformed_message']);
    expect(out.values('modbus.server_id')).toEqual(['Wingpath Limited']);
  });

  describe('malformed input', () => {
    const cases: [string, string, string, ErrorType][] = [
      ['MBAP protocol id not 0', '0001 0001 0006 01 03 04 0000', 'mbap.protocol_id', 'decode'],
      ['MBAP length below 2', '0001 0000 0001 01 03', 'mbap.length', 'decode'],
      ['MBAP length above 254', '0001 0000 00ff 01 03', 'mbap.length', 'decode'],
      ['MBAP length past the bytes', '0001 0000 0010 01 03 04 0000', 'mbap.pdu', 'truncated'],
      ['header cut', '0001 0000 00', 'mbap.header', 'truncated'],
      ['function code 0', '0001 0000 0002 01 00', 'pdu.function', 'decode'],
      ['43/14 header cut', '0001 0000 0006 01 2b 0e 01 01 00', 'mei.header', 'decode'],
      ['43/14 object count overflow', '0001 0000 0009 01 2b 0e 01 01 00 00 05 00 00', 'mei.count', 'decode'],
      [
        '43/14 object length overrun',
        '0001 0000 000b 01 2b 0e 01 01 00 00 01 00 09 41 42',
        'mei.object_length',
        'decode',
      ],
    ];
    for (const [name, bytes, field, type] of cases) {
      it(name, () => expectDecoderError(() => modbusDecoder.decode(hex(bytes), fromServer), type, field));
    }
  });

  it('finds no server id text in binary-only data', () => {
    expect(serverIdText(hex('03 01 ff 02'))).toBeNull();
    expect(serverIdText(hex('09'))).toBeNull();
  });
});
