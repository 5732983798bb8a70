// JA3 and JA4 against the published examples: salesforce/ja3 README ("How it works") and FoxIO
// ja4 technical_details/JA4.md (commit d8f731ce…, sections "Cipher hash", "Extension hash",
// "ALPN Extension Value", "Example"); hellos are built from the specs with those exact values.
import { describe, expect, it } from 'vitest';
import {
  ja3,
  ja3String,
  ja4,
  ja4Alpn,
  ja4Ciphers,
  ja4Extensions,
} from '../../../agent/decode/tls-fingerprint.js';
import { parseClientHello } from '../../../agent/decode/tls-hello.js';
import { clientHello, ext } from '../../../scripts/lib/tls-builder.js';

function parse(message: Buffer) {
  return parseClientHello(message.subarray(4), 4, 100, []);
}

describe('JA3 (salesforce/ja3 README examples)', () => {
  it('769,47-53-5-10-49161-49162-49171-49172-50-56-19-4,0-10-11,23-24-25,0 → ada70206…', () => {
    const hello = parse(
      clientHello({
        version: 769,
        ciphers: [47, 53, 5, 10, 49161, 49162, 49171, 49172, 50, 56, 19, 4],
        extensions: [ext.sni('example.com'), ext.groups(23, 24, 25), ext.pointFormats(0)],
      }),
    );
    expect(ja3String(hello)).toBe('769,47-53-5-10-49161-49162-49171-49172-50-56-19-4,0-10-11,23-24-25,0');
    expect(ja3(hello)).toBe('ada70206e40642a3e4461f35503241d5');
  });

  it('a hello without extensions leaves the last three fields empty → de350869…', () => {
    const hello = parse(clientHello({ version: 769, ciphers: [4, 5, 10, 9, 100, 98, 3, 6, 19, 18, 99] }));
    expect(ja3String(hello)).toBe('769,4-5-10-9-100-98-3-6-19-18-99,,,');
    expect(ja3(hello)).toBe('de350869b8c85de67a350c8d186f11e6');
  });

  it('ignores GREASE in ciphers, extensions and groups but keeps padding and order', () => {
    const hello = parse(
      clientHello({
        ciphers: [0x0a0a, 0x1301, 0xc02f],
        extensions: [
          ext.raw(0x2a2a),
          ext.groups(0x3a3a, 29, 23),
          ext.raw(0x0015, Buffer.alloc(3)),
          ext.raw(0xfafa),
        ],
      }),
    );
    expect(ja3String(hello)).toBe('771,4865-49199,10-21,29-23,');
  });
});

// The JA4.md example: these ciphers, extensions (wire order) and signature algorithms.
const SPEC_CIPHERS = [
  0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013, 0xc014, 0x009c, 0x009d,
  0x002f, 0x0035,
];
const SPEC_EXTENSIONS = [
  0x001b, 0x0000, 0x0033, 0x0010, 0x4469, 0x0017, 0x002d, 0x000d, 0x0005, 0x0023, 0x0012, 0x002b, 0xff01,
  0x000b, 0x000a, 0x0015,
];
const SPEC_SIGALGS = [0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806, 0x0601];

describe('JA4 (FoxIO JA4.md published values)', () => {
  it('cipher hash of the example list is 8daaf6152771', () => {
    expect(ja4Ciphers(SPEC_CIPHERS)).toBe('8daaf6152771');
  });

  it('extension hash with signature algorithms is e5627efa2ab1, without them 6d807ffa2a79', () => {
    expect(ja4Extensions(SPEC_EXTENSIONS, SPEC_SIGALGS)).toBe('e5627efa2ab1');
    expect(ja4Extensions(SPEC_EXTENSIONS, [])).toBe('6d807ffa2a79');
  });

  it('empty lists hash to twelve zeros', () => {
    expect(ja4Ciphers([])).toBe('000000000000');
    expect(ja4Extensions([0x0000, 0x0010], SPEC_SIGALGS)).toBe('000000000000');
  });

  it('ALPN characters: h2, http/1.1 → h1, none → 00, one byte twice, hex rule for non-alphanumerics', () => {
    expect(ja4Alpn(Buffer.from('h2'))).toBe('h2');
    expect(ja4Alpn(Buffer.from('http/1.1'))).toBe('h1');
    expect(ja4Alpn(undefined)).toBe('00');
    expect(ja4Alpn(Buffer.alloc(0))).toBe('00');
    expect(ja4Alpn(Buffer.from('h'))).toBe('hh');
    expect(ja4Alpn(Buffer.from([0xab]))).toBe('ab');
    expect(ja4Alpn(Buffer.from([0xab, 0xcd]))).toBe('ad');
    expect(ja4Alpn(Buffer.from([0x30, 0xab]))).toBe('3b');
    expect(ja4Alpn(Buffer.from([0x30, 0x31, 0xab, 0xcd]))).toBe('3d');
    expect(ja4Alpn(Buffer.from([0x30, 0xab, 0xcd, 0x31]))).toBe('01');
  });

  it('a ClientHello carrying the example values (plus GREASE) is t13d1516h2_8daaf6152771_e5627efa2ab1', () => {
    const body = (type: number) => {
      switch (type) {
        case 0x0000:
          return ext.sni('example.com');
        case 0x0010:
          return ext.alpn('h2', 'http/1.1');
        case 0x000d:
          return ext.sigAlgs(...SPEC_SIGALGS);
        case 0x002b:
          return ext.supportedVersions(0x7a7a, 0x0304, 0x0303);
        case 0x000a:
          return ext.groups(0x8a8a, 0x001d, 0x0017, 0x0018);
        case 0x000b:
          return ext.pointFormats(0);
        case 0x0033:
          return ext.keyShare(0x001d, Buffer.alloc(32, 7));
        default:
          return ext.raw(type, type === 0x0015 ? Buffer.alloc(20) : Buffer.alloc(0));
      }
    };
    const hello = parse(
      clientHello({
        ciphers: [0x4a4a, ...SPEC_CIPHERS],
        extensions: [ext.raw(0x0a0a), ...SPEC_EXTENSIONS.map(body), ext.raw(0xdada, Buffer.from([0]))],
      }),
    );
    expect(ja4(hello)).toBe('t13d1516h2_8daaf6152771_e5627efa2ab1');
  });

  it('without supported_versions the legacy version counts; no SNI gives "i"; counts cap at 99', () => {
    const ciphers = Array.from({ length: 120 }, (_, i) => 0x0100 + i);
    const hello = parse(clientHello({ version: 0x0301, ciphers, extensions: [ext.groups(23)] }));
    expect(ja4(hello).slice(0, 10)).toBe('t10i990100');
  });

  it('an unknown version is "00" and GREASE-only supported_versions falls back to the legacy one', () => {
    const unknown = parse(clientHello({ ciphers: [0x002f], extensions: [ext.supportedVersions(0x7f1c)] }));
    expect(ja4(unknown).slice(0, 4)).toBe('t00i');
    const grease = parse(clientHello({ ciphers: [0x002f], extensions: [ext.supportedVersions(0x0a0a)] }));
    expect(ja4(grease).slice(0, 4)).toBe('t12i');
  });
});
