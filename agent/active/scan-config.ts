// Scan settings from a configuration file's `scan:` section (the agent's config file uses the same
// section for scheduled scans). Scope is explicit configuration: never derived from the targets.
import { parse } from 'yaml';
import { FileTooLargeError, readBounded } from '../../core/read-bounded.js';
import { DEFAULT_RATE_LIMITS, type RateLimits } from './rate-limit.js';

export interface ScanConfig {
  scope: string[];
  exclude: string[];
  /** Targets of scheduled scans (the CLI takes them as arguments). */
  targets: string[];
  limits: RateLimits;
  communities: string[];
  safe: boolean;
  ports: number[] | null;
  nmap: boolean;
  maxHosts: number | null;
  /** Scheduled scans: minutes between the end of one scan and the start of the next. */
  everyMinutes: number | null;
  timeoutSeconds: number | null;
}

export class ScanConfigError extends Error {
  override readonly name = 'ScanConfigError';
}

/** Largest scan config read, bytes: the agent's config file holds it (daemon/config.ts MAX_CONFIG_BYTES). */
const MAX_SCAN_CONFIG_BYTES = 256 * 1024;

const KEYS = new Set([
  'scope',
  'exclude',
  'targets',
  'rate',
  'hostRate',
  'communities',
  'safe',
  'ports',
  'nmap',
  'maxHosts',
  'everyMinutes',
  'timeoutSeconds',
]);

export function emptyScanConfig(): ScanConfig {
  return {
    scope: [],
    exclude: [],
    targets: [],
    limits: { ...DEFAULT_RATE_LIMITS },
    communities: ['public'],
    safe: false,
    ports: null,
    nmap: false,
    maxHosts: null,
    everyMinutes: null,
    timeoutSeconds: null,
  };
}

/** Reads the `scan:` section of a YAML or JSON file; every problem is named with its key. */
export function readScanConfig(file: string): ScanConfig {
  let doc: unknown;
  try {
    doc = parse(readBounded(file, MAX_SCAN_CONFIG_BYTES).toString('utf8'), { uniqueKeys: true });
  } catch (err) {
    if (err instanceof FileTooLargeError) throw new ScanConfigError(err.message);
    throw new ScanConfigError(`${file}: ${(err as Error).message.split('\n')[0]}`);
  }
  const section = (doc as { scan?: unknown } | null)?.scan;
  if (!section || typeof section !== 'object' || Array.isArray(section)) {
    throw new ScanConfigError(`${file}: no 'scan:' section`);
  }
  return scanConfigFrom(section as Record<string, unknown>, file);
}

export function scanConfigFrom(s: Record<string, unknown>, where: string): ScanConfig {
  const problems: string[] = [];
  for (const k of Object.keys(s)) if (!KEYS.has(k)) problems.push(`unknown key scan.${k}`);
  const c = emptyScanConfig();
  const strings = (k: string): string[] => {
    const v = s[k];
    if (v === undefined) return [];
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
      problems.push(`scan.${k} must be a list of strings`);
      return [];
    }
    return v as string[];
  };
  const int = (k: string, min: number, max: number): number | null => {
    const v = s[k];
    if (v === undefined) return null;
    if (!Number.isInteger(v) || (v as number) < min || (v as number) > max) {
      problems.push(`scan.${k} must be an integer in ${min}..${max}`);
      return null;
    }
    return v as number;
  };
  const bool = (k: string): boolean => {
    const v = s[k];
    if (v !== undefined && typeof v !== 'boolean') problems.push(`scan.${k} must be true or false`);
    return v === true;
  };
  c.scope = strings('scope');
  c.exclude = strings('exclude');
  c.targets = strings('targets');
  const communities = strings('communities');
  if (communities.length) c.communities = communities;
  c.limits.overallPps = int('rate', 1, 100_000) ?? c.limits.overallPps;
  c.limits.perHostPps = int('hostRate', 1, 100_000) ?? c.limits.perHostPps;
  c.safe = bool('safe');
  c.nmap = bool('nmap');
  c.maxHosts = int('maxHosts', 1, 16_777_216);
  c.everyMinutes = int('everyMinutes', 1, 525_600);
  c.timeoutSeconds = int('timeoutSeconds', 1, 86_400);
  if (s.ports !== undefined) {
    const p = s.ports;
    if (!Array.isArray(p) || p.some((x) => !Number.isInteger(x) || x < 1 || x > 65535)) {
      problems.push('scan.ports must be a list of port numbers');
    } else c.ports = p as number[];
  }
  if (problems.length) throw new ScanConfigError(`${where}: ${problems.join('; ')}`);
  return c;
}

/** "80,443,8000-8010" → port numbers; throws on anything else. */
export function parsePortList(text: string): number[] {
  const out: number[] = [];
  for (const part of text.split(',').map((p) => p.trim())) {
    const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(part);
    const lo = m ? Number(m[1]) : 0;
    const hi = m?.[2] ? Number(m[2]) : lo;
    if (!m || lo < 1 || hi > 65535 || hi < lo || hi - lo > 65535)
      throw new ScanConfigError(`bad port list '${text}'`);
    for (let p = lo; p <= hi; p++) out.push(p);
  }
  return [...new Set(out)];
}
