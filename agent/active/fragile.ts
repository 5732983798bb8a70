// The class-based safe profile (DESIGN.md §6): a host the identification engine classes plc, rtu,
// ied or hmi gets identity reads only, decided from what the safe probes have shown so far.
import type { Identifier } from '../../core/identify/contracts.js';
import type { DeviceClass, ObservationSummary } from '../../core/inventory.js';
import type { Observation } from '../../core/observation.js';

export const FRAGILE_CLASSES: ReadonlySet<DeviceClass> = new Set(['plc', 'rtu', 'ied', 'hmi']);

/** A `fragile` hook for the scanner; without an identifier nothing is classed (industrial replies still count). */
export function fragileByClass(
  identifier: Identifier | null,
): (observations: readonly Observation[]) => boolean {
  if (!identifier) return () => false;
  return (observations) => {
    if (!observations.length) return false;
    const summaries = new Map<string, ObservationSummary>();
    for (const o of observations) {
      const k = `${o.key}\0${o.value}`;
      const at = new Date(o.ts).toISOString();
      const s = summaries.get(k);
      if (s) {
        s.count++;
        s.lastSeen = at;
      } else
        summaries.set(k, {
          key: o.key,
          value: o.value,
          source: o.source,
          count: 1,
          firstSeen: at,
          lastSeen: at,
        });
    }
    const mac = observations.find((o) => o.mac)?.mac ?? null;
    const identity = identifier.identify({ mac, observations: [...summaries.values()] });
    return identity.class !== null && FRAGILE_CLASSES.has(identity.class);
  };
}
