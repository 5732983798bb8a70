// A capture child is a real process: its pcap output reaches the packet handler, its death means a
// restart with backoff and a counted gap, and a failure at start comes back with what it said.
import { describe, expect, it } from 'vitest';
import { createAgentLogger } from '../../../agent/daemon/log.js';
import { CaptureChild } from '../../../agent/live/capture-child.js';
import { until } from '../daemon/harness/procs.js';

// Writes a pcap header and `n` 60-byte Ethernet frames, then exits with `code` after `ms`.
const EMIT = `
const [n, code, ms] = process.argv.slice(1).map(Number);
const head = Buffer.from('d4c3b2a1020004000000000000000000ffff000001000000', 'hex');
const recs = [];
for (let i = 0; i < n; i++) { const r = Buffer.alloc(76); r.writeUInt32LE(1700000000 + i, 0); r.writeUInt32LE(60, 8); r.writeUInt32LE(60, 12); recs.push(r); }
process.stdout.write(Buffer.concat([head, ...recs]), () => setTimeout(() => process.exit(code), ms));
`;

function child(args: string[], lines: string[]) {
  let packets = 0;
  const c = new CaptureChild({
    name: 'test source',
    command: process.execPath,
    args: ['-e', EMIT, '--', ...args],
    isTcpdump: false,
    onPacket: () => {
      packets++;
    },
    restartMinMs: 100,
    restartMaxMs: 200,
    log: createAgentLogger('debug', { destination: { write: (l: string) => void lines.push(l) } }),
  });
  return { c, packets: () => packets };
}

describe('capture child', () => {
  it('reads packets, restarts a child that died, and counts the gap', async () => {
    const lines: string[] = [];
    const { c, packets } = child(['5', '1', '50'], lines);
    expect(await c.start()).toEqual({ ok: true });
    await until('two restarts', () => c.stats().restarts >= 2, 10_000);
    await c.stop();
    expect(packets()).toBeGreaterThanOrEqual(10); // two runs at least (5 frames each)
    expect(c.stats().packets).toBe(packets());
    expect(c.stats().gapMs).toBeGreaterThan(0);
    expect(lines.some((l) => l.includes('stopped; restarting with backoff'))).toBe(true);
    expect(lines.some((l) => l.includes('capturing again'))).toBe(true);
  });

  it('reports a failure at start with what the child said', async () => {
    const lines: string[] = [];
    const c = new CaptureChild({
      name: 'tcpdump on eth9',
      command: process.execPath,
      args: [
        '-e',
        'process.stderr.write("tcpdump: eth9: You don\'t have permission to perform this capture on that device\\n"); process.exit(1)',
      ],
      isTcpdump: true,
      onPacket: () => {},
      restartMinMs: 1000,
      restartMaxMs: 1000,
      log: createAgentLogger('debug', { destination: { write: (l: string) => void lines.push(l) } }),
    });
    expect(await c.start()).toEqual({
      ok: false,
      failure: { kind: 'permission', message: expect.stringMatching(/permission/) },
    });
    await c.stop();
  });

  it('stops a child that is not a capture', async () => {
    const lines: string[] = [];
    const c = new CaptureChild({
      name: 'odd command',
      command: process.execPath,
      args: ['-e', "process.stdout.write('hello, this is not pcap'); setInterval(() => {}, 1000)"],
      isTcpdump: false,
      onPacket: () => {},
      restartMinMs: 5000,
      restartMaxMs: 5000,
      log: createAgentLogger('debug', { destination: { write: (l: string) => void lines.push(l) } }),
    });
    await c.start();
    await until('the child stopped', () => !c.running, 5000);
    expect(lines.some((l) => l.includes('not a pcap or pcapng capture'))).toBe(true);
    await c.stop();
  });
});
