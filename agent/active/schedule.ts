// Scheduled scans for the long-running agent (`originmap agent`, DESIGN.md §4): the config's `scan:`
// section, run every `everyMinutes` from the end of the previous scan (never overlapping), each
// scan's observations handed to the agent's pipeline exactly like passive ones.
import type { Observation } from '../../core/observation.js';
import { type DiscoverOptions, type DiscoverResult, discover as realDiscover } from './discover.js';
import type { ScanConfig } from './scan-config.js';
import type { ScanStats } from './scanner.js';

export interface ScheduleOptions {
  config: ScanConfig;
  /** Receives each finished scan's observations (the agent spools and uploads them). */
  deliver: (observations: Observation[], stats: ScanStats) => void | Promise<void>;
  /** One line per event worth a log entry (a scan done, a scan failed). */
  log?: (line: string) => void;
  fragile?: DiscoverOptions['fragile'];
  /** For tests: the discovery function and the pause between scans, ms. */
  discover?: (o: DiscoverOptions) => Promise<DiscoverResult>;
  intervalMs?: number;
}

export class ScanScheduler {
  readonly #o: ScheduleOptions;
  readonly #interval: number;
  #controller: AbortController | null = null;
  #timer: NodeJS.Timeout | null = null;
  #running: Promise<void> | null = null;
  #stopped = true;
  #scans = 0;

  constructor(o: ScheduleOptions) {
    const c = o.config;
    if (!c.everyMinutes && !o.intervalMs)
      throw new Error('scan.everyMinutes is not set: nothing to schedule');
    if (!c.targets.length) throw new Error('scan.targets is empty: nothing to schedule');
    if (!c.scope.length) throw new Error('scan.scope is empty: scheduled scans need an explicit scope');
    this.#o = o;
    this.#interval = o.intervalMs ?? c.everyMinutes! * 60_000;
  }

  get scans(): number {
    return this.#scans;
  }

  /** Starts with a scan now, then one every interval after the previous one ends. */
  start(): void {
    if (!this.#stopped) return;
    this.#stopped = false;
    this.#schedule(0);
  }

  /** Stops scheduling and cancels a scan in progress; resolves when it has stopped. */
  async stop(): Promise<void> {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.#controller?.abort(new Error('agent stopping'));
    await this.#running;
  }

  #schedule(delay: number): void {
    if (this.#stopped) return;
    this.#timer = setTimeout(() => {
      this.#timer = null;
      this.#running = this.#runOnce().finally(() => {
        this.#running = null;
        this.#schedule(this.#interval);
      });
    }, delay);
  }

  async #runOnce(): Promise<void> {
    const discover = this.#o.discover ?? realDiscover;
    this.#controller = new AbortController();
    const started = Date.now();
    try {
      const result = await discover({
        targets: this.#o.config.targets,
        config: this.#o.config,
        signal: this.#controller.signal,
        ...(this.#o.fragile ? { fragile: this.#o.fragile } : {}),
      });
      this.#scans++;
      if (result.stats.aborted) {
        this.#o.log?.(`scheduled scan cancelled after ${Date.now() - started} ms`);
        return;
      }
      await this.#o.deliver(result.observations, result.stats);
      this.#o.log?.(
        `scheduled ${result.engine} scan: ${result.stats.hostsUp}/${result.stats.targets} hosts up, ${result.observations.length} observations, ${result.stats.durationMs} ms`,
      );
    } catch (err) {
      // A failed scan (scope error in the config, nmap missing) is logged and tried again next time.
      this.#o.log?.(`scheduled scan failed: ${err instanceof Error ? err.message : String(err)}`);
    } finally {
      this.#controller = null;
    }
  }
}
