// Aggregates finished flows into connections: local endpoint × remote address × service port ×
// protocol × direction, with packets, bytes and first/last seen (DESIGN.md §3 "Connection").
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
    const key = `${c.endpoint}|${c.remoteIp}|${c.remotePort ?? ''}|${c.localPort ?? ''}|${c.proto}|${c.direction}`;
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
    this.rows.set(key, { ...c, packets, bytes, first, last });
  }
}
