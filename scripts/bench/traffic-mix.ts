// The benchmark's traffic: an enterprise/OT network of thousands of hosts (a quarter of them on
// tagged VLANs, which put ~45% of frames in 802.1Q tags, as the passive-engine issue asks), with ARP, DHCP, DNS, mDNS, HTTP, TLS to public
// clouds, SSH, SMB, Modbus, S7 and EtherNet/IP, conversations interleaved as on a real mirror port.
// Deterministic for a seed.
import {
  BROADCAST,
  Clock,
  datagram,
  type Host,
  MDNS_V4,
  tcpSession,
  WINDOWS_SYN_OPTIONS,
} from '../lib/conversation.js';
import { arp, ethernet } from '../lib/frames.js';
import * as p from '../lib/payloads.js';
import type { FrameRecord } from '../lib/pcap-writer.js';

/** Real vendor OUIs, so identification has work to do. */
const OUIS = [
  '00:1b:1b', // Siemens
  '00:1d:9c', // Rockwell Automation
  '00:90:e8', // Moxa
  'bc:ad:28', // Hikvision
  '00:e0:fc', // Huawei
  '00:1a:a0', // Dell
  'f4:8e:38', // Dell
  '3c:52:82', // HP
  'a4:bb:6d', // Dell
  '00:0c:29', // VMware
  'ac:de:48', // Apple
  '00:80:f4', // Schneider Electric (Telemecanique)
  '08:00:06', // Siemens Nixdorf
  '50:c7:bf', // TP-Link
];

const PUBLIC_SERVERS = [
  { ip: '13.107.42.14', name: 'outlook.office365.com' },
  { ip: '142.250.196.110', name: 'www.google.com' },
  { ip: '52.84.150.39', name: 'cdn.example-aws.net' },
  { ip: '47.246.24.237', name: 'iot.aliyuncs.com' },
  { ip: '119.28.54.20', name: 'api.tencentcloud.com' },
  { ip: '20.190.151.7', name: 'login.microsoftonline.com' },
  { ip: '104.16.132.229', name: 'cloudflare.com' },
  { ip: '153.127.234.2', name: 'sakura.ad.jp' },
  { ip: '47.88.1.1', name: 'dji-cloud.example' },
];

export class Rng {
  #s: number;
  constructor(seed: number) {
    this.#s = seed >>> 0 || 1;
  }
  next(): number {
    let s = this.#s;
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    this.#s = s;
    return s / 0x1_0000_0000;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
}

export interface Network {
  hosts: Host[];
  servers: Host[];
  plcs: Host[];
  resolver: Host;
  gateway: Host;
}

export function buildNetwork(rng: Rng, hostCount: number): Network {
  const hosts: Host[] = [];
  for (let i = 0; i < hostCount; i++) {
    const subnet = i % 32;
    // Subnets 0..7 are tagged VLANs: 8 of 32 (25%) of hosts, but ~45% of frames, the share
    // (traffic is not spread evenly over hosts). Mix 2 tagged subnets 0..13 and so 67.5% of frames
    // (1,164,727 of 1,724,298, `tcpdump -nr <file> vlan | wc -l`); p0f drops tagged frames, so it
    // did less work on that file than on the mix (an untagged copy: 0.80 s against 0.47).
    const vlans = subnet < 8 ? [100 + subnet] : undefined;
    const oui = rng.pick(OUIS);
    const mac = `${oui}:${hex(i >> 8)}:${hex(i & 0xff)}:${hex(subnet)}`;
    hosts.push({
      mac,
      ip: `10.${subnet}.${(i >> 8) & 0xff}.${(i & 0xff) + 1 > 254 ? 254 : (i & 0xff) + 1}`,
      vlans,
      ttl: rng.next() < 0.6 ? 128 : 64,
    });
  }
  const servers = hosts.slice(0, 40);
  const plcs = hosts.slice(40, 240).map((h) => ({ ...h, ttl: 30 }));
  return {
    hosts,
    servers,
    plcs,
    resolver: hosts[1]!,
    gateway: { mac: '00:1a:a0:ff:ff:01', ip: '10.0.0.254', ttl: 255 },
  };
}

function hex(n: number): string {
  return (n & 0xff).toString(16).padStart(2, '0');
}

const UAS = ['Mozilla/5.0 (Windows NT 10.0; Win64; x64)', 'curl/7.88.1', 'Microsoft-CryptoAPI/10.0'];
const SERVERS = ['Apache/2.4.57 (Debian)', 'Microsoft-IIS/10.0', 'nginx/1.24.0', 'App-webs/'];

/** One conversation of a kind drawn by weight: its frames (timestamps are rewritten on output). */
export function conversation(rng: Rng, net: Network, seq: number): FrameRecord[] {
  const c = new Clock(0n);
  const host = rng.pick(net.hosts);
  const sport = 49152 + (seq % 16000);
  const r = rng.next();
  if (r < 0.2) {
    const s = rng.pick(PUBLIC_SERVERS);
    return tcpSession(
      c,
      host,
      { mac: net.gateway.mac, ip: s.ip, ttl: 52 },
      sport,
      443,
      [
        { from: 'client', data: p.tlsClientHello(s.name, seq) },
        { from: 'server', data: p.tlsServerFlight(seq, 6000 + rng.int(50000)) },
        { from: 'client', data: p.tlsAppData(p.filler(200 + rng.int(800), seq)) },
      ],
      { gatewayMac: net.gateway.mac, synOptions: host.ttl === 128 ? WINDOWS_SYN_OPTIONS : undefined },
    );
  }
  if (r < 0.3) {
    const server = rng.pick(net.servers);
    return tcpSession(c, host, server, sport, 80, [
      { from: 'client', data: p.httpRequest(server.ip, rng.pick(UAS)) },
      { from: 'server', data: p.httpResponse(rng.pick(SERVERS), 'Intranet', 1000 + rng.int(20000)) },
    ]);
  }
  if (r < 0.42) {
    const server = rng.pick(net.servers);
    return tcpSession(
      c,
      host,
      server,
      sport,
      445,
      [
        { from: 'client', data: p.filler(300, seq) },
        { from: 'server', data: p.filler(50000 + rng.int(200000), seq + 1) },
      ],
      { synOptions: WINDOWS_SYN_OPTIONS },
    );
  }
  if (r < 0.55) {
    const plc = rng.pick(net.plcs);
    const ex = [];
    for (let i = 0; i < 20 + rng.int(40); i++) {
      ex.push({ from: 'client' as const, data: p.modbusReadRequest(i, 1, 40001, 10) });
      ex.push({ from: 'server' as const, data: p.modbusReadResponse(i, 1, 10, seq + i) });
    }
    return tcpSession(c, host, plc, sport, 502, ex);
  }
  if (r < 0.66) {
    const server = rng.pick(net.servers);
    return tcpSession(c, host, server, sport, 22, [
      { from: 'server', data: p.sshBanner('SSH-2.0-OpenSSH_9.2p1 Debian-2+deb12u3') },
      { from: 'client', data: p.sshBanner('SSH-2.0-PuTTY_Release_0.80') },
      { from: 'server', data: p.filler(2000 + rng.int(8000), seq) },
    ]);
  }
  if (r < 0.8) {
    const s = rng.pick(PUBLIC_SERVERS);
    const id = seq & 0xffff;
    return [
      datagram(c, host, net.resolver, sport, 53, p.dnsQuery(id, s.name)),
      datagram(c, net.resolver, host, 53, sport, p.dnsResponse(id, s.name, [s.ip])),
    ];
  }
  if (r < 0.86)
    return [datagram(c, host, MDNS_V4, 5353, 5353, p.mdnsAnnounce(`host-${seq % 5000}`, host.ip))];
  if (r < 0.88) {
    const xid = seq * 2654435761;
    return [
      datagram(
        c,
        { ...host, ip: '0.0.0.0' },
        BROADCAST,
        68,
        67,
        p.dhcpClient({
          xid,
          mac: host.mac,
          type: 1,
          hostname: `pc-${seq % 3000}`,
          vendorClass: 'MSFT 5.0',
          paramList: [1, 3, 6, 15, 31, 33, 43, 44, 46, 47, 119, 121, 249, 252],
        }),
      ),
    ];
  }
  if (r < 0.96) {
    const target = rng.pick(net.hosts);
    return [
      {
        tsNs: c.next(),
        data: ethernet(
          { src: host.mac, dst: 'ff:ff:ff:ff:ff:ff', ethertype: 0x0806, vlans: host.vlans },
          arp(1, host.mac, host.ip, '00:00:00:00:00:00', target.ip),
        ),
      },
      {
        tsNs: c.next(),
        data: ethernet(
          { src: target.mac, dst: host.mac, ethertype: 0x0806, vlans: target.vlans },
          arp(2, target.mac, target.ip, host.mac, host.ip),
        ),
      },
    ];
  }
  const plc = rng.pick(net.plcs);
  return [datagram(c, host, plc, sport, 44818, p.enipListIdentity())];
}
