import { describe, expect, it } from 'vitest';
import { dnp3Crc, dnp3Decoder } from '../../../agent/decode/dnp3.js';
import { ctx, hex, RecordingEmitter } from './helpers.js';
import { type ErrorType, expectDecoderError } from './ot-helpers.js';

const fromMaster = ctx('tcp', { fromClient: true });
const fromOutstation = ctx('tcp', { fromClient: false });

// IEEE 1815-2012 §9.2.4 link frames (CRCs computed with the §9.2.4.2.3 polynomial).
const READ_REQUEST = `
  0564 0b c4 0a00 0100 acd1  # start, length 11, control DIR|PRM|unconfirmed user data, dst 10, src 1, CRC
  c0c1013c0106 f973          # transport FIR|FIN, app request: read class 0 (group 60 var 1), block CRC
`;
const RESPONSE = `
  0564 18 44 0100 0a00 187b  # length 24, control PRM (DIR clear: outstation), dst 1, src 10, CRC
  c1c18100001e02000100000001020304 ddf4 # first 16-byte user data block and its CRC
  050607 122f                # last 3-byte block and its CRC
`;
const LINK_STATUS = '0564 05 c9 0a00 0100 feda'; // request link status, no user data

function observe(bytes: string, c = fromOutstation): RecordingEmitter {
  const out = new RecordingEmitter();
  dnp3Decoder.observe(dnp3Decoder.decode(hex(bytes), c), c, out);
  return out;
}

describe('dnp3 decoder', () => {
  it('computes the DNP3 CRC', () => {
    const header = hex('0564 0b c4 0a00 0100');
    expect(dnp3Crc(header, 0, header.length)).toBe(0xd1ac);
  });

  it('sniffs the start bytes', () => {
    expect(dnp3Decoder.sniff(hex(READ_REQUEST), fromMaster)).toBe(true);
    expect(dnp3Decoder.sniff(hex('0565 0b c4 0a00 0100 acd1'), fromMaster)).toBe(false);
  });

  it('names the master by the DIR bit and both addresses', () => {
    const out = observe(`${READ_REQUEST} ${LINK_STATUS}`, fromMaster);
    expect(out.values('ot.role', 'src')).toEqual(['dnp3:client']);
    expect(out.values('dnp3.address', 'src')).toEqual([1]);
    expect(out.values('dnp3.address', 'dst')).toEqual([10]);
  });

  it('names the outstation and checks every user data block', () => {
    const pdu = dnp3Decoder.decode(hex(RESPONSE), fromOutstation);
    expect(pdu.messages).toEqual([
      { fromMaster: false, primary: true, functionCode: 4, destination: 1, source: 10, dataCrcOk: true },
    ]);
    const out = observe(RESPONSE);
    expect(out.values('ot.role', 'src')).toEqual(['dnp3:server']);
    expect(out.values('dnp3.address', 'src')).toEqual([10]);
    expect(out.anomalies).toEqual([]);
  });

  it('counts a bad user data CRC as an anomaly', () => {
    const out = observe(RESPONSE.replace('ddf4', 'ddf5'));
    expect(out.anomalies).toEqual(['dnp3.data_crc']);
    expect(out.values('dnp3.address', 'src')).toEqual([10]);
  });

  it('does not report a broadcast destination as an address', () => {
    const out = observe('0564 0b c4 ffff 0100 9f0f c0c1013c0106 f973', fromMaster);
    expect(out.values('dnp3.address', 'dst')).toEqual([]);
  });

  it('keeps the frames before a cut one', () => {
    const pdu = dnp3Decoder.decode(hex(`${LINK_STATUS} 0564 18 44 0100`), fromMaster);
    expect(pdu.messages).toHaveLength(1);
  });

  describe('malformed input', () => {
    const cases: [string, string, string, ErrorType][] = [
      ['bad start bytes', '0565 05 c9 0a00 0100 feda', 'link.start', 'decode'],
      ['one byte', '05', 'link.start', 'truncated'],
      ['header cut', '0564 05 c9 0a00', 'link.header', 'truncated'],
      ['length below 5', '0564 04 c9 0a00 0100 feda', 'link.length', 'decode'],
      ['header CRC mismatch', '0564 05 c9 0a00 0100 fedb', 'link.crc', 'decode'],
      ['user data past the bytes', '0564 0b c4 0a00 0100 acd1 c0c1', 'link.frame', 'truncated'],
    ];
    for (const [name, bytes, field, type] of cases) {
      it(name, () => expectDecoderError(() => dnp3Decoder.decode(hex(bytes), fromMaster), type, field));
    }
  });
});
