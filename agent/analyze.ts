// `originmap analyze` as a function: capture files in, the inventory document out. Several files
// merge into one inventory (one engine reads them in turn). Used by the CLI and by tests.
import { getHeapStatistics } from 'node:v8';
import type { GeoLookup } from '../core/geo/contracts.js';
import { createGeoLookup } from '../core/geo/geo-lookup.js';
import type { Identifier } from '../core/identify/contracts.js';
import { loadIdentifier } from '../core/identify/load-identifier.js';
import type { AnalyzeReport } from '../core/inventory.js';
import { type Cidr, CidrSet, PRIVATE_RANGES, parseCidr } from '../core/net/cidr.js';
import { loadShippedSignatures } from '../core/signatures/shipped.js';
import { readCaptureFile } from './capture/read-file.js';
import type { ReaderLimits } from './capture/types.js';
import { APP_DECODERS } from './decode/registry.js';
import type { AppDecoder } from './decode/types.js';
import { fullCollection } from './observe/full-collection.js';
import { buildInventory } from './observe/inventory-builder.js';
import { type EngineOptions, PassiveEngine } from './observe/passive-engine.js';

export interface AnalyzeOptions {
  /** Networks that are "ours" besides the private ranges (addresses in neither are remote). */
  homeNets?: readonly Cidr[];
  /** Decides identities; the shipped signatures when omitted, none (all null) with null. */
  identifier?: Identifier | null;
  /** Where remote addresses are; the packaged offline data when omitted, none with null. */
  geo?: GeoLookup | null;
  decoders?: readonly AppDecoder[];
  /** Each device's observation list (default true); off, devices carry none (BuildOptions.observations). */
  observations?: boolean;
  engine?: Partial<Omit<EngineOptions, 'homeNets' | 'decoders'>>;
  limits?: Partial<ReaderLimits>;
  /** Called per chunk: file index, bytes read, file size, packets so far. */
  onProgress?: (file: number, read: number, total: number, packets: number) => void;
}

/** Heap in use, bytes, from which the engine's garbage is worth a full collection before the inventory. */
const FULL_COLLECTION_MIN_HEAP = 16 * 1024 * 1024;

/** Default home networks plus the user's. */
export function homeNetSet(extra: readonly Cidr[] = []): CidrSet {
  return new CidrSet([...PRIVATE_RANGES.map(parseCidr), ...extra]);
}

/** Reads every file; throws CaptureFormatError (one clear line) for a file that is not a capture. */
export function analyzeCaptures(paths: readonly string[], opts: AnalyzeOptions = {}): AnalyzeReport {
  const started = performance.now();
  const { store, table, stats } = readCaptures(paths, opts);
  // The engine is unreachable now: free it before the inventory allocates (full-collection.ts). Not
  // for a small capture: ~12 ms of a tiny file's ~0.2 s analyze, to free ~1 MB (8 MB used here on
  // fixtures/demo.pcapng, 54 MB on the 1 GB bench capture).
  if (getHeapStatistics().used_heap_size >= FULL_COLLECTION_MIN_HEAP) fullCollection();
  const { devices, connections } = buildInventory(store, table, {
    identifier: opts.identifier === undefined ? loadIdentifier() : opts.identifier,
    geo:
      opts.geo === undefined ? createGeoLookup({ providers: loadShippedSignatures().providers }) : opts.geo,
    observations: opts.observations,
  });
  stats.durationMs = Math.round(performance.now() - started);
  return { devices, connections, findings: [], stats };
}

/**
 * Runs the engine over every file and keeps only what the inventory needs: the engine (flow table,
 * stream buffers: ~35 MB on the bench capture) is unreachable once this returns, so it can be freed
 * while the inventory and the geo data load, and the two peaks do not add up.
 */
function readCaptures(paths: readonly string[], opts: AnalyzeOptions) {
  const engine = new PassiveEngine({
    ...opts.engine,
    homeNets: homeNetSet(opts.homeNets),
    decoders: opts.decoders ?? APP_DECODERS,
  });
  const skipped: Record<string, number> = {};
  const merge = (from: Record<string, number>, prefix = '') => {
    for (const [k, v] of Object.entries(from)) skipped[prefix + k] = (skipped[prefix + k] ?? 0) + v;
  };
  paths.forEach((path, i) => {
    const stream = readCaptureFile(path, engine.onPacket, {
      limits: opts.limits,
      onProgress: opts.onProgress
        ? (read, total) => opts.onProgress?.(i, read, total, engine.packets)
        : undefined,
    });
    merge(stream.stats.skipped);
  });
  engine.finish();
  merge(engine.skipped);
  merge(engine.store.dropped, 'capped_');
  if (engine.streams.exhausted) skipped.stream_buffers_exhausted = engine.streams.exhausted;
  if (engine.connections.dropped) skipped.capped_connections = engine.connections.dropped;
  const anomalies: Record<string, number> = {};
  for (const [k, v] of Object.entries(engine.dispatcher.counts))
    if (!k.startsWith('decoded.')) anomalies[k] = v;
  for (const k of Object.keys(skipped)) {
    if (k.startsWith('anomaly_')) {
      anomalies[k.slice(8)] = skipped[k]!;
      delete skipped[k];
    }
  }
  const stats: AnalyzeReport['stats'] = {
    files: paths.length,
    packets: engine.packets,
    bytes: engine.bytes,
    skipped,
    anomalies,
    flows: engine.flowsSeen,
    evictedFlows: engine.evictedFlows,
    durationMs: 0,
  };
  return { store: engine.store, table: engine.connections, stats };
}
