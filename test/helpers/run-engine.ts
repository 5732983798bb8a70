// Generated frames straight through the passive engine (no file), for fixture tests: the devices
// `analyze` would build, plus what the engine counted (decoders that took bytes, anomalies, names).
import { PacketRef } from '../../agent/capture/types.js';
import { APP_DECODERS } from '../../agent/decode/registry.js';
import { buildInventory } from '../../agent/observe/inventory-builder.js';
import { PassiveEngine } from '../../agent/observe/passive-engine.js';
import type { DeviceRecord } from '../../core/inventory.js';
import { privateRanges } from '../../core/net/cidr.js';
import type { ObservationKey } from '../../core/observation-keys.js';
import type { FrameRecord } from '../../scripts/lib/pcap-writer.js';

export interface EngineRun {
  devices: DeviceRecord[];
  /** decoder id → messages (directions, datagrams, frames) it decoded. */
  decoded: Record<string, number>;
  /** malformed/truncated counts and named anomalies. */
  problems: Record<string, number>;
  names: Map<string, Set<string>>;
}

/** The frames through a passive engine with every decoder, finished: its store, connections and counts. */
export function engineOver(frames: Iterable<FrameRecord>, linkType = 1): PassiveEngine {
  const engine = new PassiveEngine({ homeNets: privateRanges(), decoders: APP_DECODERS });
  const pkt = new PacketRef();
  pkt.linkType = linkType;
  for (const f of frames) {
    pkt.buf = f.data;
    pkt.offset = 0;
    pkt.caplen = f.data.length;
    pkt.origLen = f.data.length;
    pkt.tsMs = Number(f.tsNs / 1_000_000n);
    engine.onPacket(pkt);
  }
  engine.finish();
  return engine;
}

export function runFrames(frames: readonly FrameRecord[], linkType = 1): EngineRun {
  const engine = engineOver(frames, linkType);
  const { devices } = buildInventory(engine.store, engine.connections, { identifier: null, geo: null });
  const decoded: Record<string, number> = {};
  const problems: Record<string, number> = { ...engine.skipped };
  for (const [k, v] of Object.entries(engine.dispatcher.counts)) {
    if (k.startsWith('decoded.')) decoded[k.slice(8)] = v;
    else problems[k] = v;
  }
  return { devices, decoded, problems, names: engine.store.names };
}

/** Values of one key observed for the device with this MAC (or address). */
export function valuesOf(run: EngineRun, key: ObservationKey, who: string): string[] {
  const d = run.devices.find((x) => x.mac === who || x.ips.includes(who));
  return (d?.observations ?? []).filter((o) => o.key === key).map((o) => String(o.value));
}
