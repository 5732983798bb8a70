// Native active discovery of an in-scope range (DESIGN.md §6): plan the targets under the scope,
// find live hosts and their MACs (kernel ARP), check ports, run the safe identity reads, and only on
// hosts that are not OT (and not under --safe) the remaining read-only probes. One host at a time
// per connection, every packet charged to the rate limiter.
import { setMaxListeners } from 'node:events';
import { networkInterfaces } from 'node:os';
import type { Observation } from '../../core/observation.js';
import type { AppDecoder } from '../decode/types.js';
import { NeighbourTable } from './neighbours.js';
import type { ProbeEnv, Target } from './probe-env.js';
import { runProbe } from './probe-runner.js';
import type { ProbeSpec } from './probe-spec.js';
import { tcpExchange } from './probes/tcp-exchange.js';
import { DEFAULT_RATE_LIMITS, RateLimiter, type RateLimits } from './rate-limit.js';
import { observe } from './reply-observer.js';
import { DEFAULT_MAX_HOSTS, planTargets, type ScanScope } from './scope.js';

export interface ScanOptions {
  targets: readonly string[];
  scope: ScanScope;
  probes: readonly ProbeSpec[];
  decoder: (id: string) => AppDecoder | undefined;
  limits?: RateLimits;
  maxHosts?: number;
  /** Identity reads only, for every host. */
  safe?: boolean;
  /** Ports to check instead of the tcp-connect probe's list (probe ports are always added unless safe). */
  ports?: readonly number[];
  communities?: readonly string[];
  /** Hosts worked on at once (each still one connection at a time). */
  parallelHosts?: number;
  /** Whole-scan time limit, ms. */
  timeoutMs?: number;
  signal?: AbortSignal;
  onProgress?: (p: ScanProgress) => void;
  /** Probe this machine's own addresses too (tests on loopback); off by default. */
  includeSelf?: boolean;
  /**
   * Decides from a host's observations so far whether it is fragile OT equipment (class plc, rtu,
   * ied or hmi); fragile hosts get the safe profile. An industrial identity read that answered
   * always counts as fragile; this hook adds what the identification engine concludes.
   */
  fragile?: (observations: readonly Observation[]) => boolean;
}

export interface HostResult {
  ip: string;
  mac: string | null;
  up: boolean;
  openTcp: number[];
  /** Probes that answered, "id@port". */
  answered: string[];
  /** Ran the safe profile only (asked for, or the host is OT). */
  safeOnly: boolean;
}

export interface ScanStats {
  targets: number;
  excluded: number;
  /** Targets that are this machine's own addresses, not probed. */
  skippedSelf: number;
  hostsUp: number;
  packets: number;
  durationMs: number;
  anomalies: Record<string, number>;
  aborted: boolean;
}

export interface ScanResult {
  observations: Observation[];
  hosts: HostResult[];
  stats: ScanStats;
}

export interface ScanProgress {
  hostsDone: number;
  hostsTotal: number;
  hostsUp: number;
  packets: number;
}

/** A first packet to an on-link address waits for ARP: 3 tries 1 s apart, then EHOSTUNREACH. */
const FIRST_CONTACT_TIMEOUT_MS = 3500;

export async function scan(o: ScanOptions): Promise<ScanResult> {
  const started = performance.now();
  // Refusal happens here, before any socket exists.
  const plan = planTargets(o.targets, o.scope, o.maxHosts ?? DEFAULT_MAX_HOSTS);
  // The scanner's own addresses answer over loopback: they describe this box, not the network.
  const own = new Set(
    Object.values(networkInterfaces())
      .flat()
      .map((i) => i?.address),
  );
  if (o.includeSelf) own.clear();
  const skippedSelf = plan.hosts.filter((h) => own.has(h)).length;
  plan.hosts = plan.hosts.filter((h) => !own.has(h));
  const limiter = new RateLimiter(o.limits ?? DEFAULT_RATE_LIMITS);
  const signals = [o.signal, o.timeoutMs ? AbortSignal.timeout(o.timeoutMs) : undefined].filter(
    (s): s is AbortSignal => s !== undefined,
  );
  const signal = signals.length ? AbortSignal.any(signals) : new AbortController().signal;
  // Every waiting probe listens for the abort: hundreds at once are expected, not a leak.
  setMaxListeners(0, signal);
  const observations: Observation[] = [];
  const anomalies: Record<string, number> = {};
  const env: ProbeEnv = {
    scope: o.scope,
    limiter,
    signal,
    decoder: o.decoder,
    emit: (obs) => observations.push(obs),
    anomaly: (name) => {
      anomalies[name] = (anomalies[name] ?? 0) + 1;
    },
    communities: o.communities?.length ? o.communities : ['public'],
    now: () => Date.now(),
  };
  const neighbours = new NeighbourTable();
  const hosts: HostResult[] = [];
  let next = 0;
  let done = 0;
  const progress = () =>
    o.onProgress?.({
      hostsDone: done,
      hostsTotal: plan.hosts.length,
      hostsUp: hosts.filter((h) => h.up).length,
      packets: limiter.charged,
    });
  const worker = async () => {
    while (next < plan.hosts.length && !signal.aborted) {
      const ip = plan.hosts[next++]!;
      try {
        const result = await limiter.withHost(ip, () => scanHost(env, o, neighbours, ip, observations));
        hosts.push(result);
      } catch (err) {
        if (!signal.aborted) throw err;
      }
      done++;
      progress();
    }
  };
  const parallel = Math.max(1, Math.min(o.parallelHosts ?? 256, plan.hosts.length));
  await Promise.all(Array.from({ length: parallel }, worker));
  hosts.sort((a, b) => plan.hosts.indexOf(a.ip) - plan.hosts.indexOf(b.ip));
  return {
    observations,
    hosts,
    stats: {
      targets: plan.hosts.length,
      excluded: plan.excluded,
      skippedSelf,
      hostsUp: hosts.filter((h) => h.up).length,
      packets: limiter.charged,
      durationMs: Math.round(performance.now() - started),
      anomalies,
      aborted: signal.aborted,
    },
  };
}

/** Ports of the identity probes (checked first, on every host) and of everything else (non-OT hosts only). */
function portPlan(o: ScanOptions): { identity: number[]; rest: number[] } {
  const tcpProbes = o.probes.filter((p) => p.transport === 'tcp' && p.kind !== 'tcp-connect');
  const identity = unique(tcpProbes.filter((p) => p.safe).flatMap((p) => p.ports));
  if (o.safe) return { identity, rest: [] };
  const list = o.ports ?? o.probes.find((p) => p.kind === 'tcp-connect')?.ports ?? [];
  const rest = unique([...list, ...tcpProbes.flatMap((p) => p.ports)]).filter((p) => !identity.includes(p));
  return { identity, rest };
}

function unique(ports: number[]): number[] {
  return [...new Set(ports)];
}

async function scanHost(
  env: ProbeEnv,
  o: ScanOptions,
  neighbours: NeighbourTable,
  ip: string,
  all: Observation[],
): Promise<HostResult> {
  const v6 = ip.includes(':');
  await neighbours.refresh(v6);
  const known = neighbours.get(ip);
  const target: Target = { ip, mac: known?.mac ?? null, firstContact: !known?.mac };
  const result: HostResult = {
    ip,
    mac: null,
    up: false,
    openTcp: [],
    answered: [],
    safeOnly: o.safe === true,
  };
  const plan = portPlan(o);
  const connectTimeout = o.probes.find((p) => p.kind === 'tcp-connect')?.timeoutMs ?? 1500;

  /** Connect checks; the very first one is discovery: it makes the kernel ARP for the address. */
  const check = async (ports: readonly number[]): Promise<boolean> => {
    for (const port of ports) {
      if (env.signal.aborted) return false;
      const first = !result.up;
      const out = await tcpExchange(env, target, {
        port,
        steps: [],
        framing: null,
        maxReply: 0,
        timeoutMs: first ? Math.max(FIRST_CONTACT_TIMEOUT_MS, connectTimeout) : connectTimeout,
      });
      if (first) {
        await neighbours.refresh(v6);
        const n = neighbours.get(ip);
        if (n?.mac) target.mac = n.mac;
        // No ARP answer and no TCP answer: nothing owns the address (a routed host that drops
        // everything looks the same, as it does to nmap's host discovery).
        if (out.state === 'unreachable' || (out.state === 'filtered' && !target.mac)) return false;
        result.up = true;
        if (target.mac) observe(env, { target, port: 0, transport: 'tcp' }, 'mac.ip', ip);
      }
      if (out.state === 'open') {
        result.openTcp.push(port);
        observe(env, { target, port, transport: 'tcp' }, 'net.service', `tcp/${port}`);
      }
    }
    return true;
  };

  const run = async (probe: ProbeSpec, ports?: readonly number[]): Promise<boolean> => {
    const candidates =
      probe.transport === 'tcp'
        ? probe.ports.filter((p) => (ports ?? result.openTcp).includes(p))
        : probe.ports;
    let replied = false;
    for (const port of candidates) {
      if (env.signal.aborted) break;
      const out = await runProbe(env, probe, target, port);
      if (out.replied) {
        replied = true;
        result.answered.push(`${probe.id}@${port}`);
        if (probe.transport === 'udp')
          observe(env, { target, port, transport: 'udp' }, 'net.service', `udp/${port}`);
      }
    }
    return replied;
  };

  // 1. Identity ports only: an OT device never sees the wider port sweep.
  if (!(await check(plan.identity))) return done(result, target);
  if (!plan.identity.length) result.up = true; // UDP-only probe set: the host is asked over UDP below.
  const runnable = o.probes.filter((p) => p.kind !== 'arp' && p.kind !== 'tcp-connect');
  let ot = false;
  for (const probe of runnable.filter((p) => p.safe)) {
    if ((await run(probe)) && probe.industrial) ot = true;
  }
  // 2. The safe profile ends here: asked for, an industrial identity answered, or the host is classed OT.
  if (o.safe || ot || o.fragile?.(all.filter((x) => x.ip === ip))) {
    result.safeOnly = true;
    return done(result, target);
  }
  // 3. Everything else, on hosts that are not OT.
  const before = result.openTcp.length;
  await check(plan.rest);
  const opened = result.openTcp.slice(before);
  for (const probe of runnable.filter((p) => p.safe && p.transport === 'tcp')) await run(probe, opened);
  for (const probe of runnable.filter((p) => !p.safe)) await run(probe);
  return done(result, target);
}

function done(result: HostResult, target: Target): HostResult {
  result.mac = target.mac;
  return result;
}
