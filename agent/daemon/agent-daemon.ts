// The long-running agent (docs/agent.md): packet sources → one passive engine → periodic snapshots
// into the spool → uploads; heartbeats and config pulls beside them; endpoints long unseen and fully
// reported are freed so memory stays flat over months. Everything is a timer on one event loop, and
// every step that touches the engine is synchronous, so a snapshot never sees half a packet.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { type Cidr, CidrSet, PRIVATE_RANGES, parseCidr } from '../../core/net/cidr.js';
import type { Observation } from '../../core/observation.js';
import { APP_DECODERS } from '../decode/registry.js';
import { killLeftovers } from '../live/child-registry.js';
import { checkFilter } from '../live/tcpdump-text.js';
import { fullCollection } from '../observe/full-collection.js';
import { PassiveEngine } from '../observe/passive-engine.js';
import { Backoff } from '../uplink/backoff.js';
import type { PulledSettings } from '../uplink/config-pull.js';
import { createHttpFetch } from '../uplink/http-client.js';
import { Spool, SpoolError } from '../uplink/spool.js';
import { Uploader } from '../uplink/uploader.js';
import { CollectorLink } from './collector-link.js';
import type { AgentConfigFile, ScanSchedule } from './config.js';
import { fullyReported } from './device-deltas.js';
import type { Logger } from './log.js';
import { AgentMetrics } from './metrics.js';
import { Snapshotter } from './snapshot.js';
import { CaptureSources } from './sources.js';

/** The hook for scheduled active scans (agent/active): observations of one run of the schedule. */
export interface ScanRunner {
  run(schedule: ScanSchedule, signal: AbortSignal): Promise<Observation[]>;
}

export interface DaemonOptions {
  config: AgentConfigFile;
  log: Logger;
  version: string;
  scanRunner?: ScanRunner | null;
}

const EVICT_EVERY_MS = 10 * 60_000;
/** The earliest a scheduled scan runs after the agent starts (or its schedule changes). */
const FIRST_SCAN_DELAY_MS = 5000;
/** How long a stopping agent keeps uploading what is spooled (systemd gives 90 s by default). */
const STOP_UPLOAD_GRACE_MS = 5000;

export class AgentDaemon {
  readonly metrics = new AgentMetrics();
  readonly engine: PassiveEngine;
  readonly sources: CaptureSources;
  readonly link: CollectorLink;
  readonly snapshots: Snapshotter;
  readonly uploader: Uploader;
  readonly #o: DaemonOptions;
  readonly #started = Date.now();
  readonly #timers = new Map<string, NodeJS.Timeout>();
  #spool: Spool | null = null;
  #settings: { snapshotMs: number; heartbeatMs: number; maxBatchDevices: number; scan: ScanSchedule | null };
  #metricsServer: Server | null = null;
  #scanAbort: AbortController | null = null;
  #stopping: Promise<void> | null = null;
  readonly #onExit = () => this.sources.killNow();

  constructor(o: DaemonOptions) {
    this.#o = o;
    const c = o.config;
    this.#settings = {
      snapshotMs: c.uplink.snapshotMs,
      heartbeatMs: c.uplink.heartbeatMs,
      maxBatchDevices: c.uplink.maxBatchDevices,
      scan: c.scan,
    };
    this.engine = new PassiveEngine({
      homeNets: homeNets(c.homeNet),
      decoders: APP_DECODERS,
      maxFlows: c.engine.maxFlows,
      streamBytes: c.engine.streamBytes,
      streamBuffers: c.engine.streamBuffers,
      idleTimeoutMs: c.engine.flowIdleMs,
      evidence: { maxEndpoints: c.engine.maxEndpoints },
    });
    const fetch = createHttpFetch({
      caFile: c.collector.caFile,
      allowInsecureHttp: c.collector.allowInsecureHttp,
    });
    this.sources = new CaptureSources({
      capture: c.capture,
      onPacket: this.engine.onPacket,
      log: o.log,
      stateDir: c.stateDir,
      spool: () => this.#spool,
    });
    this.snapshots = new Snapshotter({
      engine: this.engine,
      spool: () => this.#openSpool(),
      watcher: this.sources.watcher,
      maxBatchDevices: () => this.#settings.maxBatchDevices,
      maxSpoolBytes: c.spool.maxBytes,
      deviceRefreshMs: c.uplink.deviceRefreshMs,
      log: o.log,
      metrics: this.metrics,
      onSpooled: () => {
        this.#gauges();
        this.uploader.kick();
      },
    });
    this.link = new CollectorLink({
      collector: c.collector,
      stateDir: c.stateDir,
      fetch,
      version: o.version,
      log: o.log,
      metrics: this.metrics,
      readTokenFile: (path) => readFileSync(path, 'utf8').trim(),
      onEnrolled: () => {
        this.uploader.kick();
        void this.link.pull().then(() => this.link.heartbeat());
      },
      onSettings: (s) => this.#apply(s),
      checkFilter: (f) => checkFilter(c.capture.tcpdump, f),
      heartbeat: () => this.#heartbeatBody(),
    });
    this.uploader = new Uploader({
      spool: () => this.#openSpool(),
      url: c.collector.url.href,
      credentials: () => this.link.credentials,
      fetch,
      timeoutMs: c.collector.timeoutMs,
      backoff: new Backoff({ minMs: c.uplink.backoffMinMs, maxMs: c.uplink.backoffMaxMs }),
      authRetryMs: c.uplink.backoffMaxMs,
      log: o.log,
      metrics: this.metrics,
      onSpoolChange: () => this.#gauges(),
    });
  }

  /** Starts everything. Throws (SourceStartError, EnrollmentMissingError…) with one line for a person. */
  async start(): Promise<void> {
    const c = this.#o.config;
    mkdirSync(c.stateDir, { recursive: true, mode: 0o700 });
    const leftovers = killLeftovers(c.stateDir);
    if (leftovers.length)
      this.#o.log.warn({ pids: leftovers }, 'killed capture children a previous agent left running');
    this.link.begin();
    if (c.capture.filter) {
      const bad = await checkFilter(c.capture.tcpdump, c.capture.filter);
      if (bad) throw new Error(`capture.filter: ${bad}`);
    }
    process.on('exit', this.#onExit);
    await this.sources.start();
    if (c.metrics)
      this.#metricsServer = await this.metrics.serve(c.metrics.host, c.metrics.port, () => this.#gauges());
    this.#every('snapshot', this.#settings.snapshotMs, () => this.#snapshot());
    this.#every('heartbeat', this.#settings.heartbeatMs, () => this.#heartbeat());
    this.#every('config', c.uplink.configPullMs, () => void this.link.pull());
    this.#every('evict', EVICT_EVERY_MS, () => this.#evict());
    this.#scheduleScan();
    if (this.#settings.scan && !this.#o.scanRunner)
      this.#o.log.warn(
        'scan is configured, but this build has no active-scan module: no scheduled scans run',
      );
    this.uploader.kick();
    this.#o.log.info(
      {
        interfaces: c.capture.interfaces,
        directory: c.capture.directory?.path ?? null,
        collector: c.collector.url.href,
        stateDir: c.stateDir,
      },
      'agent running',
    );
  }

  /** Orderly stop: sources end, everything seen goes to the spool, a short upload grace, then close. */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  async #stop(): Promise<void> {
    for (const t of this.#timers.values()) clearInterval(t);
    this.#timers.clear();
    this.#scanAbort?.abort();
    this.link.stop();
    await this.sources.stop();
    this.engine.finish();
    this.snapshots.run(Date.now(), true);
    this.uploader.kick();
    const until = Date.now() + STOP_UPLOAD_GRACE_MS;
    while (Date.now() < until && (this.#spool?.depth().batches ?? 0) > 0 && this.uploader.retryInMs === 0)
      await new Promise((r) => setTimeout(r, 50));
    await this.uploader.stop();
    this.#metricsServer?.close();
    this.#spool?.close();
    this.#spool = null;
    process.removeListener('exit', this.#onExit);
    this.#o.log.info(this.metrics.snapshot(), 'agent stopped');
  }

  /** The spool, opened on first use and reopened after a failure (a full disk at start). */
  #openSpool(): Spool | null {
    if (this.#spool) return this.#spool;
    try {
      this.#spool = Spool.open(join(this.#o.config.stateDir, 'spool.db'));
    } catch (err) {
      if (!(err instanceof SpoolError)) throw err;
      this.metrics.inc('spool_write_failures_total');
      this.#o.log.error(`${err.message}; data stays in memory until it opens`);
    }
    return this.#spool;
  }

  async #apply(s: PulledSettings): Promise<void> {
    const log = this.#o.log;
    this.engine.setHomeNets(homeNets([...this.#o.config.homeNet, ...s.homeNet]));
    this.#settings.maxBatchDevices = s.maxBatchDevices;
    if (s.snapshotMs !== this.#settings.snapshotMs) {
      this.#settings.snapshotMs = s.snapshotMs;
      this.#every('snapshot', s.snapshotMs, () => this.#snapshot());
    }
    if (s.heartbeatMs !== this.#settings.heartbeatMs) {
      this.#settings.heartbeatMs = s.heartbeatMs;
      this.#every('heartbeat', s.heartbeatMs, () => this.#heartbeat());
    }
    if (s.capture && (await this.sources.reconfigure(s.capture.filter, s.capture.snapLength)))
      log.info(
        { filter: s.capture.filter, snapLength: s.capture.snapLength },
        'capture settings from the collector applied',
      );
    if (s.scan !== undefined) {
      this.#settings.scan = s.scan;
      this.#scheduleScan();
    }
    log.debug(
      { homeNet: s.homeNet.map((c) => c.text), snapshotMs: s.snapshotMs },
      'config from the collector applied',
    );
  }

  #scheduleScan(): void {
    const scan = this.#settings.scan;
    const runner = this.#o.scanRunner;
    const t = this.#timers.get('scan');
    if (t) clearInterval(t);
    this.#timers.delete('scan');
    const first = this.#timers.get('scan-first');
    if (first) clearTimeout(first);
    this.#timers.delete('scan-first');
    if (!scan || !runner) return;
    const marker = join(this.#o.config.stateDir, 'last-scan');
    const runOnce = () => {
      if (this.#scanAbort || this.#stopping) return; // the previous run is still going
      this.#scanAbort = new AbortController();
      runner
        .run(scan, this.#scanAbort.signal)
        .then((obs) => {
          this.snapshots.addObservations(obs);
          try {
            writeFileSync(marker, `${new Date().toISOString()}\n`);
          } catch {
            // a full disk: the next start scans one delay early, nothing worse
          }
        })
        .catch((err: Error) => this.#o.log.warn({ err: err.message }, 'scheduled scan failed'))
        .finally(() => {
          this.#scanAbort = null;
        });
    };
    // The first run comes one interval after the last completed one (kept in the state directory),
    // so restarts never add scans; at least FIRST_SCAN_DELAY_MS after start, to let capture begin.
    let last = 0;
    try {
      last = Date.parse(readFileSync(marker, 'utf8').trim()) || 0;
    } catch {
      // never scanned
    }
    const wait = Math.max(FIRST_SCAN_DELAY_MS, Math.min(scan.everyMs, last + scan.everyMs - Date.now()));
    this.#timers.set(
      'scan-first',
      setTimeout(() => {
        this.#timers.delete('scan-first');
        runOnce();
        this.#every('scan', scan.everyMs, runOnce);
      }, wait),
    );
  }

  /** A snapshot; while a capture file is being read, tried again every second until it is done. */
  #snapshot(): void {
    const ran = this.snapshots.run();
    if (ran !== 'busy') {
      const ms = fullCollection();
      if (ms !== null) this.metrics.set('full_gc_seconds', ms / 1000);
    }
    if (ran !== 'busy' || this.#stopping) return;
    const retry = setTimeout(() => this.#snapshot(), 1000);
    retry.unref();
  }

  #heartbeat(): void {
    this.#gauges();
    this.sources.requestStats();
    // tcpdump answers SIGUSR1 on stderr within milliseconds: send once it had the chance.
    setTimeout(() => void this.link.heartbeat(), 200).unref();
  }

  #evict(): void {
    const before = Date.now() - this.#o.config.engine.evictAfterMs;
    const n = this.engine.evictEndpoints((ep) => ep.last < before && fullyReported(this.engine.store, ep));
    if (n)
      this.#o.log.info(
        { endpoints: n, kept: this.engine.store.endpoints.length },
        'freed endpoints long unseen',
      );
    this.#gauges();
  }

  #every(name: string, ms: number, fn: () => void): void {
    const old = this.#timers.get(name);
    if (old) clearInterval(old);
    this.#timers.set(name, setInterval(fn, ms));
  }

  #gauges(): void {
    const m = this.metrics;
    try {
      const d = this.#spool?.depth();
      if (d) {
        m.set('spool_batches', d.batches);
        m.set('spool_bytes', d.bytes);
      }
    } catch {
      // a full disk can make even reads fail; the next call refreshes
    }
    const t = this.sources.totals();
    m.set('capture_packets_total', t.packets);
    m.set('capture_drops_total', t.drops);
    m.set('capture_restarts_total', t.restarts);
    m.set('capture_gap_seconds_total', t.gapSeconds);
    m.set('files_read_total', t.filesRead);
    m.set('decode_errors_total', this.#decodeErrors() + t.readerSkipped);
    m.set('devices_tracked', this.engine.store.endpoints.length);
    m.set('flows_live', this.engine.flows.size);
    m.set('stream_directions_unbuffered_total', this.engine.streams.exhausted);
    const mem = process.memoryUsage();
    m.set('process_rss_bytes', mem.rss);
    m.set('heap_used_bytes', mem.heapUsed);
    m.set('external_bytes', mem.external);
  }

  #decodeErrors(): number {
    let n = 0;
    for (const [k, v] of Object.entries(this.engine.skipped))
      if (k.startsWith('malformed_') || k.startsWith('truncated_')) n += v;
    for (const [k, v] of Object.entries(this.engine.dispatcher.counts)) if (!k.startsWith('decoded.')) n += v;
    return n;
  }

  #heartbeatBody() {
    this.#gauges();
    const m = this.metrics;
    return {
      version: this.#o.version,
      uptimeSeconds: Math.floor((Date.now() - this.#started) / 1000),
      spoolBytes: m.get('spool_bytes'),
      spoolBatches: m.get('spool_batches'),
      spoolFull: this.snapshots.full,
      capturePackets: m.get('capture_packets_total'),
      captureDrops: m.get('capture_drops_total'),
      captureGapSeconds: m.get('capture_gap_seconds_total'),
      decodeErrors: m.get('decode_errors_total'),
    };
  }
}

function homeNets(extra: readonly Cidr[]): CidrSet {
  return new CidrSet([...PRIVATE_RANGES.map(parseCidr), ...extra]);
}
