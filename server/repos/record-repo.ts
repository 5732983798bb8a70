// Stored inventory read back as the core records policies and summaries take (core/inventory.ts
// DeviceRecord, ConnectionRecord): a site's devices in id order, the connections of some devices,
// the OT devices that place a site's OT segments, and an operator's inventory seen in a period.
import type { Statement } from 'better-sqlite3';
import type { ConnectionRecord, DeviceClass, DeviceRecord, ProviderKind } from '../../core/inventory.js';
import { OT_CLASSES } from '../../core/policy/vocabulary.js';
import type { Db } from '../db/database.js';
import { type DeviceColumns, identityFromColumns } from './identity-columns.js';

interface DeviceRow extends DeviceColumns {
  site_id: number;
}

interface ConnectionRow {
  device_id: number;
  key: string;
  remote_ip: string;
  direction: 'outbound' | 'inbound';
  port: number;
  proto: ConnectionRecord['proto'];
  country: string | null;
  asn: number | null;
  as_org: string | null;
  provider: string | null;
  provider_kind: ProviderKind | null;
  names: string;
  packets: number;
  bytes: number;
  first_seen: string;
  last_seen: string;
}

// Reasons and evidence are not read: policies and summaries do not look at them.
const DEVICE = `id, site_id, key, mac, ips, hostnames, vendor, vendor_country, vendor_parent, watchlists, registrant,
  registrant_country, randomized_mac, class, model, firmware, os, confidence, vlans, services, roles, first_seen, last_seen`;
const CONNECTION = `c.device_id, d.key, c.remote_ip, c.direction, c.port, c.proto, c.country, c.asn, c.as_org, c.provider,
  c.provider_kind, c.names, c.packets, c.bytes, c.first_seen, c.last_seen`;

/** A stored device as a record, with its row id and site. */
export interface DeviceSubject {
  deviceId: number;
  siteId: number;
  record: DeviceRecord;
}

export class RecordRepo {
  readonly #page: Statement;
  readonly #byIds: Statement;
  readonly #connections: Statement;
  readonly #siteConnections: Statement;
  readonly #ot: Statement;
  readonly #devicesIn: Statement;
  readonly #connectionsIn: Statement;

  constructor(db: Db) {
    this.#page = db.prepare(`SELECT ${DEVICE} FROM devices WHERE site_id = ? AND id > ? ORDER BY id LIMIT ?`);
    this.#byIds = db.prepare(
      `SELECT ${DEVICE} FROM devices WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`,
    );
    this.#connections = db.prepare(
      `SELECT ${CONNECTION} FROM connections c JOIN devices d ON d.id = c.device_id
       WHERE c.device_id IN (SELECT value FROM json_each(?)) ORDER BY c.id`,
    );
    this.#siteConnections = db.prepare(
      `SELECT ${CONNECTION} FROM connections c JOIN devices d ON d.id = c.device_id
       WHERE c.operator_id = ? AND c.site_id = ? ORDER BY c.id`,
    );
    this.#ot = db.prepare(
      `SELECT class, roles, vlans, ips FROM devices WHERE site_id = ?
         AND (class IN (SELECT value FROM json_each(?)) OR roles != '[]')`,
    );
    this.#devicesIn = db.prepare(
      `SELECT ${DEVICE} FROM devices WHERE operator_id = ? AND first_seen < ? AND last_seen >= ? ORDER BY id`,
    );
    this.#connectionsIn = db.prepare(
      `SELECT ${CONNECTION} FROM connections c JOIN devices d ON d.id = c.device_id
       WHERE c.operator_id = ? AND c.first_seen < ? AND c.last_seen >= ? ORDER BY c.id`,
    );
  }

  /** A site's devices after `afterId`, in id order. */
  siteDevices(siteId: number, afterId: number, limit: number): DeviceSubject[] {
    return (this.#page.all(siteId, afterId, limit) as DeviceRow[]).map(toSubject);
  }

  devices(ids: readonly number[]): DeviceSubject[] {
    return ids.length ? (this.#byIds.all(JSON.stringify(ids)) as DeviceRow[]).map(toSubject) : [];
  }

  /** Every connection of these devices (totals as stored). */
  connectionsOf(deviceIds: readonly number[]): ConnectionRecord[] {
    if (deviceIds.length === 0) return [];
    return (this.#connections.all(JSON.stringify(deviceIds)) as ConnectionRow[]).map(toConnection);
  }

  siteConnections(operatorId: number, siteId: number): (ConnectionRecord & { deviceId: number })[] {
    return (this.#siteConnections.all(operatorId, siteId) as ConnectionRow[]).map((r) => ({
      ...toConnection(r),
      deviceId: r.device_id,
    }));
  }

  /** The OT devices of a site, with where they were seen (what places its OT segments). */
  otDevices(siteId: number): Pick<DeviceRecord, 'class' | 'roles' | 'vlans' | 'ips'>[] {
    return (
      this.#ot.all(siteId, JSON.stringify(OT_CLASSES)) as {
        class: DeviceClass | null;
        roles: string;
        vlans: string;
        ips: string;
      }[]
    ).map((r) => ({
      class: r.class,
      roles: JSON.parse(r.roles) as string[],
      vlans: JSON.parse(r.vlans) as number[],
      ips: JSON.parse(r.ips) as string[],
    }));
  }

  /** An operator's devices seen during [start, end), each with its site id. */
  devicesInPeriod(operatorId: number, start: string, end: string): DeviceSubject[] {
    return (this.#devicesIn.all(operatorId, end, start) as DeviceRow[]).map(toSubject);
  }

  connectionsInPeriod(operatorId: number, start: string, end: string): ConnectionRecord[] {
    return (this.#connectionsIn.all(operatorId, end, start) as ConnectionRow[]).map(toConnection);
  }
}

function toSubject(r: DeviceRow): DeviceSubject {
  return {
    deviceId: r.id,
    siteId: r.site_id,
    record: {
      id: r.key,
      mac: r.mac,
      ips: JSON.parse(r.ips) as string[],
      hostnames: JSON.parse(r.hostnames) as string[],
      ...identityFromColumns(r),
      reasons: [],
      vlans: JSON.parse(r.vlans) as number[],
      services: JSON.parse(r.services) as string[],
      roles: JSON.parse(r.roles) as string[],
      firstSeen: r.first_seen,
      lastSeen: r.last_seen,
      observations: [],
    },
  };
}

/** Stored port 0 means "no port" (ICMP and other protocols): null in the record, as the agent has it. */
function toConnection(r: ConnectionRow): ConnectionRecord {
  const port = r.port === 0 && (r.proto === 'icmp' || r.proto === 'other') ? null : r.port;
  return {
    device: r.key,
    remoteIp: r.remote_ip,
    direction: r.direction,
    remotePort: r.direction === 'outbound' ? port : null,
    localPort: r.direction === 'inbound' ? port : null,
    proto: r.proto,
    country: r.country,
    asn: r.asn,
    asOrg: r.as_org,
    provider: r.provider,
    providerKind: r.provider_kind,
    names: JSON.parse(r.names) as string[],
    packets: r.packets,
    bytes: r.bytes,
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
  };
}
