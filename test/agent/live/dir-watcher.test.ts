// The directory watcher: reads complete files once (a newer file exists, or the file settled),
// skips files already spooled, says once that a file is not a capture, and waits while a file grows.
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAgentLogger } from '../../../agent/daemon/log.js';
import { DirWatcher } from '../../../agent/live/dir-watcher.js';
import type { FileMark } from '../../../agent/uplink/spool.js';
import { until } from '../daemon/harness/procs.js';

let dir: string;
const PCAP = Buffer.concat([
  Buffer.from('d4c3b2a1020004000000000000000000ffff000001000000', 'hex'),
  ...[0, 1, 2].map((i) => {
    const r = Buffer.alloc(76);
    r.writeUInt32LE(1_700_000_000 + i, 0);
    r.writeUInt32LE(60, 8);
    r.writeUInt32LE(60, 12);
    return r;
  }),
]);

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'om-dir-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function watcher(settleMs: number, done = new Set<string>()) {
  const lines: string[] = [];
  let packets = 0;
  const w = new DirWatcher({
    source: { path: dir, suffixes: ['.pcap'], settleMs, pollMs: 50, deleteAfterRead: false },
    onPacket: () => {
      packets++;
    },
    isDone: (f: FileMark) => done.has(f.path),
    log: createAgentLogger('debug', { destination: { write: (l: string) => void lines.push(l) } }),
  });
  return { w, lines, packets: () => packets };
}

describe('directory watcher', () => {
  it('reads settled and superseded files once, the newest only once it settles', async () => {
    const old = Date.now() / 1000 - 60;
    writeFileSync(join(dir, 'a.pcap'), PCAP);
    utimesSync(join(dir, 'a.pcap'), old, old);
    writeFileSync(join(dir, 'b.pcap'), PCAP); // newest, just written: still being captured to?
    writeFileSync(join(dir, 'notes.txt'), 'not a capture, and not a .pcap name');
    const { w, packets } = watcher(60_000);
    w.start();
    await until('a.pcap', () => w.files === 1, 5000);
    await new Promise((r) => setTimeout(r, 300));
    expect(w.files).toBe(1); // b.pcap is the newest and has not settled
    writeFileSync(join(dir, 'c.pcap'), PCAP); // now b is superseded
    await until('b.pcap', () => w.files === 2, 5000);
    expect(packets()).toBe(6);
    const marks = w.takeMarks().map((m) => m.path);
    expect(marks).toEqual([join(dir, 'a.pcap'), join(dir, 'b.pcap')]);
    await new Promise((r) => setTimeout(r, 300));
    expect(w.files).toBe(2); // read files are not read again while their marks wait to be spooled
    await w.stop();
  });

  it('skips files the spool already holds, and names a file that is not a capture once', async () => {
    writeFileSync(join(dir, 'done.pcap'), PCAP);
    writeFileSync(join(dir, 'junk.pcap'), 'hello');
    const { w, lines } = watcher(0, new Set([join(dir, 'done.pcap')]));
    w.start();
    await until('the junk file', () => w.badFiles === 1, 5000);
    await new Promise((r) => setTimeout(r, 300));
    expect(w.files).toBe(0);
    expect(w.badFiles).toBe(1);
    expect(lines.filter((l) => l.includes('not a pcap or pcapng capture')).length).toBe(1);
    await w.stop();
  });
});
