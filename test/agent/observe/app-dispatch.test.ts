import { describe, expect, it } from 'vitest';
import { DecodeError, TruncatedError } from '../../../agent/decode/errors.js';
import type { AppDecoder, Transport } from '../../../agent/decode/types.js';
import { AppDispatcher } from '../../../agent/observe/app-dispatch.js';
import { ctx, RecordingEmitter } from '../decode/helpers.js';

/** A decoder that notes each sniff and accepts, throws, or declines as told. */
function fake(
  id: string,
  ports: number[],
  tried: string[],
  outcome: 'accept' | 'decline' | 'truncated' | 'malformed' = 'decline',
  transports: Transport[] = ['tcp', 'udp'],
): AppDecoder {
  return {
    id,
    transports,
    ports,
    sniff: () => {
      tried.push(id);
      return outcome !== 'decline';
    },
    decode: () => {
      if (outcome === 'truncated') throw new TruncatedError(id, 0, 'header', 4, 0);
      if (outcome === 'malformed') throw new DecodeError(id, 0, 'header', 'bad');
      return null;
    },
    observe: () => {},
  };
}

const bytes = new Uint8Array(4);

describe('app dispatcher', () => {
  it('tries the decoders naming either port first, in registry order, then every other one in order', () => {
    const tried: string[] = [];
    const d = new AppDispatcher([
      fake('a', [1], tried),
      fake('b', [80], tried),
      fake('c', [5000, 80], tried),
      fake('d', [], tried),
      fake('e', [5000], tried),
      fake('f', [2], tried),
    ]);
    const c = ctx('tcp', {
      src: { mac: null, ip: '10.0.0.1', port: 5000 },
      dst: { mac: null, ip: '10.0.0.2', port: 80 },
    });
    expect(d.run(bytes, c, new RecordingEmitter())).toBeNull();
    expect(tried).toEqual(['b', 'c', 'e', 'a', 'd', 'f']);
  });

  it('tries a decoder once when both ports are the same or both name it', () => {
    const tried: string[] = [];
    const d = new AppDispatcher([fake('x', [53, 5353], tried), fake('y', [], tried)]);
    const same = ctx('udp', {
      src: { mac: null, ip: '10.0.0.1', port: 53 },
      dst: { mac: null, ip: '10.0.0.2', port: 53 },
    });
    d.run(bytes, same, new RecordingEmitter());
    const both = ctx('udp', {
      src: { mac: null, ip: '10.0.0.1', port: 5353 },
      dst: { mac: null, ip: '10.0.0.2', port: 53 },
    });
    d.run(bytes, both, new RecordingEmitter());
    expect(tried).toEqual(['x', 'y', 'x', 'y']);
  });

  it('keeps only the transport’s decoders and counts decoded, truncated and malformed per decoder', () => {
    const tried: string[] = [];
    const d = new AppDispatcher([
      fake('udp-only', [], tried, 'accept', ['udp']),
      fake('t', [], tried, 'truncated'),
      fake('m', [], tried, 'malformed'),
      fake('ok', [], tried, 'accept'),
    ]);
    expect(d.run(bytes, ctx('tcp'), new RecordingEmitter())).toBe('ok');
    expect(tried).toEqual(['t', 'm', 'ok']);
    expect(d.counts).toEqual({ 'truncated.t': 1, 'malformed.m': 1, 'decoded.ok': 1 });
  });

  it('lists counts in the order they first counted, one count per decoder across transports', () => {
    const tried: string[] = [];
    const d = new AppDispatcher([fake('a', [], tried, 'malformed'), fake('b', [], tried, 'accept')]);
    d.run(bytes, ctx('udp'), new RecordingEmitter());
    d.run(bytes, ctx('tcp'), new RecordingEmitter());
    expect(Object.entries(d.counts)).toEqual([
      ['malformed.a', 2],
      ['decoded.b', 2],
    ]);
  });
});
