// Runs the collector on a worker thread with a larger young generation. A 1,000-device batch keeps
// ~10 MB of parsed JSON alive while it is written; V8's default young generation (16 MiB
// semi-spaces) copies it in ~3 scavenges per batch, 11–19% of the collector's CPU
// (docs/benchmarks.md, "## collector"). The V8 flag that fixes it is per process and cannot be set
// from inside; a worker's resourceLimits can, for the collector alone (`originmap analyze` keeps
// the default). The main thread forwards SIGTERM/SIGINT, reports how the collector ended, and runs
// the WAL checkpoints and the text-search index, off the writer's critical path
// (server/db/wal-checkpointer.ts, server/db/search-indexer.ts).
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { CollectorInput, CollectorMessage, StartFailure } from './collector-worker.js';
import { SearchIndexer } from './db/search-indexer.js';
import { BACKSTOP_PAGES, WalCheckpointer } from './db/wal-checkpointer.js';
import { BootstrapTokenError } from './main.js';
import { SigningKeyError } from './reports/signing-key.js';

/**
 * Young generation of the collector's heap, MiB (V8 makes it three semi-spaces: 192 MiB gives the
 * 64 MiB semi-spaces that `node --max-semi-space-size=64` measured). `npm run bench:server` at
 * 100 k devices: 137 scavenges instead of ~400 and 30–40% less GC pause time, for ~130 MiB more
 * peak RSS; 96 MiB saved half as much (236 scavenges). At 1 M devices 99.6 k rows per CPU-second
 * against 81.6 k in-process (docs/benchmarks.md, "## collector").
 */
export const YOUNG_GENERATION_MB = 192;

export interface CollectorThread {
  url: string;
  /** Asks the collector to stop (in-flight requests finish, the database closes); the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number>;
  /** The exit code once the thread ended: 0 when stopped when asked, 70 when it died. */
  ended: Promise<number>;
}

export interface StartCollectorOptions {
  /** Where a crash of the collector's thread is logged (fatal). */
  log: Logger;
  /** Young generation size, MiB; 0 keeps V8's default (for A/B measurements). */
  youngGenerationMb?: number;
  /**
   * Checkpoint the WAL on this thread (default true; false: the writer does, as SQLite's default,
   * for A/B measurements). Measured at 400 k devices: the writer's COMMIT time halved.
   */
  walCheckpointer?: boolean;
  /**
   * Keep the text-search index on this thread (default true; false: text searches scan, for A/B
   * measurements). In-memory stores never have one: no other connection can reach them.
   */
  searchIndexer?: boolean;
}

/** The startup error as the collector's thread had it, so callers can tell the known kinds apart. */
function revive(f: StartFailure): Error {
  const err =
    f.name === 'BootstrapTokenError'
      ? new BootstrapTokenError(f.message)
      : f.name === 'SigningKeyError'
        ? new SigningKeyError(f.message)
        : Object.assign(new Error(f.message), f.code === undefined ? {} : { code: f.code });
  if (f.stack !== undefined) err.stack = f.stack;
  return err;
}

/**
 * A warning for a background job's failures, logged once per 100: a failing disk would otherwise
 * fill the log at the job's pace (every 25 ms for checkpoints).
 */
function everyHundredth(log: Logger, msg: string): (err: Error) => void {
  let failures = 0;
  return (err) => {
    if (failures++ % 100 === 0) log.warn({ err: err.message, failures }, msg);
  };
}

function startCheckpointer(file: string, log: Logger): WalCheckpointer | null {
  try {
    return new WalCheckpointer(file, { onError: everyHundredth(log, 'WAL checkpoint failed') }).start();
  } catch (err) {
    log.warn({ err: (err as Error).message }, 'WAL checkpoints stay on the collector thread');
    return null;
  }
}

function startIndexer(file: string, log: Logger): SearchIndexer | null {
  try {
    return SearchIndexer.open(file, {
      onDiscarded: (reason) => log.warn({ reason }, 'the search index was discarded; it is rebuilt'),
    }).start({ onError: everyHundredth(log, 'search indexing failed') });
  } catch (err) {
    // Text searches stay exact without it (they scan what it does not cover), only slower.
    log.warn({ err: (err as Error).message }, 'no search indexer: text searches scan');
    return null;
  }
}

/** Starts the collector's thread; resolves once it listens, rejects with its startup error. */
export function startCollector(input: CollectorInput, opts: StartCollectorOptions): Promise<CollectorThread> {
  const young = opts.youngGenerationMb ?? YOUNG_GENERATION_MB;
  const offThread = opts.walCheckpointer !== false && input.db !== ':memory:';
  const worker = new Worker(new URL('./collector-worker.js', import.meta.url), {
    workerData: offThread ? { ...input, autocheckpointPages: BACKSTOP_PAGES } : input,
    ...(young > 0 ? { resourceLimits: { maxYoungGenerationSizeMb: young } } : {}),
  });
  let url: string | null = null;
  let stopped = false;
  let failure: Error | null = null;
  let checkpointer: WalCheckpointer | null = null;
  let indexer: SearchIndexer | null = null;
  let onStarted: (url: string) => void = () => {};
  let onFailed: (err: Error) => void = () => {};
  const started = new Promise<string>((resolve, reject) => {
    onStarted = resolve;
    onFailed = reject;
  });
  const ended = new Promise<number>((resolve) => {
    worker.on('message', (m: CollectorMessage) => {
      if (m.kind === 'started') {
        url = m.url;
        // Once the writer has made and migrated the database. Without it the writer's backstop
        // still bounds the WAL: a failure here is logged, never fatal.
        if (offThread) checkpointer = startCheckpointer(input.db, opts.log);
        if (input.db !== ':memory:' && opts.searchIndexer !== false)
          indexer = startIndexer(input.db, opts.log);
        onStarted(m.url);
      } else if (m.kind === 'stopped') stopped = true;
      else failure = revive(m.error);
    });
    worker.on('error', (err) => {
      opts.log.fatal({ err: err.stack ?? err.message }, 'the collector failed');
      failure ??= err;
    });
    // Every ending passes here (an uncaught error in the thread is followed by 'exit').
    worker.on('exit', (code) => {
      checkpointer?.stop();
      indexer?.stop();
      if (stopped) return resolve(0);
      if (url !== null) opts.log.fatal({ code }, 'the collector stopped unexpectedly');
      else
        onFailed(failure ?? new Error(`the collector's thread ended before it listened (exit code ${code})`));
      resolve(70);
    });
  });
  return started.then((at) => ({
    url: at,
    ended,
    stop(signal?: NodeJS.Signals) {
      // The writer closes last, so its close checkpoints the whole WAL and removes it.
      checkpointer?.stop();
      indexer?.stop();
      worker.postMessage(signal ?? 'stop');
      return ended;
    },
  }));
}

/** `originmap server` after its arguments are checked: the exit code once the collector stopped. */
export async function runCollector(input: CollectorInput, log: Logger): Promise<number> {
  let thread: CollectorThread | null = null;
  let early: NodeJS.Signals | null = null;
  // Installed before the thread starts, so a signal during startup stops it once it listens.
  const onSignal = (signal: NodeJS.Signals) => {
    if (thread) void thread.stop(signal);
    else early ??= signal;
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  try {
    thread = await startCollector(input, { log });
    if (early) void thread.stop(early);
    return await thread.ended;
  } finally {
    process.removeListener('SIGTERM', onSignal);
    process.removeListener('SIGINT', onSignal);
  }
}
