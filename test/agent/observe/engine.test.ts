// The generated demo traffic through `analyze` in every capture format and link type, and a golden
// file of the full inventory (regenerate with UPDATE_GOLDEN=1 after a deliberate change).
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeCaptures } from '../../../agent/analyze.js';
import type { AnalyzeReport } from '../../../core/inventory.js';
import { generateFixtures } from '../../../scripts/generate-fixtures.js';

const GOLDEN = new URL('../../golden/demo-inventory.json', import.meta.url);
let dir: string;
const reports = new Map<string, AnalyzeReport>();

function stable(r: AnalyzeReport): unknown {
  return { ...r, stats: { ...r.stats, durationMs: 0 } };
}

const connectionSet = (r: AnalyzeReport) =>
  r.connections.map((c) => `${c.remoteIp}|${c.proto}|${c.remotePort}|${c.direction}`).sort();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'om-fixtures-'));
  for (const path of generateFixtures(dir)) reports.set(path.slice(dir.length + 1), analyzeCaptures([path]));
});

describe('generated captures', () => {
  it('Ethernet captures give the same inventory in every pcap/pcapng byte order and resolution', () => {
    const ref = stable(reports.get('demo-us-le.pcap')!);
    for (const f of ['demo-us-be.pcap', 'demo-ns-le.pcap', 'demo-ns-be.pcap', 'demo-be.pcapng'])
      expect(stable(reports.get(f)!), f).toEqual(ref);
  });

  it('every format and link type finds the same external connections', () => {
    const ref = connectionSet(reports.get('demo-us-le.pcap')!);
    expect(ref.length).toBeGreaterThan(0);
    for (const [f, r] of reports) {
      if (f === 'demo-raw6.pcap') continue; // IPv6 only: the demo's external traffic is IPv4
      expect(connectionSet(r), f).toEqual(ref);
      expect(r.stats.skipped, f).toEqual({});
    }
  });

  it('captures without MACs key devices by address (unless neighbour discovery names the MAC)', () => {
    const raw = reports.get('demo-raw.pcap')!;
    // Without link headers, a MAC is known only where a protocol carries it (IPv6 neighbour
    // advertisements, DHCP chaddr): those devices are the same ones the Ethernet capture shows.
    const ethernetMacs = new Set(reports.get('demo-us-le.pcap')!.devices.map((d) => d.mac));
    const rawMacs = raw.devices.filter((d) => d.mac).map((d) => d.mac);
    expect(rawMacs).toContain('f4:8e:38:11:22:33');
    for (const mac of rawMacs) expect(ethernetMacs.has(mac), String(mac)).toBe(true);
    for (const d of raw.devices.filter((x) => !x.mac)) expect(d.id).toBe(`ip:${d.ips[0]}`);
    const v4 = (r: AnalyzeReport) =>
      new Set(r.devices.flatMap((d) => d.ips).filter((ip) => !ip.includes(':')));
    const ethernet = v4(reports.get('demo-us-le.pcap')!);
    const rawV4 = v4(raw);
    for (const ip of rawV4) expect(ethernet.has(ip), ip).toBe(true);
    // Only stations that never sent IP (ARP or DHCP from 0.0.0.0 only) are missing without a link layer.
    expect(rawV4.size).toBeGreaterThanOrEqual(ethernet.size - 1);
  });

  it('matches the golden inventory', () => {
    const got = stable(reports.get('demo-us-le.pcap')!);
    if (process.env.UPDATE_GOLDEN) writeFileSync(GOLDEN, `${JSON.stringify(got, null, 2)}\n`);
    expect(got).toEqual(JSON.parse(readFileSync(GOLDEN, 'utf8')));
  });
});

describe('what the demo network shows', () => {
  it('binds addresses, sees VLANs and services, and flags the randomised MAC', () => {
    const r = reports.get('demo-us-le.pcap')!;
    const byMac = new Map(r.devices.map((d) => [d.mac, d]));
    expect(byMac.get('f4:8e:38:11:22:33')!.ips).toEqual(['192.168.10.20', 'fe80::f68e:38ff:fe11:2233']);
    expect(byMac.get('00:1b:1b:aa:bb:01')).toMatchObject({ vlans: [20], services: ['tcp/502'] });
    expect(byMac.get('da:a1:19:00:00:07')!.randomizedMac).toBe(true);
    const ws = byMac.get('f4:8e:38:11:22:33')!;
    expect(ws.observations.find((o) => o.key === 'tcp.syn')?.value).toBe('128:64240:1460:8:M,N,W,N,N,S');
    expect(ws.observations.filter((o) => o.key === 'ip.ttl').map((o) => o.value)).toEqual([128]);
    const wsConnections = r.connections.filter((c) => c.device === 'mac:f4:8e:38:11:22:33');
    expect(wsConnections.map((c) => `${c.remoteIp} ${c.country}`)).toEqual([
      '1.0.1.1 CN',
      '133.242.0.1 JP',
      '52.97.146.162 US',
      '8.8.8.8 US',
    ]);
    expect(wsConnections.every((c) => c.direction === 'outbound')).toBe(true);
    expect(wsConnections.find((c) => c.remoteIp === '133.242.0.1')?.names).toEqual(['ntt-dc.example.jp']);
  });
});
