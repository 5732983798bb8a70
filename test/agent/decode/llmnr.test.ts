import { describe, expect, it } from 'vitest';
import { TruncatedError } from '../../../agent/decode/errors.js';
import { llmnrDecoder } from '../../../agent/decode/llmnr.js';
import { ctx, hex, RecordingEmitter } from './helpers.js';
import { LLMNR_QUERY, LLMNR_RESPONSE } from './seeds/llmnr.seeds.js';

const responder = ctx('udp', { src: { mac: '00:1b:1b:00:00:01', ip: '192.168.0.10', port: 5355 } });
const asker = ctx('udp', { dst: { mac: '01:00:5e:00:00:fc', ip: '224.0.0.252', port: 5355 } });

function run(bytes: Uint8Array, c = responder): RecordingEmitter {
  const out = new RecordingEmitter();
  llmnrDecoder.observe(llmnrDecoder.decode(bytes, c), c, out);
  return out;
}

describe('llmnr decoder', () => {
  it('sniffs port 5355 with exactly one question', () => {
    expect(llmnrDecoder.sniff(LLMNR_RESPONSE, responder)).toBe(true);
    expect(llmnrDecoder.sniff(LLMNR_QUERY, asker)).toBe(true);
    expect(llmnrDecoder.sniff(LLMNR_RESPONSE, ctx('udp'))).toBe(false);
    const two = Uint8Array.from(LLMNR_QUERY);
    two[5] = 2;
    expect(llmnrDecoder.sniff(two, asker)).toBe(false);
  });

  it('names the responder with the name it answered for', () => {
    expect(run(LLMNR_RESPONSE).observations).toEqual([
      { about: 'src', key: 'llmnr.name', value: 'DESKTOP-7QK2V1P' },
    ]);
  });

  it('learns nothing from a query: the asker is not the name', () => {
    expect(run(LLMNR_QUERY, asker).observations).toEqual([]);
  });

  it('ignores a response with the conflict flag or without an answer for the name', () => {
    const conflict = Uint8Array.from(LLMNR_RESPONSE);
    conflict[2] = 0x84; // QR|C
    expect(run(conflict).observations).toEqual([]);
    const other = Uint8Array.from(LLMNR_RESPONSE);
    other[36] = 0x0a; // the answer's type A → NULL: no address record for the name
    const out = run(other);
    expect(out.observations).toEqual([]);
  });

  it('throws TruncatedError on a cut header and reports a cut answer', () => {
    expect(() => llmnrDecoder.decode(hex('8c21 8000 00'), responder)).toThrow(TruncatedError);
    const out = run(LLMNR_RESPONSE.subarray(0, LLMNR_RESPONSE.length - 2));
    expect(out.anomalies).toEqual(['llmnr.truncated']);
    expect(out.observations).toEqual([]);
  });
});
