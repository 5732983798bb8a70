import { describe, expect, it } from 'vitest';
import { hartipDecoder } from '../../../agent/decode/hartip.js';
import { ctx, hex, RecordingEmitter } from './helpers.js';
import { type ErrorType, expectDecoderError } from './ot-helpers.js';

const fromGateway = ctx('tcp', { fromClient: false });
const fromHost = ctx('tcp', { fromClient: true });

// HART-IP messages (HCF_SPEC-085 header: version, type, id, status, sequence, byte count).
const SESSION_INITIATE = '01 00 00 00 0001 000d  01 00007530'; // request: master type 1, inactivity 30 000 ms
const SESSION_INITIATE_OK = '01 01 00 00 0001 000d  01 00007530'; // response, status 0
const KEEP_ALIVE_OK = '01 01 02 00 0002 0008'; // response to keep-alive, no body
// Pass-through request carrying HART command 0 (read unique identifier) to a long address.
const PASS_THROUGH = '01 00 03 00 0003 0011  82 264e0000d2 00 00 38';

function observe(bytes: string, c = fromGateway): RecordingEmitter {
  const out = new RecordingEmitter();
  hartipDecoder.observe(hartipDecoder.decode(hex(bytes), c), c, out);
  return out;
}

describe('hartip decoder', () => {
  it('sniffs the HART-IP header', () => {
    expect(hartipDecoder.sniff(hex(SESSION_INITIATE), fromHost)).toBe(true);
    expect(hartipDecoder.sniff(hex('03 00 00 00 0001 000d 01'), fromHost)).toBe(false);
  });

  it('names the server and the message types it serves', () => {
    const out = observe(`${SESSION_INITIATE_OK} ${KEEP_ALIVE_OK}`);
    expect(out.values('ot.role', 'src')).toEqual(['hartip:server']);
    expect(out.values('hartip.present', 'src')).toEqual(['response:session-initiate', 'response:keep-alive']);
  });

  it('names the client from its requests', () => {
    const pdu = hartipDecoder.decode(hex(`${SESSION_INITIATE} ${PASS_THROUGH}`), fromHost);
    expect(pdu.messages.map((m) => m.messageId)).toEqual([0, 3]);
    expect(pdu.messages[1]!.body).toEqual(hex('82 264e0000d2 00 00 38'));
    const out = new RecordingEmitter();
    hartipDecoder.observe(pdu, fromHost, out);
    expect(out.observations).toEqual([{ about: 'src', key: 'ot.role', value: 'hartip:client' }]);
  });

  it('keeps messages before a cut one', () => {
    expect(hartipDecoder.decode(hex(`${KEEP_ALIVE_OK} 01 01 03 00`), fromGateway).messages).toHaveLength(1);
  });

  describe('malformed input', () => {
    const cases: [string, string, string, ErrorType][] = [
      ['header cut', '01 01 00 00', 'header', 'truncated'],
      ['unknown version', '07 01 00 00 0001 0008', 'header.version', 'decode'],
      ['unknown message type', '01 09 00 00 0001 0008', 'header.type', 'decode'],
      ['unknown message id', '01 01 20 00 0001 0008', 'header.id', 'decode'],
      ['byte count below the header', '01 01 00 00 0001 0004', 'header.byte_count', 'decode'],
      ['byte count past the bytes', '01 01 00 00 0001 0040 01', 'body', 'truncated'],
    ];
    for (const [name, bytes, field, type] of cases) {
      it(name, () => expectDecoderError(() => hartipDecoder.decode(hex(bytes), fromGateway), type, field));
    }
  });
});
