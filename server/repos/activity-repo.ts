// When agents were heard from (heartbeats and uploads), kept as spans: a contact within the
// tolerance of the latest span's end extends it, a later one opens a new span. The regulator's
// summary reads uptime and silences from these; one row per stretch of activity keeps it compact.
import type { Statement } from 'better-sqlite3';
import type { Db } from '../db/database.js';

export interface ActivitySpan {
  from: string;
  to: string;
}

export class ActivityRepo {
  readonly #latest: Statement;
  readonly #extend: Statement;
  readonly #open: Statement;
  readonly #between: Statement;
  readonly #lastBefore: Statement;

  constructor(db: Db) {
    this.#latest = db.prepare(
      'SELECT started_at, ended_at FROM agent_activity WHERE agent_id = ? ORDER BY started_at DESC LIMIT 1',
    );
    this.#extend = db.prepare('UPDATE agent_activity SET ended_at = ? WHERE agent_id = ? AND started_at = ?');
    this.#open = db.prepare(
      'INSERT OR IGNORE INTO agent_activity (agent_id, started_at, ended_at) VALUES (?, ?, ?)',
    );
    this.#between = db.prepare(
      `SELECT started_at, ended_at FROM agent_activity WHERE agent_id = ? AND started_at < ? AND ended_at >= ?
       ORDER BY started_at`,
    );
    this.#lastBefore = db.prepare(
      'SELECT max(min(ended_at, ?)) AS at FROM agent_activity WHERE agent_id = ? AND started_at < ?',
    );
  }

  /**
   * Records a contact at `now`. Within `toleranceMs` of the latest span's end it extends that span
   * (a contact out of order, older than the span's end, changes nothing); otherwise a new span opens.
   */
  record(agentId: number, now: Date, toleranceMs: number): void {
    const at = now.toISOString();
    const last = this.#latest.get(agentId) as { started_at: string; ended_at: string } | undefined;
    if (last && now.getTime() - Date.parse(last.ended_at) <= toleranceMs) {
      if (at > last.ended_at) this.#extend.run(at, agentId, last.started_at);
      return;
    }
    if (last && at < last.started_at) return;
    this.#open.run(agentId, at, at);
  }

  /** Spans that overlap [from, to). */
  spans(agentId: number, from: string, to: string): ActivitySpan[] {
    return (this.#between.all(agentId, to, from) as { started_at: string; ended_at: string }[]).map((r) => ({
      from: r.started_at,
      to: r.ended_at,
    }));
  }

  /** The last contact before `at` (capped at it), or null when the agent was never heard from before. */
  lastSeenBefore(agentId: number, at: string): string | null {
    return (this.#lastBefore.get(at, agentId, at) as { at: string | null }).at;
  }
}
