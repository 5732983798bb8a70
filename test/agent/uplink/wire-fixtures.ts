// Small wire records for uplink tests: a device with dhcp.hostname facts, a TCP connection.
import type { WireConnection, WireDevice } from '../../../core/wire.js';

export const T = '2025-01-01T00:00:00.000Z';

export function dev(mac: string, facts: Record<string, number>, ips = ['10.0.0.1']): WireDevice {
  return {
    id: `mac:${mac}`,
    mac,
    ips,
    hostnames: [],
    vlans: [],
    services: [],
    roles: [],
    firstSeen: T,
    lastSeen: T,
    observations: Object.entries(facts).map(([value, count]) => ({
      key: 'dhcp.hostname',
      value,
      source: 'passive' as const,
      count,
      firstSeen: T,
      lastSeen: T,
    })),
  };
}

export function conn(mac: string, port: number, packets: number, bytes: number): WireConnection {
  return {
    device: `mac:${mac}`,
    remoteIp: '192.0.2.1',
    direction: 'outbound',
    remotePort: port,
    localPort: null,
    proto: 'tcp',
    country: null,
    asn: null,
    asOrg: null,
    provider: null,
    providerKind: null,
    names: [],
    packets,
    bytes,
    firstSeen: T,
    lastSeen: T,
  };
}
