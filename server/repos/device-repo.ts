// The inventory's read side for devices: filtered keyset listings, one device with its evidence,
// reasons, connections and identity history.
import type { Statement } from 'better-sqlite3';
import type { Identity, ObservationSummary } from '../../core/inventory.js';
import type { Db } from '../db/database.js';
import type { Device, DeviceQuery, DeviceSort, IdentityChange } from '../schemas/inventory.js';
import { DeviceSearch } from './device-search.js';
import { type DeviceColumns, identityFromColumns } from './identity-columns.js';
import { decodeCursor, encodeCursor, type Page, type Scope, timeParam, Where } from './scope.js';

interface Row extends DeviceColumns {
  site_id: number;
}

const COLUMNS = `id, site_id, key, mac, ips, hostnames, vendor, vendor_country, vendor_parent, watchlists, registrant,
  registrant_country, randomized_mac, class, model, firmware, os, confidence, vlans, services, roles, first_seen, last_seen`;

// Sort key → column. Only these strings ever reach the SQL text.
const SORTS: Record<DeviceSort, { column: string; desc: boolean; kind: 'number' | 'string' }> = {
  id: { column: 'id', desc: false, kind: 'number' },
  '-id': { column: 'id', desc: true, kind: 'number' },
  lastSeenDay: { column: 'last_seen_day', desc: false, kind: 'string' },
  '-lastSeenDay': { column: 'last_seen_day', desc: true, kind: 'string' },
};

export class DeviceRepo {
  readonly #db: Db;
  readonly #one: Statement;
  readonly #reasons: Statement;
  readonly #history: Statement;
  readonly #cache = new Map<string, Statement>();
  readonly #search: DeviceSearch;

  constructor(db: Db) {
    this.#db = db;
    this.#one = db.prepare(
      `SELECT ${COLUMNS} FROM devices WHERE id = @id AND operator_id = @operatorId AND (@siteId IS NULL OR site_id = @siteId)`,
    );
    this.#reasons = db.prepare('SELECT reasons FROM devices WHERE id = ?');
    this.#history = db.prepare(
      'SELECT at, cause, signatures, before, after FROM identity_changes WHERE device_id = ? ORDER BY seq DESC LIMIT 200',
    );
    this.#search = new DeviceSearch(db, (sql) => this.#prepare(sql));
  }

  list(scope: Scope, q: DeviceQuery, limit: number): Page<Device> {
    const sort = SORTS[q.sort ?? 'id'];
    const where = new Where().add('operator_id = ?', scope.operatorId);
    if (scope.siteId !== null) where.add('site_id = ?', scope.siteId);
    if (q.siteId !== undefined) where.add('site_id = ?', q.siteId);
    if (q.class !== undefined) where.add('class = ?', q.class);
    if (q.vendor !== undefined) where.add('vendor = ?', q.vendor);
    if (q.vendorCountry !== undefined) where.add('vendor_country = ?', q.vendorCountry);
    if (q.registrantCountry !== undefined) where.add('registrant_country = ?', q.registrantCountry);
    if (q.watchlisted !== undefined) where.add(q.watchlisted ? "watchlists != '[]'" : "watchlists = '[]'");
    if (q.watchlist !== undefined)
      where.add('EXISTS (SELECT 1 FROM json_each(watchlists) WHERE value = ?)', q.watchlist);
    if (q.randomized !== undefined) where.add('randomized_mac = ?', q.randomized ? 1 : 0);
    // instr, not LIKE: the search text is matched literally, never as a pattern.
    const needle = q.q?.toLowerCase();
    if (needle !== undefined) where.add('instr(search, ?) > 0', needle);
    if (q.firstSeenAfter !== undefined)
      where.add('first_seen >= ?', timeParam(q.firstSeenAfter, 'firstSeenAfter'));
    // Sorted by day, the day bound lets the day index serve range and order in one walk. Sorted by
    // id, the id-ordered walk stops at the page's last match; a day-index range would have to be
    // sorted whole (measured 0.5 s at 1 M devices when most match).
    const byDay = sort.column === 'last_seen_day';
    if (q.lastSeenAfter !== undefined) {
      const at = timeParam(q.lastSeenAfter, 'lastSeenAfter');
      if (byDay) where.add('last_seen_day >= ?', at.slice(0, 10));
      where.add('last_seen >= ?', at);
    }
    if (q.lastSeenBefore !== undefined) {
      const at = timeParam(q.lastSeenBefore, 'lastSeenBefore');
      if (byDay) where.add('last_seen_day <= ?', at.slice(0, 10));
      where.add('last_seen < ?', at);
    }
    const op = sort.desc ? '<' : '>';
    if (q.cursor !== undefined) {
      const [value, id] = decodeCursor(q.cursor, sort.kind);
      if (sort.column === 'id') where.add(`id ${op} ?`, id);
      else where.add(`(${sort.column}, id) ${op} (?, ?)`, value, id);
    }
    const dir = sort.desc ? 'DESC' : 'ASC';
    const order = sort.column === 'id' ? `id ${dir}` : `${sort.column} ${dir}, id ${dir}`;
    // A text search goes through the search index where it can, else scans (still exact).
    const found =
      needle === undefined
        ? null
        : this.#search.rows<Row & { last_seen_day: string }>(needle, {
            columns: COLUMNS,
            where,
            sort: { column: sort.column === 'id' ? 'id' : 'last_seen_day', desc: sort.desc },
            rows: limit + 1,
          });
    const rows =
      found ??
      (this.#prepare(`SELECT ${COLUMNS} FROM devices ${where} ORDER BY ${order} LIMIT ?`).all(
        ...where.params,
        limit + 1,
      ) as Row[]);
    const more = rows.length > limit;
    const items = (more ? rows.slice(0, limit) : rows).map(toDevice);
    const last = items.at(-1);
    const next =
      more && last
        ? encodeCursor(sort.column === 'id' ? last.id : last.lastSeen.slice(0, 10), last.id)
        : null;
    return { items, next };
  }

  get(scope: Scope, id: number): Device | undefined {
    const row = this.#one.get({ id, operatorId: scope.operatorId, siteId: scope.siteId }) as Row | undefined;
    return row && toDevice(row);
  }

  /** Call only with an id that get() returned for the same scope. */
  reasons(id: number): Identity['reasons'] {
    const row = this.#reasons.get(id) as { reasons: string } | undefined;
    return row ? (JSON.parse(row.reasons) as Identity['reasons']) : [];
  }

  history(id: number): IdentityChange[] {
    return (
      this.#history.all(id) as {
        at: string;
        cause: string;
        signatures: string;
        before: string;
        after: string;
      }[]
    ).map((r) => ({
      at: r.at,
      cause: r.cause,
      signatures: r.signatures,
      before: JSON.parse(r.before) as Record<string, unknown>,
      after: JSON.parse(r.after) as Record<string, unknown>,
    }));
  }

  evidence(id: number): ObservationSummary[] {
    return (
      this.#prepare(
        'SELECT key, value, source, count, first_seen, last_seen FROM evidence WHERE device_id = ? ORDER BY key, value',
      ).all(id) as {
        key: ObservationSummary['key'];
        value: string | number;
        source: ObservationSummary['source'];
        count: number;
        first_seen: string;
        last_seen: string;
      }[]
    ).map((r) => ({
      key: r.key,
      value: r.value,
      source: r.source,
      count: r.count,
      firstSeen: r.first_seen,
      lastSeen: r.last_seen,
    }));
  }

  // Listings build a handful of distinct SQL texts (one per filter combination): prepare each once.
  #prepare(sql: string): Statement {
    let stmt = this.#cache.get(sql);
    if (!stmt) {
      stmt = this.#db.prepare(sql);
      if (this.#cache.size < 512) this.#cache.set(sql, stmt);
    }
    return stmt;
  }
}

function toDevice(r: Row): Device {
  return {
    id: r.id,
    key: r.key,
    siteId: r.site_id,
    mac: r.mac,
    ips: JSON.parse(r.ips) as string[],
    hostnames: JSON.parse(r.hostnames) as string[],
    ...identityFromColumns(r),
    vlans: JSON.parse(r.vlans) as number[],
    services: JSON.parse(r.services) as string[],
    roles: JSON.parse(r.roles) as string[],
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
  };
}
