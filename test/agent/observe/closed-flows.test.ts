import { describe, expect, it } from 'vitest';
import { CLOSE_LINGER_MS, ClosedFlows } from '../../../agent/observe/closed-flows.js';

describe('closed flows', () => {
  it('finishes a conversation after FIN both ways (or one RST), once, after the linger', () => {
    const c = new ClosedFlows(8);
    const ended: number[] = [];
    const end = (id: number) => ended.push(id);
    c.created(1);
    c.created(2);
    c.created(3);
    c.tcpFlags(1, 0, true, false, 1000); // FIN from one side only: still open
    c.tcpFlags(2, 1, false, true, 1000); // RST: closed
    c.tcpFlags(3, 0, true, false, 1000);
    c.tcpFlags(3, 1, true, false, 1200); // FIN both ways: closed
    c.tcpFlags(3, 1, true, false, 1300); // retransmitted FIN: queued once
    c.expire(1000 + CLOSE_LINGER_MS, end);
    expect(ended).toEqual([]); // still lingering
    c.expire(1300 + CLOSE_LINGER_MS + 1, end);
    expect(ended).toEqual([2, 3]);
    c.expire(1_000_000, end);
    expect(ended).toEqual([2, 3]);
  });

  it('skips a queued flow that was finished otherwise and whose id now holds another flow', () => {
    const c = new ClosedFlows(4);
    const ended: number[] = [];
    c.created(0);
    c.tcpFlags(0, 0, false, true, 0);
    c.ended(0); // evicted before the linger ran out
    c.created(0); // the id is reused by a new conversation
    c.expire(CLOSE_LINGER_MS + 1, (id) => ended.push(id));
    expect(ended).toEqual([]);
  });

  it('keeps capture order while its queue wraps around and grows', () => {
    const c = new ClosedFlows(1000);
    const ended: number[] = [];
    const end = (id: number) => ended.push(id);
    const close = (id: number, ts: number) => {
      c.created(id);
      c.tcpFlags(id, 0, false, true, ts);
    };
    // 50 closed and expired (the ring's head moves on), then 300 more across the ring's end.
    for (let id = 0; id < 50; id++) close(id, id);
    c.expire(50 + CLOSE_LINGER_MS, end);
    expect(ended).toEqual(Array.from({ length: 50 }, (_, i) => i));
    for (let id = 50; id < 350; id++) close(id, id);
    c.expire(200 + CLOSE_LINGER_MS, end);
    expect(ended.length).toBe(200);
    c.expire(1_000_000, end);
    expect(ended).toEqual(Array.from({ length: 350 }, (_, i) => i));
  });
});
