// The spool: batches in sequence order until acknowledged; a batch an upload touched is never
// changed; compaction merges only untouched batches and keeps every count; damaged rows are set
// aside; file marks go in with their batch.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BatchContent } from '../../../agent/uplink/batch-content.js';
import { Spool } from '../../../agent/uplink/spool.js';
import type { WireConnection, WireDevice } from '../../../core/wire.js';
import { conn, dev } from './wire-fixtures.js';

const LIMITS = { maxDevices: 1000, maxChars: 8 * 1024 * 1024 };
let dir: string;
let spool: Spool;

function content(devices: WireDevice[], connections: WireConnection[] = []): BatchContent {
  return { devices, connections, observations: [] };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'om-spool-'));
  spool = Spool.open(join(dir, 'state', 'spool.db'));
});
afterEach(() => {
  spool.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('spool', () => {
  it('hands out batches oldest first until acknowledged, and survives reopening', () => {
    spool.put(content([dev('00:00:00:00:00:01', { a: 1 })]), LIMITS);
    spool.put(content([dev('00:00:00:00:00:02', { b: 1 })]), LIMITS);
    const first = spool.next()!;
    expect(JSON.parse(first.payloadJson).devices[0].id).toBe('mac:00:00:00:00:00:01');
    spool.markAttempt(first.seq);
    spool.close();
    spool = Spool.open(join(dir, 'state', 'spool.db'));
    const again = spool.next()!;
    // Same batch, same id, its attempt remembered: a resend the collector recognises.
    expect(again).toMatchObject({ seq: first.seq, batchId: first.batchId, attempts: 1 });
    spool.ack(first.seq);
    expect(JSON.parse(spool.next()!.payloadJson).devices[0].id).toBe('mac:00:00:00:00:00:02');
    expect(spool.depth().batches).toBe(1);
  });

  it('cuts content to the device limit, one batch per part of a device', () => {
    const devices = Array.from({ length: 25 }, (_, i) =>
      dev(`00:00:00:00:01:${i.toString(16).padStart(2, '0')}`, { x: 1 }),
    );
    expect(spool.put(content(devices), { maxDevices: 10, maxChars: 1 << 20 })).toBe(3);
    expect(spool.depth().batches).toBe(3);
  });

  it('compacts only batches no upload touched, keeping every count', () => {
    const mac = '00:00:00:00:00:09';
    spool.put(content([dev(mac, { a: 1 })], [conn(mac, 443, 1, 100)]), LIMITS);
    const inFlight = spool.next()!;
    spool.markAttempt(inFlight.seq);
    for (let i = 0; i < 5; i++)
      spool.put(
        content([dev(mac, { a: 2, [`n${i}`]: 1 }, [`10.0.0.${i + 1}`])], [conn(mac, 443, 3, 300)]),
        LIMITS,
      );
    const before = spool.depth();
    const result = spool.compact(LIMITS)!;
    expect(result).toMatchObject({ batchesBefore: 5, batchesAfter: 1 });
    expect(spool.depth().batches).toBe(2);
    expect(spool.depth().bytes).toBeLessThan(before.bytes);
    // The batch in flight is untouched and still first.
    expect(spool.next()!).toMatchObject({ seq: inFlight.seq, batchId: inFlight.batchId });
    spool.ack(inFlight.seq);
    const merged = JSON.parse(spool.next()!.payloadJson) as BatchContent;
    expect(merged.devices).toHaveLength(1);
    const counts = Object.fromEntries(merged.devices[0]!.observations.map((o) => [o.value, o.count]));
    expect(counts).toEqual({ a: 10, n0: 1, n1: 1, n2: 1, n3: 1, n4: 1 });
    expect(merged.devices[0]!.ips).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5']);
    expect(merged.connections).toEqual([conn(mac, 443, 15, 1500)]);
    expect(spool.compact(LIMITS)).toBeNull(); // one untouched batch: nothing to merge
  });

  it('splits a device whose merged evidence exceeds the wire limit across batches', () => {
    const mac = '00:00:00:00:00:0a';
    for (let i = 0; i < 3; i++)
      spool.put(
        content([dev(mac, Object.fromEntries(Array.from({ length: 300 }, (_, j) => [`v${i}-${j}`, 1])))]),
        LIMITS,
      );
    spool.compact(LIMITS);
    const parts: BatchContent[] = [];
    for (let b = spool.next(); b; b = spool.next()) {
      parts.push(JSON.parse(b.payloadJson) as BatchContent);
      spool.ack(b.seq);
    }
    expect(parts.length).toBe(2);
    expect(parts.map((p) => p.devices[0]!.observations.length)).toEqual([512, 388]);
  });

  it('writes content produced piece by piece in one transaction: all of it, or none', () => {
    const mac = (i: number) => `00:00:00:00:02:${i.toString(16).padStart(2, '0')}`;
    function* pieces(fail: boolean): Generator<BatchContent> {
      yield content([dev(mac(1), { a: 1 }), dev(mac(2), { a: 1 }), dev(mac(3), { a: 1 })]);
      if (fail) throw new Error('building the next piece failed');
      yield content([], [conn(mac(1), 443, 1, 100)]);
    }
    const f = { path: '/captures/b.pcap', size: 10, mtimeMs: 5 };
    expect(() => spool.putParts(pieces(true), { maxDevices: 2, maxChars: 1 << 20, files: [f] })).toThrow(
      'building the next piece failed',
    );
    expect(spool.depth().batches).toBe(0);
    expect(spool.fileDone(f)).toBe(false);
    // Each piece is cut on its own: 3 devices at 2 a batch, then the connections.
    expect(spool.putParts(pieces(false), { maxDevices: 2, maxChars: 1 << 20, files: [f] })).toBe(3);
    expect(spool.fileDone(f)).toBe(true);
    const sizes: number[][] = [];
    for (let b = spool.next(); b; b = spool.next()) {
      const p = JSON.parse(b.payloadJson) as BatchContent;
      sizes.push([p.devices.length, p.connections.length]);
      spool.ack(b.seq);
    }
    expect(sizes).toEqual([
      [2, 0],
      [1, 0],
      [0, 1],
    ]);
  });

  it('sets a damaged row aside instead of blocking the queue', () => {
    spool.put(content([dev('00:00:00:00:00:01', { a: 1 })]), LIMITS);
    spool.put(content([dev('00:00:00:00:00:02', { b: 1 })]), LIMITS);
    spool.close();
    const raw = new Database(join(dir, 'state', 'spool.db'));
    raw
      .prepare('UPDATE batches SET payload = ? WHERE seq = (SELECT min(seq) FROM batches)')
      .run(Buffer.from('not gzip'));
    raw.close();
    spool = Spool.open(join(dir, 'state', 'spool.db'));
    expect(JSON.parse(spool.next()!.payloadJson).devices[0].id).toBe('mac:00:00:00:00:00:02');
    expect(spool.depth()).toMatchObject({ batches: 1, rejected: 1 });
  });

  it('marks capture files done with their batch, and forgets files that are gone', () => {
    const f = { path: '/captures/a.pcap', size: 10, mtimeMs: 5 };
    expect(spool.fileDone(f)).toBe(false);
    spool.put(content([dev('00:00:00:00:00:01', { a: 1 })]), { ...LIMITS, files: [f] });
    expect(spool.fileDone(f)).toBe(true);
    expect(spool.fileDone({ ...f, size: 11 })).toBe(false); // rewritten since
    expect(spool.pruneFiles(new Set())).toBe(1);
    expect(spool.fileDone(f)).toBe(false);
  });

  it('keeps the spool file private', () => {
    expect(statSync(join(dir, 'state', 'spool.db')).mode & 0o777).toBe(0o600);
  });
});
