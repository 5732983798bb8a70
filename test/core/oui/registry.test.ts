import { describe, expect, it } from 'vitest';
import { isBroadcastMac, isGroupMac, isRandomizedMac, macHex } from '../../../core/oui/mac.js';
import { OuiDataError } from '../../../core/oui/oui-index.js';
import { loadMacRegistry, OuiRegistry, parseRegistrantText } from '../../../core/oui/registry.js';
import { REGISTRY_FIXTURE } from './registry-fixture.js';

const enc = (o: unknown) => new TextEncoder().encode(typeof o === 'string' ? o : JSON.stringify(o, null, 1));

describe('MAC helpers', () => {
  it('accepts the usual text forms and nothing else', () => {
    expect(macHex('00:1b:1b:aa:bb:cc')).toBe('001B1BAABBCC');
    expect(macHex('00-1B-1B-AA-BB-CC')).toBe('001B1BAABBCC');
    expect(macHex('001b.1baa.bbcc')).toBe('001B1BAABBCC');
    expect(macHex('001b1baabbcc')).toBe('001B1BAABBCC');
    for (const bad of [
      '00:1b:1b:aa:bb',
      '00:1b-1b:aa:bb:cc',
      'zz:1b:1b:aa:bb:cc',
      '',
      '00:1b:1b:aa:bb:cc:dd',
    ]) {
      expect(macHex(bad), bad).toBeNull();
    }
  });
  it('reads the U/L and I/G bits', () => {
    expect(isRandomizedMac('da:a1:19:00:00:01')).toBe(true); // 0xda: U/L set
    expect(isRandomizedMac('c2:fd:59:38:f6:18')).toBe(true);
    expect(isRandomizedMac('00:1b:1b:aa:bb:cc')).toBe(false);
    expect(isGroupMac('01:00:5e:00:00:fb')).toBe(true); // IPv4 multicast
    expect(isGroupMac('33:33:00:00:00:01')).toBe(true); // IPv6 multicast
    expect(isGroupMac('ff:ff:ff:ff:ff:ff')).toBe(true);
    expect(isBroadcastMac('FF-FF-FF-FF-FF-FF')).toBe(true);
    expect(isGroupMac('00:1b:1b:aa:bb:cc')).toBe(false);
    expect(isRandomizedMac('garbage')).toBe(false);
    expect(isRandomizedMac('33:33:00:00:00:01')).toBe(false); // group, though its U/L bit is set
    expect(isGroupMac('garbage')).toBe(false);
  });
});

describe('registry lookups (fixture)', () => {
  const reg = new OuiRegistry(enc(REGISTRY_FIXTURE));

  it('takes the longest prefix first: MA-S, then MA-M, then MA-L', () => {
    expect(reg.lookup('00:1b:1b:56:7a:bc')).toEqual({
      organisation: 'Small "Quoted" Société',
      country: 'FR',
      prefixBits: 36,
    });
    expect(reg.lookup('00:1b:1b:5f:ff:ff')).toEqual({
      organisation: 'Medium Maker Ltd',
      country: 'JP',
      prefixBits: 28,
    });
    expect(reg.lookup('00:1b:1b:00:00:01')).toEqual({
      organisation: 'Large Maker AG',
      country: 'DE',
      prefixBits: 24,
    });
  });

  it('gives no registrant inside an IEEE-subdivided block without a sub-assignment', () => {
    expect(reg.lookup('00:50:c2:ab:1f:00')?.organisation).toBe('Tiny Block Inc');
    expect(reg.lookup('00:50:c2:00:00:01')).toBeNull();
  });

  it('has no country for organisation-only and address-ending entries', () => {
    expect(reg.lookup('00:22:33:44:55:66')).toEqual({
      organisation: 'Private',
      country: null,
      prefixBits: 24,
    });
    expect(reg.lookup('00:44:55:00:00:00')?.country).toBeNull();
  });

  it('never looks up randomized, group or malformed MACs', () => {
    expect(reg.lookup('02:1b:1b:00:00:01')).toBeNull();
    expect(reg.lookup('01:1b:1b:00:00:01')).toBeNull();
    expect(reg.lookup('ff:ff:ff:ff:ff:ff')).toBeNull();
    expect(reg.lookup('not a mac')).toBeNull();
    expect(reg.lookup('00:99:99:00:00:00')).toBeNull();
  });

  it('counts keys of other shapes instead of failing', () => {
    expect(reg.stats).toEqual({ entries: 8, skippedKeys: 2, duplicateKeys: 0 });
  });

  it('sorts unsorted input and keeps the first of duplicate keys', () => {
    const text = '{"00AA02": "B\\nX\\nJapan", "00AA01": "A\\nX\\nJapan", "00AA02": "C\\nX\\nChina"}';
    const r = new OuiRegistry(enc(text));
    expect(r.lookup('00:aa:01:00:00:00')?.organisation).toBe('A');
    expect(r.lookup('00:aa:02:00:00:00')).toEqual({ organisation: 'B', country: 'JP', prefixBits: 24 });
    expect(r.stats.duplicateKeys).toBe(1);
  });

  it('rejects a file that is not a flat JSON object, with the byte offset', () => {
    expect(() => new OuiRegistry(enc('[1,2]'))).toThrow(OuiDataError);
    expect(() => new OuiRegistry(enc('{"001122": "unterminated'))).toThrow(/unterminated string at byte 12/);
    expect(() => new OuiRegistry(enc('{"a": {"001122": "x"}}'))).toThrow(/expected "key": "value" at byte 1/);
  });
  it('turns a malformed escape into an unknown entry, not a crash', () => {
    const r = new OuiRegistry(enc('{"001122": "Bad \\x escape\\nJapan"}'));
    expect(r.lookup('00:11:22:00:00:00')).toBeNull();
  });
  it('parses registrant text defensively', () => {
    expect(parseRegistrantText('\n\n', 24)).toEqual({
      organisation: 'unknown',
      country: null,
      prefixBits: 24,
    });
    expect(parseRegistrantText(`${'x'.repeat(500)}\nJapan`, 24).organisation).toHaveLength(200);
  });
});

describe('packaged IEEE registry (oui-data)', () => {
  const reg = loadMacRegistry();

  it('holds MA-L, MA-M and MA-S assignments', () => {
    let l = 0;
    let m = 0;
    let s = 0;
    for (const { registrant } of reg.all()) {
      if (registrant.prefixBits === 24) l++;
      else if (registrant.prefixBits === 28) m++;
      else s++;
    }
    expect(l).toBeGreaterThan(35_000);
    expect(m).toBeGreaterThan(5_000);
    expect(s).toBeGreaterThan(5_000);
  });

  it('resolves the DESIGN.md origin example and a well-known OUI', () => {
    const nanjing = [...reg.all()].find((e) =>
      e.registrant.organisation.startsWith('Siemens Numerical Control'),
    );
    expect(nanjing?.registrant.country).toBe('CN');
    expect(reg.lookup('00:00:0c:12:34:56')).toMatchObject({
      organisation: 'Cisco Systems, Inc',
      country: 'US',
    });
    expect(loadMacRegistry()).toBe(reg); // loaded once per process
  });
});
