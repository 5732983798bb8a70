// One entry point for active discovery, used by `originmap scan`, the agent's scheduled scans and the
// benchmark: the native probes by default, or the real nmap; the same scope and rate limits for both.
import { networkInterfaces } from 'node:os';
import type { Observation } from '../../core/observation.js';
import { ICS_SCRIPTS, runNmap } from './nmap-runner.js';
import { loadProbes } from './probe-loader.js';
import type { ProbeSpec } from './probe-spec.js';
import { replyDecoder } from './reply-decoders.js';
import type { ScanConfig } from './scan-config.js';
import { type ScanProgress, type ScanStats, scan } from './scanner.js';
import { DEFAULT_MAX_HOSTS, planTargets, ScanScope } from './scope.js';

export interface DiscoverOptions {
  targets: readonly string[];
  config: ScanConfig;
  probes?: readonly ProbeSpec[];
  signal?: AbortSignal;
  onProgress?: (text: string) => void;
  onWarning?: (line: string) => void;
  fragile?: (observations: readonly Observation[]) => boolean;
}

export interface DiscoverResult {
  engine: 'native' | 'nmap';
  observations: Observation[];
  stats: ScanStats;
}

export async function discover(o: DiscoverOptions): Promise<DiscoverResult> {
  const c = o.config;
  // Scope errors are thrown here, before any socket or child process exists.
  const scope = new ScanScope({ include: c.scope, exclude: c.exclude });
  const probes = o.probes ?? loadProbes();
  const timeoutMs = c.timeoutSeconds ? c.timeoutSeconds * 1000 : undefined;
  if (!c.nmap) {
    const result = await scan({
      targets: o.targets,
      scope,
      probes,
      decoder: replyDecoder,
      limits: c.limits,
      maxHosts: c.maxHosts ?? DEFAULT_MAX_HOSTS,
      safe: c.safe,
      ...(c.ports ? { ports: c.ports } : {}),
      communities: c.communities,
      ...(timeoutMs ? { timeoutMs } : {}),
      ...(o.signal ? { signal: o.signal } : {}),
      ...(o.fragile ? { fragile: o.fragile } : {}),
      onProgress: (p: ScanProgress) =>
        o.onProgress?.(`${p.hostsDone}/${p.hostsTotal} hosts, ${p.hostsUp} up, ${p.packets} packets`),
    });
    return { engine: 'native', observations: result.observations, stats: result.stats };
  }
  const plan = planTargets(o.targets, scope, c.maxHosts ?? DEFAULT_MAX_HOSTS);
  const own = new Set(
    Object.values(networkInterfaces())
      .flat()
      .map((i) => i?.address),
  );
  const hosts = plan.hosts.filter((h) => !own.has(h));
  const tcpProbes = probes.filter(
    (p) => p.transport === 'tcp' && p.kind !== 'tcp-connect' && (!c.safe || p.safe),
  );
  const connectList = c.safe ? [] : (c.ports ?? probes.find((p) => p.kind === 'tcp-connect')?.ports ?? []);
  const tcpPorts = [...new Set([...tcpProbes.flatMap((p) => p.ports), ...connectList])].sort((a, b) => a - b);
  const udpPorts = [
    ...new Set(probes.filter((p) => p.transport === 'udp' && (!c.safe || p.safe)).flatMap((p) => p.ports)),
  ].sort((a, b) => a - b);
  const run = await runNmap({
    hosts,
    scope,
    tcpPorts,
    udpPorts,
    versionDetection: !c.safe,
    scripts: c.safe ? ICS_SCRIPTS : [...ICS_SCRIPTS, 'http-server-header'],
    limits: c.limits,
    ...(timeoutMs ? { timeoutMs } : {}),
    ...(o.signal ? { signal: o.signal } : {}),
    onProgress: (p) => o.onProgress?.(`nmap ${p.task}: ${p.percent.toFixed(0)}%`),
    ...(o.onWarning ? { onWarning: o.onWarning } : {}),
  });
  return {
    engine: 'nmap',
    observations: run.observations,
    stats: {
      targets: hosts.length,
      excluded: plan.excluded,
      skippedSelf: plan.hosts.length - hosts.length,
      hostsUp: run.hostsUp,
      // nmap does not report what it sent; the native scanner's figure has no nmap equivalent.
      packets: 0,
      durationMs: run.durationMs,
      anomalies: {},
      aborted: false,
    },
  };
}
