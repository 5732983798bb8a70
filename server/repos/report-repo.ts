// Regulator reports (the signed record of each operator's period) and their schedules: the only
// code that writes their SQL.
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/database.js';
import { decodeCursor, encodeCursor, type Page } from './scope.js';

export interface ScheduleRow {
  cron: string;
  timeZone: string;
  lang: 'en' | 'ja';
  updatedAt: string;
  updatedBy: string;
}

export interface ReportMeta {
  id: number;
  operatorId: number;
  periodStart: string;
  periodEnd: string;
  label: string;
  timeZone: string;
  generatedAt: string;
  keyId: string;
  sha256: string;
  deliveredAt: string | null;
}

export interface NewReport extends Omit<ReportMeta, 'id' | 'deliveredAt'> {
  document: string;
}

interface Row {
  id: number;
  operator_id: number;
  period_start: string;
  period_end: string;
  label: string;
  time_zone: string;
  generated_at: string;
  key_id: string;
  sha256: string;
  delivered_at: string | null;
}

const META = `id, operator_id, period_start, period_end, label, time_zone, generated_at, key_id, sha256, delivered_at`;

export class ReportRepo {
  readonly #db: Db;
  readonly #schedule: Statement;
  readonly #putSchedule: Statement;
  readonly #insert: Statement;
  readonly #latest: Statement;
  readonly #document: Statement;
  readonly #meta: Statement;
  readonly #undelivered: Statement;
  readonly #delivered: Statement;

  constructor(db: Db) {
    this.#db = db;
    this.#schedule = db.prepare('SELECT * FROM report_schedules WHERE operator_id = ?');
    this.#putSchedule = db.prepare(
      `INSERT INTO report_schedules (operator_id, cron, time_zone, lang, updated_at, updated_by) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (operator_id) DO UPDATE SET cron = excluded.cron, time_zone = excluded.time_zone,
         lang = excluded.lang, updated_at = excluded.updated_at, updated_by = excluded.updated_by`,
    );
    this.#insert = db.prepare(
      `INSERT INTO reports (operator_id, period_start, period_end, label, time_zone, generated_at, key_id, sha256, document)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    );
    this.#latest = db.prepare(
      `SELECT ${META}, document FROM reports WHERE operator_id = ? ORDER BY period_end DESC LIMIT 1`,
    );
    this.#document = db.prepare('SELECT document FROM reports WHERE id = ?');
    this.#meta = db.prepare(`SELECT ${META} FROM reports WHERE id = ?`);
    this.#undelivered = db.prepare(
      `SELECT ${META} FROM reports WHERE delivered_at IS NULL ORDER BY id LIMIT ?`,
    );
    this.#delivered = db.prepare('UPDATE reports SET delivered_at = ? WHERE id = ?');
  }

  schedule(operatorId: number): ScheduleRow | undefined {
    const r = this.#schedule.get(operatorId) as
      | { cron: string; time_zone: string; lang: 'en' | 'ja'; updated_at: string; updated_by: string }
      | undefined;
    return (
      r && {
        cron: r.cron,
        timeZone: r.time_zone,
        lang: r.lang,
        updatedAt: r.updated_at,
        updatedBy: r.updated_by,
      }
    );
  }

  putSchedule(operatorId: number, s: ScheduleRow): void {
    this.#putSchedule.run(operatorId, s.cron, s.timeZone, s.lang, s.updatedAt, s.updatedBy);
  }

  insert(r: NewReport): number {
    return (
      this.#insert.get(
        r.operatorId,
        r.periodStart,
        r.periodEnd,
        r.label,
        r.timeZone,
        r.generatedAt,
        r.keyId,
        r.sha256,
        r.document,
      ) as { id: number }
    ).id;
  }

  /** The operator's latest report (by period end) with its document, or undefined. */
  latest(operatorId: number): (ReportMeta & { document: string }) | undefined {
    const r = this.#latest.get(operatorId) as (Row & { document: string }) | undefined;
    return r && { ...toMeta(r), document: r.document };
  }

  meta(id: number): ReportMeta | undefined {
    const r = this.#meta.get(id) as Row | undefined;
    return r && toMeta(r);
  }

  /** The signed record, byte for byte as produced. */
  document(id: number): string | undefined {
    return (this.#document.get(id) as { document: string } | undefined)?.document;
  }

  /** Reports of these operators, newest first (by id), keyset pages. */
  list(
    operatorIds: readonly number[],
    q: { operatorId?: number; cursor?: string },
    limit: number,
  ): Page<ReportMeta> {
    const ids = q.operatorId === undefined ? operatorIds : operatorIds.filter((o) => o === q.operatorId);
    const before = q.cursor === undefined ? Number.MAX_SAFE_INTEGER : decodeCursor(q.cursor, 'number')[1];
    const rows = this.#db
      .prepare(
        `SELECT ${META} FROM reports WHERE operator_id IN (SELECT value FROM json_each(?)) AND id < ?
         ORDER BY id DESC LIMIT ?`,
      )
      .all(JSON.stringify(ids), before, limit + 1) as Row[];
    const more = rows.length > limit;
    const items = (more ? rows.slice(0, limit) : rows).map(toMeta);
    const last = items.at(-1);
    return { items, next: more && last ? encodeCursor(last.id, last.id) : null };
  }

  undelivered(limit = 100): ReportMeta[] {
    return (this.#undelivered.all(limit) as Row[]).map(toMeta);
  }

  markDelivered(id: number, at: string): void {
    this.#delivered.run(at, id);
  }
}

function toMeta(r: Row): ReportMeta {
  return {
    id: r.id,
    operatorId: r.operator_id,
    periodStart: r.period_start,
    periodEnd: r.period_end,
    label: r.label,
    timeZone: r.time_zone,
    generatedAt: r.generated_at,
    keyId: r.key_id,
    sha256: r.sha256,
    deliveredAt: r.delivered_at,
  };
}
