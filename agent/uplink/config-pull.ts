// The agent's settings from the collector (GET /v1/agent/config): home networks, upload and
// heartbeat intervals, batch size, capture filter and snap length, scan schedule. A config from the
// wire is hostile input like any other: it is checked whole, and a bad one is refused with its
// reason while the previous one stays in force.
import { type Cidr, parseCidr } from '../../core/net/cidr.js';
import type { AgentConfig } from '../../core/wire.js';
import type { ScanSchedule } from '../daemon/config.js';
import { fetchAgentConfig, UploadError } from './upload.js';

/** What the daemon applies from a pulled config. Fields the collector did not send are null. */
export interface PulledSettings {
  homeNet: Cidr[];
  snapshotMs: number;
  heartbeatMs: number;
  maxBatchDevices: number;
  capture: { filter: string | null; snapLength: number | null } | null;
  /** undefined: the collector says nothing about scans; null: no scan. */
  scan: ScanSchedule | null | undefined;
}

export type PullResult =
  | { ok: true; settings: PulledSettings; raw: AgentConfig }
  | { ok: false; reason: string; retryable: boolean };

export interface PullOptions {
  url: string;
  token: string;
  agentId: number;
  fetch: typeof fetch;
  timeoutMs: number;
  /** Checks a BPF filter (compiles it); returns the problem or null. */
  checkFilter: (filter: string) => Promise<string | null>;
}

export async function pullConfig(o: PullOptions): Promise<PullResult> {
  let raw: AgentConfig;
  try {
    raw = await fetchAgentConfig({ url: o.url, token: o.token, timeoutMs: o.timeoutMs, fetch: o.fetch });
  } catch (err) {
    if (err instanceof UploadError)
      return { ok: false, reason: err.message, retryable: err.retryable || err.kind === 'server' };
    throw err;
  }
  const problems: string[] = [];
  if (raw.agentId !== o.agentId)
    problems.push(`the config is for agent ${raw.agentId}, this is agent ${o.agentId}`);
  const homeNet: Cidr[] = [];
  for (const text of raw.homeNet) {
    try {
      homeNet.push(parseCidr(text));
    } catch (err) {
      problems.push(`homeNet: ${(err as Error).message}`);
    }
  }
  let capture: PulledSettings['capture'] = null;
  if (raw.capture) {
    const filter = raw.capture.filter ?? null;
    if (filter !== null) {
      if (/[\u0000-\u001f\u007f]/.test(filter)) problems.push('capture.filter has control characters');
      else {
        const bad = await o.checkFilter(filter);
        if (bad) problems.push(`capture.filter: ${bad}`);
      }
    }
    capture = { filter, snapLength: raw.capture.snapLength ?? null };
  }
  let scan: ScanSchedule | null | undefined;
  if (raw.scan === null) scan = null;
  else if (raw.scan) {
    const cidrs = (list: readonly string[], what: string) =>
      list.flatMap((t) => {
        try {
          return [parseCidr(t)];
        } catch (err) {
          problems.push(`scan.${what}: ${(err as Error).message}`);
          return [];
        }
      });
    scan = {
      everyMs: raw.scan.everyMinutes * 60_000,
      targets: cidrs(raw.scan.targets, 'targets'),
      exclude: cidrs(raw.scan.exclude, 'exclude'),
      safe: raw.scan.safe,
    };
  }
  if (problems.length > 0) return { ok: false, reason: problems.join('; '), retryable: false };
  return {
    ok: true,
    raw,
    settings: {
      homeNet,
      snapshotMs: raw.uploadIntervalSeconds * 1000,
      heartbeatMs: raw.heartbeatIntervalSeconds * 1000,
      maxBatchDevices: raw.maxBatchDevices,
      capture,
      scan,
    },
  };
}
