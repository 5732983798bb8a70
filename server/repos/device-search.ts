// Text search over the devices' search text (?q=) through the trigram index
// (server/db/search-store.ts): the index names candidates, the stored text decides (instr(), a
// literal match, as without the index). The index may lag behind the inventory; the devices it
// does not cover yet — ids past its mark, texts changed since its last step — are searched
// directly, so a result never depends on how far the indexer got, only its speed does.
import type { Database, Statement } from 'better-sqlite3';
import {
  isSearchAttached,
  lagAt,
  SEARCH_POSITION_SQL,
  SEARCH_SCHEMA,
  type SearchPosition,
} from '../db/search-store.js';
import type { Where } from './scope.js';

/** Trigrams ANDed per query at most: more narrow little further and each costs a doclist read. */
export const MAX_TRIGRAMS = 12;

/**
 * Index hits above which a search sorted by day does not sort them all but walks the day index
 * testing the text; a search in id order walks the hits in order and stops when the page is full,
 * so it has no such bound. Near the crossover of the two costs, measured on the benchmark's store
 * (~6 µs per hit fetched, tested and sorted; ~0.8 µs per device the walk tests, ~1/rate devices
 * per match at 1 M devices): both are ~20 ms for a term with ~3,000 hits.
 */
export const SORT_CANDIDATES_MAX = 3_000;

/**
 * The FTS5 query for a lower-cased needle: its trigrams, each quoted (so no character is an
 * operator) and ANDed; null when it has none (under three characters). Every device containing the
 * needle contains each of its trigrams, so the query can only name too many devices, never too few.
 * Trigrams with NUL or a lone surrogate are left out: they would not reach the tokenizer as written.
 */
export function trigramQuery(needle: string): string | null {
  const chars = [...needle];
  const grams = new Set<string>();
  for (let i = 0; i + 3 <= chars.length; i++) {
    const three = chars.slice(i, i + 3);
    if (three.some((c) => c === '\0' || (c.length === 1 && c >= '\uD800' && c <= '\uDFFF'))) continue;
    grams.add(three.join(''));
  }
  if (grams.size === 0) return null;
  let list = [...grams];
  // Spread over the needle, first and last included: any subset keeps the query a superset.
  if (list.length > MAX_TRIGRAMS) {
    const all = list;
    list = Array.from(
      { length: MAX_TRIGRAMS },
      (_, i) => all[Math.round((i * (all.length - 1)) / (MAX_TRIGRAMS - 1))]!,
    );
  }
  return list.map((g) => `"${g.replaceAll('"', '""')}"`).join(' AND ');
}

export interface TextListing {
  /** Selected columns, unqualified: they name columns of `devices` only. */
  columns: string;
  /** Every condition of the listing (tenant, filters, cursor, the instr() test), params in order. */
  where: Where;
  sort: { column: 'id' | 'last_seen_day'; desc: boolean };
  /** Rows wanted: the page and one more. */
  rows: number;
}

/** A selected row: the merge below orders by these. */
interface Keyed {
  id: number;
  last_seen_day: string;
}

/**
 * Devices (or text changes) the index may lag behind before searches stop using it and scan as
 * without one: the part it does not cover is searched without an index, and sorting all of a large
 * part's matches by day costs more than the scan (a first build, an upgrade, a rebuild).
 */
export const TAIL_MAX = 10_000;

// Errors of the index's file itself: the listing then scans, as without an index.
const FILE_ERRORS = /^SQLITE_(CORRUPT|NOTADB|IOERR|CANTOPEN)/;

export class DeviceSearch {
  readonly #prepare: (sql: string) => Statement;
  readonly #position: Statement | null;
  readonly #tailMax: number;

  constructor(db: Database, prepare: (sql: string) => Statement, tailMax = TAIL_MAX) {
    this.#prepare = prepare;
    this.#tailMax = tailMax;
    this.#position = isSearchAttached(db) ? db.prepare(SEARCH_POSITION_SQL) : null;
  }

  /**
   * The listing's rows found through the index, in the listing's order; null when the index cannot
   * serve this search (no index, no trigram, too far behind, too many hits to sort, a damaged index
   * file): scan.
   */
  rows<R extends Keyed>(needle: string, l: TextListing): R[] | null {
    const match = trigramQuery(needle);
    if (this.#position === null || match === null) return null;
    try {
      return this.#rows<R>(match, l);
    } catch (err) {
      if (FILE_ERRORS.test(String((err as { code?: unknown }).code))) return null;
      throw err;
    }
  }

  #rows<R extends Keyed>(match: string, l: TextListing): R[] | null {
    // Read first: the index a later statement sees is at least this far.
    const mark = this.#position!.get() as SearchPosition | undefined;
    if (!mark) return null;
    const lag = lagAt(mark);
    if (lag.devices > this.#tailMax || lag.changes > this.#tailMax) return null;
    const s = SEARCH_SCHEMA;
    const byDay = l.sort.column === 'last_seen_day';
    if (byDay) {
      const hits = this.#prepare(
        `SELECT count(*) AS n FROM (SELECT 1 FROM ${s}.device_text WHERE device_text MATCH ? LIMIT ?)`,
      ).get(match, SORT_CANDIDATES_MAX + 1) as { n: number };
      if (hits.n > SORT_CANDIDATES_MAX) return null;
    }
    const dir = l.sort.desc ? 'DESC' : 'ASC';
    const conditions = l.where.conditions();
    const columns = `${l.columns}, last_seen_day`;
    // The index drives: in rowid order it stops at the page's last match.
    const order = byDay ? `last_seen_day ${dir}, f.rowid ${dir}` : `f.rowid ${dir}`;
    const indexed = this.#prepare(
      `SELECT ${columns} FROM ${s}.device_text f JOIN devices ON devices.id = f.rowid
       WHERE f.device_text MATCH ? AND f.rowid <= ? AND ${conditions} ORDER BY ${order} LIMIT ?`,
    ).all(match, mark.device_id, ...l.where.params, l.rows) as R[];
    // What the index does not hold yet: devices past its mark, texts changed since. Two statements,
    // as the planner walks the whole table for an OR of the two in id order; rowid lookups only
    // (NOT INDEXED keeps it from walking a listing index instead).
    const tailOrder = byDay ? `last_seen_day ${dir}, id ${dir}` : `id ${dir}`;
    const tail = (cond: string, at: number) =>
      this.#prepare(
        `SELECT ${columns} FROM devices NOT INDEXED WHERE ${cond} AND ${conditions} ORDER BY ${tailOrder} LIMIT ?`,
      ).all(at, ...l.where.params, l.rows) as R[];
    const fresh = tail('id > ?', mark.device_id);
    const changed = tail('id IN (SELECT device_id FROM search_log WHERE seq > ?)', mark.log_seq);
    return fresh.length + changed.length === 0 ? indexed : merge([indexed, fresh, changed], l);
  }
}

/** The lists' rows in the listing's order, a device found in several once, the first `rows`. */
function merge<R extends Keyed>(lists: R[][], l: TextListing): R[] {
  const byId = new Map<number, R>();
  for (const list of lists) for (const r of list) byId.set(r.id, r);
  const sign = l.sort.desc ? -1 : 1;
  const day = l.sort.column === 'last_seen_day';
  return [...byId.values()]
    .sort((x, y) => {
      if (day && x.last_seen_day !== y.last_seen_day) return x.last_seen_day < y.last_seen_day ? -sign : sign;
      return (x.id - y.id) * sign;
    })
    .slice(0, l.rows);
}
