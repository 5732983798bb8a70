// Observations from anywhere (active probes, nmap, a stored batch) → the same inventory document
// `analyze` prints, through the same evidence store, device assignment and identification.
import type { GeoLookup } from '../../core/geo/contracts.js';
import type { Identifier } from '../../core/identify/contracts.js';
import type { AnalyzeReport } from '../../core/inventory.js';
import type { Observation } from '../../core/observation.js';
import { type EvidenceLimits, EvidenceStore } from './evidence-store.js';
import { buildInventory } from './inventory-builder.js';

export interface ObservationInventoryOptions {
  identifier: Identifier | null;
  geo?: GeoLookup | null;
  evidence?: Partial<EvidenceLimits>;
}

/** Observations carry their subject as `mac` and/or `ip`; ones with neither are counted and skipped. */
export function inventoryFromObservations(
  observations: Iterable<Observation>,
  opts: ObservationInventoryOptions,
): AnalyzeReport {
  const started = performance.now();
  const store = new EvidenceStore(opts.evidence);
  let skipped = 0;
  for (const o of observations) {
    const mac = o.mac?.toLowerCase() ?? null;
    const ip = o.ip ?? null;
    if (!mac && !ip) {
      skipped++;
      continue;
    }
    const ep = store.endpoint(mac, ip);
    if (!ep) continue;
    ep.sent = true; // a probe reply or scan result is the device speaking
    store.record(ep, o.key, o.value, o.ts, o.source);
    // A probe that saw both the MAC and the address proves the binding, as ARP does.
    if (mac && ip) {
      const owner = store.endpoint(mac, null);
      if (owner) store.record(owner, 'mac.ip', ip, o.ts, o.source);
    }
  }
  const { devices, connections } = buildInventory(store, null, {
    identifier: opts.identifier,
    geo: opts.geo ?? null,
  });
  const dropped = Object.fromEntries(Object.entries(store.dropped).map(([k, v]) => [`capped_${k}`, v]));
  return {
    devices,
    connections,
    findings: [],
    stats: {
      files: 0,
      packets: 0,
      bytes: 0,
      skipped: { ...(skipped ? { observation_without_subject: skipped } : {}), ...dropped },
      anomalies: {},
      flows: 0,
      evictedFlows: 0,
      durationMs: Math.round(performance.now() - started),
    },
  };
}
