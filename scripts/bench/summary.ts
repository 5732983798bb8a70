// What `npm run bench` concludes from its runs: medians, analyze/p0f ratios and the passive engine's
// targets (≥ 1.5 M packets/s on one core, ≤ 2× p0f's wall time, peak RSS ≤ 200 MB), judged on the
// runs that meet the target's condition.
import type { TimedRun } from './harness.js';

/** The median; of an even count, the mean of the middle two. NaN when there is nothing. */
export function median(xs: readonly number[]): number {
  if (!xs.length) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const h = s.length >> 1;
  return s.length % 2 ? s[h]! : (s[h - 1]! + s[h]!) / 2;
}

/** Median wall seconds of the runs that exited 0 (NaN if none did). */
export function medianWall(runs: readonly TimedRun[]): number {
  return median(runs.filter((r) => r.ok).map((r) => r.wall));
}

/** ours / theirs for each round in which both ran and exited 0 (they ran back to back). */
export function ratiosByRound(ours: readonly TimedRun[], theirs: readonly TimedRun[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < ours.length; i++) {
    const a = ours[i]!;
    const b = theirs[i];
    if (a.ok && b?.ok) out.push(a.wall / b.wall);
  }
  return out;
}

export interface TargetRuns {
  packets: number;
  /** `originmap analyze` and `p0f -r` as they ran unpinned. */
  analyze: readonly TimedRun[];
  p0f: readonly TimedRun[];
  /** The same two under `taskset -c 0`, when the bench could pin them. */
  analyzeOneCore?: readonly TimedRun[] | undefined;
  p0fOneCore?: readonly TimedRun[] | undefined;
}

const f2 = (x: number) => x.toFixed(2);

function speedAndRatio(packets: number, ours: readonly TimedRun[], p0f: readonly TimedRun[]): string {
  const w = medianWall(ours);
  const theirs = medianWall(p0f);
  const speed = Number.isNaN(w)
    ? 'analyze failed in every run'
    : `${f2(packets / w / 1e6)} M packets/s (≥ 1.5)`;
  const ratio = Number.isNaN(theirs)
    ? "p0f's wall time: p0f failed in every run"
    : `${f2(w / theirs)}× p0f's wall time (≤ 2; by round: ${ratiosByRound(ours, p0f).map(f2).join(', ')})`;
  return `${speed}, ${ratio}`;
}

/**
 * The targets' lines. The target is on one core: unpinned, analyze also runs V8's compiler and GC
 * threads on the second core (and then still its read-ahead thread: 2.33 s of CPU in 1.57 s of wall,
 * medians of 5, 2026-11-24, before 7384d6b) while p0f uses one, so the unpinned figures are printed but never judged as the target:
 * pinned, the same build took 2.29 s (0.75 M packets/s, 4.6× p0f) where unpinned it read 1.10 M/s, 3.3×.
 * Peak RSS is the highest of every analyze run, pinned or not: a median would hide a run over 200 MB.
 */
export function targetLines(t: TargetRuns): string[] {
  const all = [...t.analyze, ...(t.analyzeOneCore ?? [])].filter((r) => r.ok);
  const rss = `peak RSS ${(Math.max(...all.map((r) => r.rssKb)) / 1024).toFixed(0)} MB (≤ 200; the highest of ${all.length} runs)`;
  if (t.analyzeOneCore && t.p0fOneCore) {
    return [
      `Targets, on one core (taskset -c 0): ${speedAndRatio(t.packets, t.analyzeOneCore, t.p0fOneCore)}, ${rss}.`,
      `Unpinned, for comparison only (V8's compiler and GC threads, and with three CPUs or more analyze's read-ahead thread, also use other cores): ${speedAndRatio(t.packets, t.analyze, t.p0f)}.`,
    ];
  }
  return [
    `Targets NOT judged: no one-core runs (BENCH_ONE_CORE=0, or no taskset). Unpinned, with the second core free for analyze's threads: ${speedAndRatio(t.packets, t.analyze, t.p0f)}, ${rss}.`,
  ];
}
