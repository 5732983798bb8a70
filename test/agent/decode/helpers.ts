// Test helpers for application decoders: a context builder, a recording emitter, hex parsing, the
// fuzz seeds.
import { readdirSync } from 'node:fs';
import type { AppContext, Emitter, Transport } from '../../../agent/decode/types.js';
import type { ObservationValue } from '../../../core/observation.js';
import type { ObservationKey } from '../../../core/observation-keys.js';

export function hex(text: string): Uint8Array {
  const clean = text.replace(/#[^\n]*/g, '').replace(/[^0-9a-fA-F]/g, '');
  if (clean.length % 2) throw new Error(`odd number of hex digits in fixture: ${clean.length}`);
  return Uint8Array.from(Buffer.from(clean, 'hex'));
}

export function ctx(transport: Transport, over: Partial<AppContext> = {}): AppContext {
  return {
    ts: 1_700_000_000_000,
    transport,
    src: { mac: '00:1b:1b:00:00:01', ip: transport === 'link' ? null : '192.168.0.10', port: 0 },
    dst: { mac: '00:1c:06:00:00:02', ip: transport === 'link' ? null : '192.168.0.20', port: 0 },
    fromClient: transport === 'tcp' ? true : null,
    ...over,
  };
}

export interface Recorded {
  /** 'src', 'dst', or "mac:<mac>" for observeMac. */
  about: 'src' | 'dst' | `mac:${string}`;
  key: ObservationKey;
  value: ObservationValue;
}

export class RecordingEmitter implements Emitter {
  readonly observations: Recorded[] = [];
  readonly names: { ip: string; name: string; via: string }[] = [];
  readonly anomalies: string[] = [];
  observe(about: 'src' | 'dst', key: ObservationKey, value: ObservationValue): void {
    this.observations.push({ about, key, value });
  }
  observeMac(mac: string, key: ObservationKey, value: ObservationValue): void {
    this.observations.push({ about: `mac:${mac}`, key, value });
  }
  nameAddress(ip: string, name: string, via: 'dns' | 'mdns' | 'sni' | 'http'): void {
    this.names.push({ ip, name, via });
  }
  anomaly(name: string): void {
    this.anomalies.push(name);
  }
  /** Values observed for one key, in order. */
  values(key: ObservationKey, about?: Recorded['about']): ObservationValue[] {
    return this.observations
      .filter((o) => o.key === key && (!about || o.about === about))
      .map((o) => o.value);
  }
}

/** A well-formed message the fuzz test mutates: see seeds/README.md. */
export interface FuzzSeed {
  transport: Transport;
  bytes: Uint8Array;
  /** Context overrides (ports, ethertype, direction) the message needs to be sniffed. */
  ctx?: Partial<AppContext>;
}

/** Every decoder's fuzz seeds (seeds/<decoder id>.seeds.ts), by decoder id. */
export async function loadSeeds(): Promise<Map<string, FuzzSeed[]>> {
  const dir = new URL('./seeds/', import.meta.url);
  const seeds = new Map<string, FuzzSeed[]>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.seeds.ts'))) {
    const mod = (await import(new URL(file, dir).href)) as { seeds: FuzzSeed[] };
    seeds.set(file.replace(/\.seeds\.ts$/, ''), mod.seeds);
  }
  return seeds;
}
