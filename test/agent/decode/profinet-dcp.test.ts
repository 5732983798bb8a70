import { describe, expect, it } from 'vitest';
import { profinetDcpDecoder } from '../../../agent/decode/profinet-dcp.js';
import { ctx, hex, RecordingEmitter } from './helpers.js';
import { type ErrorType, expectDecoderError } from './ot-helpers.js';

const link = ctx('link', { ethertype: 0x8892 });

// DCP Identify response (IEC 61158-6-10 §4.3.1.3) from an ET 200SP interface module.
const IDENTIFY_RESPONSE = `
  feff 05 01 00000001 0000 0042    # FrameID Identify response, Identify, response-success, Xid 1, reserved, 66 bytes
  0201 000a 0000 4554203230305350  # DeviceProperties/DeviceVendorValue, BlockInfo 0, "ET 200SP"
  0202 000b 0000 657432303073702d31 00 # DeviceProperties/NameOfStation, "et200sp-1", one pad byte
  0203 0006 0000 002a 0313         # DeviceProperties/DeviceID: vendor 0x002a, device 0x0313
  0204 0004 0000 01 00             # DeviceProperties/DeviceRole: IO-Device, reserved
  0102 000e 0001 c0a80014 ffffff00 c0a80001 # IP/IP parameter, BlockInfo "IP set": 192.168.0.20/24 gw .1
`;

// DCP Set request (NameOfStation) from an engineering station, with a junk format-string name.
const SET_NAME = `
  fefd 04 00 00000002 0000 000c    # FrameID Get/Set, Set, request, Xid 2, 12 bytes
  0202 0008 0001 256e256e256e      # NameOfStation, BlockQualifier 1 (permanent), "%n%n%n"
`;

function observe(bytes: string): RecordingEmitter {
  const out = new RecordingEmitter();
  profinetDcpDecoder.observe(profinetDcpDecoder.decode(hex(bytes), link), link, out);
  return out;
}

describe('profinet-dcp decoder', () => {
  it('sniffs DCP frame ids only', () => {
    expect(profinetDcpDecoder.sniff(hex(IDENTIFY_RESPONSE), link)).toBe(true);
    expect(profinetDcpDecoder.sniff(hex('8000 0102030405060708090a0b0c'), link)).toBe(false); // cyclic RT data
  });

  it('reads an Identify response about its sender', () => {
    const out = observe(IDENTIFY_RESPONSE);
    expect(out.values('profinet.vendor_value', 'src')).toEqual(['ET 200SP']);
    expect(out.values('profinet.name_of_station', 'src')).toEqual(['et200sp-1']);
    expect(out.values('profinet.vendor_id', 'src')).toEqual(['0x002a']);
    expect(out.values('profinet.device_id', 'src')).toEqual(['0x0313']);
    expect(out.values('profinet.device_role', 'src')).toEqual(['IO-Device']);
    expect(out.values('profinet.ip', 'src')).toEqual(['192.168.0.20']);
    expect(out.values('ot.role', 'src')).toEqual(['profinet-dcp:server']);
  });

  it('reads a Set request about its target and keeps a format-string name as inert text', () => {
    const out = observe(SET_NAME);
    expect(out.values('profinet.name_of_station', 'dst')).toEqual(['%n%n%n']);
    expect(out.values('profinet.name_of_station', 'src')).toEqual([]);
    expect(out.values('ot.role', 'src')).toEqual(['profinet-dcp:client']);
  });

  it('strips NUL padding from a name block', () => {
    const padded = 'feff 05 01 00000003 0000 000e 0202 000a 0000 706c6331 00000000';
    expect(observe(padded).values('profinet.name_of_station')).toEqual(['plc1']);
  });

  it('reads no station blocks from an Identify request', () => {
    const request = 'fefe 05 00 00000004 0001 0004 ffff 0000'; // AllSelector filter
    const pdu = profinetDcpDecoder.decode(hex(request), link);
    expect(pdu.blocks).toEqual([]);
    const out = new RecordingEmitter();
    profinetDcpDecoder.observe(pdu, link, out);
    expect(out.observations).toEqual([{ about: 'src', key: 'ot.role', value: 'profinet-dcp:client' }]);
  });

  it('reads no address from an unset IP block', () => {
    const unset = 'feff 05 01 00000005 0000 0012 0102 000e 0000 00000000 00000000 00000000';
    expect(observe(unset).values('profinet.ip')).toEqual([]);
  });

  describe('malformed input', () => {
    const cases: [string, string, string, ErrorType][] = [
      ['header cut', 'feff 05 01 0000', 'dcp.header', 'truncated'],
      ['not a DCP frame id', '8000 05 01 00000001 0000 0000', 'dcp.frame_id', 'decode'],
      ['unknown service', 'feff 09 01 00000001 0000 0000', 'dcp.service_id', 'decode'],
      ['data length past the frame', 'feff 05 01 00000001 0000 0040 0202', 'dcp.data_length', 'truncated'],
      ['cut block header', 'feff 05 01 00000001 0000 0002 0202', 'dcp.block', 'decode'],
      ['block length overrun', 'feff 05 01 00000001 0000 0006 0202 0010 0000', 'dcp.block_length', 'decode'],
      [
        'block without BlockInfo',
        'feff 05 01 00000001 0000 0006 0202 0001 41 00',
        'dcp.block_length',
        'decode',
      ],
    ];
    for (const [name, bytes, field, type] of cases) {
      it(name, () => expectDecoderError(() => profinetDcpDecoder.decode(hex(bytes), link), type, field));
    }
  });
});
