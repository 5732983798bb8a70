// Aggregates finished flows into connections: local endpoint × remote address × service port ×
// protocol × direction, with packets, bytes and first/last seen (DESIGN.md §3 "Connection").
// `analyze` reads the rows once at the end; the agent drains them as deltas every interval.
import type { ConnectionRecord } from '../../core/inventory.js';

export interface ConnectionAgg {
  endpoint: number;
  remoteIp: string;
  remotePort: number | null;
  localPort: number | null;
  direction: ConnectionRecord['direction'];
  proto: ConnectionRecord['proto'];
  packets: number;
  bytes: number;
  first: number;
  last: number;
}

/**
 * A row as a class, not an object literal (nor `{ ...c, packets, … }`, which measured ~10 µs per row
 * on Node 20): V8 moves a literal's allocation site to old space once the GC finds its objects
 * long-lived, as rows are, and throws away the code that inlined it (the flow recorder's #report).
 */
class ConnectionRow implements ConnectionAgg {
  // Declared, not initialised: the constructor stores the fields in the literal's order, each first
  // with a value of the kind it keeps (first/last stay unboxed doubles).
  declare endpoint: number;
  declare remoteIp: string;
  declare remotePort: number | null;
  declare localPort: number | null;
  declare direction: ConnectionRecord['direction'];
  declare proto: ConnectionRecord['proto'];
  declare packets: number;
  declare bytes: number;
  declare first: number;
  declare last: number;
  constructor(c: Omit<ConnectionAgg, 'packets' | 'bytes' | 'first' | 'last'>, first: number, last: number) {
    this.endpoint = c.endpoint;
    this.remoteIp = c.remoteIp;
    // Null, then the port: rows hold both, and a field V8 first saw hold only numbers would be widened
    // at the first null, throwing away the code that stores it.
    this.remotePort = null;
    this.remotePort = c.remotePort;
    this.localPort = null;
    this.localPort = c.localPort;
    this.direction = c.direction;
    this.proto = c.proto;
    this.packets = 0;
    this.bytes = 0;
    this.first = first;
    this.last = last;
  }
}

/** Connections kept (default 262144); beyond it new ones are counted, not stored. */
export const DEFAULT_MAX_CONNECTIONS = 262_144;

export class ConnectionTable {
  readonly rows = new Map<string, ConnectionAgg>();
  dropped = 0;
  constructor(readonly maxConnections = DEFAULT_MAX_CONNECTIONS) {}

  add(
    c: Omit<ConnectionAgg, 'packets' | 'bytes' | 'first' | 'last'>,
    packets: number,
    bytes: number,
    first: number,
    last: number,
  ): void {
    const key = rowKey(c);
    let row = this.rows.get(key);
    if (row === undefined) {
      if (this.rows.size >= this.maxConnections) {
        this.dropped++;
        return;
      }
      row = new ConnectionRow(c, first, last);
      this.rows.set(key, row);
    }
    // A new row adds its first traffic here too: the path every call takes, so V8 never compiles
    // add() (inlined into the flow recorder's #report) before the first repeat, to throw it away then.
    row.packets += packets;
    row.bytes += bytes;
    row.first = first < row.first ? first : row.first;
    row.last = last > row.last ? last : row.last;
  }

  /** Hands out every row and empties the table (a long-running agent reports deltas). */
  drain(): ConnectionAgg[] {
    const rows = [...this.rows.values()];
    this.rows.clear();
    return rows;
  }

  /**
   * After the evidence store renumbered its endpoints (old id → new id): rows and their keys follow,
   * so a later flow of another endpoint that now has an old id cannot add to a row not its own.
   */
  remapEndpoints(map: Int32Array): void {
    const rows = [...this.rows.values()];
    this.rows.clear();
    for (const r of rows) {
      r.endpoint = map[r.endpoint] ?? -1;
      this.rows.set(rowKey(r), r);
    }
  }

  /** Puts drained rows back (their delivery failed): they merge with anything added since. */
  restore(rows: readonly ConnectionAgg[]): void {
    for (const r of rows) this.add(r, r.packets, r.bytes, r.first, r.last);
  }
}

function rowKey(c: Omit<ConnectionAgg, 'packets' | 'bytes' | 'first' | 'last'>): string {
  return `${c.endpoint}|${c.remoteIp}|${c.remotePort ?? ''}|${c.localPort ?? ''}|${c.proto}|${c.direction}`;
}
