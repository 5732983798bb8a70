import { describe, expect, it } from 'vitest';
import { DecodeError, TruncatedError } from '../../../agent/decode/errors.js';
import { MAX_PROBLEMS } from '../../../agent/decode/problems.js';
import { engineEnterprise, MAX_VARBINDS, snmpDecoder } from '../../../agent/decode/snmp.js';
import { ctx, hex, RecordingEmitter } from './helpers.js';
import { SNMP_GET_REQUEST, SNMP_GET_RESPONSE, SNMP_V1_TRAP, SNMP_V3_REPORT } from './seeds/snmp.seeds.js';

const agent = { mac: '00:1b:54:00:00:01', ip: '192.168.0.1', port: 161 };
const manager = { mac: '00:1b:1b:00:00:05', ip: '192.168.0.5', port: 50000 };
const fromAgent = ctx('udp', { src: agent, dst: manager });
const fromManager = ctx('udp', { src: manager, dst: agent });
const trapToManager = ctx('udp', { src: { ...agent, port: 50001 }, dst: { ...manager, port: 162 } });

function run(bytes: Uint8Array, c = fromAgent): RecordingEmitter {
  const out = new RecordingEmitter();
  snmpDecoder.observe(snmpDecoder.decode(bytes, c), c, out);
  return out;
}

describe('snmp decoder', () => {
  it('sniffs v1/v2c/v3 messages on any port and not LDAP', () => {
    for (const m of [SNMP_GET_RESPONSE, SNMP_GET_REQUEST, SNMP_V1_TRAP, SNMP_V3_REPORT]) {
      expect(snmpDecoder.sniff(m, ctx('udp'))).toBe(true);
    }
    // CLDAP searchRequest: SEQUENCE, messageID INTEGER 1, then [APPLICATION 3].
    expect(snmpDecoder.sniff(hex('30 84 00000050 02 01 01 63 84 00000047'), ctx('udp'))).toBe(false);
  });

  it("reads an agent's sysDescr, sysObjectID with its enterprise, and sysName", () => {
    expect(run(SNMP_GET_RESPONSE).observations).toEqual([
      {
        about: 'src',
        key: 'snmp.sys_descr',
        value:
          'Cisco IOS Software [Fuji], ISR Software (X86_64_LINUX_IOSD-UNIVERSALK9-M), Version 16.9.4, RELEASE SOFTWARE (fc2)  Technical Support: http://www.cisco.com/techsupport',
      },
      { about: 'src', key: 'snmp.sys_object_id', value: '1.3.6.1.4.1.9.1.2068' },
      { about: 'src', key: 'snmp.enterprise', value: 9 },
      { about: 'src', key: 'snmp.sys_name', value: 'edge-rtr-01.example.net' },
    ]);
  });

  it('never reads the community into the PDU, and learns nothing from a request', () => {
    const pdu = snmpDecoder.decode(SNMP_GET_REQUEST, fromManager);
    expect(JSON.stringify(pdu)).not.toContain('public');
    expect(Object.keys(pdu)).not.toContain('community');
    expect(run(SNMP_GET_REQUEST, fromManager).observations).toEqual([]);
  });

  it("reads a v1 trap's enterprise and varbinds about the sender", () => {
    expect(run(SNMP_V1_TRAP, trapToManager).observations).toEqual([
      { about: 'src', key: 'snmp.enterprise', value: 2011 },
      { about: 'src', key: 'snmp.sys_name', value: 'core-sw-02' },
    ]);
  });

  it("ignores a Response sent from the trap port: it acknowledges an Inform and echoes the agent's data", () => {
    const ack = ctx('udp', { src: { ...manager, port: 162 }, dst: { ...agent, port: 50001 } });
    expect(run(SNMP_GET_RESPONSE, ack).observations).toEqual([]);
  });

  it("reads the enterprise of a v3 agent's engine id, about the agent on either side", () => {
    expect(run(SNMP_V3_REPORT).observations).toEqual([{ about: 'src', key: 'snmp.enterprise', value: 9 }]);
    expect(run(SNMP_V3_REPORT, fromManager).observations).toEqual([
      { about: 'dst', key: 'snmp.enterprise', value: 9 },
    ]);
  });

  it('reads engine id enterprises in both RFC 3411 formats', () => {
    expect(engineEnterprise(hex('80000009 03 001b54000001'))).toBe(9);
    expect(engineEnterprise(hex('000007db 0102030405060708'))).toBe(2011); // RFC 1910 form, 12 octets
    expect(engineEnterprise(hex('000007db 01'))).toBeNull();
    expect(engineEnterprise(hex('8000'))).toBeNull();
  });

  it('throws TruncatedError for a cut message and DecodeError for bad BER', () => {
    expect(() => snmpDecoder.decode(SNMP_GET_RESPONSE.subarray(0, 100), fromAgent)).toThrow(TruncatedError);
    const badVersion = Uint8Array.from(SNMP_GET_REQUEST);
    badVersion[4] = 2;
    expect(() => snmpDecoder.decode(badVersion, fromAgent)).toThrow(
      expect.objectContaining({ field: 'version' }),
    );
    const indefinite = Uint8Array.from(SNMP_GET_REQUEST);
    indefinite[1] = 0x80;
    expect(() => snmpDecoder.decode(indefinite, fromAgent)).toThrow(
      expect.objectContaining({ field: 'ber.length' }),
    );
    const notPdu = Uint8Array.from(SNMP_GET_REQUEST);
    notPdu[13] = 0x63;
    expect(() => snmpDecoder.decode(notPdu, fromAgent)).toThrow(expect.objectContaining({ field: 'pdu' }));
  });

  it('skips a varbind with a bad OID and keeps the others', () => {
    const bad = Uint8Array.from(SNMP_GET_RESPONSE);
    bad[239] = 0x94; // sysObjectID value OID (@229): its last byte gets the continuation bit
    const out = run(bad);
    expect(out.values('snmp.sys_object_id')).toEqual([]);
    expect(out.values('snmp.sys_name')).toEqual(['edge-rtr-01.example.net']);
    expect(out.anomalies).toEqual(['snmp.malformed.ber.oid']);
  });

  it('skips a value of the wrong type (noSuchObject) without a guess', () => {
    const response = hex(`30 26 02 01 01 04 06 7075626c6963 a2 19 02 01 01 02 01 00 02 01 00
      30 0e 30 0c 06 08 2b06010201010100 80 00`);
    const pdu = snmpDecoder.decode(response, fromAgent);
    expect(pdu.varbinds).toEqual([
      { oid: '1.3.6.1.2.1.1.1.0', tag: 0x80, value: new Uint8Array(), valueOid: null },
    ]);
    expect(run(response).observations).toEqual([]);
  });

  function getResponse(varbinds: string): Uint8Array {
    const vbs = `3082${(varbinds.length / 2).toString(16).padStart(4, '0')}${varbinds}`;
    const pduBody = `020101020100020100${vbs}`;
    const pdu = `a282${(pduBody.length / 2).toString(16).padStart(4, '0')}${pduBody}`;
    const body = `02010104067075626c6963${pdu}`;
    return hex(`3082${(body.length / 2).toString(16).padStart(4, '0')}${body}`);
  }

  it(`reads at most ${MAX_VARBINDS} varbinds`, () => {
    const decoded = snmpDecoder.decode(getResponse('300c06082b060102010101000500'.repeat(300)), fromAgent);
    expect(decoded.varbinds).toHaveLength(MAX_VARBINDS);
    expect(decoded.problems).toHaveLength(1);
    expect(decoded.problems[0]).toMatchObject({ field: 'varbinds.count' });
  });

  it(`stops after ${MAX_PROBLEMS} bad varbinds`, () => {
    const decoded = snmpDecoder.decode(getResponse('300406000500'.repeat(300)), fromAgent); // empty OIDs
    expect(decoded.problems).toHaveLength(MAX_PROBLEMS + 1);
    expect(decoded.problems[0]).toBeInstanceOf(DecodeError);
    expect(decoded.problems[0]).toMatchObject({ field: 'ber.oid' });
    expect(decoded.problems.at(-1)).toMatchObject({ field: 'problems' });
  });
});
