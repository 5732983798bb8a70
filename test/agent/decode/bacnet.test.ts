import { describe, expect, it } from 'vitest';
import { bacnetDecoder } from '../../../agent/decode/bacnet.js';
import { decodeString } from '../../../agent/decode/bacnet-tags.js';
import { ctx, hex, RecordingEmitter } from './helpers.js';
import { type ErrorType, expectDecoderError } from './ot-helpers.js';

const controller = { mac: '00:80:9f:00:00:01', ip: '10.1.1.20', port: 47808 };
const workstation = { mac: '00:1b:1b:00:00:01', ip: '10.1.1.5', port: 47808 };
const fromController = ctx('udp', { src: controller, dst: workstation });
const fromWorkstation = ctx('udp', { src: workstation, dst: controller });

// I-Am (clause 16.10), broadcast to all networks.
const I_AM = `
  81 0b 0018            # BVLC: BACnet/IP, Original-Broadcast-NPDU, 24 bytes
  01 20 ffff 00 ff      # NPDU: version 1, DNET present: 0xffff (global), DLEN 0, hop count 255
  10 00                 # APDU: unconfirmed request, service 0 (I-Am)
  c4 02000064           # app tag 12 (object id, 4 bytes): device, instance 100
  22 0400               # app tag 2 (unsigned, 2 bytes): max APDU 1024
  91 03                 # app tag 9 (enumerated, 1 byte): no segmentation
  21 05                 # app tag 2 (unsigned, 1 byte): vendor id 5
`;

// ReadProperty-ACK (clause 15.5) for device 100 vendor-name.
const RP_ACK = `
  81 0a 0025 01 00      # BVLC unicast, 37 bytes; NPDU version 1, no addresses
  30 01 0c              # complex ACK, invoke id 1, service 12 (ReadProperty)
  0c 02000064           # [0] object id: device 100
  19 79                 # [1] property 121 (vendor-name)
  3e                    # [3] opening
  75 11 00 4a6f686e736f6e20436f6e74726f6c73 # character string, extended length 17: UTF-8 "Johnson Controls"
  3f                    # [3] closing
`;

// ReadPropertyMultiple-ACK (clause 15.7) for device 100: four values, a vendor id and an error result.
const RPM_ACK = `
  81 0a 005b 01 00 30 02 0e # BVLC unicast 91 bytes, NPDU, complex ACK invoke 2, service 14
  0c 02000064 1e            # [0] device 100, [1] opening: list of results
  29 46 4e 75 19 04 004d0053002d004e004100450035003500310030002d0033 4f # [2] model-name: UCS-2 "MS-NAE5510-3"
  29 2c 4e 75 0b 00 392e302e302e31323334 4f                           # [2] firmware-revision "9.0.0.1234"
  29 4d 4e 75 07 00 4e41452d3031 4f                                   # [2] object-name "NAE-01"
  29 78 4e 21 05 4f                                                   # [2] vendor-identifier 5
  29 3a 5e 91 02 91 20 5f                                             # [2] location: [5] error (property, unknown-property)
  1f                                                                  # [1] closing
`;

function observe(bytes: string, c = fromController): RecordingEmitter {
  const out = new RecordingEmitter();
  bacnetDecoder.observe(bacnetDecoder.decode(hex(bytes), c), c, out);
  return out;
}

describe('bacnet decoder', () => {
  it('sniffs a BVLC whose length is the datagram', () => {
    expect(bacnetDecoder.sniff(hex(I_AM), fromController)).toBe(true);
    expect(bacnetDecoder.sniff(hex('81 0b 0019 01 20'), fromController)).toBe(false);
  });

  it('reads I-Am', () => {
    const out = observe(I_AM);
    expect(out.values('bacnet.device_instance', 'src')).toEqual([100]);
    expect(out.values('bacnet.vendor_id', 'src')).toEqual([5]);
    expect(out.values('ot.role', 'src')).toEqual(['bacnet:server']);
  });

  it('reads a ReadProperty-ACK of the device object', () => {
    const out = observe(RP_ACK);
    expect(out.values('bacnet.vendor_name')).toEqual(['Johnson Controls']);
    expect(out.values('bacnet.device_instance')).toEqual([100]);
  });

  it('reads a ReadPropertyMultiple-ACK, skipping error results', () => {
    const out = observe(RPM_ACK);
    expect(out.values('bacnet.model_name')).toEqual(['MS-NAE5510-3']);
    expect(out.values('bacnet.firmware')).toEqual(['9.0.0.1234']);
    expect(out.values('bacnet.object_name')).toEqual(['NAE-01']);
    expect(out.values('bacnet.vendor_id')).toEqual([5]);
  });

  it('does not report the wildcard device instance', () => {
    // Same RP-ACK addressed to device 4194303 ("whoever receives this").
    const out = observe(RP_ACK.replace('0c 02000064', '0c 023fffff'));
    expect(out.values('bacnet.vendor_name')).toEqual(['Johnson Controls']);
    expect(out.values('bacnet.device_instance')).toEqual([]);
  });

  it('names the requester a client', () => {
    // Confirmed ReadProperty request for device 100 vendor-name.
    const out = observe('81 0a 0011 01 04 00 05 01 0c 0c 02000064 19 79', fromWorkstation);
    expect(out.observations).toEqual([{ about: 'src', key: 'ot.role', value: 'bacnet:client' }]);
  });

  it('attributes nothing to a router relaying another network', () => {
    // I-Am with SNET 5, SLEN 1, SADR 0x07 (an MS/TP device behind the sender).
    const relayed = '81 0b 0018 01 08 0005 01 07 10 00 c4 02000064 22 0400 91 03 21 05';
    const pdu = bacnetDecoder.decode(hex(relayed), fromController);
    expect(pdu.relayed).toBe(true);
    expect(pdu.iAm).toEqual({ instance: 100, vendorId: 5 });
    const out = new RecordingEmitter();
    bacnetDecoder.observe(pdu, fromController, out);
    expect(out.observations).toEqual([]);
  });

  it('reads the complete values of a first segment', () => {
    // Segmented complex ACK (SEG|MOR), sequence 0, window 4; the datagram ends inside the third value.
    const cut =
      '81 0a 0026 01 00 3c 02 00 04 0e 0c 02000064 1e 29 4d 4e 75 07 00 4e41452d3031 4f 29 2c 4e 75 0b 00 392e';
    const out = observe(cut);
    expect(out.values('bacnet.object_name')).toEqual(['NAE-01']);
    expect(out.anomalies).toEqual(['bacnet.segmented_ack']);
  });

  it('decodes the character sets it knows and declines double-byte ones', () => {
    expect(decodeString(5, hex('4d fc 6c 6c 65 72'))).toBe('Müller');
    expect(decodeString(3, hex('00000041 0001f600'))).toBe('A😀');
    expect(decodeString(1, hex('0000 4142'))).toBeNull();
  });

  describe('malformed input', () => {
    const cases: [string, string, string, ErrorType][] = [
      ['BVLC header cut', '81 0a', 'bvlc.header', 'truncated'],
      ['BVLC type not BACnet/IP', '82 0a 0004', 'bvlc.type', 'decode'],
      ['BVLC length mismatch', '81 0a 0010 01 00', 'bvlc.length', 'decode'],
      ['NPDU version', '81 0a 0006 02 00', 'npdu.version', 'decode'],
      ['NPDU SNET cut', '81 0a 0007 01 08 00', 'npdu.snet', 'truncated'],
      ['APDU type 9', '81 0a 0008 01 00 90 00', 'apdu.type', 'decode'],
      ['tag length overrun', '81 0a 000d 01 00 30 01 0c 0c 020000', 'tag.length', 'decode'],
      [
        'extended tag length overrun',
        '81 0a 0011 01 00 30 01 0c 0c 02 19 79 3e 75 40 00',
        'tag.length',
        'decode',
      ],
      ['object id of 3 bytes', '81 0a 000d 01 00 30 01 0c 0b 020000', 'tag.object_id', 'decode'],
      ['RP-ACK without a value', '81 0a 0012 01 00 30 01 0c 0c 02000064 19 79 21 05', 'rp.value', 'decode'],
      [
        'RP-ACK closing tag mismatch',
        '81 0a 0014 01 00 30 01 0c 0c 02000064 19 79 3e 21 05 4f',
        'tag.close',
        'decode',
      ],
      [
        'RPM-ACK result neither value nor error',
        '81 0a 0013 01 00 30 02 0e 0c 02000064 1e 29 46 21 05',
        'rpm.result',
        'decode',
      ],
      [
        'I-Am of a non-device object',
        '81 0b 0014 01 00 10 00 c4 00000001 22 0400 91 03 21 05',
        'iam.object',
        'decode',
      ],
      [
        'I-Am with a context tag',
        '81 0b 0014 01 00 10 00 0c 02000064 22 0400 91 03 21 05',
        'iam.tag',
        'decode',
      ],
    ];
    for (const [name, bytes, field, type] of cases) {
      it(name, () => expectDecoderError(() => bacnetDecoder.decode(hex(bytes), fromController), type, field));
    }
  });
});
