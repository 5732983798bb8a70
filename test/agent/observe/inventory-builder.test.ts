import { describe, expect, it } from 'vitest';
import { ConnectionTable } from '../../../agent/observe/connection-table.js';
import { EvidenceStore } from '../../../agent/observe/evidence-store.js';
import { buildInventory } from '../../../agent/observe/inventory-builder.js';
import { iso } from '../../../agent/observe/iso-time.js';
import { loadIdentifier } from '../../../core/identify/load-identifier.js';
import { allFixtureFrames } from '../../../scripts/fixtures/index.js';
import { engineOver } from '../../helpers/run-engine.js';

const MAC_A = '00:1b:1b:00:00:01';
const MAC_B = '00:1b:1b:00:00:02';

function store() {
  const s = new EvidenceStore();
  // Device A: two endpoints (two addresses it claimed), each with facts and connections.
  const a1 = s.endpoint(MAC_A, '10.0.0.1')!;
  const a2 = s.endpoint(MAC_A, '10.0.0.2')!;
  const aMac = s.endpoint(MAC_A, null)!;
  s.record(aMac, 'mac.ip', '10.0.0.1', 1000);
  s.record(aMac, 'mac.ip', '10.0.0.2', 1000);
  s.record(a1, 'dhcp.hostname', 'plc-1', 2000);
  s.record(a2, 'dhcp.hostname', 'plc-1', 1500);
  s.record(a2, 'mdns.name', 'alpha.local', 3000);
  s.record(a1, 'net.vlan', '20.0', 1000);
  s.record(a2, 'net.vlan', '10.3', 1000);
  s.record(a1, 'net.service', 'tcp/502', 1000);
  s.record(a1, 'net.service', 'tcp/102', 1000);
  for (const ep of [a1, a2, aMac]) ep.sent = true;
  // Device B: one endpoint.
  const b = s.endpoint(MAC_B, '10.0.0.9')!;
  b.sent = true;
  s.record(b, 'net.service', 'tcp/80', 5000);
  s.nameAddress('203.0.113.5', 'Cloud.Example');
  s.nameAddress('203.0.113.5', 'api.example');
  const t = new ConnectionTable();
  const row = {
    remoteIp: '203.0.113.5',
    remotePort: 443,
    localPort: null,
    direction: 'outbound',
    proto: 'tcp',
  } as const;
  t.add({ endpoint: a1.id, ...row }, 3, 300, 4000, 5000);
  t.add({ endpoint: a2.id, ...row }, 2, 200, 3500, 6000); // same service from A's other address: merged
  t.add({ endpoint: b.id, ...row }, 1, 60, 7000, 7000);
  t.add({ endpoint: b.id, ...row, remotePort: 80 }, 1, 60, 7000, 7000);
  return { s, t };
}

describe('buildInventory', () => {
  const { s, t } = store();
  const inv = buildInventory(s, t, { identifier: null, geo: null });

  it('merges a device of several endpoints: names, VLANs, services, sorted', () => {
    const a = inv.devices.find((d) => d.id === `mac:${MAC_A}`)!;
    expect(a.ips).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(a.hostnames).toEqual(['alpha.local', 'plc-1']);
    expect(a.vlans).toEqual([10, 20]);
    expect(a.services).toEqual(['tcp/102', 'tcp/502']);
    const hostname = a.observations.find((o) => o.key === 'dhcp.hostname')!;
    expect(hostname).toMatchObject({ value: 'plc-1', count: 2, firstSeen: iso(1500), lastSeen: iso(2000) });
    const keys = a.observations.map((o) => `${o.key}=${o.value}`);
    expect(keys).toEqual([...keys].sort());
  });

  it('lists a device’s outer VLANs once each, in order, also past the few a scan handles', () => {
    const many = new EvidenceStore();
    const mac = many.endpoint(MAC_A, null)!;
    mac.sent = true;
    // 60 addresses the MAC claims, on 40 outer VLANs (some stacked, each several times), numbers and text.
    for (let i = 0; i < 60; i++) {
      const ep = many.endpoint(MAC_A, `10.1.0.${i}`)!;
      ep.sent = true;
      many.record(mac, 'mac.ip', `10.1.0.${i}`, 1000);
      const outer = 100 + ((i * 7) % 40);
      many.record(ep, 'net.vlan', i % 2 ? outer : `${outer}.${i}`, 1000);
      many.record(ep, 'net.vlan', 4094, 1000);
    }
    const device = buildInventory(many, new ConnectionTable(), { identifier: null, geo: null }).devices[0]!;
    expect(device.vlans).toEqual([...Array.from({ length: 40 }, (_, i) => 100 + i), 4094]);
  });

  it('adds up one device rows for the same remote service and keeps single rows apart', () => {
    expect(
      inv.connections.map((c) => [c.device, c.remotePort, c.packets, c.bytes, c.firstSeen, c.lastSeen]),
    ).toEqual([
      [`mac:${MAC_A}`, 443, 5, 500, iso(3500), iso(6000)],
      [`mac:${MAC_B}`, 80, 1, 60, iso(7000), iso(7000)],
      [`mac:${MAC_B}`, 443, 1, 60, iso(7000), iso(7000)],
    ]);
  });

  it('gives each connection its own sorted copy of the names', () => {
    const [x, y] = inv.connections;
    expect(x!.names).toEqual(['api.example', 'cloud.example']);
    expect(x!.names).not.toBe(y!.names);
    x!.names.push('changed');
    expect(y!.names).toEqual(['api.example', 'cloud.example']);
  });
});

describe('buildInventory without observation lists', () => {
  // The generated demo traffic through the engine: its evidence store and connection table.
  const engine = engineOver(allFixtureFrames());
  const identifier = loadIdentifier();
  const full = buildInventory(engine.store, engine.connections, { identifier, geo: null });
  const bare = buildInventory(engine.store, engine.connections, {
    identifier,
    geo: null,
    observations: false,
  });

  it('decides every identity as from the full list: identification reads only its own keys', () => {
    // The demo's identities rest on observations, not only on MAC registrants.
    const fromFacts = full.devices.flatMap((d) => d.reasons.flatMap((r) => r.evidence));
    expect(fromFacts.filter((e) => e.key !== 'oui.registrant').length).toBeGreaterThan(20);
    expect(full.devices.some((d) => d.observations.some((o) => !identifier.keys?.has(o.key)))).toBe(true);
    expect(bare.devices.every((d) => d.observations.length === 0)).toBe(true);
    expect(bare.devices).toEqual(full.devices.map((d) => ({ ...d, observations: [] })));
    expect(bare.connections).toEqual(full.connections);
    expect(bare.routers).toEqual(full.routers);
  });

  it('gives each device its own empty list', () => {
    const [a, b] = bare.devices;
    expect(a!.observations).not.toBe(b!.observations);
  });
});

describe('iso', () => {
  it('spells milliseconds with three digits and the date-time of the second', () => {
    expect(iso(0)).toBe('1970-01-01T00:00:00.000Z');
    expect(iso(1_700_000_000_007.9)).toBe('2023-11-14T22:13:20.007Z');
    expect(iso(1_700_000_000_070)).toBe('2023-11-14T22:13:20.070Z');
    expect(iso(1_700_000_000_999.99)).toBe('2023-11-14T22:13:20.999Z');
    expect(iso(-1)).toBe('1969-12-31T23:59:59.999Z');
  });

  it('answers a repeated time and the next one each with its own text', () => {
    expect(iso(1_700_000_001_500)).toBe('2023-11-14T22:13:21.500Z');
    expect(iso(1_700_000_001_500)).toBe('2023-11-14T22:13:21.500Z');
    expect(iso(1_700_000_001_501)).toBe('2023-11-14T22:13:21.501Z');
    expect(iso(Number.NaN)).toBe('1970-01-01T00:00:00.000Z');
    expect(iso(Number.NaN)).toBe('1970-01-01T00:00:00.000Z');
  });
});
