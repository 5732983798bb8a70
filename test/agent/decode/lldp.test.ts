import { describe, expect, it } from 'vitest';
import { TruncatedError } from '../../../agent/decode/errors.js';
import { lldpDecoder, MAX_LLDP_TLVS } from '../../../agent/decode/lldp.js';
import { ctx, hex, RecordingEmitter } from './helpers.js';
import { LLDP_MED_PHONE, LLDP_SWITCH } from './seeds/lldp.seeds.js';

const c = ctx('link', {
  ethertype: 0x88cc,
  src: { mac: '00:1b:54:aa:00:11', ip: null, port: 0 },
  dst: { mac: '01:80:c2:00:00:0e', ip: null, port: 0 },
});

function run(bytes: Uint8Array): RecordingEmitter {
  const out = new RecordingEmitter();
  lldpDecoder.observe(lldpDecoder.decode(bytes, c), c, out);
  return out;
}

describe('lldp decoder', () => {
  it('sniffs EtherType 0x88cc starting with a chassis id TLV', () => {
    expect(lldpDecoder.sniff(LLDP_SWITCH, c)).toBe(true);
    expect(lldpDecoder.sniff(LLDP_SWITCH, ctx('link', { ethertype: 0x0800 }))).toBe(false);
    expect(lldpDecoder.sniff(LLDP_SWITCH.subarray(6), c)).toBe(false);
  });

  it("reads a switch's LLDPDU, all about the sending agent, chassis MAC only as a value", () => {
    expect(run(LLDP_SWITCH).observations).toEqual([
      { about: 'src', key: 'lldp.chassis_id', value: '00:1b:54:aa:00:00' },
      { about: 'src', key: 'lldp.port_id', value: 'Gi1/0/17' },
      { about: 'src', key: 'lldp.port_descr', value: 'GigabitEthernet1/0/17' },
      { about: 'src', key: 'lldp.sys_name', value: 'plant-sw-01.example.net' },
      {
        about: 'src',
        key: 'lldp.sys_descr',
        value:
          'Cisco IOS Software, C2960X Software (C2960X-UNIVERSALK9-M), Version 15.2(7)E4, RELEASE SOFTWARE (fc2) Compiled Tue 18-Feb-20',
      },
      { about: 'src', key: 'lldp.capabilities', value: 'bridge' },
      { about: 'src', key: 'lldp.mgmt_addr', value: '192.168.0.2' },
    ]);
  });

  it("reads an LLDP-MED phone's network-address chassis id and inventory", () => {
    const out = run(LLDP_MED_PHONE);
    expect(out.values('lldp.chassis_id')).toEqual(['192.168.0.50']);
    expect(out.values('lldp.port_id')).toEqual(['00:04:f2:00:00:50']);
    expect(out.values('lldp.capabilities')).toEqual(['telephone']);
    expect(out.values('lldp.med_manufacturer')).toEqual(['ExamplePhone Inc.']);
    expect(out.values('lldp.med_model')).toEqual(['EP-410']);
    expect(out.values('lldp.med_software')).toEqual(['5.9.1.0615']);
  });

  it('drops an unspecified management address', () => {
    const out = run(
      hex('0207 04 001b54aa0000 0403 07 6131 0602 0078 100c 05 01 00000000 02 00000011 00 0000'),
    );
    expect(out.values('lldp.mgmt_addr')).toEqual([]);
  });

  it('returns TLV values as views into the frame', () => {
    const pdu = lldpDecoder.decode(LLDP_SWITCH, c);
    expect(pdu.sysName!.buffer).toBe(LLDP_SWITCH.buffer);
    expect(pdu.ttl).toBe(120);
  });

  it('shows a binary locally assigned id as hex', () => {
    const out = run(hex('0205 07 00ff0102 0403 07 6131 0602 0078 0000'));
    expect(out.values('lldp.chassis_id')).toEqual(['00ff0102']);
    expect(out.values('lldp.port_id')).toEqual(['a1']);
  });

  it('throws TruncatedError without a whole TLV header', () => {
    expect(() => lldpDecoder.decode(hex('02'), c)).toThrow(TruncatedError);
  });

  it('keeps the TLVs before a cut one', () => {
    const pdu = lldpDecoder.decode(LLDP_SWITCH.subarray(0, 40), c);
    expect(pdu.portId).not.toBeNull();
    expect(pdu.problems[0]).toBeInstanceOf(TruncatedError);
    expect(pdu.problems[0]).toMatchObject({ field: 'tlv', offset: 24 });
  });

  it('skips out-of-order mandatory TLVs and bad fixed-size ones, and goes on', () => {
    const pdu = lldpDecoder.decode(hex('0602 0078 0207 04 001b54aa0000 0e03 001400 0a01 61 0000'), c);
    expect(pdu.problems.map((p) => p.field)).toEqual(['tlv.order', 'tlv.order', 'tlv.capabilities']);
    expect(pdu.sysName).toEqual(hex('61'));
    const out = new RecordingEmitter();
    lldpDecoder.observe(pdu, c, out);
    expect(out.anomalies).toEqual([
      'lldp.malformed.tlv.order',
      'lldp.malformed.tlv.order',
      'lldp.malformed.tlv.capabilities',
    ]);
  });

  it('rejects a management address whose string overruns the TLV', () => {
    const pdu = lldpDecoder.decode(
      hex('0207 04 001b54aa0000 0403 07 6131 0602 0078 1006 09 01 c0a80002 0000'),
      c,
    );
    expect(pdu.mgmtAddrs).toEqual([]);
    expect(pdu.problems[0]).toMatchObject({ field: 'tlv.mgmt_addr' });
  });

  it(`stops after ${MAX_LLDP_TLVS} TLVs`, () => {
    const many = hex(`0207 04 001b54aa0000 0403 07 6131 0602 0078 ${'fe04 00000000'.repeat(300)} 0000`);
    expect(lldpDecoder.decode(many, c).problems.map((p) => p.field)).toContain('tlvs.count');
  });
});
