// Fault test with real processes: the agent is killed with SIGKILL while an upload is in flight (the
// collector has committed the batch, its answer is held back), then restarted on the same state
// directory. Its leftover tcpdump is killed, the in-flight batch is resent and acknowledged as a
// duplicate, and the collector ends with exactly the traffic of a reference capture.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processStart } from '../../../agent/live/child-registry.js';
import { buildPlant, canBuildNetworks, deviceTraffic, type PlantNet } from './harness/plant-net.js';
import {
  agentConfig,
  agentMetrics,
  captureSettled,
  cliBuilt,
  collector,
  freePort,
  type Proc,
  referenceCapture,
  startAgent,
  stopTcpdump,
  tenant,
  until,
} from './harness/procs.js';
import { CollectorProxy } from './harness/proxy.js';
import { collectorTotals, expectedFrom } from './harness/state.js';

const skip = canBuildNetworks() ?? cliBuilt();
let dir: string;
let plant: PlantNet | null = null;
let proxy: CollectorProxy | null = null;
const procs: Proc[] = [];

beforeAll(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'om-fault-kill-'));
  plant = await buildPlant(3);
});

afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop('SIGKILL')));
  await proxy?.close();
  await plant?.destroy();
  if (dir && !process.env.OM_KEEP) rmSync(dir, { recursive: true, force: true });
});

/** The capture children the agent recorded in its state directory. */
function recordedChildren(): number[] {
  const entries = JSON.parse(readFileSync(join(dir, 'state', 'capture-children.json'), 'utf8')) as {
    pid: number;
  }[];
  return entries.map((e) => e.pid);
}

describe.skipIf(skip)(`agent killed mid-upload${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('restarts, kills its leftover tcpdump, resends the batch in flight: nothing lost, nothing doubled', async () => {
    const c = await collector(dir);
    procs.push(c.proc);
    const { enrollment } = await tenant(c);
    proxy = new CollectorProxy(() => c.port);
    const proxyPort = await proxy.listen();
    const metricsPort = await freePort();
    const config = agentConfig(dir, {
      url: `http://127.0.0.1:${proxyPort}`,
      enrollment,
      capture: `  interfaces: [${plant!.captureIf}]`,
      metricsPort,
    });
    const ref = await referenceCapture(plant!.captureIf, join(dir, 'reference.pcap'));
    procs.push(ref);
    const first = startAgent(config, dir);
    procs.push(first);
    await until('enrollment', () => first.has(/^enrolled/), 20_000);
    // Enrollment runs beside the capture's start: traffic sent before tcpdump listens is in the
    // reference capture only (a device sending 70 ms before the others lost all of phase 1).
    await until('the capture to run', () => first.has('agent running'), 20_000);

    proxy.holdUploads = true;
    await deviceTraffic(plant!, 20);
    // All of it read before the snapshot that must hold it: a snapshot taken while the last packets
    // were still in tcpdump's buffer left them to die with the agent (1 run in 5 lost 2 to 40 packets).
    await captureSettled(metricsPort);
    const spooledAfterTraffic = (await agentMetrics(metricsPort)).batches_spooled_total!;
    // Everything of phase 1 is in the spool, and one upload is in flight with its answer held.
    await until(
      'a snapshot after the traffic',
      async () => (await agentMetrics(metricsPort)).batches_spooled_total! > spooledAfterTraffic,
      20_000,
    );
    await until('an upload in flight', () => proxy!.uploadsForwarded > 0, 20_000);
    await until('the collector to commit it', () => collectorTotals(c.db).batches > 0, 10_000);
    const children = recordedChildren();
    expect(children.length).toBe(1);
    first.child.kill('SIGKILL');
    await first.exited;
    // The dead agent's tcpdump sees no traffic, so nothing tells it its reader is gone...
    expect(processStart(children[0]!)).not.toBeNull();

    proxy.pass();
    const second = startAgent(config, dir);
    procs.push(second);
    await until('the agent to run again', () => second.has('agent running'), 20_000);
    // ...until the next agent on this state directory kills it.
    expect(second.has('killed capture children a previous agent left running')).toBe(true);
    await until('the leftover tcpdump to be gone', () => processStart(children[0]!) === null, 5000);

    await until(
      'the spool to empty',
      async () => {
        const m = await agentMetrics(metricsPort);
        return m.spool_batches === 0 && m.batches_duplicate_total! >= 1;
      },
      30_000,
    );
    // Other source ports: no flow spans the kill (a fresh engine would count its first packet again).
    await deviceTraffic(plant!, 10, 200, true, 41000);
    expect(await second.stop('SIGTERM')).toBe(0);
    await stopTcpdump(ref);

    const expected = expectedFrom([join(dir, 'reference.pcap')]);
    const got = collectorTotals(c.db);
    expect(got.integrity).toBe('ok');
    expect(Object.keys(expected.connections).length).toBe(6);
    expect(got.devices).toEqual(expected.devices);
    expect(got.connections).toEqual(expected.connections);
    // Evidence of phase 1 not yet spooled died with the first agent; none may be counted twice.
    for (const [k, n] of Object.entries(got.evidence))
      expect(n, k).toBeLessThanOrEqual(expected.evidence[k] ?? 0);
    const stopped = second.logs().find((l) => l.msg === 'agent stopped') as Record<string, number>;
    expect(stopped.batches_duplicate_total).toBeGreaterThanOrEqual(1);
  }, 90_000);
});
