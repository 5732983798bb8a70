// Heartbeats (POST /v1/heartbeat): the collector learns the agent is alive and how it is doing —
// version, uptime, capture statistics (packets, drops tcpdump reported, decode errors, capture
// gaps) and spool depth. A heartbeat is not spooled: the next one says the same, only newer.
import type { Logger } from '../daemon/log.js';
import type { AgentMetrics } from '../daemon/metrics.js';

/** The body the collector's Heartbeat schema accepts (server/schemas/tenancy.ts). */
export interface HeartbeatBody {
  version: string;
  uptimeSeconds: number;
  spoolBytes: number;
  spoolBatches: number;
  spoolFull: boolean;
  capturePackets: number;
  captureDrops: number;
  captureGapSeconds: number;
  decodeErrors: number;
}

export interface HeartbeatOptions {
  url: string;
  credentials: () => { token: string } | null;
  fetch: typeof fetch;
  timeoutMs: number;
  body: () => HeartbeatBody;
  log: Logger;
  metrics: AgentMetrics;
}

/** Sends one heartbeat; resolves true when the collector took it. Never throws. */
export async function sendHeartbeat(o: HeartbeatOptions): Promise<boolean> {
  const creds = o.credentials();
  if (!creds) return false;
  const url = new URL('v1/heartbeat', o.url.endsWith('/') ? o.url : `${o.url}/`);
  try {
    const res = await o.fetch(url, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${creds.token}`,
        'content-type': 'application/json',
        accept: 'application/json',
      },
      body: JSON.stringify(o.body()),
      signal: AbortSignal.timeout(o.timeoutMs),
    });
    await res.text().catch(() => '');
    if (res.ok) return true;
    o.metrics.inc('heartbeats_failed_total');
    o.log.debug({ status: res.status }, 'heartbeat not accepted');
    return false;
  } catch (err) {
    o.metrics.inc('heartbeats_failed_total');
    o.log.debug({ err: (err as Error).message }, 'heartbeat not sent');
    return false;
  }
}
