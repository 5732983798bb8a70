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
    const row = this.rows.get(key);
    if (row) {
      row.packets += packets;
      row.bytes += bytes;
      if (first < row.first) row.first = first;
      if (last > row.last) row.last = last;
      return;
    }
    if (this.rows.size >= this.maxConnections) {
      this.dropped++;
      return;
    }
    // Spelled out, not `{ ...c, packets, … }`: that spread measured ~10 µs per row on Node 20 (8 k new
    // rows took 50–100 ms) against well under 1 µs for the literal.
    this.rows.set(key, {
      endpoint: c.endpoint,
      remoteIp: c.remoteIp,
      remotePort: c.remotePort,
      localPort: c.localPort,
      direction: c.direction,
      proto: c.proto,
      packets,
      bytes,
      first,
      last,
    });
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
