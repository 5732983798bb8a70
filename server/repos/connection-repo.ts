// The inventory's read side for connections, and the aggregates of summaries (analyst and regulator).
import { WIRE_LIMITS } from '../../core/wire-limits.js';
import type { Db } from '../db/database.js';
import type { Connection, ConnectionQuery, Summary } from '../schemas/inventory.js';
import type { Operator } from '../schemas/tenancy.js';
import { decodeCursor, encodeCursor, type Page, type Scope, timeParam, Where } from './scope.js';

interface Row {
  id: number;
  device_id: number;
  key: string;
  site_id: number;
  remote_ip: string;
  direction: 'outbound' | 'inbound';
  port: number;
  proto: string;
  country: string | null;
  asn: number | null;
  as_org: string | null;
  provider: string | null;
  provider_kind: string | null;
  names: string;
  packets: number;
  bytes: number;
  first_seen: string;
  last_seen: string;
}

const COLUMNS = `c.id, c.device_id, d.key, c.site_id, c.remote_ip, c.direction, c.port, c.proto, c.country, c.asn, c.as_org,
  c.provider, c.provider_kind, c.names, c.packets, c.bytes, c.first_seen, c.last_seen`;
const TOP_DESTINATIONS = 20;

export class ConnectionRepo {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  list(scope: Scope, q: ConnectionQuery, limit: number, homeCountry: string): Page<Connection> {
    const where = new Where().add('c.operator_id = ?', scope.operatorId);
    if (scope.siteId !== null) where.add('c.site_id = ?', scope.siteId);
    if (q.siteId !== undefined) where.add('c.site_id = ?', q.siteId);
    if (q.deviceId !== undefined) where.add('c.device_id = ?', q.deviceId);
    if (q.country !== undefined) where.add('c.country = ?', q.country);
    if (q.foreign !== undefined) {
      where.add(
        q.foreign ? 'c.country IS NOT NULL AND c.country != ?' : '(c.country IS NULL OR c.country = ?)',
        homeCountry,
      );
    }
    if (q.asn !== undefined) where.add('c.asn = ?', q.asn);
    if (q.providerKind !== undefined) where.add('c.provider_kind = ?', q.providerKind);
    if (q.lastSeenAfter !== undefined)
      where.add('c.last_seen >= ?', timeParam(q.lastSeenAfter, 'lastSeenAfter'));
    if (q.cursor !== undefined) where.add('c.id > ?', decodeCursor(q.cursor, 'number')[1]);
    const rows = this.#db
      .prepare(
        `SELECT ${COLUMNS} FROM connections c JOIN devices d ON d.id = c.device_id ${where} ORDER BY c.id LIMIT ?`,
      )
      .all(...where.params, limit + 1) as Row[];
    const more = rows.length > limit;
    const items = (more ? rows.slice(0, limit) : rows).map(toConnection);
    const last = items.at(-1);
    return { items, next: more && last ? encodeCursor(last.id, last.id) : null };
  }

  /** Connections of one device (already checked to be in scope), most recent first. */
  ofDevice(deviceId: number, limit = 500): Connection[] {
    return (
      this.#db
        .prepare(
          `SELECT ${COLUMNS} FROM connections c JOIN devices d ON d.id = c.device_id WHERE c.device_id = ? ORDER BY c.last_seen DESC LIMIT ?`,
        )
        .all(deviceId, limit) as Row[]
    ).map(toConnection);
  }

  /** Aggregates of one operator (optionally one site): counts only, never a raw row. */
  summary(op: Operator, siteId: number | null): Summary {
    const scoped = siteId === null ? '' : ' AND site_id = ?';
    const params = siteId === null ? [op.id] : [op.id, siteId];
    const totals = this.#db
      .prepare(
        `SELECT count(*) AS devices, coalesce(sum(watchlists != '[]'), 0) AS watchlisted,
           coalesce(sum(randomized_mac), 0) AS randomized, coalesce(sum(vendor IS NULL), 0) AS unidentified
         FROM devices WHERE operator_id = ?${scoped}`,
      )
      .get(...params) as { devices: number; watchlisted: number; randomized: number; unidentified: number };
    const byClassCountry = this.#db
      .prepare(
        `SELECT class, vendor_country AS vendorCountry, count(*) AS devices FROM devices WHERE operator_id = ?${scoped}
         GROUP BY class, vendor_country ORDER BY devices DESC, class, vendor_country`,
      )
      .all(...params) as Summary['byClassCountry'];
    const foreign = `operator_id = ?${scoped} AND country IS NOT NULL AND country != ?`;
    const foreignConnections = (
      this.#db
        .prepare(`SELECT count(*) AS n FROM connections WHERE ${foreign}`)
        .get(...params, op.country) as {
        n: number;
      }
    ).n;
    const topForeignDestinations = this.#db
      .prepare(
        `SELECT country, asn, max(as_org) AS asOrg, max(provider_kind) AS providerKind, count(*) AS connections,
           count(DISTINCT device_id) AS devices,
           CAST(min(total(bytes), ${WIRE_LIMITS.counter}) AS INTEGER) AS bytes
         FROM connections WHERE ${foreign} GROUP BY country, asn ORDER BY connections DESC, bytes DESC LIMIT ?`,
      )
      .all(...params, op.country, TOP_DESTINATIONS) as Summary['topForeignDestinations'];
    return {
      operatorId: op.id,
      operator: op.name,
      sector: op.sector,
      country: op.country,
      devices: totals.devices,
      watchlisted: totals.watchlisted,
      randomizedMacs: totals.randomized,
      unidentified: totals.unidentified,
      byClassCountry,
      foreignConnections,
      topForeignDestinations,
    };
  }
}

function toConnection(r: Row): Connection {
  return {
    id: r.id,
    deviceId: r.device_id,
    device: r.key,
    siteId: r.site_id,
    remoteIp: r.remote_ip,
    direction: r.direction,
    remotePort: r.direction === 'outbound' ? r.port : null,
    localPort: r.direction === 'inbound' ? r.port : null,
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
