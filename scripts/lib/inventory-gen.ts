// Deterministic generator of plausible plant inventories (an `analyze --json` document) for policy
// golden tests, report tests and demos. Vendors, classes and remote networks are realistic; every
// address is from documentation ranges (RFC 5737), so nothing here names a real host.
import type {
  AnalyzeReport,
  ConnectionRecord,
  DeviceClass,
  DeviceRecord,
  ProviderKind,
} from '../../core/inventory.js';

interface VendorSpec {
  name: string;
  country: string;
  /** [class, model] pairs the vendor makes. */
  products: [DeviceClass, string][];
  watchlists?: string[];
  /** First three MAC octets to use (a prefix the vendor registers). */
  oui: string;
  registrant: string;
  registrantCountry: string;
}

// Watch-list memberships as the vendor catalog records them (NDAA §889 and the FCC Covered List for
// the five §889 vendors, DJI on the Covered List since 2025-12-22 and the Entity List since 2020-12-18).
const VENDORS: VendorSpec[] = [
  {
    name: 'Siemens',
    country: 'DE',
    products: [
      ['plc', 'S7-1500 CPU 1516-3 PN/DP'],
      ['plc', 'S7-1200 CPU 1214C'],
      ['hmi', 'SIMATIC HMI TP1200 Comfort'],
      ['switch', 'SCALANCE XC208'],
    ],
    oui: '00:1b:1b',
    registrant: 'Siemens AG',
    registrantCountry: 'DE',
  },
  {
    name: 'Mitsubishi Electric',
    country: 'JP',
    products: [
      ['plc', 'MELSEC iQ-R R04CPU'],
      ['plc', 'MELSEC iQ-F FX5U'],
      ['hmi', 'GOT2000 GT2712'],
    ],
    oui: '00:26:92',
    registrant: 'Mitsubishi Electric Corporation',
    registrantCountry: 'JP',
  },
  {
    name: 'Omron',
    country: 'JP',
    products: [
      ['plc', 'NX1P2'],
      ['plc', 'CJ2M-CPU33'],
    ],
    oui: '00:00:0a',
    registrant: 'OMRON TATEISI ELECTRONICS CO.',
    registrantCountry: 'JP',
  },
  {
    name: 'Yokogawa',
    country: 'JP',
    products: [
      ['rtu', 'STARDOM FCN-500'],
      ['hmi', 'CENTUM VP HIS'],
    ],
    oui: '00:00:64',
    registrant: 'Yokogawa Digital Computer Corporation',
    registrantCountry: 'JP',
  },
  {
    name: 'Schneider Electric',
    country: 'FR',
    products: [
      ['plc', 'Modicon M580'],
      ['ied', 'Easergy P3'],
    ],
    oui: '00:80:f4',
    registrant: 'Telemecanique Electrique',
    registrantCountry: 'FR',
  },
  {
    name: 'ABB',
    country: 'CH',
    products: [
      ['ied', 'REF615'],
      ['rtu', 'RTU560'],
    ],
    oui: '00:21:c1',
    registrant: 'ABB Oy Division Distribution Automation',
    registrantCountry: 'FI',
  },
  {
    name: 'Rockwell Automation',
    country: 'US',
    products: [
      ['plc', 'ControlLogix 1756-L83E'],
      ['plc', 'CompactLogix 5380'],
    ],
    oui: '00:00:bc',
    registrant: 'Rockwell Automation',
    registrantCountry: 'US',
  },
  {
    name: 'Cisco',
    country: 'US',
    products: [
      ['switch', 'IE-3400'],
      ['router', 'ISR 1100'],
      ['firewall', 'Firepower 1010'],
    ],
    oui: '00:1b:54',
    registrant: 'Cisco Systems, Inc',
    registrantCountry: 'US',
  },
  {
    name: 'Fortinet',
    country: 'US',
    products: [['firewall', 'FortiGate 60F']],
    oui: '00:09:0f',
    registrant: 'Fortinet, Inc.',
    registrantCountry: 'US',
  },
  {
    name: 'Moxa',
    country: 'TW',
    products: [
      ['gateway', 'NPort 5150'],
      ['switch', 'EDS-408A'],
    ],
    oui: '00:90:e8',
    registrant: 'MOXA TECHNOLOGIES CORP.,LTD.',
    registrantCountry: 'TW',
  },
  {
    name: 'Huawei',
    country: 'CN',
    products: [
      ['router', 'AR6120'],
      ['switch', 'S5735-L24T4S'],
      ['base-station', 'BTS3911E'],
    ],
    watchlists: ['ndaa-889', 'fcc-covered-list', 'commerce-entity-list'],
    oui: '00:e0:fc',
    registrant: 'HUAWEI TECHNOLOGIES CO.,LTD',
    registrantCountry: 'CN',
  },
  {
    name: 'ZTE',
    country: 'CN',
    products: [['router', 'ZXR10 1800-2S']],
    watchlists: ['ndaa-889', 'fcc-covered-list'],
    oui: '00:19:c6',
    registrant: 'zte corporation',
    registrantCountry: 'CN',
  },
  {
    name: 'Hikvision',
    country: 'CN',
    products: [
      ['camera', 'DS-2CD2143G2-I'],
      ['nvr', 'DS-7608NI-K2'],
    ],
    watchlists: ['ndaa-889', 'fcc-covered-list', 'commerce-entity-list'],
    oui: '44:19:b6',
    registrant: 'Hangzhou Hikvision Digital Technology Co.,Ltd.',
    registrantCountry: 'CN',
  },
  {
    name: 'Dahua',
    country: 'CN',
    products: [['camera', 'IPC-HFW2431S']],
    watchlists: ['ndaa-889', 'fcc-covered-list', 'commerce-entity-list'],
    oui: '3c:ef:8c',
    registrant: 'Zhejiang Dahua Technology Co., Ltd.',
    registrantCountry: 'CN',
  },
  {
    name: 'DJI',
    country: 'CN',
    products: [['drone', 'Matrice 350 RTK']],
    watchlists: ['fcc-covered-list', 'commerce-entity-list'],
    oui: '60:60:1f',
    registrant: 'SZ DJI TECHNOLOGY CO.,LTD',
    registrantCountry: 'CN',
  },
  {
    name: 'Axis Communications',
    country: 'SE',
    products: [['camera', 'P1465-LE']],
    oui: '00:40:8c',
    registrant: 'Axis Communications AB',
    registrantCountry: 'SE',
  },
  {
    name: 'Dell',
    country: 'US',
    products: [
      ['workstation', 'OptiPlex 7010'],
      ['server', 'PowerEdge R650'],
    ],
    oui: '00:14:22',
    registrant: 'Dell Inc.',
    registrantCountry: 'US',
  },
  {
    name: 'Fujitsu',
    country: 'JP',
    products: [
      ['workstation', 'ESPRIMO D7012'],
      ['server', 'PRIMERGY RX2540'],
    ],
    oui: '00:0b:5d',
    registrant: 'FUJITSU LIMITED',
    registrantCountry: 'JP',
  },
];

interface RemoteSpec {
  ip: string;
  country: string;
  asn: number;
  asOrg: string;
  provider: string | null;
  providerKind: ProviderKind | null;
  names: string[];
}

const REMOTES: RemoteSpec[] = [
  {
    ip: '203.0.113.10',
    country: 'US',
    asn: 16509,
    asOrg: 'AMAZON-02',
    provider: 'Amazon Web Services',
    providerKind: 'cloud',
    names: ['telemetry.example.com'],
  },
  {
    ip: '203.0.113.11',
    country: 'JP',
    asn: 16509,
    asOrg: 'AMAZON-02',
    provider: 'Amazon Web Services',
    providerKind: 'cloud',
    names: ['historian.example.jp'],
  },
  {
    ip: '198.51.100.20',
    country: 'CN',
    asn: 4134,
    asOrg: 'CHINANET-BACKBONE No.31,Jin-rong Street',
    provider: null,
    providerKind: 'isp',
    names: [],
  },
  {
    ip: '192.0.2.30',
    country: 'DE',
    asn: 24940,
    asOrg: 'Hetzner Online GmbH',
    provider: 'Hetzner',
    providerKind: 'hosting',
    names: ['support.example.de'],
  },
  {
    ip: '198.51.100.50',
    country: 'SG',
    asn: 45102,
    asOrg: 'Alibaba (US) Technology Co., Ltd.',
    provider: 'Alibaba Cloud',
    providerKind: 'cloud',
    names: ['cloud.example.cn'],
  },
  {
    ip: '192.0.2.60',
    country: 'NL',
    asn: 64512,
    asOrg: 'Example Datacenter B.V.',
    provider: 'Example DC',
    providerKind: 'datacenter',
    names: [],
  },
  {
    ip: '203.0.113.70',
    country: 'JP',
    asn: 2497,
    asOrg: 'Internet Initiative Japan Inc.',
    provider: null,
    providerKind: 'isp',
    names: ['ntp.example.jp'],
  },
  {
    ip: '192.0.2.80',
    country: 'KR',
    asn: 4766,
    asOrg: 'Korea Telecom',
    provider: null,
    providerKind: 'isp',
    names: [],
  },
];

/** mulberry32: small, seedable, the same sequence on every platform. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface GenerateOptions {
  seed?: number;
  /** Devices besides the planted ones (default 40). */
  devices?: number;
  /** ISO start of the capture; devices are seen over the following `days`. */
  start?: string;
  days?: number;
}

const hex2 = (n: number) => n.toString(16).padStart(2, '0');

/**
 * A plant network: planted devices that exercise every shipped rule (a Siemens PLC, a PLC of
 * unknown origin, Hikvision cameras, a Huawei router, a DJI drone, a randomised phone on the OT
 * VLAN, a PLC using TeamViewer abroad, remote access into devices from abroad…) and seeded filler.
 */
export function generateInventory(options: GenerateOptions = {}): AnalyzeReport {
  const rand = rng(options.seed ?? 1);
  const start = Date.parse(options.start ?? '2025-01-01T00:00:00Z');
  const span = (options.days ?? 31) * 86_400_000;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const at = (f: number) => new Date(start + Math.floor((f * span) / 1000) * 1000).toISOString();
  const devices: DeviceRecord[] = [];
  const connections: ConnectionRecord[] = [];
  let host = 10;

  const add = (
    v: VendorSpec | null,
    cls: DeviceClass | null,
    over: Partial<DeviceRecord> = {},
  ): DeviceRecord => {
    const n = host++;
    const models = v?.products.filter(([c]) => c === cls).map(([, m]) => m) ?? [];
    const vlan =
      cls && ['plc', 'rtu', 'hmi', 'ied'].includes(cls)
        ? 10
        : cls && ['camera', 'nvr'].includes(cls)
          ? 30
          : 20;
    const mac = `${v?.oui ?? '00:50:56'}:${hex2(n >> 8)}:${hex2(n & 0xff)}:${hex2(Math.floor(rand() * 256))}`;
    const first = rand() * 0.3;
    const d: DeviceRecord = {
      id: `mac:${mac}`,
      mac,
      ips: [`10.1.${vlan}.${n}`],
      hostnames: [],
      vendor: v?.name ?? null,
      vendorCountry: v?.country ?? null,
      vendorParent: null,
      watchlists: v?.watchlists ?? [],
      registrant: v?.registrant ?? null,
      registrantCountry: v?.registrantCountry ?? null,
      randomizedMac: false,
      class: cls,
      model: models.length ? pick(models) : null,
      firmware: v
        ? `V${1 + Math.floor(rand() * 4)}.${Math.floor(rand() * 10)}.${Math.floor(rand() * 10)}`
        : null,
      os: null,
      confidence: v ? Math.round((0.6 + rand() * 0.39) * 100) / 100 : null,
      reasons: [],
      vlans: [vlan],
      services:
        cls && ['plc', 'rtu', 'ied'].includes(cls)
          ? ['tcp/102', 'tcp/502']
          : cls === 'camera'
            ? ['tcp/80', 'tcp/554']
            : [],
      roles: cls === 'plc' ? ['s7comm:server'] : cls === 'rtu' || cls === 'ied' ? ['modbus:server'] : [],
      firstSeen: at(first),
      lastSeen: at(first + 0.5 + rand() * 0.2),
      observations: [],
      ...over,
    };
    devices.push(d);
    return d;
  };
  const talk = (d: DeviceRecord, r: RemoteSpec, port: number, proto: 'tcp' | 'udp' = 'tcp'): void => {
    const bytes = 1000 + Math.floor(rand() * 5_000_000);
    connections.push({
      device: d.id,
      direction: 'outbound',
      localPort: null,
      remoteIp: r.ip,
      remotePort: port,
      proto,
      country: r.country,
      asn: r.asn,
      asOrg: r.asOrg,
      provider: r.provider,
      providerKind: r.providerKind,
      names: r.names,
      packets: Math.max(1, Math.floor(bytes / 600)),
      bytes,
      firstSeen: d.firstSeen,
      lastSeen: d.lastSeen,
    });
  };
  /** A remote opened a conversation to the device's own service port (fixed sizes: no draw from rand). */
  const expose = (d: DeviceRecord, r: RemoteSpec, localPort: number, bytes: number): void => {
    connections.push({
      device: d.id,
      direction: 'inbound',
      localPort,
      remoteIp: r.ip,
      remotePort: null,
      proto: 'tcp',
      country: r.country,
      asn: r.asn,
      asOrg: r.asOrg,
      provider: r.provider,
      providerKind: r.providerKind,
      names: [],
      packets: Math.max(1, Math.floor(bytes / 600)),
      bytes,
      firstSeen: d.firstSeen,
      lastSeen: d.lastSeen,
    });
  };
  const vendor = (name: string) => VENDORS.find((v) => v.name === name)!;

  // Planted: one of each case the shipped packs must catch (or must not).
  const siemens = add(vendor('Siemens'), 'plc', { model: 'IM151-8 PN/DP CPU (6ES7 151-8AB01-0AB0)' });
  const melsec = add(vendor('Mitsubishi Electric'), 'plc');
  const mystery = add(null, 'plc', { registrant: 'Private', registrantCountry: null });
  add(vendor('Hikvision'), 'camera', { hostnames: ['cam-gate'] });
  add(vendor('Dahua'), 'camera');
  add(vendor('Hikvision'), 'nvr');
  const huawei = add(vendor('Huawei'), 'router');
  add(vendor('Huawei'), 'server', { model: 'FusionServer 2288H V5' });
  add(vendor('DJI'), 'drone');
  add(null, 'phone', {
    randomizedMac: true,
    id: 'mac:da:a1:19:00:00:01',
    mac: 'da:a1:19:00:00:01',
    ips: ['10.1.10.200'],
    vlans: [10],
    registrant: null,
    registrantCountry: null,
    hostnames: ["Taro's iPhone"],
  });
  const gw = add(vendor('Moxa'), 'gateway', {
    services: ['tcp/23', 'tcp/80'],
    roles: ['modbus:client'],
    ips: ['10.1.10.250'],
    vlans: [10],
  });
  talk(siemens, REMOTES[4]!, 443);
  talk(siemens, REMOTES[4]!, 8883);
  talk(siemens, REMOTES[3]!, 5938);
  talk(mystery, REMOTES[0]!, 8883);
  talk(huawei, REMOTES[2]!, 443);
  talk(gw, REMOTES[3]!, 22);
  talk(gw, REMOTES[5]!, 1194, 'udp');

  const count = options.devices ?? 40;
  for (let i = 0; i < count; i++) {
    const v = pick(VENDORS);
    const d = add(v, pick(v.products)[0]);
    if (rand() < 0.35) {
      const r = pick(REMOTES);
      talk(d, r, pick([443, 443, 443, 8883, 22]));
    }
  }
  // Inbound, planted after the filler so that the seeded draws above stay as they were: VNC into
  // the Siemens PLC from Korea, telnet into the Moxa gateway from China, SSH into the Huawei router
  // from the US (not on an OT segment), SSH into the Mitsubishi PLC from Japan (not foreign).
  expose(siemens, REMOTES[7]!, 5900, 48_000);
  expose(gw, REMOTES[2]!, 23, 9_600);
  expose(huawei, REMOTES[0]!, 22, 31_000);
  expose(melsec, REMOTES[6]!, 22, 12_500);
  connections.sort(
    (a, b) =>
      a.device.localeCompare(b.device) ||
      a.remoteIp.localeCompare(b.remoteIp) ||
      (a.remotePort ?? -1) - (b.remotePort ?? -1),
  );
  devices.sort((a, b) => a.id.localeCompare(b.id));
  return {
    devices,
    connections,
    findings: [],
    stats: {
      files: 0,
      packets: 0,
      bytes: 0,
      skipped: {},
      anomalies: {},
      flows: connections.length,
      evictedFlows: 0,
      durationMs: 0,
    },
  };
}
