// INTERIM: SNMP GetResponse reader for probe replies until agent/decode lands its snmp decoder (a
// registered decoder with the same id is preferred). RFC 3416 §3 message layout, BER via ber.ts.
import { berInteger, berOid, expectTlv, readTlv } from '../../decode/ber.js';
import { DecodeError } from '../../decode/errors.js';
import type { AppDecoder } from '../../decode/types.js';

const P = 'snmp';
const SYS_DESCR = '1.3.6.1.2.1.1.1.0';
const SYS_OBJECT_ID = '1.3.6.1.2.1.1.2.0';
const SYS_NAME = '1.3.6.1.2.1.1.5.0';
const MAX_VARBINDS = 64;

interface Varbind {
  oid: string;
  value: string | null;
}

export const snmpReply: AppDecoder<Varbind[]> = {
  id: P,
  transports: ['udp'],
  ports: [161],
  sniff: (bytes) => bytes.length > 8 && bytes[0] === 0x30,
  decode(bytes) {
    const msg = expectTlv(bytes, 0, bytes.length, 0x30, P, 'message');
    const version = expectTlv(bytes, msg.start, msg.end, 0x02, P, 'version');
    if (berInteger(bytes, version, P) > 1) throw new DecodeError(P, version.start, 'version', 'not v1/v2c');
    const community = expectTlv(bytes, version.end, msg.end, 0x04, P, 'community');
    const pdu = readTlv(bytes, community.end, msg.end, P);
    // GetResponse-PDU [2] (v1) / Response-PDU [2] (v2c).
    if (pdu.tag !== 0xa2)
      throw new DecodeError(P, community.end, 'pdu', `tag 0x${pdu.tag.toString(16)} is not a response`);
    const reqId = expectTlv(bytes, pdu.start, pdu.end, 0x02, P, 'request-id');
    const status = expectTlv(bytes, reqId.end, pdu.end, 0x02, P, 'error-status');
    const index = expectTlv(bytes, status.end, pdu.end, 0x02, P, 'error-index');
    const list = expectTlv(bytes, index.end, pdu.end, 0x30, P, 'varbinds');
    const out: Varbind[] = [];
    for (let pos = list.start; pos < list.end && out.length < MAX_VARBINDS; ) {
      const vb = expectTlv(bytes, pos, list.end, 0x30, P, 'varbind');
      const name = expectTlv(bytes, vb.start, vb.end, 0x06, P, 'varbind.name');
      const value = readTlv(bytes, name.end, vb.end, P);
      const text =
        value.tag === 0x04
          ? Buffer.from(bytes.subarray(value.start, value.end)).toString('utf8')
          : value.tag === 0x06
            ? berOid(bytes, value, P)
            : null; // NULL, noSuchObject (0x80), noSuchInstance (0x81), endOfMibView (0x82), others.
      out.push({ oid: berOid(bytes, name, P), value: text });
      pos = vb.end;
    }
    return out;
  },
  observe(varbinds, _ctx, out) {
    for (const { oid, value } of varbinds) {
      if (value === null) continue;
      if (oid === SYS_DESCR) out.observe('src', 'snmp.sys_descr', value);
      else if (oid === SYS_NAME) out.observe('src', 'snmp.sys_name', value);
      else if (oid === SYS_OBJECT_ID) {
        out.observe('src', 'snmp.sys_object_id', value);
        const m = /^1\.3\.6\.1\.4\.1\.(\d+)/.exec(value);
        if (m) out.observe('src', 'snmp.enterprise', Number(m[1]));
      }
    }
  },
};
