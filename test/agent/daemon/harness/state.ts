// What went in and what came out: the inventory `analyze` makes of a reference capture of the same
// traffic, and what the collector's database holds — in the same shape, so a test compares them whole
// (device keys, per-connection packets and bytes, per-device evidence counts).
import Database from 'better-sqlite3';
import { analyzeCaptures } from '../../../../agent/analyze.js';

export interface Totals {
  devices: string[];
  /** "device|remoteIp|port|proto|direction" → [packets, bytes]; port as the collector keeps it (the
   * remote's service port outbound, the device's own inbound). */
  connections: Record<string, [number, number]>;
  /** "device|key|value" → count */
  evidence: Record<string, number>;
}

/** Expected totals from capture files. */
export function expectedFrom(files: string[]): Totals {
  const r = analyzeCaptures(files);
  const connections: Totals['connections'] = {};
  for (const c of r.connections) {
    const port = c.direction === 'outbound' ? c.remotePort : c.localPort;
    const k = `${c.device}|${c.remoteIp}|${port}|${c.proto}|${c.direction}`;
    const t = connections[k] ?? [0, 0];
    connections[k] = [t[0] + c.packets, t[1] + c.bytes];
  }
  const evidence: Totals['evidence'] = {};
  for (const d of r.devices)
    for (const o of d.observations)
      evidence[`${d.id}|${o.key}|${o.value}`] = (evidence[`${d.id}|${o.key}|${o.value}`] ?? 0) + o.count;
  return { devices: r.devices.map((d) => d.id).sort(), connections, evidence };
}

/** What the collector's database holds, read in one transaction: one snapshot while it runs. */
export function collectorTotals(db: string): Totals & { batches: number; integrity: string } {
  const conn = new Database(db, { readonly: true, fileMustExist: true });
  try {
    // Without it each statement reads its own snapshot, and a batch committed between two of them
    // showed as evidence counts that did not match the batch count (a flaky fault test).
    return conn.transaction(() => read(conn))();
  } finally {
    conn.close();
  }
}

function read(conn: Database.Database): Totals & { batches: number; integrity: string } {
  const devices = (conn.prepare('SELECT key FROM devices ORDER BY key').all() as { key: string }[]).map(
    (r) => r.key,
  );
  const connections: Totals['connections'] = {};
  for (const r of conn
    .prepare(
      'SELECT d.key, c.remote_ip, c.port, c.proto, c.direction, c.packets, c.bytes FROM connections c JOIN devices d ON d.id = c.device_id',
    )
    .all() as {
    key: string;
    remote_ip: string;
    port: number;
    proto: string;
    direction: string;
    packets: number;
    bytes: number;
  }[])
    connections[`${r.key}|${r.remote_ip}|${r.port}|${r.proto}|${r.direction}`] = [r.packets, r.bytes];
  const evidence: Totals['evidence'] = {};
  for (const r of conn
    .prepare(
      'SELECT d.key, e.key AS k, e.value, e.count FROM evidence e JOIN devices d ON d.id = e.device_id',
    )
    .all() as { key: string; k: string; value: string | number; count: number }[])
    evidence[`${r.key}|${r.k}|${r.value}`] = (evidence[`${r.key}|${r.k}|${r.value}`] ?? 0) + r.count;
  const batches = (conn.prepare('SELECT count(*) AS n FROM batches').get() as { n: number }).n;
  const integrity = (conn.pragma('integrity_check') as { integrity_check: string }[])[0]!.integrity_check;
  return { devices, connections, evidence, batches, integrity };
}
