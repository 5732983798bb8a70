// Runs the real nmap (Debian package) on hosts the scope already allows, streams its XML (-oX -)
// into observations, reports progress from --stats-every, logs stderr warnings without failing, and
// kills the child cleanly on cancellation or timeout (SIGTERM, then SIGKILL).
import { spawn } from 'node:child_process';
import type { Observation } from '../../core/observation.js';
import { hostObservations, type NmapFinished, type NmapProgress, NmapXmlReader } from './nmap-xml.js';
import { DEFAULT_RATE_LIMITS, type RateLimits } from './rate-limit.js';
import type { ScanScope } from './scope.js';

/** The identity scripts whose structured output becomes observations (see nmap-scripts.ts). */
export const ICS_SCRIPTS = [
  's7-info',
  'modbus-discover',
  'enip-info',
  'bacnet-info',
  'omron-info',
  'snmp-sysdescr',
];

export interface NmapRunOptions {
  /** Addresses to scan: already expanded and checked by planTargets; checked again here. */
  hosts: readonly string[];
  scope: ScanScope;
  tcpPorts: readonly number[];
  udpPorts: readonly number[];
  /** -sV: nmap's service and version detection (many probes per port; off in the safe profile). */
  versionDetection: boolean;
  scripts: readonly string[];
  limits?: RateLimits;
  timeoutMs?: number;
  signal?: AbortSignal;
  nmapPath?: string;
  /** Raw sockets (SYN and UDP scans) need root or CAP_NET_RAW; without them nmap uses connect() and no UDP. */
  privileged?: boolean;
  onProgress?: (p: NmapProgress) => void;
  onWarning?: (line: string) => void;
}

export interface NmapRunResult {
  observations: Observation[];
  hostsUp: number;
  finished: NmapFinished | null;
  args: string[];
  durationMs: number;
}

export class NmapError extends Error {
  override readonly name = 'NmapError';
}

export function nmapArgs(o: NmapRunOptions): string[] {
  const limits = o.limits ?? DEFAULT_RATE_LIMITS;
  const privileged = o.privileged ?? process.getuid?.() === 0;
  const udp = privileged ? o.udpPorts : [];
  const ports = [
    ...(o.tcpPorts.length ? [`T:${o.tcpPorts.join(',')}`] : []),
    ...(udp.length ? [`U:${udp.join(',')}`] : []),
  ].join(',');
  const v6 = o.hosts.some((h) => h.includes(':'));
  if (v6 && o.hosts.some((h) => !h.includes(':'))) {
    throw new NmapError('nmap scans IPv4 and IPv6 in separate runs: give targets of one family');
  }
  return [
    ...(v6 ? ['-6'] : []),
    '-oX',
    '-',
    '--stats-every',
    '2s',
    // No reverse DNS: a lookup would send queries to a resolver outside the scope.
    '-n',
    ...(privileged ? ['-sS'] : ['-sT']),
    ...(udp.length ? ['-sU'] : []),
    ...(o.versionDetection ? ['-sV'] : []),
    ...(o.scripts.length ? ['--script', o.scripts.join(',')] : []),
    ...(ports ? ['-p', ports] : []),
    // Port scan and host discovery pacing: overall packets/s, and a delay between probes to one host.
    // nmap does not apply these to version detection or NSE scripts (see docs/probes.md).
    '--max-rate',
    String(limits.overallPps),
    '--scan-delay',
    `${Math.ceil(1000 / limits.perHostPps)}ms`,
    '--max-retries',
    '1',
    '-iL',
    '-',
  ];
}

export async function runNmap(o: NmapRunOptions): Promise<NmapRunResult> {
  for (const h of o.hosts) o.scope.check(h);
  if (!o.hosts.length) return { observations: [], hostsUp: 0, finished: null, args: [], durationMs: 0 };
  const args = nmapArgs(o);
  const started = performance.now();
  const observations: Observation[] = [];
  let hostsUp = 0;
  let finished: NmapFinished | null = null;
  const reader = new NmapXmlReader({
    host: (h) => {
      const obs = hostObservations(h, Date.now());
      if (obs.length) hostsUp++;
      observations.push(...obs);
    },
    progress: (p) => o.onProgress?.(p),
    finished: (f) => {
      finished = f;
    },
  });
  // Its own process group, so a kill reaches anything it started too (and only that).
  const child = spawn(o.nmapPath ?? 'nmap', args, { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
  const signalGroup = (sig: NodeJS.Signals) => {
    try {
      if (child.pid) process.kill(-child.pid, sig);
    } catch {
      child.kill(sig);
    }
  };
  let parseError: unknown = null;
  let stderrTail: string[] = [];
  let killedFor: string | null = null;
  const kill = (why: string) => {
    if (killedFor || child.exitCode !== null) return;
    killedFor = why;
    signalGroup('SIGTERM');
    setTimeout(() => signalGroup('SIGKILL'), 2000).unref();
  };
  const timer = o.timeoutMs ? setTimeout(() => kill(`timed out after ${o.timeoutMs} ms`), o.timeoutMs) : null;
  const onAbort = () => kill('cancelled');
  o.signal?.addEventListener('abort', onAbort, { once: true });
  if (o.signal?.aborted) onAbort();

  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (chunk: string) => {
    if (parseError) return;
    try {
      reader.write(chunk);
    } catch (err) {
      parseError = err;
      kill('unreadable XML');
    }
  });
  child.stderr.setEncoding('utf8');
  let partial = '';
  child.stderr.on('data', (chunk: string) => {
    const lines = (partial + chunk).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines.map((l) => l.trim()).filter(Boolean)) {
      stderrTail = [...stderrTail.slice(-4), line];
      o.onWarning?.(line);
    }
  });
  child.stdin.on('error', () => undefined);
  child.stdin.end(`${o.hosts.join('\n')}\n`);

  const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>(
    (resolve) => {
      child.once('error', (error) => resolve({ code: null, signal: null, error }));
      child.once('close', (code, signal) => resolve({ code, signal }));
    },
  );
  if (timer) clearTimeout(timer);
  o.signal?.removeEventListener('abort', onAbort);
  if (exit.error) {
    const missing = (exit.error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new NmapError(
      missing
        ? `nmap not found (${o.nmapPath ?? 'nmap'}): install the Debian package 'nmap'`
        : exit.error.message,
    );
  }
  if (parseError) throw new NmapError(`nmap output: ${(parseError as Error).message}`);
  if (killedFor) throw new NmapError(`nmap ${killedFor}`);
  if (exit.code !== 0) {
    throw new NmapError(
      `nmap exited with ${exit.code ?? exit.signal}: ${stderrTail.join(' | ') || 'no message'}`,
    );
  }
  try {
    reader.end();
  } catch (err) {
    throw new NmapError(`nmap output: ${(err as Error).message}`);
  }
  const f = finished as NmapFinished | null;
  if (f && f.exit !== 'success') throw new NmapError(`nmap reported ${f.exit}: ${f.errormsg ?? ''}`);
  return { observations, hostsUp, finished: f, args, durationMs: Math.round(performance.now() - started) };
}
