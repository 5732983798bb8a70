// A scheduled scan of the running agent reaches the collector like passive evidence: a real agent
// process with a `scan:` section, the simulated lab devices in network namespaces (scripts/lab), and
// a real collector. Needs root; skipped with a message otherwise.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Lab, labUnavailable, startLab } from '../../../scripts/lab/lab.js';
import {
  agentConfig,
  type Collector,
  cliBuilt,
  collector,
  freePort,
  type Proc,
  startAgent,
  tenant,
  until,
} from './harness/procs.js';

const skip = labUnavailable() ?? cliBuilt();
if (skip) console.warn(`scheduled-scan test skipped: ${skip}`);

let lab: Lab;
let dir: string;
let coll: Collector;
let agent: Proc | null = null;

beforeAll(async () => {
  if (skip) return;
  lab = await startLab();
  dir = mkdtempSync(join(tmpdir(), 'om-scan-'));
  coll = await collector(dir);
}, 120_000);

afterAll(async () => {
  await agent?.stop?.();
  await coll?.proc.stop?.();
  await lab?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(skip)('scheduled scans of the agent', () => {
  it('scan the lab once, and the devices arrive at the collector with active evidence', async () => {
    const { enrollment } = await tenant(coll);
    const s7 = lab.device('s7-300');
    const excluded = lab.device('huawei-ar');
    const config = agentConfig(dir, {
      url: coll.url,
      enrollment,
      capture: `  directory:\n    path: ${join(dir, 'captures')}\n    settleSeconds: 1\n    pollSeconds: 1`,
      metricsPort: await freePort(),
      extra: `scan:\n  everyMinutes: 60\n  targets: [${lab.cidr}]\n  exclude: [${excluded.ip}/32]\n  safe: true\n`,
    });
    agent = startAgent(config, dir);
    const db = () => new Database(coll.db, { readonly: true, fileMustExist: true });
    const active = (ip: string) => {
      const conn = db();
      try {
        return conn
          .prepare(
            `SELECT e.key, e.value FROM evidence e JOIN devices d ON d.id = e.device_id
             WHERE e.source = 'active' AND d.ips LIKE ?`,
          )
          .all(`%"${ip}"%`) as { key: string; value: string }[];
      } finally {
        conn.close();
      }
    };
    await until('the S7 evidence at the collector', () => active(s7.ip).length > 0, 90_000);
    const s7Evidence = active(s7.ip);
    expect(s7Evidence).toContainEqual({ key: 's7.order_number', value: '6ES7 315-2EH14-0AB0' });
    // The excluded device was never probed, so nothing active names it.
    expect(active(excluded.ip)).toEqual([]);
    // One completed run is remembered: a restart waits for the interval instead of scanning again.
    expect(Date.parse(readFileSync(join(dir, 'state', 'last-scan'), 'utf8').trim())).toBeGreaterThan(
      Date.now() - 120_000,
    );
  }, 150_000);
});
