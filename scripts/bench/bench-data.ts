// Generated inventory for the collector benchmark: devices with plausible evidence (DHCP, mDNS,
// banners, TLS) drawn from a seeded generator, and a small rule-based Identifier standing in for
// the real engine (a handful of regexes per device, each decision with its evidence).
import type { DeviceEvidence, Identifier } from '../../core/identify/contracts.js';
import { type DeviceClass, emptyIdentity, type FieldReason, type Identity } from '../../core/inventory.js';
import type { Batch, WireDevice } from '../../core/wire.js';
import { rng } from '../lib/xorshift.js';

const KINDS = [
  { banner: ['ssh.banner', 'SSH-2.0-HUAWEI-1.5'], vendorClass: 'huawei-ar', host: 'rtr' },
  { banner: ['http.server', 'Hikvision-Webs'], vendorClass: 'udhcp 1.30.1', host: 'cam' },
  {
    banner: ['snmp.sys_descr', 'Siemens, SIMATIC S7-1500, CPU 1516-3 PN/DP'],
    vendorClass: 'SIEMENS',
    host: 'plc',
  },
  { banner: ['http.server', 'Microsoft-IIS/10.0'], vendorClass: 'MSFT 5.0', host: 'ws' },
  { banner: ['ssh.banner', 'SSH-2.0-OpenSSH_9.2p1 Debian-2'], vendorClass: 'dhcpcd-9.4.1', host: 'srv' },
  { banner: ['http.server', 'Dahua Rtsp Server'], vendorClass: 'udhcp 1.24.2', host: 'nvr' },
  { banner: ['snmp.sys_descr', 'Cisco IOS Software, C2960 Software'], vendorClass: 'ciscopnp', host: 'sw' },
  { banner: ['http.server', 'lighttpd/1.4.59'], vendorClass: 'android-dhcp-13', host: 'iot' },
] as const;

const hex = (n: number) => n.toString(16).padStart(2, '0');

/**
 * One device of the fleet; `index` makes it unique, the MAC is random (real inserts are not
 * ordered). As a live agent reports it: last seen within the minute before `now`, first seen up
 * to 30 days earlier.
 */
export function makeDevice(index: number, rand: () => number, now: number): WireDevice {
  const kind = KINDS[Math.floor(rand() * KINDS.length)]!;
  const octets = [
    0x00,
    Math.floor(rand() * 256),
    Math.floor(rand() * 256),
    (index >>> 16) & 0xff,
    (index >>> 8) & 0xff,
    index & 0xff,
  ];
  const mac = octets.map(hex).join(':');
  const lastMs = now - Math.floor(rand() * 60_000);
  const first = new Date(lastMs - Math.floor(rand() * 30 * 86_400_000)).toISOString();
  const last = new Date(lastMs).toISOString();
  const name = `${kind.host}-${index}`;
  const ev = (key: string, value: string | number, count = 1 + Math.floor(rand() * 20)) => ({
    key,
    value,
    source: 'passive' as const,
    count,
    firstSeen: first,
    lastSeen: last,
  });
  return {
    id: `mac:${mac}`,
    mac,
    ips: [`10.${(index >>> 16) & 0xff}.${(index >>> 8) & 0xff}.${index & 0xff}`],
    hostnames: [name],
    vlans: [],
    services: [],
    roles: [],
    firstSeen: first,
    lastSeen: last,
    observations: [
      ev('dhcp.hostname', name),
      ev('dhcp.vendor_class', kind.vendorClass),
      ev('dhcp.param_list', '1,3,6,15,31,33,43,44,46,47,119,121,249,252'),
      ev(kind.banner[0], kind.banner[1]),
      ev('mdns.name', `${name}.local`),
      ev('tls.ja4', `t13d1516h2_8daaf6152771_${hex(Math.floor(rand() * 256))}e5627efa2ab`),
      ev('ip.ttl', kind.host === 'ws' ? 128 : 64),
      ev('net.service', kind.host === 'plc' ? 'tcp/102' : 'tcp/443'),
    ],
  };
}

export function makeBatch(
  agentId: number,
  seq: number,
  firstIndex: number,
  size: number,
  seed: number,
  now = Date.now(),
  /** Distinguishes a re-report of the same devices (a new batch, not a replay). */
  tag = '',
): Batch {
  const rand = rng(seed);
  const devices: WireDevice[] = [];
  for (let i = 0; i < size; i++) devices.push(makeDevice(firstIndex + i, rand, now));
  return {
    agentId,
    batchId: `bench-${agentId}-${seq}-${seed.toString(36)}${tag}`,
    seq,
    createdAt: new Date(now).toISOString(),
    devices,
    connections: [],
    observations: [],
  };
}

interface Rule {
  key: string;
  test: RegExp;
  vendor: string;
  country: string;
  watchlists: string[];
  class: DeviceClass;
}

const RULES: Rule[] = [
  {
    key: 'ssh.banner',
    test: /HUAWEI/i,
    vendor: 'Huawei',
    country: 'CN',
    watchlists: ['ndaa-889'],
    class: 'router',
  },
  {
    key: 'http.server',
    test: /Hikvision/i,
    vendor: 'Hikvision',
    country: 'CN',
    watchlists: ['ndaa-889'],
    class: 'camera',
  },
  {
    key: 'http.server',
    test: /Dahua/i,
    vendor: 'Dahua',
    country: 'CN',
    watchlists: ['ndaa-889'],
    class: 'nvr',
  },
  { key: 'snmp.sys_descr', test: /SIMATIC/i, vendor: 'Siemens', country: 'DE', watchlists: [], class: 'plc' },
  {
    key: 'snmp.sys_descr',
    test: /Cisco IOS/i,
    vendor: 'Cisco',
    country: 'US',
    watchlists: [],
    class: 'switch',
  },
  {
    key: 'http.server',
    test: /Microsoft-IIS/i,
    vendor: 'Microsoft',
    country: 'US',
    watchlists: [],
    class: 'server',
  },
];

/** A stand-in engine: one pass over the evidence, regexes per rule key, reasons with evidence. */
export class BenchIdentifier implements Identifier {
  identify(evidence: DeviceEvidence): Identity {
    const id = emptyIdentity(evidence.mac);
    for (const o of evidence.observations) {
      if (typeof o.value !== 'string') continue;
      for (const r of RULES) {
        if (r.key !== o.key || !r.test.test(o.value)) continue;
        const evs = [
          { key: o.key, value: o.value, rule: `${o.key}:${r.vendor.toLowerCase()}`, source: o.source },
        ];
        const reason = (field: FieldReason['field'], value: string): FieldReason => ({
          field,
          value,
          confidence: 0.9,
          evidence: evs,
          conflicts: [],
        });
        Object.assign(id, {
          vendor: r.vendor,
          vendorCountry: r.country,
          watchlists: r.watchlists,
          class: r.class,
          confidence: 0.9,
        });
        id.reasons = [reason('vendor', r.vendor), reason('class', r.class)];
        return id;
      }
    }
    return id;
  }
}

/** The bench engine for the collector's thread (CollectorInput.identifierModule names this module). */
export async function loadIdentifier(): Promise<{ identifier: Identifier; signaturesVersion: string }> {
  return { identifier: new BenchIdentifier(), signaturesVersion: 'bench' };
}
