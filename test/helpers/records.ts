// Builders for inventory records in tests: a complete record with neutral defaults, overridden per case.
import { type ConnectionRecord, type DeviceRecord, emptyIdentity } from '../../core/inventory.js';

export function device(over: Partial<DeviceRecord> & { id: string }): DeviceRecord {
  return {
    mac: over.id.startsWith('mac:') ? over.id.slice(4) : null,
    ips: [],
    hostnames: [],
    ...emptyIdentity(null),
    vlans: [],
    services: [],
    roles: [],
    firstSeen: '2025-01-10T00:00:00.000Z',
    lastSeen: '2025-01-20T00:00:00.000Z',
    observations: [],
    ...over,
  };
}

export function connection(
  over: Partial<ConnectionRecord> & { device: string; remoteIp: string },
): ConnectionRecord {
  return {
    remotePort: 443,
    localPort: null,
    direction: 'outbound',
    proto: 'tcp',
    country: null,
    asn: null,
    asOrg: null,
    provider: null,
    providerKind: null,
    names: [],
    packets: 10,
    bytes: 1000,
    firstSeen: '2025-01-10T00:00:00.000Z',
    lastSeen: '2025-01-20T00:00:00.000Z',
    ...over,
  };
}

/** The PLC of iti__s7comm_reading_plc_status.pcap as identification describes it (Siemens IM151-8 PN/DP CPU). */
export function s7Plc(): DeviceRecord {
  return device({
    id: 'mac:00:1b:1b:23:eb:3b',
    ips: ['192.168.1.40'],
    vendor: 'Siemens',
    vendorCountry: 'DE',
    vendorParent: null,
    registrant: 'Siemens AG',
    registrantCountry: 'DE',
    class: 'plc',
    model: 'IM151-8 PN/DP CPU (6ES7 151-8AB01-0AB0)',
    firmware: null,
    confidence: 0.95,
    services: ['tcp/102'],
    roles: ['s7comm:server'],
  });
}
