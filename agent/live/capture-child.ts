// One live capture source: a child process (tcpdump on one interface, or a site's own command)
// writing pcap to stdout (a socket we read into one buffer: output-socket.ts), read through the same
// CaptureStream as `analyze`. If it dies it is restarted with backoff, and the gap is logged and
// counted. Its stderr is kept short and parsed for tcpdump's statistics and for the failures a
// person must act on.
import { type ChildProcess, spawn } from 'node:child_process';
import { CaptureStream } from '../capture/capture-stream.js';
import { CaptureFormatError, type PacketHandler, type ReaderLimits } from '../capture/types.js';
import type { Logger } from '../daemon/log.js';
import { Backoff } from '../uplink/backoff.js';
import { type OutputSocket, openOutputSocket } from './output-socket.js';
import { classifyFailure, parseStats, type TcpdumpFailure } from './tcpdump-text.js';

/** Stderr kept per run (the tail), bytes: enough for tcpdump's messages, never a flood. */
const STDERR_TAIL = 8192;
/** A child that has run this long without dying resets the restart backoff. */
const STABLE_MS = 60_000;
/** How long a stopped child gets between SIGTERM and SIGKILL. */
const STOP_GRACE_MS = 3000;
/**
 * tcpdump leaves its read loop on SIGTERM, and packets the kernel had already accepted but tcpdump had
 * not read yet are lost. So before stopping it, the agent asks for statistics (SIGUSR1) until tcpdump
 * has written every packet its filter received — at most DRAIN_MAX_MS. A custom command gets QUIET_MS
 * of silence on its output instead.
 */
const DRAIN_MAX_MS = 3000;
const QUIET_MS = 300;

export interface CaptureChildOptions {
  /** Names the source in logs and errors: "tcpdump on eth1". */
  name: string;
  command: string;
  args: string[];
  /** tcpdump prints statistics on SIGUSR1; a custom command may not understand the signal. */
  isTcpdump: boolean;
  onPacket: PacketHandler;
  limits?: Partial<ReaderLimits>;
  restartMinMs: number;
  restartMaxMs: number;
  log: Logger;
  /** Called with the pid of every child started and when it has exited (for the leftover-child file). */
  onChildChange?: () => void;
}

export interface CaptureChildStats {
  /** Packets read from this source over all its runs. */
  packets: number;
  /** tcpdump's drop counters summed over all runs (as last reported). */
  drops: number;
  restarts: number;
  /** Milliseconds without a running child since the first start. */
  gapMs: number;
  /** Records the reader skipped (truncated, corrupt). */
  readerSkipped: number;
}

export type StartResult = { ok: true } | { ok: false; failure: TcpdumpFailure };

export class CaptureChild {
  readonly #o: CaptureChildOptions;
  readonly #backoff: Backoff;
  #child: ChildProcess | null = null;
  #output: OutputSocket | null = null;
  #stopping = false;
  #restartTimer: NodeJS.Timeout | null = null;
  #downSince: number | null = null;
  #startedAt = 0;
  /** Drops of finished runs, plus the latest report of the current run. */
  #dropsBefore = 0;
  #dropsNow = 0;
  #stats: CaptureChildStats = { packets: 0, drops: 0, restarts: 0, gapMs: 0, readerSkipped: 0 };
  #lastData = 0;
  /** The current run's latest statistics line, and a waiter for the next one. */
  #runStats: { captured: number; received: number; dropped: number } | null = null;
  #statsWaiter: (() => void) | null = null;

  constructor(opts: CaptureChildOptions) {
    this.#o = opts;
    this.#backoff = new Backoff({ minMs: opts.restartMinMs, maxMs: opts.restartMaxMs });
  }

  get pid(): number | null {
    return this.#child?.pid ?? null;
  }

  get running(): boolean {
    return this.#child !== null;
  }

  stats(): CaptureChildStats {
    const gap = this.#downSince === null ? 0 : Date.now() - this.#downSince;
    return { ...this.#stats, drops: this.#dropsBefore + this.#dropsNow, gapMs: this.#stats.gapMs + gap };
  }

  /**
   * Starts the child; resolves once it produced its capture header (running) or died first (with
   * what it said). Later deaths restart it on their own.
   */
  start(): Promise<StartResult> {
    return new Promise((resolve) => this.#spawn(resolve));
  }

  /** Asks tcpdump for its statistics (they arrive on stderr and update stats()). */
  requestStats(): void {
    if (this.#o.isTcpdump && this.#child?.pid) {
      try {
        process.kill(this.#child.pid, 'SIGUSR1');
      } catch {
        // exited in between: its exit statistics arrive instead
      }
    }
  }

  /** Stops the child (SIGTERM, then SIGKILL after a grace period) and does not restart it. */
  async stop(): Promise<void> {
    this.#stopping = true;
    if (this.#restartTimer) clearTimeout(this.#restartTimer);
    const child = this.#child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
    await this.#drain(child);
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
    await exited;
    clearTimeout(timer);
    // What it wrote before it ended is still read (a grandchild holding its output gets the grace).
    const output = this.#output;
    if (output) {
      let grace: NodeJS.Timeout | undefined;
      await Promise.race([output.ended, new Promise((r) => (grace = setTimeout(r, STOP_GRACE_MS)))]);
      clearTimeout(grace);
      output.close();
    }
  }

  async #drain(child: ChildProcess): Promise<void> {
    const until = Date.now() + DRAIN_MAX_MS;
    while (Date.now() < until && child.exitCode === null) {
      if (!this.#o.isTcpdump) {
        if (Date.now() - this.#lastData >= QUIET_MS) return;
        await new Promise((r) => setTimeout(r, 50));
        continue;
      }
      const next = new Promise<void>((resolve) => {
        this.#statsWaiter = resolve;
        setTimeout(resolve, 500);
      });
      this.requestStats();
      await next;
      const s = this.#runStats;
      // The kernel's "received" includes what it dropped: those will never come.
      if (s && s.captured + s.dropped >= s.received) return;
    }
  }

  /** Sync kill for process exit handlers: nothing of ours may outlive the agent. */
  killNow(): void {
    this.#stopping = true;
    try {
      if (this.#child?.pid) process.kill(this.#child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }

  #spawn(onStart?: (r: StartResult) => void): void {
    void this.#spawnWithOutput(onStart);
  }

  async #spawnWithOutput(onStart?: (r: StartResult) => void): Promise<void> {
    const o = this.#o;
    let settled = false;
    const settle = (r: StartResult) => {
      if (!settled) {
        settled = true;
        onStart?.(r);
      }
    };
    const fail = (err: unknown) => {
      settle({ ok: false, failure: { kind: 'other', message: (err as Error).message } });
      this.#scheduleRestart();
    };
    let stderr = '';
    let child: ChildProcess | null = null;
    const stream = new CaptureStream(o.name, o.onPacket, o.limits);
    const onData = (chunk: Uint8Array) => {
      this.#lastData = Date.now();
      if (!settled) this.#resumed();
      settle({ ok: true });
      const before = stream.stats.packets;
      try {
        stream.push(chunk);
      } catch (err) {
        if (!(err instanceof CaptureFormatError)) throw err;
        o.log.error({ source: o.name }, `${err.message}; stopping it`);
        child?.kill('SIGKILL');
      }
      this.#stats.packets += stream.stats.packets - before;
    };
    let output: OutputSocket;
    try {
      output = await openOutputSocket(onData);
    } catch (err) {
      fail(err);
      return;
    }
    if (this.#stopping) {
      output.close();
      settle({ ok: false, failure: { kind: 'other', message: 'stopped before it started' } });
      return;
    }
    try {
      child = spawn(o.command, o.args, { stdio: ['ignore', output.childEnd, 'pipe'] });
    } catch (err) {
      output.close();
      fail(err);
      return;
    } finally {
      output.childSpawned();
    }
    this.#child = child;
    this.#output = output;
    this.#startedAt = Date.now();
    this.#dropsNow = 0;
    this.#runStats = null;
    o.onChildChange?.();
    child.stderr!.on('data', (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      stderr = (stderr + text).slice(-STDERR_TAIL);
      const s = parseStats(text);
      if (s?.dropped !== undefined) this.#dropsNow = s.dropped;
      if (s?.captured !== undefined && s.received !== undefined) {
        this.#runStats = { captured: s.captured, received: s.received, dropped: s.dropped ?? 0 };
        this.#statsWaiter?.();
        this.#statsWaiter = null;
      }
    });
    child.on('error', (err) => {
      // ENOENT and friends: no 'close' follows a failed spawn on some versions, so settle here too.
      stderr += `\n${o.command}: ${err.message}`;
    });
    // Everything the child wrote is read before its end is handled (the totals depend on it).
    child.on(
      'close',
      (code, signal) =>
        void output.ended.then(() => {
          this.#child = null;
          o.onChildChange?.();
          const s = parseStats(stderr);
          if (s?.dropped !== undefined) this.#dropsNow = s.dropped;
          this.#dropsBefore += this.#dropsNow;
          this.#dropsNow = 0;
          this.#stats.readerSkipped += Object.values(stream.stats.skipped).reduce((n, v) => n + v, 0);
          if (this.#stopping) return;
          const failure = classifyFailure(stderr) ?? {
            kind: 'other' as const,
            message: `exited with ${signal ?? `code ${code}`}`,
          };
          if (!settled) {
            settle({ ok: false, failure });
            this.#downSince ??= Date.now();
            this.#scheduleRestart(failure);
            return;
          }
          this.#downSince = Date.now();
          if (Date.now() - this.#startedAt > STABLE_MS) this.#backoff.succeed();
          o.log.warn(
            { source: o.name, code, signal, reason: failure.message },
            `${o.name} stopped; restarting with backoff (the gap is counted)`,
          );
          this.#scheduleRestart(failure);
        }),
    );
  }

  #resumed(): void {
    if (this.#downSince === null) return;
    const gap = Date.now() - this.#downSince;
    this.#stats.gapMs += gap;
    this.#downSince = null;
    this.#o.log.info(
      { source: this.#o.name, gapSeconds: Math.round(gap / 1000) },
      `${this.#o.name} capturing again`,
    );
  }

  #scheduleRestart(failure?: TcpdumpFailure): void {
    if (this.#stopping) return;
    const wait = this.#backoff.fail();
    this.#o.log.debug(
      { source: this.#o.name, retryInMs: wait, reason: failure?.message },
      'capture restart scheduled',
    );
    this.#restartTimer = setTimeout(() => {
      this.#restartTimer = null;
      this.#stats.restarts++;
      this.#spawn();
    }, wait);
  }
}
