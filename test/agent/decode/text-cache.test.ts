import { describe, expect, it } from 'vitest';
import { BytesCache, TEXT_CACHE_MAX_BYTES } from '../../../agent/decode/text-cache.js';

const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'latin1'));

describe('bytes cache', () => {
  it('computes a value once per distinct bytes and returns the same value after', () => {
    const made: string[] = [];
    const cache = new BytesCache((b) => {
      made.push(Buffer.from(b).toString('latin1'));
      return { text: Buffer.from(b).toString('latin1') };
    });
    const a = cache.get(bytes('example.com'));
    expect(cache.get(bytes('example.com'))).toBe(a);
    expect(cache.get(bytes('example.org')).text).toBe('example.org');
    expect(made).toEqual(['example.com', 'example.org']);
  });

  it('never answers for other bytes that share the hash', () => {
    // "hvmnvu" and "amdxrt" share their 32-bit FNV-1a digest (found by search).
    const cache = new BytesCache((b) => Buffer.from(b).toString('latin1'));
    expect(cache.get(bytes('hvmnvu'))).toBe('hvmnvu');
    expect(cache.get(bytes('amdxrt'))).toBe('amdxrt');
    expect(cache.get(bytes('hvmnvu'))).toBe('hvmnvu');
  });

  it('keeps no copy of the bytes it was given (a later change of the input is not seen)', () => {
    const cache = new BytesCache((b) => Buffer.from(b).toString('latin1'));
    const input = bytes('abc');
    expect(cache.get(input)).toBe('abc');
    input[0] = 0x78;
    expect(cache.get(input)).toBe('xbc');
    expect(cache.get(bytes('abc'))).toBe('abc');
    // A Buffer's slice() is a view: the cache must copy a Buffer's bytes too.
    const buf = Buffer.from('hvmnvu', 'latin1');
    expect(cache.get(buf)).toBe('hvmnvu');
    buf.write('amdxrt', 'latin1'); // same FNV-1a digest, other bytes
    expect(cache.get(buf)).toBe('amdxrt');
  });

  it('computes long inputs every time without remembering them', () => {
    let calls = 0;
    const cache = new BytesCache((b) => ++calls + b.length);
    const long = new Uint8Array(TEXT_CACHE_MAX_BYTES + 1);
    cache.get(long);
    cache.get(long);
    expect(calls).toBe(2);
  });
});
