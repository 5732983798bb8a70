// Prometheus text exposition (format 0.0.4) for the few series the collector keeps: request
// counts and latency, ingest batches and rows, database size. Small enough that prom-client
// (which also brings default process collectors and a registry we do not need) does not earn its place.

type Labels = Record<string, string>;

function labelText(labels: Labels): string {
  const parts = Object.entries(labels).map(
    ([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"')}"`,
  );
  return parts.length ? `{${parts.join(',')}}` : '';
}

const keyOf = (labels: Labels) => JSON.stringify(Object.entries(labels).sort());

class Counter {
  readonly #values = new Map<string, { labels: Labels; value: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  inc(labels: Labels = {}, by = 1): void {
    const k = keyOf(labels);
    const cur = this.#values.get(k);
    if (cur) cur.value += by;
    else this.#values.set(k, { labels, value: by });
  }
  get(labels: Labels = {}): number {
    return this.#values.get(keyOf(labels))?.value ?? 0;
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} counter`];
    for (const { labels, value } of this.#values.values())
      lines.push(`${this.name}${labelText(labels)} ${value}`);
    return lines.join('\n');
  }
}

/** Seconds buckets from 1 ms to 10 s: listings live at the low end, big batches at the high end. */
const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

class Histogram {
  readonly #series = new Map<string, { labels: Labels; counts: number[]; sum: number; count: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}
  observe(labels: Labels, seconds: number): void {
    const k = keyOf(labels);
    let s = this.#series.get(k);
    if (!s) {
      s = { labels, counts: BUCKETS.map(() => 0), sum: 0, count: 0 };
      this.#series.set(k, s);
    }
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]!) s.counts[i]!++;
    s.sum += seconds;
    s.count++;
  }
  render(): string {
    const lines = [`# HELP ${this.name} ${this.help}`, `# TYPE ${this.name} histogram`];
    for (const s of this.#series.values()) {
      BUCKETS.forEach((b, i) => {
        lines.push(`${this.name}_bucket${labelText({ ...s.labels, le: String(b) })} ${s.counts[i]}`);
      });
      lines.push(`${this.name}_bucket${labelText({ ...s.labels, le: '+Inf' })} ${s.count}`);
      lines.push(`${this.name}_sum${labelText(s.labels)} ${s.sum}`);
      lines.push(`${this.name}_count${labelText(s.labels)} ${s.count}`);
    }
    return lines.join('\n');
  }
}

export class Metrics {
  readonly requests = new Counter('originmap_http_requests_total', 'HTTP requests by route and status code');
  readonly latency = new Histogram(
    'originmap_http_request_duration_seconds',
    'HTTP request latency by route',
  );
  readonly batches = new Counter('originmap_ingest_batches_total', 'Agent batches by result');
  readonly rows = new Counter(
    'originmap_ingest_rows_total',
    'Rows written by ingest (devices, evidence, connections)',
  );
  /** Batches per transaction = batches / transactions (server/ingest/ingest-queue.ts groups them). */
  readonly transactions = new Counter(
    'originmap_ingest_transactions_total',
    'Ingest transactions committed (one or more agent batches each)',
  );
  readonly findings = new Counter(
    'originmap_findings_changes_total',
    'Finding status changes made by evaluation and triage, by change',
  );
  readonly reports = new Counter(
    'originmap_reports_total',
    'Regulator reports produced and delivered, by result',
  );
  readonly #gauges = new Map<string, { help: string; read: () => number }>();

  /** A value read at scrape time (database size, devices). */
  gauge(name: string, help: string, read: () => number): void {
    this.#gauges.set(name, { help, read });
  }

  render(): string {
    const parts = [
      this.requests.render(),
      this.latency.render(),
      this.batches.render(),
      this.rows.render(),
      this.transactions.render(),
      this.findings.render(),
      this.reports.render(),
    ];
    for (const [name, g] of this.#gauges) {
      parts.push(`# HELP ${name} ${g.help}\n# TYPE ${name} gauge\n${name} ${g.read()}`);
    }
    return `${parts.join('\n')}\n`;
  }
}
