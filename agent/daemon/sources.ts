// The agent's packet sources: one tcpdump child per interface (or the site's own capture command)
// and a watched directory of capture files, all feeding one engine. Starts them, stops them, sums
// their statistics, and restarts the tcpdump children when the collector changes the filter.
import type { PacketHandler } from '../capture/types.js';
import { CaptureChild } from '../live/capture-child.js';
import { recordChildren } from '../live/child-registry.js';
import { DirWatcher } from '../live/dir-watcher.js';
import { permissionLine, tcpdumpArgs } from '../live/tcpdump-text.js';
import type { Spool } from '../uplink/spool.js';
import type { CaptureSettings } from './config.js';
import type { Logger } from './log.js';

/** Startup failure worth one line and a non-zero exit (nothing will fix it by retrying). */
export class SourceStartError extends Error {
  override readonly name = 'SourceStartError';
}

export interface CaptureTotals {
  packets: number;
  drops: number;
  restarts: number;
  gapSeconds: number;
  readerSkipped: number;
  filesRead: number;
}

export class CaptureSources {
  readonly children: CaptureChild[] = [];
  readonly watcher: DirWatcher | null;
  readonly #capture: CaptureSettings;
  readonly #onPacket: PacketHandler;
  readonly #log: Logger;
  readonly #stateDir: string;
  #filter: string;
  #snapLength: number;

  constructor(o: {
    capture: CaptureSettings;
    onPacket: PacketHandler;
    log: Logger;
    stateDir: string;
    spool: () => Spool | null;
  }) {
    this.#capture = o.capture;
    this.#onPacket = o.onPacket;
    this.#log = o.log;
    this.#stateDir = o.stateDir;
    this.#filter = o.capture.filter;
    this.#snapLength = o.capture.snapLength;
    for (const iface of o.capture.interfaces) this.children.push(this.#tcpdump(iface));
    if (o.capture.command) {
      const [command, ...args] = o.capture.command;
      this.children.push(this.#child(`capture command ${command}`, command!, args, false));
    }
    const dir = o.capture.directory;
    this.watcher = dir
      ? new DirWatcher({
          source: dir,
          onPacket: o.onPacket,
          isDone: (f) => o.spool()?.fileDone(f) ?? true,
          onListing: (present) => {
            try {
              o.spool()?.pruneFiles(present);
            } catch {
              // a full disk: pruned next time
            }
          },
          log: o.log,
        })
      : null;
  }

  /** Starts everything; throws SourceStartError for failures a retry cannot fix (permission, filter). */
  async start(): Promise<void> {
    const results = await Promise.all(this.children.map((c) => c.start()));
    const fatal = results.findIndex(
      (r) => !r.ok && (r.failure.kind === 'permission' || r.failure.kind === 'filter'),
    );
    if (fatal >= 0) {
      await this.stop();
      const r = results[fatal]!;
      const failure = r.ok ? null : r.failure;
      throw new SourceStartError(
        failure?.kind === 'permission'
          ? permissionLine(this.#capture.interfaces[fatal] ?? 'the capture interface', this.#capture.tcpdump)
          : `capture filter refused by tcpdump: ${failure?.message ?? ''}`,
      );
    }
    results.forEach((r, i) => {
      if (!r.ok)
        this.#log.warn(
          { reason: r.failure.message },
          `${this.#childName(i)} did not start (${r.failure.kind}); retrying with backoff`,
        );
    });
    this.watcher?.start();
  }

  async stop(): Promise<void> {
    await Promise.all([...this.children.map((c) => c.stop()), this.watcher?.stop()]);
    this.#record();
  }

  /** For process exit handlers: kills every child now, synchronously. */
  killNow(): void {
    for (const c of this.children) c.killNow();
  }

  requestStats(): void {
    for (const c of this.children) c.requestStats();
  }

  totals(): CaptureTotals {
    const t: CaptureTotals = {
      packets: 0,
      drops: 0,
      restarts: 0,
      gapSeconds: 0,
      readerSkipped: 0,
      filesRead: 0,
    };
    for (const c of this.children) {
      const s = c.stats();
      t.packets += s.packets;
      t.drops += s.drops;
      t.restarts += s.restarts;
      t.gapSeconds += Math.round(s.gapMs / 1000);
      t.readerSkipped += s.readerSkipped;
    }
    if (this.watcher) {
      t.packets += this.watcher.packets;
      t.readerSkipped += this.watcher.skippedRecords;
      t.filesRead = this.watcher.files;
    }
    return t;
  }

  /** New filter or snap length from the collector (already checked): restarts the tcpdump children. */
  async reconfigure(filter: string | null, snapLength: number | null): Promise<boolean> {
    const nextFilter = filter ?? this.#filter;
    const nextSnap = snapLength ?? this.#snapLength;
    if (nextFilter === this.#filter && nextSnap === this.#snapLength) return false;
    this.#filter = nextFilter;
    this.#snapLength = nextSnap;
    const ifaces = this.#capture.interfaces;
    for (let i = 0; i < ifaces.length; i++) {
      await this.children[i]!.stop();
      this.children[i] = this.#tcpdump(ifaces[i]!);
      const r = await this.children[i]!.start();
      if (!r.ok)
        this.#log.warn({ reason: r.failure.message }, `${this.#childName(i)} did not restart; retrying`);
    }
    return true;
  }

  #tcpdump(iface: string): CaptureChild {
    const args = tcpdumpArgs({
      iface,
      snapLength: this.#snapLength,
      filter: this.#filter,
      immediate: this.#capture.immediate,
      bufferMegabytes: this.#capture.bufferMegabytes,
    });
    return this.#child(`tcpdump on ${iface}`, this.#capture.tcpdump, args, true);
  }

  #child(name: string, command: string, args: string[], isTcpdump: boolean): CaptureChild {
    return new CaptureChild({
      name,
      command,
      args,
      isTcpdump,
      onPacket: this.#onPacket,
      restartMinMs: this.#capture.restartMinMs,
      restartMaxMs: this.#capture.restartMaxMs,
      log: this.#log,
      onChildChange: () => this.#record(),
    });
  }

  #childName(i: number): string {
    const iface = this.#capture.interfaces[i];
    return iface ? `tcpdump on ${iface}` : 'capture command';
  }

  #record(): void {
    try {
      recordChildren(
        this.#stateDir,
        this.children.flatMap((c) => (c.pid ? [c.pid] : [])),
      );
    } catch (err) {
      this.#log.debug({ err: (err as Error).message }, 'cannot record capture children');
    }
  }
}
