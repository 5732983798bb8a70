// How `npm run bench` runs a tool: timed under /usr/bin/time with its output where nothing can slow
// it down, or once untimed to check what it did. Every tool, ours and the peers, goes through here.
import { spawnSync } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';

export interface TimedRun {
  /** Wall seconds as /usr/bin/time measures them (fork to exit, start-up included for every tool). */
  wall: number;
  /** Peak resident set of the process, KiB (ru_maxrss). */
  rssKb: number;
  /** Exited 0; a run that did not is left out of every median and ratio. */
  ok: boolean;
  /** Why a run failed: the tool's last stderr line, or how it ended. */
  note: string;
  /** Only with readStdout. */
  stdout: string;
}

export interface TimedRunOptions {
  /**
   * Read the tool's stdout through a pipe (count tools, which print one number). Any other tool's
   * stdout goes to /dev/null: p0f prints 7.8 MB on the bench capture, and read through a 64 KiB pipe
   * into spawnSync's buffer while it ran, its wall time doubled (0.49 s to /dev/null, 0.91–1.02 s
   * piped, 5 runs each), which made the analyze/p0f ratio look twice as good as it was. A regular
   * file is no neutral sink either: p0f writes line by line, and into a file it took 0.75 s against
   * 0.55 s to /dev/null (medians of 7, 2026-11-24).
   */
  readStdout?: boolean;
  /** Where /usr/bin/time lives (tests). */
  time?: string;
}

/** One timed run of argv. */
export function timedRun(argv: readonly string[], o: TimedRunOptions = {}): TimedRun {
  const devNull = o.readStdout ? null : openSync('/dev/null', 'w');
  try {
    const r = spawnSync(o.time ?? '/usr/bin/time', ['-f', '%e %M', ...argv], {
      encoding: 'utf8',
      // stderr is small for every tool (a warning or two), and only the count tools' stdout is read.
      maxBuffer: 1 << 20,
      stdio: ['ignore', devNull ?? 'pipe', 'pipe'],
    });
    if (r.error) return { wall: Number.NaN, rssKb: 0, ok: false, note: r.error.message, stdout: '' };
    const lines = (r.stderr ?? '').trim().split('\n');
    // /usr/bin/time prints its format line last, and above it "Command exited with non-zero status N"
    // or "Command terminated by signal N" when the tool failed.
    const [wall = 'NaN', rss = '0'] = (lines.at(-1) ?? '').split(' ');
    const ok = r.status === 0 && Number.isFinite(Number(wall));
    const status = lines.slice(0, -1).filter((l) => /^Command (exited|terminated)/.test(l));
    const said = lines.slice(0, -1).filter((l) => !/^Command (exited|terminated)/.test(l) && l.trim() !== '');
    const why = [said.at(-1), status.at(-1) ?? (ok ? undefined : `exit ${r.status ?? r.signal}`)];
    return {
      wall: Number(wall),
      rssKb: Number(rss),
      ok,
      note: ok ? '' : why.filter(Boolean).join(' — ').slice(0, 120),
      stdout: o.readStdout ? (r.stdout ?? '') : '',
    };
  } finally {
    if (devNull !== null) closeSync(devNull);
  }
}

export interface CheckedRun {
  ok: boolean;
  stdout: string;
  /** Its stderr lines, for the bench's log: a peer's warning is part of what it did. */
  stderr: string[];
  note: string;
}

/**
 * One untimed run whose output is kept, before the timed rounds: a tool that fails, or (with the
 * caller's check) does less than the table says, is found here instead of being timed.
 */
export function checkedRun(argv: readonly string[]): CheckedRun {
  const [cmd = '', ...args] = argv;
  const r = spawnSync(cmd, args, {
    encoding: 'utf8',
    maxBuffer: 256 << 20,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr = (r.stderr ?? '').split('\n').filter((l) => l.trim() !== '');
  if (r.error) return { ok: false, stdout: '', stderr, note: r.error.message };
  const ok = r.status === 0;
  return {
    ok,
    stdout: r.stdout ?? '',
    stderr,
    note: ok ? '' : `exit ${r.status ?? r.signal}${stderr.length ? `: ${stderr.at(-1)!.slice(0, 80)}` : ''}`,
  };
}

/** The packet count of analyze's closing line ("Read 1724298 packets (998 MiB) in 1 file, …"), or null. */
export function analyzedPackets(text: string): number | null {
  const m = /^Read (\d+) packets \(/m.exec(text);
  return m ? Number(m[1]) : null;
}
