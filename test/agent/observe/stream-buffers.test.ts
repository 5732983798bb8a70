import { describe, expect, it } from 'vitest';
import { StreamBuffers } from '../../../agent/observe/stream-buffers.js';

const text = (s: string) => Buffer.from(s, 'latin1');
const add = (sb: StreamBuffers, fd: number, seq: number, s: string) => sb.add(fd, seq, text(s), 0, s.length);
const got = (sb: StreamBuffers, fd: number) => Buffer.from(sb.bytes(fd) ?? []).toString('latin1');

describe('stream buffers', () => {
  it('reassembles in order after a SYN', () => {
    const sb = new StreamBuffers(4, { bytesPerDirection: 64 });
    sb.syn(0, 999);
    add(sb, 0, 1000, 'GET / ');
    add(sb, 0, 1006, 'HTTP/1.1');
    expect(got(sb, 0)).toBe('GET / HTTP/1.1');
  });

  it('holds out-of-order segments until the gap fills; retransmissions do not rewrite', () => {
    const sb = new StreamBuffers(4, { bytesPerDirection: 64 });
    sb.syn(1, 0);
    add(sb, 1, 7, 'world');
    expect(sb.bytes(1)).toBeNull(); // nothing contiguous yet
    add(sb, 1, 1, 'hello ');
    expect(got(sb, 1)).toBe('hello world');
    add(sb, 1, 4, 'lo wo'); // retransmission overlapping what we have
    add(sb, 1, 12, '!');
    expect(got(sb, 1)).toBe('hello world!');
  });

  it('takes the first seen segment as the start when the handshake was not captured', () => {
    const sb = new StreamBuffers(4, { bytesPerDirection: 64 });
    add(sb, 2, 0xfffffffe, 'ab'); // wraps the sequence space
    add(sb, 2, 0, 'cd');
    add(sb, 2, 0xfffffff0, 'earlier data' + 'XXXX'); // before the start, overlapping it
    expect(got(sb, 2)).toBe('abcd');
    add(sb, 2, 1, 'QZZZ'); // relative byte 3 again, with another value: the first write stands
    expect(got(sb, 2)).toBe('abcdZZZ');
  });

  it('says when the cap is reached and keeps only the prefix', () => {
    const sb = new StreamBuffers(4, { bytesPerDirection: 64 });
    sb.syn(0, 0);
    expect(add(sb, 0, 1, 'x'.repeat(40))).toBe(false);
    expect(add(sb, 0, 41, 'y'.repeat(40))).toBe(true);
    expect(got(sb, 0)).toBe('x'.repeat(40) + 'y'.repeat(24));
  });

  it('stops buffering a direction once released, and reuses the buffer', () => {
    const sb = new StreamBuffers(4, { bytesPerDirection: 64, maxBuffers: 1 });
    add(sb, 0, 1, 'first');
    expect(add(sb, 1, 1, 'second')).toBe(false);
    expect(sb.exhausted).toBe(1); // pool of one buffer
    sb.release(0);
    add(sb, 0, 6, 'ignored');
    expect(sb.bytes(0)).toBeNull();
    sb.reset(2);
    add(sb, 2, 1, 'third');
    expect(got(sb, 2)).toBe('third');
  });

  it('bounds the ranges a hostile stream can make it hold', () => {
    const sb = new StreamBuffers(4, { bytesPerDirection: 4096 });
    sb.syn(0, 0);
    for (let i = 0; i < 1000; i++) add(sb, 0, 3 + i * 2, 'z'); // every other byte: all gaps
    add(sb, 0, 1, 'a');
    expect(got(sb, 0).length).toBeLessThan(300);
  });

  it('moves a direction from a small buffer to a full one with every byte it held', () => {
    const sb = new StreamBuffers(4, { bytesPerDirection: 4096 });
    sb.syn(0, 0);
    const a = 'a'.repeat(200);
    const b = 'b'.repeat(200);
    const c = 'c'.repeat(300);
    add(sb, 0, 201, b); // out of order: held in the small buffer
    add(sb, 0, 1, a);
    expect(got(sb, 0)).toBe(a + b);
    add(sb, 0, 701, 'd'.repeat(50)); // beyond the small buffer: moves, the gap still held
    expect(got(sb, 0)).toBe(a + b);
    add(sb, 0, 401, c);
    expect(got(sb, 0)).toBe(a + b + c + 'd'.repeat(50));
    expect(add(sb, 0, 751, 'e'.repeat(4000))).toBe(true);
    expect(got(sb, 0)).toBe(a + b + c + 'd'.repeat(50) + 'e'.repeat(4096 - 750));
  });

  it('counts small and full buffers against one cap; a move never fails at the cap', () => {
    const sb = new StreamBuffers(4, { bytesPerDirection: 4096, maxBuffers: 2 });
    add(sb, 0, 1, 'small');
    add(sb, 1, 1, 'x'.repeat(1000)); // starts full
    expect(add(sb, 2, 1, 'third')).toBe(false);
    expect(sb.exhausted).toBe(1);
    add(sb, 0, 6, 'y'.repeat(1000)); // grows past the small buffer while the pool is at its cap
    expect(got(sb, 0)).toBe(`small${'y'.repeat(1000)}`);
    sb.release(1);
    sb.release(0);
    add(sb, 3, 1, 'again');
    expect(got(sb, 3)).toBe('again');
  });
});
