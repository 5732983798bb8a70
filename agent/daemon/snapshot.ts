// The periodic snapshot: what changed in the engine since the last one (device deltas, connection
// deltas including live flows, capture files finished, scan observations) goes into the spool in one
// transaction. Only once it is on disk are the engine's "reported" marks moved; if the write fails
// (full disk) everything stays in memory and goes with the next snapshot. When the spool outgrows its
// bound it compacts; if that is not enough, snapshots pause (the engine keeps aggregating, within its
// caps) until uploads make room — the agent holds data back rather than dropping it.
import type { Observation } from '../../core/observation.js';
import type { WireObservation } from '../../core/wire.js';
import { WIRE_LIMITS } from '../../core/wire-limits.js';
import type { DirWatcher } from '../live/dir-watcher.js';
import type { PassiveEngine } from '../observe/passive-engine.js';
import { type BatchContent, DEFAULT_MAX_BATCH_CHARS } from '../uplink/batch-content.js';
import { type Spool, SpoolError } from '../uplink/spool.js';
import { collectDeviceDeltas, wireConnection } from './device-deltas.js';
import type { Logger } from './log.js';
import type { AgentMetrics } from './metrics.js';

const MAC = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;
const IP = /^[0-9A-Fa-f.:]{2,45}$/;

export interface SnapshotOptions {
  engine: PassiveEngine;
  spool: () => Spool | null;
  watcher: DirWatcher | null;
  maxBatchDevices: () => number;
  maxSpoolBytes: number;
  deviceRefreshMs: number;
  log: Logger;
  metrics: AgentMetrics;
  /** After batches were spooled. */
  onSpooled?: () => void;
}

export type SnapshotOutcome = 'spooled' | 'nothing' | 'busy' | 'held' | 'failed';

export class Snapshotter {
  readonly #o: SnapshotOptions;
  #lastRefresh = Date.now();
  /** Observations from active scans waiting for the next snapshot. */
  #observations: WireObservation[] = [];
  /** Over the bound after compaction: snapshots pause until uploads make room. */
  #boundFull = false;
  /** The last write failed (a full disk clears only by writing again, so writes keep being tried). */
  #failing = false;
  #diskFull = false;
  droppedObservations = 0;

  constructor(opts: SnapshotOptions) {
    this.#o = opts;
  }

  /** True while the spool cannot take more (bound reached after compaction, or a full disk). */
  get full(): boolean {
    return this.#boundFull || this.#diskFull;
  }

  /** Scan results (active discovery) to send with the next snapshot. */
  addObservations(list: readonly Observation[]): void {
    for (const o of list) {
      if (this.#observations.length >= WIRE_LIMITS.observations * 4) {
        this.droppedObservations++;
        continue;
      }
      const w: WireObservation = { ts: o.ts, source: o.source, key: o.key, value: o.value };
      if (o.mac && MAC.test(o.mac)) w.mac = o.mac;
      if (o.ip && IP.test(o.ip)) w.ip = o.ip;
      if (o.port !== undefined && Number.isInteger(o.port) && o.port >= 0 && o.port <= 65535) w.port = o.port;
      if (o.proto) w.proto = o.proto;
      if (!w.mac && !w.ip) continue;
      if (typeof w.value === 'string' && w.value.length > WIRE_LIMITS.text) continue;
      this.#observations.push(w);
    }
  }

  /**
   * One snapshot. `final` (the agent is stopping) sends every pending count, not only changes, and
   * does not wait for a directory read in progress.
   */
  run(now = Date.now(), final = false): SnapshotOutcome {
    const o = this.#o;
    if (!final && o.watcher?.busy) return 'busy';
    const spool = o.spool();
    if (!spool) return 'failed';
    if (this.#boundFull) {
      if (!this.#roomAgain(spool)) return 'held';
      this.#boundFull = false;
      o.log.info('spool has room again');
      this.#gauge();
    }
    const refreshDue = final || now - this.#lastRefresh >= o.deviceRefreshMs;
    const deltas = collectDeviceDeltas(o.engine.store, { refreshDue });
    const rows = o.engine.drainConnections();
    const connections = rows.flatMap((r) => wireConnection(r, deltas.deviceOf, o.engine.store.names) ?? []);
    const files = o.watcher?.takeMarks() ?? [];
    const observations = this.#observations;
    if (deltas.changed === 0 && connections.length === 0 && observations.length === 0 && files.length === 0) {
      if (refreshDue) this.#lastRefresh = now;
      return 'nothing';
    }
    const maxDevices = o.maxBatchDevices();
    // Devices are built one batch at a time inside the write: a snapshot's peak memory is one batch.
    const pieces = function* (): Generator<BatchContent> {
      for (const devices of deltas.chunks(maxDevices)) yield { devices, connections: [], observations: [] };
      yield { devices: [], connections, observations };
    };
    let batches: number;
    try {
      batches = spool.putParts(pieces(), { maxDevices, maxChars: DEFAULT_MAX_BATCH_CHARS, files });
    } catch (err) {
      if (!(err instanceof SpoolError)) throw err;
      o.engine.connections.restore(rows);
      o.watcher?.returnMarks(files);
      o.metrics.inc('spool_write_failures_total');
      this.#diskFull = err.kind === 'full';
      this.#gauge();
      if (!this.#failing)
        o.log.error(
          { kind: err.kind, devices: deltas.changed, connections: connections.length },
          `cannot write to the spool, keeping the data in memory until it can: ${err.message}`,
        );
      this.#failing = true;
      return 'failed';
    }
    deltas.commit();
    this.#observations = [];
    if (refreshDue) this.#lastRefresh = now;
    if (this.#failing) o.log.info('spool writable again');
    this.#failing = false;
    this.#diskFull = false;
    this.#gauge();
    void o.watcher?.committed(files);
    o.metrics.inc('batches_spooled_total', batches);
    if (deltas.unsendable)
      o.log.debug({ values: deltas.unsendable }, 'values the wire cannot carry were left out');
    o.log.debug(
      { batches, devices: deltas.changed, connections: connections.length, files: files.length },
      'snapshot spooled',
    );
    this.#checkBound(spool);
    o.onSpooled?.();
    return 'spooled';
  }

  /** Over the bound: merge unsent batches; if still over, pause snapshots until uploads make room. */
  #checkBound(spool: Spool): void {
    const o = this.#o;
    if (spool.depth().bytes <= o.maxSpoolBytes) return;
    let result: ReturnType<Spool['compact']> = null;
    try {
      result = spool.compact({ maxDevices: o.maxBatchDevices(), maxChars: DEFAULT_MAX_BATCH_CHARS });
    } catch (err) {
      o.log.warn({ err: (err as Error).message }, 'spool compaction failed');
    }
    if (result) {
      o.metrics.inc('spool_compactions_total');
      o.log.warn(
        { ...result, maxBytes: o.maxSpoolBytes },
        'spool over its bound: compacted unsent batches (newer device and connection deltas merged into older ones)',
      );
    }
    if (spool.depth().bytes > o.maxSpoolBytes) {
      this.#boundFull = true;
      this.#gauge();
      o.log.warn(
        { maxBytes: o.maxSpoolBytes },
        'spool full after compaction: holding new data in memory (the engine keeps aggregating) until uploads make room',
      );
    }
  }

  #roomAgain(spool: Spool): boolean {
    try {
      return spool.depth().bytes < this.#o.maxSpoolBytes * 0.9;
    } catch {
      return false;
    }
  }

  #gauge(): void {
    this.#o.metrics.set('spool_full', this.full ? 1 : 0);
  }
}
