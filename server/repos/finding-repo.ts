// Findings and their status changes: the only code that writes their SQL. Evaluation reads a
// device's findings with only their latest change (all the lifecycle needs) and writes back what
// reconciling changed; listings and the detail read the full record.
import type { Statement } from 'better-sqlite3';
import type { FindingStatus, Severity } from '../../core/inventory.js';
import type { StatusChange, TrackedFinding, Waiver } from '../../core/policy/lifecycle.js';
import type { Db } from '../db/database.js';
import type { Finding, FindingChange, FindingQuery } from '../schemas/findings.js';
import { MultiRowInsert } from './multi-row.js';
import { decodeCursor, encodeCursor, type Page, type Scope, timeParam, Where } from './scope.js';

interface Row {
  id: number;
  operator_id: number;
  site_id: number;
  device_id: number | null;
  fid: string;
  rule: string;
  severity: Severity;
  subject_kind: 'device' | 'connection';
  subject: string;
  message: string;
  facts: string;
  first_seen: string;
  last_seen: string;
  status: FindingStatus;
  status_at: string;
  waiver_reason: string | null;
  waiver_approver: string | null;
  waiver_until: string | null;
  waiver_granted_by: string | null;
  waiver_granted_at: string | null;
}

/** A stored finding as the lifecycle functions see it, and where it is stored. */
export interface StoredFinding {
  rowId: number;
  siteId: number;
  deviceId: number | null;
  /** `history` holds only the latest change (its `at` and `to`); new entries are appended after it. */
  tracked: TrackedFinding;
  /** The facts as stored (JSON), to tell whether new ones differ without serialising the old. */
  factsJson: string;
}

/** Who made a change: the system, or a person's token (its label names them). */
export interface Actor {
  name: string;
  tokenId: number | null;
}

const SYSTEM: Actor = { name: 'system', tokenId: null };

/** Where a finding is stored: its operator, site and device (null: a group spanning devices). */
export interface FindingPlace {
  operatorId: number;
  siteId: number;
  deviceId: number | null;
}

const FINDING_COLUMNS = `operator_id, site_id, device_id, fid, rule, severity, subject_kind, subject, message,
  facts, first_seen, last_seen, status, status_at, waiver_reason, waiver_approver, waiver_until,
  waiver_granted_by, waiver_granted_at`;
const CHANGE_COLUMNS = 'finding_id, seq, at, actor, token_id, from_status, to_status, note';

export class FindingRepo {
  readonly #db: Db;
  readonly #ofDevices: Statement;
  readonly #siteWide: Statement;
  readonly #insert: Statement;
  readonly #content: Statement;
  readonly #seen: Statement;
  readonly #device: Statement;
  readonly #status: Statement;
  readonly #change: Statement;
  readonly #nextSeq: Statement;
  readonly #one: Statement;
  readonly #history: Statement;
  readonly #dueWaivers: Statement;
  readonly #maxId: Statement;
  readonly #insertMany: MultiRowInsert;
  readonly #changeMany: MultiRowInsert;
  readonly #cache = new Map<string, Statement>();

  constructor(db: Db) {
    this.#db = db;
    this.#ofDevices = db.prepare(
      'SELECT * FROM findings WHERE device_id IN (SELECT value FROM json_each(?))',
    );
    this.#siteWide = db.prepare('SELECT * FROM findings WHERE site_id = ? AND device_id IS NULL ORDER BY id');
    this.#insert = db.prepare(
      `INSERT INTO findings (${FINDING_COLUMNS})
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    );
    this.#maxId = db.prepare('SELECT coalesce(max(id), 0) AS id FROM findings');
    this.#insertMany = new MultiRowInsert(db, `INSERT INTO findings (id, ${FINDING_COLUMNS}) VALUES `, 20);
    this.#changeMany = new MultiRowInsert(db, `INSERT INTO finding_changes (${CHANGE_COLUMNS}) VALUES `, 8);
    this.#content = db.prepare(
      'UPDATE findings SET severity = ?, message = ?, facts = ?, first_seen = ?, last_seen = ? WHERE id = ?',
    );
    // A re-reported device usually changes only when its findings were last seen: one column, no index.
    this.#seen = db.prepare('UPDATE findings SET first_seen = ?, last_seen = ? WHERE id = ?');
    this.#device = db.prepare('UPDATE findings SET device_id = ? WHERE id = ?');
    this.#status = db.prepare(
      `UPDATE findings SET status = ?, status_at = ?, waiver_reason = ?, waiver_approver = ?, waiver_until = ?,
         waiver_granted_by = ?, waiver_granted_at = ? WHERE id = ?`,
    );
    this.#change = db.prepare(
      `INSERT INTO finding_changes (${CHANGE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.#nextSeq = db.prepare(
      'SELECT coalesce(max(seq), 0) + 1 AS seq FROM finding_changes WHERE finding_id = ?',
    );
    this.#one = db.prepare(
      'SELECT * FROM findings WHERE id = @id AND operator_id = @operatorId AND (@siteId IS NULL OR site_id = @siteId)',
    );
    this.#history = db.prepare(
      'SELECT seq, at, actor, token_id, from_status, to_status, note FROM finding_changes WHERE finding_id = ? ORDER BY seq',
    );
    this.#dueWaivers = db.prepare(
      "SELECT * FROM findings WHERE status = 'waived' AND waiver_until <= ? ORDER BY waiver_until LIMIT ?",
    );
  }

  /** The findings of these devices (by collector device id), each with its latest change only. */
  ofDevices(deviceIds: readonly number[]): StoredFinding[] {
    if (deviceIds.length === 0) return [];
    return (this.#ofDevices.all(JSON.stringify(deviceIds)) as Row[]).map(toStored);
  }

  /** Findings of connection groups spanning devices of a site (device_id NULL). */
  siteWide(siteId: number): StoredFinding[] {
    return (this.#siteWide.all(siteId) as Row[]).map(toStored);
  }

  /** Waived findings whose waiver ended at or before `now`, oldest first. */
  dueWaivers(now: string, limit = 1000): StoredFinding[] {
    return (this.#dueWaivers.all(now, limit) as Row[]).map(toStored);
  }

  /**
   * Writes one finding as reconciling left it: a new row, or the changed content and status of an
   * existing one; appends the history entries after the `known` ones already stored.
   */
  save(
    where: { operatorId: number; siteId: number; deviceId: number | null },
    f: TrackedFinding,
    before: StoredFinding | undefined,
    actor: Actor = SYSTEM,
  ): number {
    const status = f.status;
    const statusAt = statusTime(f);
    const w = f.waiver;
    let rowId: number;
    let known = 0;
    if (!before) {
      rowId = (this.#insert.get(...findingParams(where, f)) as { id: number }).id;
    } else {
      rowId = before.rowId;
      known = before.tracked.history.length;
      const b = before.tracked;
      const facts = JSON.stringify(f.facts);
      if (b.severity !== f.severity || b.message !== f.message || before.factsJson !== facts)
        this.#content.run(f.severity, f.message, facts, f.firstSeen, f.lastSeen, rowId);
      else if (b.firstSeen !== f.firstSeen || b.lastSeen !== f.lastSeen)
        this.#seen.run(f.firstSeen, f.lastSeen, rowId);
      if (before.deviceId !== where.deviceId) this.#device.run(where.deviceId, rowId);
      if (f.history.length > known) this.#status.run(status, statusAt, ...waiverParams(w), rowId);
    }
    const added = f.history.slice(known);
    if (added.length) {
      // A new finding's history starts at 1; an existing one continues after its last change.
      let seq = before ? (this.#nextSeq.get(rowId) as { seq: number }).seq : 1;
      for (const h of added) this.#change.run(rowId, ...changeParams(h, seq++, actor));
    }
    return rowId;
  }

  /**
   * Writes findings not stored yet, as `save` without `before` would, many rows per statement (a
   * batch of new devices opens hundreds). Ids continue after the largest, in order: what SQLite
   * itself gives a table without AUTOINCREMENT, so the rows are the same as saved one by one.
   * Runs inside the caller's transaction (nothing else can insert in between).
   */
  insertMany(items: readonly { where: FindingPlace; f: TrackedFinding }[], actor: Actor = SYSTEM): void {
    if (items.length === 0) return;
    let id = (this.#maxId.get() as { id: number }).id;
    const findings: unknown[] = [];
    const changes: unknown[] = [];
    for (const { where, f } of items) {
      id++;
      findings.push(id, ...findingParams(where, f));
      let seq = 1;
      for (const h of f.history) changes.push(id, ...changeParams(h, seq++, actor));
    }
    this.#insertMany.write(findings);
    this.#changeMany.write(changes);
  }

  get(scope: Scope, id: number): StoredFinding | undefined {
    const row = this.#one.get({ id, operatorId: scope.operatorId, siteId: scope.siteId }) as Row | undefined;
    return row && toStored(row);
  }

  /** The API view of a stored finding. */
  view(id: number): Finding | undefined {
    const row = this.#db.prepare('SELECT * FROM findings WHERE id = ?').get(id) as Row | undefined;
    return row && toFinding(row);
  }

  history(id: number): FindingChange[] {
    return (
      this.#history.all(id) as {
        seq: number;
        at: string;
        actor: string;
        token_id: number | null;
        from_status: FindingStatus | null;
        to_status: FindingStatus;
        note: string | null;
      }[]
    ).map((r) => ({
      seq: r.seq,
      at: r.at,
      by: r.actor,
      tokenId: r.token_id,
      from: r.from_status,
      to: r.to_status,
      note: r.note,
    }));
  }

  list(scope: Scope, q: FindingQuery, limit: number): Page<Finding> {
    const where = new Where().add('operator_id = ?', scope.operatorId);
    if (scope.siteId !== null) where.add('site_id = ?', scope.siteId);
    if (q.siteId !== undefined) where.add('site_id = ?', q.siteId);
    if (q.deviceId !== undefined) where.add('device_id = ?', q.deviceId);
    if (q.status !== undefined) where.add('status = ?', q.status);
    if (q.severity !== undefined) where.add('severity = ?', q.severity);
    if (q.rule !== undefined) where.add('rule = ?', q.rule);
    if (q.subjectKind !== undefined) where.add('subject_kind = ?', q.subjectKind);
    if (q.lastSeenAfter !== undefined)
      where.add('last_seen >= ?', timeParam(q.lastSeenAfter, 'lastSeenAfter'));
    if (q.cursor !== undefined) where.add('id > ?', decodeCursor(q.cursor, 'number')[1]);
    const sql = `SELECT * FROM findings ${where} ORDER BY id LIMIT ?`;
    const rows = this.#prepare(sql).all(...where.params, limit + 1) as Row[];
    const more = rows.length > limit;
    const items = (more ? rows.slice(0, limit) : rows).map(toFinding);
    const last = items.at(-1);
    return { items, next: more && last ? encodeCursor(last.id, last.id) : null };
  }

  /** Every finding of an operator with its whole history (the regulator's summary replays it). */
  withHistory(operatorId: number): TrackedFinding[] {
    const rows = this.#prepare('SELECT * FROM findings WHERE operator_id = ? ORDER BY id').all(
      operatorId,
    ) as Row[];
    const changes = this.#prepare(
      `SELECT c.finding_id, c.at, c.actor, c.from_status, c.to_status, c.note FROM finding_changes c
       JOIN findings f ON f.id = c.finding_id WHERE f.operator_id = ? ORDER BY c.finding_id, c.seq`,
    ).all(operatorId) as {
      finding_id: number;
      at: string;
      actor: string;
      from_status: FindingStatus | null;
      to_status: FindingStatus;
      note: string | null;
    }[];
    const byFinding = new Map<number, StatusChange[]>();
    for (const c of changes) {
      let list = byFinding.get(c.finding_id);
      if (!list) {
        list = [];
        byFinding.set(c.finding_id, list);
      }
      list.push({ at: c.at, by: c.actor, from: c.from_status, to: c.to_status, note: c.note });
    }
    return rows.map((r) => ({ ...toStored(r).tracked, history: byFinding.get(r.id) ?? [] }));
  }

  // Listings build a handful of distinct SQL texts (one per filter combination): prepare each once.
  #prepare(sql: string): Statement {
    let stmt = this.#cache.get(sql);
    if (!stmt) {
      stmt = this.#db.prepare(sql);
      if (this.#cache.size < 256) this.#cache.set(sql, stmt);
    }
    return stmt;
  }
}

/** When the finding took its current status (the last change), or the epoch when it has none. */
function statusTime(f: TrackedFinding): string {
  return f.history.at(-1)?.at ?? new Date(0).toISOString();
}

/** A finding row's values in the column order of #insert (after its id, in #insertMany). */
function findingParams(where: FindingPlace, f: TrackedFinding): unknown[] {
  return [
    where.operatorId,
    where.siteId,
    where.deviceId,
    f.id,
    f.rule,
    f.severity,
    f.subject.kind,
    f.subject.id,
    f.message,
    JSON.stringify(f.facts),
    f.firstSeen,
    f.lastSeen,
    f.status,
    statusTime(f),
    ...waiverParams(f.waiver),
  ];
}

/** A status change's values after its finding's row id; changes by the acting principal keep its token. */
function changeParams(h: TrackedFinding['history'][number], seq: number, actor: Actor): unknown[] {
  const who = h.by === actor.name ? actor : { name: h.by, tokenId: null };
  return [seq, h.at, who.name, who.tokenId, h.from, h.to, h.note];
}

function waiverParams(w: Waiver | null): (string | null)[] {
  return w ? [w.reason, w.approver, w.until, w.grantedBy, w.grantedAt] : [null, null, null, null, null];
}

function waiverOf(r: Row): Waiver | null {
  return r.waiver_until === null
    ? null
    : {
        reason: r.waiver_reason ?? '',
        approver: r.waiver_approver ?? '',
        until: r.waiver_until,
        grantedBy: r.waiver_granted_by ?? '',
        grantedAt: r.waiver_granted_at ?? '',
      };
}

function toStored(r: Row): StoredFinding {
  return {
    rowId: r.id,
    siteId: r.site_id,
    deviceId: r.device_id,
    factsJson: r.facts,
    tracked: {
      id: r.fid,
      rule: r.rule,
      severity: r.severity,
      subject: { kind: r.subject_kind, id: r.subject },
      message: r.message,
      facts: JSON.parse(r.facts) as Record<string, unknown>,
      firstSeen: r.first_seen,
      lastSeen: r.last_seen,
      status: r.status,
      // Only the latest change: the lifecycle reads its time and status, and appends after it.
      history: [{ at: r.status_at, by: '', from: null, to: r.status, note: null }],
      waiver: waiverOf(r),
    },
  };
}

function toFinding(r: Row): Finding {
  return {
    id: r.id,
    key: r.fid,
    siteId: r.site_id,
    deviceId: r.device_id,
    rule: r.rule,
    severity: r.severity,
    subjectKind: r.subject_kind,
    subject: r.subject,
    message: r.message,
    facts: JSON.parse(r.facts) as Record<string, unknown>,
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    status: r.status,
    statusAt: r.status_at,
    waiver: waiverOf(r),
  };
}
