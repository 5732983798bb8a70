import { describe, expect, it } from 'vitest';
import { melsecDecoder } from '../../../agent/decode/melsec.js';
import { ctx, hex, RecordingEmitter } from './helpers.js';
import { type ErrorType, expectDecoderError } from './ot-helpers.js';

const fromCpu = ctx('tcp', { fromClient: false });
const fromStation = ctx('tcp', { fromClient: true });

// SLMP binary 3E frames (SH-080956ENG §4.1): Read Type Name (0101) request and response from an iQ-R CPU.
const REQUEST_3E = `
  5000        # subheader: 3E request
  00 ff 03ff 00 # network 0, station 0xff (own), module I/O 0x03ff (CPU), multidrop 0
  0600        # data length 6
  1000        # monitoring timer 16 × 250 ms
  0101 0000   # command 0101 (Read Type Name), subcommand 0000
`;
const RESPONSE_3E = `
  d000 00 ff 03ff 00 # subheader: 3E response, same routing
  1400               # data length 20: end code + 18 bytes
  0000               # end code: normal completion
  52303443505520202020202020202020 # model name "R04CPU", space padded to 16
  0048               # model code 0x4800
`;
// The 4E response adds a serial number (0x1234) and two reserved bytes after the subheader.
const RESPONSE_4E = RESPONSE_3E.replace('d000 00 ff', 'd400 3412 0000 00 ff');

function observe(bytes: string, c = fromCpu): RecordingEmitter {
  const out = new RecordingEmitter();
  melsecDecoder.observe(melsecDecoder.decode(hex(bytes), c), c, out);
  return out;
}

describe('melsec decoder', () => {
  it('sniffs 3E and 4E binary frames', () => {
    expect(melsecDecoder.sniff(hex(REQUEST_3E), fromStation)).toBe(true);
    expect(melsecDecoder.sniff(hex(RESPONSE_4E), fromCpu)).toBe(true);
    expect(melsecDecoder.sniff(hex('5001 00 ff 03ff 00 0600 1000'), fromStation)).toBe(false);
  });

  it('reads a request', () => {
    const pdu = melsecDecoder.decode(hex(REQUEST_3E), fromStation);
    expect(pdu.messages[0]).toMatchObject({ response: false, command: 0x0101, subcommand: 0 });
    expect(observe(REQUEST_3E, fromStation).observations).toEqual([
      { about: 'src', key: 'ot.role', value: 'melsec:client' },
    ]);
  });

  it('reads the CPU model from 3E and 4E responses', () => {
    for (const bytes of [RESPONSE_3E, RESPONSE_4E]) {
      const out = observe(bytes);
      expect(out.values('melsec.cpu_model', 'src')).toEqual(['R04CPU']);
      expect(out.values('ot.role', 'src')).toEqual(['melsec:server']);
    }
    expect(melsecDecoder.decode(hex(RESPONSE_4E), fromCpu).messages[0]!.serial).toBe(0x1234);
  });

  it('takes no model from responses of another shape', () => {
    const words = 'd000 00 ff 03ff 00 1400 0000 0100 0200 0300 0400 0500 0600 0700 0800 0900'; // 9 device words
    expect(observe(words).values('melsec.cpu_model')).toEqual([]);
    const error = 'd000 00 ff 03ff 00 0b00 5bc0 00 ff 03ff 00 0101 0000'; // end code 0xc05b with error info
    expect(observe(error).values('melsec.cpu_model')).toEqual([]);
  });

  it('reads back-to-back frames of a TCP direction', () => {
    const pdu = melsecDecoder.decode(hex(`${RESPONSE_3E} ${RESPONSE_3E} d000`), fromCpu);
    expect(pdu.messages).toHaveLength(2);
  });

  describe('malformed input', () => {
    const cases: [string, string, string, ErrorType][] = [
      ['unknown subheader', '6000 00 ff 03ff 00 0200 0000', 'subheader', 'decode'],
      ['4E serial cut', '5400 34', 'serial', 'truncated'],
      ['header cut', '5000 00 ff 03', 'header', 'truncated'],
      ['request data length below 6', '5000 00 ff 03ff 00 0400 1000 0101', 'data_length', 'decode'],
      ['data length above the cap', 'd000 00 ff 03ff 00 ffff 0000', 'data_length', 'decode'],
      ['data past the bytes', 'd000 00 ff 03ff 00 1400 0000 5230', 'data', 'truncated'],
    ];
    for (const [name, bytes, field, type] of cases) {
      it(name, () => expectDecoderError(() => melsecDecoder.decode(hex(bytes), fromCpu), type, field));
    }
  });
});
