// The upload client against a real collector on loopback: gzip POST, acknowledgement, replay,
// and typed errors for each way an upload can fail.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { batchesFromReport, uploadBatch } from '../../../agent/uplink/report-batches.js';
import { fetchAgentConfig, UploadError } from '../../../agent/uplink/upload.js';
import { type ConnectionRecord, type DeviceRecord, emptyIdentity } from '../../../core/inventory.js';
import { type RunningServer, startServer } from '../../../server/main.js';
import { FakeIdentifier } from '../../server/fake-identifier.js';
import { batch, call, device, makeTenant, type Tenant } from '../../server/helpers.js';

let server: RunningServer;
let tenant: Tenant;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'om-upload-'));
  server = await startServer({
    db: join(dir, 'c.db'),
    identifier: new FakeIdentifier(),
    signaturesVersion: 's',
    host: '127.0.0.1',
    port: 0,
    handleSignals: false,
    rateLimit: { burst: 5, perSecond: 0.01 },
  });
  const admin = server.app.services.tokens.issue({ role: 'admin' }, new Date().toISOString()).token;
  tenant = await makeTenant({ app: server.app, admin, dir, close: async () => {} }, 'Upload Co');
});
afterAll(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

function record(mac: string, banner: string): DeviceRecord {
  return {
    id: `mac:${mac}`,
    mac,
    ips: ['10.1.0.2'],
    hostnames: ['plc-1'],
    ...emptyIdentity(null),
    vendor: 'AgentSaysSomething',
    vendorCountry: 'XX',
    vlans: [],
    services: ['tcp/102'],
    roles: ['s7comm:server'],
    firstSeen: '2025-01-01T00:00:00.000Z',
    lastSeen: '2025-01-01T00:00:05.000Z',
    observations: [
      {
        key: 's7.module_name',
        value: banner,
        source: 'passive',
        count: 3,
        firstSeen: '2025-01-01T00:00:00.000Z',
        lastSeen: '2025-01-01T00:00:05.000Z',
      },
    ],
  };
}

describe('upload', () => {
  it('uploads an analyze report; the devices appear with the identity the collector decided', async () => {
    const opts = { url: server.url, token: tenant.agentToken };
    const config = await fetchAgentConfig(opts);
    expect(config.agentId).toBe(tenant.agentId);
    const connections: ConnectionRecord[] = [
      {
        device: 'mac:00:1b:1b:07:00:01',
        remoteIp: '192.0.2.80',
        direction: 'outbound',
        remotePort: 443,
        localPort: null,
        proto: 'tcp',
        country: 'DE',
        asn: 3320,
        asOrg: 'DTAG',
        provider: null,
        providerKind: null,
        names: ['update.example'],
        packets: 3,
        bytes: 300,
        firstSeen: '2025-01-01T00:00:00.000Z',
        lastSeen: '2025-01-01T00:00:01.000Z',
      },
    ];
    const batches = batchesFromReport(
      {
        devices: [record('00:1b:1b:07:00:01', 'SIMATIC CPU 1516'), record('00:1b:1b:07:00:02', 'unknown')],
        connections,
      },
      config.agentId,
      { maxDevices: 1 },
    );
    expect(batches).toHaveLength(2);
    expect(batches[0]!.connections).toHaveLength(1);
    const acks = [];
    for (const b of batches) acks.push(await uploadBatch(b, opts));
    expect(acks.map((x) => x.duplicate)).toEqual([false, false]);
    const replay = await uploadBatch(batches[0]!, opts);
    expect(replay.duplicate).toBe(true);

    const analyst = tenant.analyst;
    const list = await call<{ items: { key: string; vendor: string | null; class: string | null }[] }>(
      server.app,
      { method: 'GET', url: '/v1/devices', token: analyst },
      200,
    );
    // The agent's own vendor claim is not taken: the collector decides from the evidence.
    expect(list.items.map((d) => [d.key, d.vendor, d.class])).toEqual([
      ['mac:00:1b:1b:07:00:01', 'Siemens', 'plc'],
      ['mac:00:1b:1b:07:00:02', null, null],
    ]);
  });

  it('reports auth, rejection, rate-limit and network failures as typed errors', async () => {
    const bad = await uploadBatch(batch(tenant.agentId), {
      url: server.url,
      token: `om_${'x'.repeat(43)}`,
    }).catch((e) => e);
    expect(bad).toBeInstanceOf(UploadError);
    expect(bad).toMatchObject({ kind: 'auth', status: 401, code: 'OM_ERR_AUTH_INVALID', retryable: false });

    const wrongAgent = await uploadBatch(batch(tenant.agentId + 99), {
      url: server.url,
      token: tenant.agentToken,
    }).catch((e) => e);
    expect(wrongAgent).toMatchObject({ kind: 'auth', status: 403, code: 'OM_ERR_INGEST_AGENT_MISMATCH' });

    const invalid = batch(tenant.agentId, {
      devices: [device('00:1b:1b:07:00:09', {}, { firstSeen: '2025-02-01T00:00:00Z' })],
    });
    const rejected = await uploadBatch(invalid, { url: server.url, token: tenant.agentToken }).catch(
      (e) => e,
    );
    expect(rejected).toMatchObject({
      kind: 'rejected',
      status: 400,
      code: 'OM_ERR_INGEST_INVALID',
      retryable: false,
    });

    const local = await uploadBatch(
      { ...batch(tenant.agentId), seq: -1 },
      { url: server.url, token: tenant.agentToken },
    ).catch((e) => e);
    expect(local).toMatchObject({ kind: 'rejected', status: null });

    let limited: UploadError | undefined;
    for (let i = 0; i < 10 && !limited; i++) {
      limited = await uploadBatch(batch(tenant.agentId), { url: server.url, token: tenant.agentToken }).then(
        () => undefined,
        (e: UploadError) => e,
      );
    }
    expect(limited).toMatchObject({ kind: 'rate-limited', status: 429, retryable: true });
    expect(limited!.retryAfterSeconds).toBeGreaterThan(0);

    const down = await uploadBatch(batch(tenant.agentId), {
      url: 'http://127.0.0.1:1',
      token: tenant.agentToken,
    }).catch((e) => e);
    expect(down).toMatchObject({ kind: 'network', retryable: true });
  });
});
