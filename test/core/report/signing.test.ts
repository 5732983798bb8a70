// RFC 8785 canonical JSON and Ed25519 report signatures, down to single changed bytes.
import { describe, expect, it } from 'vitest';
import { CanonicalJsonError, canonicalJson } from '../../../core/report/canonical-json.js';
import {
  generateSigningKeys,
  keyIdOf,
  loadPrivateKey,
  loadPublicKey,
  SignatureError,
  signDocument,
  verifyDocument,
} from '../../../core/report/signing.js';

describe('canonical JSON (RFC 8785)', () => {
  it('sorts members by UTF-16 code units, recursively, without whitespace', () => {
    // The property-sorting example of RFC 8785 §3.2.3.
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    const keys = Object.keys(JSON.parse(canonicalJson(input)) as object);
    expect(canonicalJson(input).startsWith('{"\\r":')).toBe(true);
    expect(canonicalJson(input).indexOf('"1"')).toBeLessThan(canonicalJson(input).indexOf('"\u0080"'));
    expect(keys).toHaveLength(7);
    const order = [...canonicalJson(input).matchAll(/"([^"]*)":"/g)].map((m) => m[1]);
    expect(order).toEqual(['\\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33']);
    expect(canonicalJson({ b: [3, { d: 1, c: null }], a: true })).toBe('{"a":true,"b":[3,{"c":null,"d":1}]}');
  });

  it('writes numbers and strings the ECMAScript way', () => {
    expect(
      canonicalJson([1e30, 4.5, 0.002, 0.000001, 1e-7, -0, 333333333.3333333, 1e21, 9007199254740991]),
    ).toBe('[1e+30,4.5,0.002,0.000001,1e-7,0,333333333.3333333,1e+21,9007199254740991]');
    expect(canonicalJson('\u20ac$\u000f\nA\'B"\\\\"/')).toBe('"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"');
  });

  it('refuses what is not I-JSON', () => {
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(CanonicalJsonError);
    expect(() => canonicalJson({ a: 'x\ud800' })).toThrow('lone surrogate');
    expect(() => canonicalJson({ a: undefined })).toThrow('undefined');
    expect(() => canonicalJson({ a: new Date(0) })).toThrow('plain objects');
    expect(() => canonicalJson({ a: 1n })).toThrow('bigint');
  });
});

describe('report signatures (Ed25519)', () => {
  const keys = generateSigningKeys();
  const priv = loadPrivateKey(keys.privatePem);
  const pub = loadPublicKey(keys.publicPem);
  const doc = {
    schema: 'originmap.summary/1',
    operator: { name: 'Kansai Water <b>&</b>' },
    counts: [1, 2, 3],
    note: 'ドイツ製PLC',
  };

  it('signs the canonical form and verifies it', () => {
    const text = signDocument(doc, priv);
    expect(text.endsWith('}\n')).toBe(true);
    const v = verifyDocument(Buffer.from(text), pub);
    expect(v.keyId).toBe(keys.keyId);
    expect(v.keyId).toBe(keyIdOf(pub));
    expect(v.document).toEqual(doc);
  });

  it('fails on every single-byte change of the file', () => {
    const bytes = Buffer.from(signDocument(doc, priv));
    let failures = 0;
    for (let i = 0; i < bytes.length; i++) {
      const changed = Buffer.from(bytes);
      changed[i] = (changed[i]! + 1) & 0xff;
      try {
        verifyDocument(changed, pub);
      } catch (err) {
        expect(err).toBeInstanceOf(SignatureError);
        failures++;
      }
    }
    expect(failures).toBe(bytes.length);
    expect(() => verifyDocument(bytes.subarray(0, bytes.length - 1), pub)).toThrow('not byte for byte');
    expect(() => verifyDocument(Buffer.concat([bytes, Buffer.from(' ')]), pub)).toThrow('not byte for byte');
  });

  it('names the reason: wrong key, private key given, missing signature, re-formatted file', () => {
    const text = signDocument(doc, priv);
    const other = generateSigningKeys();
    expect(() => verifyDocument(Buffer.from(text), loadPublicKey(other.publicPem))).toThrow(
      `signed with key "${keys.keyId}", not with the given key ${other.keyId}`,
    );
    expect(() => loadPublicKey(keys.privatePem)).toThrow('this is a private key');
    expect(() => loadPublicKey('hello')).toThrow('not a PEM public key');
    expect(() => verifyDocument(Buffer.from(JSON.stringify(doc)), pub)).toThrow('has no signature');
    const pretty = JSON.stringify(JSON.parse(text), null, 2);
    expect(() => verifyDocument(Buffer.from(pretty), pub)).toThrow('re-formatted or edited');
    const edited = text.replace('Kansai', 'Kanto!');
    expect(() => verifyDocument(Buffer.from(edited), pub)).toThrow('signature does not match');
    expect(() => signDocument(JSON.parse(text) as Record<string, unknown>, priv)).toThrow(
      'already has a signature',
    );
  });
});
