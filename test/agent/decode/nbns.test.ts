import { describe, expect, it } from 'vitest';
import { DecodeError, TruncatedError } from '../../../agent/decode/errors.js';
import { nbnsDecoder, netbiosName } from '../../../agent/decode/nbns.js';
import { ctx, hex, RecordingEmitter } from './helpers.js';
import { NBNS_NODE_STATUS, NBNS_REGISTRATION, NBNS_SERVER_ANSWER } from './seeds/nbns.seeds.js';

const host = ctx('udp', {
  src: { mac: '00:1b:1b:00:00:01', ip: '192.168.0.10', port: 137 },
  dst: { mac: 'ff:ff:ff:ff:ff:ff', ip: '192.168.0.255', port: 137 },
});

function run(bytes: Uint8Array, c = host): RecordingEmitter {
  const out = new RecordingEmitter();
  nbnsDecoder.observe(nbnsDecoder.decode(bytes, c), c, out);
  return out;
}

describe('nbns decoder', () => {
  it('sniffs NetBIOS name service on port 137', () => {
    expect(nbnsDecoder.sniff(NBNS_REGISTRATION, host)).toBe(true);
    expect(nbnsDecoder.sniff(NBNS_REGISTRATION, ctx('udp'))).toBe(false);
  });

  it('decodes first-level encoded names (RFC 1001 §14.1)', () => {
    expect(netbiosName('EEEFFDELFEEPFACNDHFBELDCFGDBFAAA', 0)).toEqual({
      name: 'DESKTOP-7QK2V1P',
      suffix: 0,
    });
    expect(netbiosName('FHEPFCELEHFCEPFFFACACACACACACABN.corp', 0)).toEqual({
      name: 'WORKGROUP',
      suffix: 0x1d,
    });
  });

  it('names a registering host with its name and suffix', () => {
    expect(run(NBNS_REGISTRATION).observations).toEqual([
      { about: 'src', key: 'nbns.name', value: 'DESKTOP-7QK2V1P<00>' },
    ]);
  });

  it('does not give a name server the names it answers for other nodes', () => {
    const out = run(NBNS_SERVER_ANSWER);
    expect(out.observations).toEqual([]);
    const owner = ctx('udp', { src: { mac: null, ip: '192.168.0.77', port: 137 } });
    expect(run(NBNS_SERVER_ANSWER, owner).values('nbns.name')).toEqual(['DESKTOP-7QK2V1P<00>']);
  });

  it("lists a node status response's name table, groups marked", () => {
    expect(run(NBNS_NODE_STATUS).values('nbns.name')).toEqual([
      'DESKTOP-7QK2V1P<00>',
      'WORKGROUP<00> group',
      'DESKTOP-7QK2V1P<20>',
    ]);
  });

  it('skips protocol names with control bytes (\\x01\\x02__MSBROWSE__\\x02<01>)', () => {
    const status = Uint8Array.from(NBNS_NODE_STATUS);
    status.set(hex('01025f5f4d5342524f5753455f5f02 01 8400'), 12 + 34 + 10 + 1);
    expect(run(status).values('nbns.name')).toEqual(['WORKGROUP<00> group', 'DESKTOP-7QK2V1P<20>']);
  });

  it('rejects a badly encoded name, an NB record of the wrong size and a short node status', () => {
    const badName = Uint8Array.from(NBNS_REGISTRATION);
    badName[13] = 0x5a; // 'Z' is outside A-P in the question name the additional record points to
    const a = nbnsDecoder.decode(badName, host);
    expect(a.problems[0]).toBeInstanceOf(DecodeError);
    expect(a.problems[0]).toMatchObject({ field: 'name.encoding' });

    const badSize = Uint8Array.from(NBNS_REGISTRATION);
    badSize[61] = 0x05; // rdlength 6 → 5, and one byte less of RDATA is read
    expect(nbnsDecoder.decode(badSize, host).problems[0]).toMatchObject({ field: 'nb.rdata' });

    const shortStatus = Uint8Array.from(NBNS_NODE_STATUS);
    shortStatus[56] = 0x09; // NUM_NAMES 9: 163 bytes do not fit in 101
    expect(nbnsDecoder.decode(shortStatus, host).problems[0]).toMatchObject({ field: 'nbstat.rdata' });
  });

  it('throws TruncatedError on a cut header', () => {
    expect(() => nbnsDecoder.decode(hex('8001 2910 0001'), host)).toThrow(TruncatedError);
  });
});
