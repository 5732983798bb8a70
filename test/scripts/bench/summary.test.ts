// What `npm run bench` concludes (scripts/bench/summary.ts): medians, ratios the right way round,
// failed runs left out, and the targets judged on one core only.
import { describe, expect, it } from 'vitest';
import type { TimedRun } from '../../../scripts/bench/harness.js';
import { median, medianWall, ratiosByRound, targetLines } from '../../../scripts/bench/summary.js';

const run = (wall: number, rssMb = 150, ok = true): TimedRun => ({
  wall,
  rssKb: rssMb * 1024,
  ok,
  note: ok ? '' : 'exit 1',
  stdout: '',
});

describe('median', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('leaves failed runs out', () => {
    expect(medianWall([run(1), run(0.01, 150, false), run(3), run(2)])).toBe(2);
    expect(medianWall([run(1, 150, false)])).toBeNaN();
  });
});

describe('ratiosByRound', () => {
  it('is ours over theirs, for rounds where both ran', () => {
    const ours = [run(2), run(3), run(4)];
    const p0f = [run(1), run(1, 5, false), run(2)];
    expect(ratiosByRound(ours, p0f)).toEqual([2, 2]);
  });
});

describe('targetLines', () => {
  const packets = 1_500_000;
  // Unpinned analyze looks fast (the second core works for it); pinned it does not.
  const analyze = [run(1.0, 150), run(1.1, 150), run(0.9, 150)];
  const p0f = [run(0.5), run(0.5), run(0.5)];
  const analyzeOneCore = [run(1.5, 160), run(1.6, 210), run(1.4, 160)];
  const p0fOneCore = [run(0.5), run(0.5), run(0.5)];

  it('judges the targets on the one-core runs and prints the unpinned ones as a comparison only', () => {
    const [targets, unpinned] = targetLines({ packets, analyze, p0f, analyzeOneCore, p0fOneCore });
    expect(targets).toMatch(/^Targets, on one core/);
    expect(targets).toContain('1.00 M packets/s'); // 1.5 M packets in the pinned median of 1.5 s
    expect(targets).toContain("3.00× p0f's wall time");
    expect(targets).toContain('by round: 3.00, 3.20, 2.80');
    expect(unpinned).toMatch(/^Unpinned, for comparison only/);
    expect(unpinned).toContain('1.50 M packets/s');
  });

  it('reports the highest peak RSS of all runs, not a median', () => {
    const [targets] = targetLines({ packets, analyze, p0f, analyzeOneCore, p0fOneCore });
    expect(targets).toContain('peak RSS 210 MB');
  });

  it('says the targets are not judged when there are no one-core runs', () => {
    const lines = targetLines({ packets, analyze, p0f });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^Targets NOT judged/);
    expect(lines[0]).toContain('1.50 M packets/s');
  });

  it('says p0f failed instead of printing a ratio against nothing', () => {
    const failed = [run(0.5, 5, false), run(0.5, 5, false)];
    const [targets] = targetLines({ packets, analyze, p0f: failed, analyzeOneCore, p0fOneCore: failed });
    expect(targets).toContain('p0f failed in every run');
    expect(targets).not.toContain('NaN');
  });
});
