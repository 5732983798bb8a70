// Fault test with real processes: the agent's state directory (its spool) is a small tmpfs that the
// test fills up. The agent keeps running and reading capture files, says so (log, metric, heartbeat
// spoolFull), holds what it cannot write in memory, and when space comes back it writes and uploads
// everything: the collector's totals equal `analyze` of the same files.
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateBenchCapture } from '../../../scripts/bench/generate-capture.js';
import {
  agentConfig,
  agentMetrics,
  api,
  cliBuilt,
  collector,
  freePort,
  type Proc,
  startAgent,
  tenant,
  until,
} from './harness/procs.js';
import { collectorTotals, expectedFrom } from './harness/state.js';

const skip =
  process.getuid?.() !== 0 ? 'needs root to mount a tmpfs (CI runs as root)' : (cliBuilt() ?? null);
let dir: string;
let mounted = false;
const procs: Proc[] = [];
const captures: string[] = [];

beforeAll(() => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'om-fault-disk-'));
  mkdirSync(join(dir, 'captures'));
  mkdirSync(join(dir, 'state'), { mode: 0o700 });
  const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=4m,mode=0700', 'tmpfs', join(dir, 'state')]);
  if (mount.status !== 0) throw new Error(`mount tmpfs: ${mount.stderr}`);
  mounted = true;
  const first = join(dir, 'hour-1.pcap');
  generateBenchCapture(first, 1024 * 1024, 3);
  const second = join(dir, 'hour-2.pcap');
  const shifted = Buffer.from(readFileSync(first));
  for (let off = 24; off + 16 <= shifted.length; off += 16 + shifted.readUInt32LE(off + 8))
    shifted.writeUInt32LE(shifted.readUInt32LE(off) + 3600, off);
  writeFileSync(second, shifted);
  captures.push(first, second);
});

afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop('SIGKILL')));
  if (mounted) spawnSync('umount', ['-l', join(dir, 'state')]);
  if (dir && !process.env.OM_KEEP) rmSync(dir, { recursive: true, force: true });
});

/** Fills the filesystem holding `file` until it refuses another byte. */
function fill(file: string): void {
  const fd = openSync(file, 'w');
  const chunk = Buffer.alloc(64 * 1024, 0xaa);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    closeSync(fd);
  }
  // The last partial chunk: what is left is less than 64 KiB; take that too.
  const small = openSync(`${file}.2`, 'w');
  try {
    for (;;) writeSync(small, Buffer.alloc(512));
  } catch {
    // full
  } finally {
    closeSync(small);
  }
}

describe.skipIf(skip)(`spool on a full disk${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('keeps running, says so, holds the data, and recovers when space returns', async () => {
    const c = await collector(dir);
    procs.push(c.proc);
    const { agentId, enrollment } = await tenant(c);
    const metricsPort = await freePort();
    const config = agentConfig(dir, {
      url: c.url,
      enrollment,
      capture: '  directory:\n    path: captures\n    settleSeconds: 0\n    pollSeconds: 1',
      metricsPort,
      uplink: '  deviceRefreshMinutes: 0',
    });
    const agent = startAgent(config, dir);
    procs.push(agent);
    await until('enrollment', () => agent.has(/^enrolled/), 20_000);

    // Fill only once nothing waits in the spool: a batch uploaded and deleted after the fill would
    // free the room the next one needs, and the spool would never refuse.
    await until('an empty spool', async () => (await agentMetrics(metricsPort)).spool_batches === 0, 20_000);
    fill(join(dir, 'state', 'filler'));
    copyFileSync(captures[0]!, join(dir, 'captures', 'hour-1.pcap'));
    await until(
      'the spool to refuse',
      async () => {
        const m = await agentMetrics(metricsPort);
        if (m.spool_full === 1) return true;
        // Not yet: what the agent reports, shown if this times out.
        throw new Error(
          `spool_full ${m.spool_full}, spool_batches ${m.spool_batches}, write failures ${m.spool_write_failures_total}, files read ${m.files_read_total}`,
        );
      },
      30_000,
    );
    expect(agent.has(/cannot write to the spool/)).toBe(true);
    // The collector hears about it in a heartbeat.
    await until(
      'a heartbeat saying the spool is full',
      async () =>
        (await api<{ lastHeartbeat: { spoolFull?: boolean } | null }>(c, 'GET', `/agents/${agentId}`))
          .lastHeartbeat?.spoolFull === true,
      20_000,
    );
    // Still reading capture files while the disk is full.
    copyFileSync(captures[1]!, join(dir, 'captures', 'hour-2.pcap'));
    await until(
      'the second file read',
      async () => (await agentMetrics(metricsPort)).files_read_total === 2,
      20_000,
    );
    expect(agent.child.exitCode).toBeNull();

    rmSync(join(dir, 'state', 'filler'));
    rmSync(join(dir, 'state', 'filler.2'));
    await until('space to be used again', () => agent.has('spool writable again'), 20_000);
    await until(
      'the spool to empty',
      async () => {
        const m = await agentMetrics(metricsPort);
        return m.spool_full === 0 && m.spool_batches === 0 && m.batches_uploaded_total! >= 1;
      },
      30_000,
    );
    expect(await agent.stop('SIGTERM')).toBe(0);

    const expected = expectedFrom(captures);
    const got = collectorTotals(c.db);
    expect(got.integrity).toBe('ok');
    expect(got.devices).toEqual(expected.devices);
    expect(got.connections).toEqual(expected.connections);
    expect(got.evidence).toEqual(expected.evidence);
    const stopped = agent.logs().find((l) => l.msg === 'agent stopped') as Record<string, number>;
    expect(stopped.spool_write_failures_total).toBeGreaterThan(0);
  }, 120_000);
});
