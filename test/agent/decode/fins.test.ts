import { describe, expect, it } from 'vitest';
import { finsDecoder } from '../../../agent/decode/fins.js';
import { ctx, hex, RecordingEmitter } from './helpers.js';
import { type ErrorType, expectDecoderError } from './ot-helpers.js';

const plc = { mac: '00:00:0a:00:00:01', ip: '192.168.250.1', port: 9600 };
const station = { mac: '00:1b:1b:00:00:01', ip: '192.168.250.10', port: 9600 };
const udpFromPlc = ctx('udp', { src: plc, dst: station });
const udpFromStation = ctx('udp', { src: station, dst: plc });
const tcpFromPlc = ctx('tcp', { fromClient: false, src: plc, dst: { ...station, port: 50000 } });

// Controller Data Read (0501) command, parameter 00: model and version (W227 §5-3-1).
const READ_COMMAND = `
  80 00 02        # ICF command (response required), RSV, GCT 2
  00 01 00        # destination: network 0, node 1, unit 0 (CPU)
  00 0a 00        # source: network 0, node 10, unit 0
  22              # SID
  05 01 00        # MRC 05 SRC 01, parameter 00 (model and version)
`;
const READ_RESPONSE = `
  c0 00 02 00 0a 00 00 01 00 22  # ICF response, RSV, GCT, destination node 10, source node 1, SID
  05 01 00 00                    # command 0501, end code 0000 (normal completion)
  434a324d2d435055333320202020202020202020 # controller model "CJ2M-CPU33", space padded to 20
  30322e3031202020202020202020202020202020 # controller version "02.01"
  ${'00'.repeat(40)}             # for system use
  0020 0000 0008 00 00 00 00     # program area, IOM, DM words, timers, EM, memory card…
`;
// The same response inside FINS/TCP (W421 §7-3): "FINS", length, command 2 (FINS frame), error 0.
const TCP_RESPONSE = `46494e53 00000070 00000002 00000000 ${READ_RESPONSE}`;

function observe(bytes: string, c: ReturnType<typeof ctx>): RecordingEmitter {
  const out = new RecordingEmitter();
  finsDecoder.observe(finsDecoder.decode(hex(bytes), c), c, out);
  return out;
}

describe('fins decoder', () => {
  it('sniffs FINS over UDP and FINS/TCP', () => {
    expect(finsDecoder.sniff(hex(READ_COMMAND), udpFromStation)).toBe(true);
    expect(finsDecoder.sniff(hex(TCP_RESPONSE), tcpFromPlc)).toBe(true);
    expect(finsDecoder.sniff(hex('81 05 02 00 01 00 00 0a 00 22 05 01'), udpFromStation)).toBe(false);
    // A MELSOFT discovery reply (0xda 00 00 …) is not FINS: ICF bits 1–5 are reserved.
    expect(finsDecoder.sniff(hex('da 00 00 01 14 00 c0a8030a c0a8030a'), udpFromStation)).toBe(false);
    // An RTP-like header of zeros: no FINS command code.
    expect(finsDecoder.sniff(hex('80 00 00 00 00 00 00 00 00 00 00 00'), udpFromStation)).toBe(false);
  });

  it('reads the controller model and version from a UDP response', () => {
    const out = observe(READ_RESPONSE, udpFromPlc);
    expect(out.values('fins.model', 'src')).toEqual(['CJ2M-CPU33']);
    expect(out.values('fins.version', 'src')).toEqual(['02.01']);
    expect(out.values('ot.role', 'src')).toEqual(['fins:server']);
  });

  it('reads the same over FINS/TCP', () => {
    const out = observe(TCP_RESPONSE, tcpFromPlc);
    expect(out.values('fins.model')).toEqual(['CJ2M-CPU33']);
  });

  it('names the commanding side a client', () => {
    expect(observe(READ_COMMAND, udpFromStation).observations).toEqual([
      { about: 'src', key: 'ot.role', value: 'fins:client' },
    ]);
  });

  it('takes no model from an area-data-only answer (parameter 01)', () => {
    const areas = `c0 00 02 00 0a 00 00 01 00 23 05 01 00 00 ${'0000 0001 0002 0003 0004 0005 0006 0007 0008 0009'.repeat(2)}`;
    expect(observe(areas, udpFromPlc).values('fins.model')).toEqual([]);
  });

  it('takes no model from an error response', () => {
    const error = READ_RESPONSE.replace('05 01 00 00', '05 01 11 04'); // address range exceeded
    expect(observe(error, udpFromPlc).values('fins.model')).toEqual([]);
  });

  it('reads the node address exchange of FINS/TCP', () => {
    const out = observe('46494e53 0000000c 00000000 00000000 00000000', ctx('tcp', { fromClient: true }));
    expect(out.values('ot.role')).toEqual(['fins:client']);
  });

  describe('malformed input', () => {
    const cases: [string, string, string, ErrorType, 'udp' | 'tcp'][] = [
      ['UDP header cut', '80 00 02 00 01 00', 'fins.header', 'truncated', 'udp'],
      ['ICF without bit 7', '40 00 02 00 01 00 00 0a 00 22 05 01', 'fins.icf', 'decode', 'udp'],
      ['ICF reserved bits set', 'da 00 00 01 14 00 c0 a8 03 0a c0 a8', 'fins.icf', 'decode', 'udp'],
      ['reserved byte set', '80 01 02 00 01 00 00 0a 00 22 05 01', 'fins.rsv', 'decode', 'udp'],
      ['gateway count above 7', '80 00 08 00 01 00 00 0a 00 22 05 01', 'fins.gct', 'decode', 'udp'],
      [
        'response without end code',
        'c0 00 02 00 0a 00 00 01 00 22 05 01',
        'fins.end_code',
        'truncated',
        'udp',
      ],
      ['FINS/TCP magic wrong', '46494e54 0000000c 00000000 00000000 00000000', 'tcp.magic', 'decode', 'tcp'],
      ['FINS/TCP length below 8', '46494e53 00000004 00000000', 'tcp.length', 'decode', 'tcp'],
      ['FINS/TCP length above the cap', '46494e53 00100000 00000002 00000000', 'tcp.length', 'decode', 'tcp'],
      [
        'FINS/TCP frame past the bytes',
        '46494e53 00000070 00000002 00000000 c0',
        'tcp.frame',
        'truncated',
        'tcp',
      ],
    ];
    for (const [name, bytes, field, type, transport] of cases) {
      it(name, () => expectDecoderError(() => finsDecoder.decode(hex(bytes), ctx(transport)), type, field));
    }
  });
});
