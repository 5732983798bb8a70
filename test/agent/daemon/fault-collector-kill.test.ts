// Fault test with real processes: the collector is killed with SIGKILL while it ingests a large
// batch (~2700 devices, from capture files the agent reads out of a watched directory). Its database
// must be consistent — the batch entirely there or entirely absent — and once it is back, the agent's
// resend completes it: devices, connections and evidence counts equal `analyze` of the same files.
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateBenchCapture } from '../../../scripts/bench/generate-capture.js';
import {
  agentConfig,
  agentMetrics,
  type Collector,
  cliBuilt,
  collector,
  freePort,
  type Proc,
  startAgent,
  tenant,
  until,
} from './harness/procs.js';
import { CollectorProxy } from './harness/proxy.js';
import { collectorTotals, expectedFrom } from './harness/state.js';

const skip = cliBuilt();
let dir: string;
let proxy: CollectorProxy | null = null;
const procs: Proc[] = [];
const captures: string[] = [];

beforeAll(() => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'om-fault-ckill-'));
  mkdirSync(join(dir, 'captures'));
  // ~2700 devices; the second file is the same traffic an hour later (so device assignment, which
  // depends on all evidence seen, is the same whether read at once or one file after the other).
  const first = join(dir, 'hour-1.pcap');
  generateBenchCapture(first, 2 * 1024 * 1024, 1);
  const second = join(dir, 'hour-2.pcap');
  writeFileSync(second, shiftPcap(readFileSync(first), 3600));
  captures.push(first, second);
});

afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop('SIGKILL')));
  await proxy?.close();
  if (dir && !process.env.OM_KEEP) rmSync(dir, { recursive: true, force: true });
});

/** A classic little-endian pcap with every record's time moved by `seconds`. */
function shiftPcap(pcap: Buffer, seconds: number): Buffer {
  const out = Buffer.from(pcap);
  for (let off = 24; off + 16 <= out.length; off += 16 + out.readUInt32LE(off + 8))
    out.writeUInt32LE(out.readUInt32LE(off) + seconds, off);
  return out;
}

/** Evidence and batches in the collector's database after a crash (opening it recovers the WAL). */
function afterCrash(db: string): { evidence: number; batches: number; integrity: string } {
  const conn = new Database(db);
  try {
    return {
      evidence: (conn.prepare('SELECT coalesce(sum(count), 0) AS n FROM evidence').get() as { n: number }).n,
      batches: (conn.prepare('SELECT count(*) AS n FROM batches').get() as { n: number }).n,
      integrity: (conn.pragma('integrity_check') as { integrity_check: string }[])[0]!.integrity_check,
    };
  } finally {
    conn.close();
  }
}

describe.skipIf(skip)(`collector killed mid-ingest${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('leaves a consistent database, and the agent resend completes it', async () => {
    const c: Collector = await collector(dir);
    procs.push(c.proc);
    const { enrollment } = await tenant(c, {
      uploadIntervalSeconds: 5,
      heartbeatIntervalSeconds: 30,
      maxBatchDevices: 5000,
    });
    proxy = new CollectorProxy(() => c.port);
    const proxyPort = await proxy.listen();
    const metricsPort = await freePort();
    const config = agentConfig(dir, {
      url: `http://127.0.0.1:${proxyPort}`,
      enrollment,
      capture: '  directory:\n    path: captures\n    settleSeconds: 0\n    pollSeconds: 1',
      metricsPort,
      // Every snapshot sends every count that grew (the second hour only repeats known facts).
      uplink: '  deviceRefreshMinutes: 0',
    });
    const agent = startAgent(config, dir);
    procs.push(agent);
    await until('enrollment', () => agent.has(/^enrolled/), 20_000);

    // First plant: measures how long the collector takes to answer a batch this size.
    copyFileSync(captures[0]!, join(dir, 'captures', 'hour-1.pcap'));
    await until(
      'the first plant uploaded',
      async () => {
        const m = await agentMetrics(metricsPort);
        return m.files_read_total === 1 && m.spool_batches === 0 && m.batches_uploaded_total! >= 1;
      },
      40_000,
    );
    const ingestMs = Math.max(...proxy.answerMs);
    const before = afterCrashSafe(c);

    // Second plant: SIGKILL half-way through the collector's work on it.
    let killedAt = 0;
    proxy.onUpload = () => {
      proxy!.onUpload = null;
      setTimeout(() => {
        killedAt = Date.now();
        c.proc.child.kill('SIGKILL');
      }, ingestMs / 2);
    };
    copyFileSync(captures[1]!, join(dir, 'captures', 'hour-2.pcap'));
    await until('the collector killed', () => killedAt > 0, 40_000);
    await c.proc.exited;
    const crashed = afterCrash(c.db);
    expect(crashed.integrity).toBe('ok');
    // All or nothing: the second hour repeats the first, so its batch doubles every count or adds none.
    if (crashed.batches === before.batches) expect(crashed.evidence).toBe(before.evidence);
    else expect(crashed.evidence).toBe(before.evidence * 2);
    await until('the agent to notice', () => agent.has(/upload failed/), 20_000);

    await c.start();
    procs.push(c.proc);
    await until(
      'the resend',
      async () => {
        const m = await agentMetrics(metricsPort);
        return m.files_read_total === 2 && m.spool_batches === 0 && m.batches_uploaded_total! >= 2;
      },
      40_000,
    );
    expect(await agent.stop('SIGTERM')).toBe(0);

    const expected = expectedFrom(captures);
    const got = collectorTotals(c.db);
    expect(got.integrity).toBe('ok');
    expect(expected.devices.length).toBeGreaterThan(2500);
    expect(got.devices).toEqual(expected.devices);
    expect(got.connections).toEqual(expected.connections);
    expect(got.evidence).toEqual(expected.evidence);
    process.stdout.write(
      `collector killed ${Math.round(ingestMs / 2)} ms into a ${Math.round(ingestMs)} ms ingest: ${crashed.batches === before.batches ? 'rolled back' : 'had committed'}\n`,
    );
  }, 120_000);
});

/** Counts while the collector runs (read-only, WAL readers do not block it). */
function afterCrashSafe(c: Collector): { evidence: number; batches: number } {
  const t = collectorTotals(c.db);
  return { evidence: Object.values(t.evidence).reduce((n, v) => n + v, 0), batches: t.batches };
}
