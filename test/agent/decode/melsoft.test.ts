import { describe, expect, it } from 'vitest';
import { melsoftDecoder, melsoftModel } from '../../../agent/decode/melsoft.js';
import { ctx, hex, RecordingEmitter } from './helpers.js';
import { type ErrorType, expectDecoderError } from './ot-helpers.js';

const plc = { mac: '10:4b:46:00:00:01', ip: '192.168.3.250', port: 5560 };
const station = { mac: '00:1b:1b:00:00:01', ip: '192.168.3.10', port: 61000 };
const fromPlc = ctx('udp', { src: plc, dst: station });
const fromStation = ctx('udp', { src: station, dst: plc });

// Frames built from the layout documented in agent/decode/melsoft.ts (values are ours, not a capture's).
const OPEN_REQUEST = `
  57 01 05 000000000000 00 ff ff03 000000000000 # request, byte 1, sequence 5, network 0, unit 0xff, I/O 0x03ff
  2000                                          # 32 bytes follow the 21-byte header
  1c 0a 16 ${'00'.repeat(21)}                   # command header: request type, 0x16 = bytes from here on
  0121 0700 0000                                # command 0x0121 (Open Initial), reference 7, two zero bytes
  0001                                          # command data
`;
const OPEN_RESPONSE = `
  d7 01 05 000000000000 00 ff ff03 000000000000 # response
  3800                                          # 56 bytes follow
  9c 0a 18 00 0000 ${'00'.repeat(20)}           # command header: response type, 0x18, status 0 at byte 4
  0121 0700 0000                                # command and reference echoed
  46583555432d33324d542f4400000000              # CPU model "FX5UC-32MT/D", NUL padded to 16
  0000 000000000000                             # model code and the rest
`;

function observe(bytes: string, c = fromPlc): RecordingEmitter {
  const out = new RecordingEmitter();
  melsoftDecoder.observe(melsoftDecoder.decode(hex(bytes), c), c, out);
  return out;
}

describe('melsoft decoder', () => {
  it('sniffs command frames by their length field, and the discovery probe', () => {
    expect(melsoftDecoder.sniff(hex(OPEN_REQUEST), fromStation)).toBe(true);
    expect(melsoftDecoder.sniff(hex('5a 00 00 01'), fromStation)).toBe(true);
    expect(melsoftDecoder.sniff(hex(`${OPEN_REQUEST} 00`), fromStation)).toBe(false);
  });

  it('reads the command and echoed reference', () => {
    const request = melsoftDecoder.decode(hex(OPEN_REQUEST), fromStation);
    const response = melsoftDecoder.decode(hex(OPEN_RESPONSE), fromPlc);
    expect(request).toMatchObject({ kind: 'command', response: false, command: 0x0121, reference: 7 });
    expect(response).toMatchObject({
      kind: 'command',
      response: true,
      command: 0x0121,
      reference: 7,
      status: 0,
    });
  });

  it('reads the CPU model from the Open Initial answer', () => {
    const out = observe(OPEN_RESPONSE);
    expect(out.values('melsoft.model', 'src')).toEqual(['FX5UC-32MT/D']);
    expect(out.values('ot.role', 'src')).toEqual(['melsoft:server']);
  });

  it('takes no model from other commands, failed answers or binary data', () => {
    const other = melsoftDecoder.decode(hex(OPEN_RESPONSE.replace('0121 0700', '0410 0700')), fromPlc);
    expect(melsoftModel(other)).toBeNull();
    const failed = melsoftDecoder.decode(
      hex(OPEN_RESPONSE.replace('9c 0a 18 00 0000', '9c 0a 18 00 5bc0')),
      fromPlc,
    );
    expect(melsoftModel(failed)).toBeNull();
    const binary = melsoftDecoder.decode(hex(OPEN_RESPONSE.replace('46583555432d', '00ff3555432d')), fromPlc);
    expect(melsoftModel(binary)).toBeNull();
  });

  it('names the two sides of discovery', () => {
    expect(observe('5a 00 00 01', fromStation).values('ot.role')).toEqual(['melsoft:client']);
    expect(observe('da 00 00 01 14 00 c0a8030a', fromPlc).values('ot.role')).toEqual(['melsoft:server']);
  });

  describe('malformed input', () => {
    const cases: [string, string, string, ErrorType][] = [
      ['too short', '57 01', 'frame.type', 'truncated'],
      ['unknown first byte', '58 01 00 00', 'frame.type', 'decode'],
      ['discovery with non-zero header', '5a 01 00 01', 'discovery.header', 'decode'],
      ['header cut', '57 01 05 00000000 0000', 'frame.header', 'truncated'],
      ['length field mismatch', OPEN_REQUEST.replace('2000', '2100'), 'frame.length', 'decode'],
      [
        'request/response bit differs',
        OPEN_REQUEST.replace('1c 0a 16', '9c 0a 16'),
        'command_header.type',
        'decode',
      ],
      [
        'command header size overrun',
        OPEN_REQUEST.replace('1c 0a 16', '1c 0a 40'),
        'command_header.size',
        'decode',
      ],
    ];
    for (const [name, bytes, field, type] of cases) {
      it(name, () => expectDecoderError(() => melsoftDecoder.decode(hex(bytes), fromStation), type, field));
    }
  });
});
