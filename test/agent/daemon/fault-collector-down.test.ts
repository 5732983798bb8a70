// Fault test with real processes: the collector is down when the agent starts (it cannot even
// enroll), the agent captures live traffic from device namespaces with tcpdump and spools it; the
// collector comes up; every device, connection and evidence count arrives exactly once — compared
// whole with what `analyze` makes of a reference capture of the same interface.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPlant, canBuildNetworks, deviceTraffic, type PlantNet } from './harness/plant-net.js';
import {
  agentConfig,
  agentMetrics,
  type Collector,
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
import { collectorTotals, expectedFrom } from './harness/state.js';

const skip = canBuildNetworks() ?? cliBuilt();
let dir: string;
let plant: PlantNet | null = null;
const procs: Proc[] = [];

beforeAll(async () => {
  if (skip) return;
  dir = mkdtempSync(join(tmpdir(), 'om-fault-down-'));
  plant = await buildPlant(3);
});

afterAll(async () => {
  await Promise.all(procs.map((p) => p.stop('SIGKILL')));
  await plant?.destroy();
  if (dir && !process.env.OM_KEEP) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(skip)(`collector down, then up${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('delivers every device and connection seen while it was down, exactly once', async () => {
    const c: Collector = await collector(dir);
    procs.push(c.proc);
    const { enrollment } = await tenant(c);
    await c.proc.stop();
    const metricsPort = await freePort();
    const config = agentConfig(dir, {
      url: c.url,
      enrollment,
      capture: `  interfaces: [${plant!.captureIf}]`,
      metricsPort,
    });
    const ref = await referenceCapture(plant!.captureIf, join(dir, 'reference.pcap'));
    procs.push(ref);
    const agent = startAgent(config, dir);
    procs.push(agent);
    await until('the agent to run', () => agent.has('agent running'));

    await deviceTraffic(plant!, 20);
    // Spooled while the collector is down: batches wait on disk, uploads back off.
    await until('batches in the spool', async () => (await agentMetrics(metricsPort)).spool_batches! > 0);
    await until('an upload failure', () => agent.has(/cannot enroll yet|upload failed/));
    await deviceTraffic(plant!, 10, 600, false);
    await until('more snapshots', async () => (await agentMetrics(metricsPort)).batches_spooled_total! >= 2);

    await c.start();
    procs.push(c.proc);
    await until('enrollment', () => agent.has(/^enrolled/), 20_000);
    await until(
      'the spool to empty',
      async () => {
        const m = await agentMetrics(metricsPort);
        return m.spool_batches === 0 && m.batches_uploaded_total! >= 1;
      },
      30_000,
    );
    expect(agent.has('collector reachable again; sending the spool') || agent.has(/^enrolled/)).toBe(true);

    await deviceTraffic(plant!, 5);
    expect(await agent.stop('SIGTERM')).toBe(0);
    await stopTcpdump(ref);

    const expected = expectedFrom([join(dir, 'reference.pcap')]);
    const got = collectorTotals(c.db);
    expect(got.integrity).toBe('ok');
    // 3 devices and the gateway; a UDP and an HTTP connection per device.
    expect(expected.devices.length).toBe(4);
    expect(Object.keys(expected.connections).length).toBe(6);
    expect(got.devices).toEqual(expected.devices);
    expect(got.connections).toEqual(expected.connections);
    expect(got.evidence).toEqual(expected.evidence);
    const heartbeat = agent.logs().find((l) => l.msg === 'agent stopped') as Record<string, number>;
    expect(heartbeat.batches_duplicate_total).toBe(0);
    expect(heartbeat.capture_drops_total).toBe(0);
  }, 90_000);
});
