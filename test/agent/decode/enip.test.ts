import { describe, expect, it } from 'vitest';
import { enipDecoder } from '../../../agent/decode/enip.js';
import { ctx, hex, RecordingEmitter } from './helpers.js';
import { type ErrorType, expectDecoderError } from './ot-helpers.js';

const target = { mac: '00:00:bc:00:00:01', ip: '192.168.1.10', port: 44818 };
const scanner = { mac: '00:1b:1b:00:00:01', ip: '192.168.1.2', port: 50000 };
const fromTarget = ctx('tcp', { fromClient: false, src: target, dst: scanner });
const udpReply = ctx('udp', { src: target, dst: scanner });

// ListIdentity reply (Vol. 2 §2-4.2): a ControlLogix 5583 identity.
const LIST_IDENTITY = `
  6300 3300 00000000 00000000 0000000000000000 00000000 # header: ListIdentity, 51 bytes, session 0, status 0, context, options
  0100                  # CPF: 1 item
  0c00 2d00             # identity item (0x0C), 45 bytes
  0100                  # encapsulation protocol version 1
  0002 af12 c0a8010a 0000000000000000 # socket address: AF_INET, port 44818, 192.168.1.10 (big-endian)
  0100 0e00 a600        # vendor 1, device type 14 (PLC), product code 166
  20 0b                 # revision 32.11
  6031                  # status
  b3a2e160              # serial 0x60e1a2b3
  0b 313735362d4c3833452f42 # product name, 11 bytes "1756-L83E/B"
  03                    # state
`;

// SendRRData carrying a Get_Attributes_All reply of the identity object (class 1, instance 1).
const GAA_REPLY = `
  6f00 2e00 78563412 00000000 0000000000000000 00000000 # header: SendRRData, 46 bytes, session 0x12345678
  00000000 0a00         # interface handle 0 (CIP), timeout 10 s
  0200                  # CPF: 2 items
  0000 0000             # null address item
  b200 1e00             # unconnected data item, 30 bytes
  81 00 00 00           # reply to service 0x01, reserved, general status 0, no additional status
  0100 0c00 3a00 04 03 3000 6ca34600 # vendor 1, communications adapter, product 58, rev 4.3, status, serial
  0b 313735362d454e42542f41          # "1756-ENBT/A"
`;

function observe(bytes: string, c = fromTarget): RecordingEmitter {
  const out = new RecordingEmitter();
  enipDecoder.observe(enipDecoder.decode(hex(bytes), c), c, out);
  return out;
}

describe('enip decoder', () => {
  it('sniffs the encapsulation header', () => {
    expect(enipDecoder.sniff(hex(LIST_IDENTITY), udpReply)).toBe(true);
    expect(enipDecoder.sniff(hex('6300 0000 00000000'), udpReply)).toBe(false);
    expect(enipDecoder.sniff(hex('ffff 0000 00000000 00000000 0000000000000000 00000000'), udpReply)).toBe(
      false,
    );
    // SMB over TCP 445 starts with zeros that read as an encapsulation NOP: not sniffed.
    const smb = ctx('tcp', { fromClient: false });
    expect(enipDecoder.sniff(hex(`0000 0040 fe534d42 ${'00'.repeat(60)}`), smb)).toBe(false);
  });

  it('reads a ListIdentity reply over UDP', () => {
    const out = observe(LIST_IDENTITY, udpReply);
    expect(out.values('enip.vendor_id', 'src')).toEqual([1]);
    expect(out.values('enip.device_type')).toEqual([14]);
    expect(out.values('enip.product_code')).toEqual([166]);
    expect(out.values('enip.revision')).toEqual(['32.11']);
    expect(out.values('enip.serial')).toEqual(['0x60e1a2b3']);
    expect(out.values('enip.product_name')).toEqual(['1756-L83E/B']);
    expect(out.values('ot.role', 'src')).toEqual(['enip:server']);
  });

  it('reads the identity object from a Get_Attributes_All reply', () => {
    const out = observe(GAA_REPLY);
    expect(out.values('enip.product_name')).toEqual(['1756-ENBT/A']);
    expect(out.values('enip.serial')).toEqual(['0x0046a36c']);
    expect(out.values('enip.revision')).toEqual(['4.3']);
  });

  it('does not read another class reply of a different shape as an identity', () => {
    // GAA reply of the TCP/IP interface object: binary data, no SHORT_STRING at the identity's place.
    const other = `
      6f00 2a00 78563412 00000000 0000000000000000 00000000 00000000 0a00 0200 0000 0000 b200 1a00
      81 00 00 00 02000000 30000000 00000000 0a01a8c0 00ffffff 0101a8c0
    `;
    const out = observe(other);
    expect(out.values('enip.product_name')).toEqual([]);
    expect(out.values('ot.role')).toEqual(['enip:server']);
  });

  it('names the originator of a ListIdentity request as client', () => {
    const request = ctx('udp', { src: scanner, dst: { mac: null, ip: '255.255.255.255', port: 44818 } });
    const out = observe('6300 0000 00000000 00000000 0000000000000000 00000000', request);
    expect(out.observations).toEqual([{ about: 'src', key: 'ot.role', value: 'enip:client' }]);
  });

  it('reads the connection id of UDP 2222 I/O and names a multicast producer', () => {
    const io = ctx('udp', {
      src: { ...target, port: 2222 },
      dst: { mac: '01:00:5e:40:01:02', ip: '239.192.1.2', port: 2222 },
    });
    const bytes = '0200 0280 0800 44332211 01000000 b100 0600 0100 00 00 00 00'; // seq. address, connected data
    const out = observe(bytes, io);
    expect(out.values('enip.io_connection')).toEqual(['0x11223344']);
    expect(out.values('ot.role')).toEqual(['enip:server']);
  });

  it('keeps messages before a cut one', () => {
    const pdu = enipDecoder.decode(hex(`${GAA_REPLY} 6f00 2e00`), fromTarget);
    expect(pdu.messages).toHaveLength(1);
  });

  describe('malformed input', () => {
    // Lengths are little-endian, like every encapsulation field.
    const header = (cmd: string, len: string) => `${cmd} ${len} 00000000 00000000 0000000000000000 00000000`;
    const cases: [string, string, string, ErrorType][] = [
      ['header cut', '6300 3300 0000', 'encap.header', 'truncated'],
      ['unknown command', header('9900', '0000'), 'encap.command', 'decode'],
      ['length past the bytes', `${header('6300', '1000')} 0100`, 'encap.data', 'truncated'],
      ['CPF item count above the cap', `${header('6300', '0200')} 1100`, 'cpf.count', 'decode'],
      ['CPF item count past the data', `${header('6300', '0600')} 0200 0c00 0000`, 'cpf.count', 'decode'],
      ['CPF item length overrun', `${header('6300', '0600')} 0100 0c00 0900`, 'cpf.item_length', 'decode'],
      ['identity item too short', `${header('6300', '0800')} 0100 0c00 0200 0100`, 'cip.identity', 'decode'],
      [
        'product name overrun',
        `${header('6300', '2900')} 0100 0c00 2300 0100 0002af12c0a8010a0000000000000000 0100 0e00 a600 20 0b 6031 b3a2e160 09 4142`,
        'cip.product_name',
        'decode',
      ],
      [
        'CIP path size overrun',
        `${header('6f00', '1400')} 00000000 0a00 0200 0000 0000 b200 0400 01 05 2001`,
        'cip.path_size',
        'decode',
      ],
      [
        'CIP additional status overrun',
        `${header('6f00', '1400')} 00000000 0a00 0200 0000 0000 b200 0400 81 00 01 03`,
        'cip.additional_status',
        'decode',
      ],
    ];
    for (const [name, bytes, field, type] of cases) {
      it(name, () => expectDecoderError(() => enipDecoder.decode(hex(bytes), fromTarget), type, field));
    }
    it('I/O datagram without an address item', () => {
      const io = ctx('udp', { src: { ...target, port: 2222 }, dst: { ...scanner, port: 2222 } });
      expectDecoderError(() => enipDecoder.decode(hex('0100 b100 0200 0100'), io), 'decode', 'cpf.address');
    });
  });
});
