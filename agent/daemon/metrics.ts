// The agent's own numbers: counters and gauges kept in memory, sent in heartbeats, logged, and
// (when configured) served as Prometheus text on a local port. A handful of named values does not
// need a metrics library.
import { createServer, type Server } from 'node:http';

const HELP = {
  capture_packets_total: 'Packets read from capture sources',
  capture_drops_total: 'Packets tcpdump reported as dropped (by the kernel or the interface)',
  capture_restarts_total: 'Capture children restarted after they died',
  capture_gap_seconds_total: 'Seconds without capture while a child was down',
  decode_errors_total: 'Malformed or truncated packets and application messages',
  files_read_total: 'Capture files read from a watched directory',
  batches_spooled_total: 'Batches written to the spool',
  batches_uploaded_total: 'Batches the collector acknowledged',
  batches_duplicate_total: 'Batches the collector had already accepted (a resend)',
  batches_rejected_total: 'Batches the collector refused for good (kept aside in the spool)',
  upload_failures_total: 'Upload attempts that failed and will be retried',
  spool_compactions_total: 'Times the spool merged unsent batches to stay under its bound',
  spool_write_failures_total: 'Spool writes that failed (full disk or I/O error); the data stayed in memory',
  spool_batches: 'Batches waiting in the spool',
  spool_bytes: 'Compressed bytes waiting in the spool',
  spool_full: '1 while the spool cannot take more (its bound after compaction, or a full disk)',
  devices_tracked: 'Endpoints held by the passive engine',
  flows_live: 'Flows held by the passive engine',
  stream_directions_unbuffered_total:
    'TCP directions not given to the application decoders because every stream buffer was in use (engine.streamBuffers)',
  heartbeats_failed_total: 'Heartbeats the collector did not receive',
  config_rejected_total: 'Configurations from the collector refused (the previous one kept)',
  process_rss_bytes: 'Resident memory of the agent process',
  heap_used_bytes: 'JavaScript heap in use',
  external_bytes: 'Memory outside the JavaScript heap held by JavaScript objects (buffers, typed arrays)',
  full_gc_seconds:
    'Duration of the full garbage collection after the last snapshot (agent/observe/full-collection.ts)',
} as const;

export type MetricName = keyof typeof HELP;

export class AgentMetrics {
  readonly #values = new Map<MetricName, number>();

  inc(name: MetricName, by = 1): void {
    this.#values.set(name, (this.#values.get(name) ?? 0) + by);
  }

  set(name: MetricName, value: number): void {
    this.#values.set(name, value);
  }

  get(name: MetricName): number {
    return this.#values.get(name) ?? 0;
  }

  snapshot(): Record<MetricName, number> {
    const out = {} as Record<MetricName, number>;
    for (const name of Object.keys(HELP) as MetricName[]) out[name] = this.get(name);
    return out;
  }

  /** Prometheus text exposition format 0.0.4. */
  text(): string {
    const lines: string[] = [];
    for (const name of Object.keys(HELP) as MetricName[]) {
      const full = `originmap_agent_${name}`;
      lines.push(`# HELP ${full} ${HELP[name]}`);
      lines.push(`# TYPE ${full} ${name.endsWith('_total') ? 'counter' : 'gauge'}`);
      lines.push(`${full} ${this.get(name)}`);
    }
    return `${lines.join('\n')}\n`;
  }

  /** Serves GET /metrics on host:port (`refresh` updates gauges first); resolves once listening. */
  serve(host: string, port: number, refresh?: () => void): Promise<Server> {
    const server = createServer((req, res) => {
      if (req.method !== 'GET' || req.url !== '/metrics') {
        res.writeHead(404).end();
        return;
      }
      refresh?.();
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(this.text());
    });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve(server));
    });
  }
}
