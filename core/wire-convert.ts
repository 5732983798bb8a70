// Inventory records (core/inventory.ts) in their wire form (core/wire.ts), capped to WIRE_LIMITS.
import type { ConnectionRecord, DeviceRecord } from './inventory.js';
import type { WireConnection, WireDevice } from './wire.js';
import { WIRE_LIMITS } from './wire-limits.js';

/** The wire form of an inventory device: its seen facts and evidence, without the agent's identity. */
export function toWireDevice(device: DeviceRecord): WireDevice {
  return {
    id: device.id,
    mac: device.mac,
    ips: device.ips.slice(0, WIRE_LIMITS.addressesPerDevice),
    hostnames: device.hostnames.slice(0, WIRE_LIMITS.namesPerDevice),
    vlans: device.vlans.slice(0, 16),
    services: device.services.slice(0, WIRE_LIMITS.servicesPerDevice),
    roles: device.roles.slice(0, 64),
    firstSeen: device.firstSeen,
    lastSeen: device.lastSeen,
    observations: device.observations.slice(0, WIRE_LIMITS.evidencePerDevice).map((o) => ({
      key: o.key,
      value: o.value,
      source: o.source,
      count: o.count,
      firstSeen: o.firstSeen,
      lastSeen: o.lastSeen,
    })),
  };
}

export function toWireConnection(c: ConnectionRecord): WireConnection {
  return {
    device: c.device,
    remoteIp: c.remoteIp,
    direction: c.direction,
    remotePort: c.remotePort,
    localPort: c.localPort,
    proto: c.proto,
    country: c.country,
    asn: c.asn,
    asOrg: c.asOrg,
    provider: c.provider,
    providerKind: c.providerKind,
    names: c.names.slice(0, WIRE_LIMITS.namesPerConnection),
    packets: c.packets,
    bytes: c.bytes,
    firstSeen: c.firstSeen,
    lastSeen: c.lastSeen,
  };
}
