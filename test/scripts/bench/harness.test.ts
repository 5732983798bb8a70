// How the bench harness runs tools (scripts/bench/harness.ts): a timed tool's stdout is /dev/null,
// never a pipe this process reads while it runs; failures are not timed as successes.
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyzedPackets, checkedRun, timedRun } from '../../../scripts/bench/harness.js';

const node = process.execPath;
const hasTime = existsSync('/usr/bin/time');

describe.skipIf(!hasTime)('timedRun', () => {
  it("gives a timed tool /dev/null as stdout, not a pipe (a pipe doubled p0f's time)", () => {
    // Exits 3 if its stdout is a FIFO, 4 if it is anything else but /dev/null (a socket pair: spawnSync's pipe).
    const probe = `const fs = require('node:fs'); const s = fs.fstatSync(1); const n = fs.statSync('/dev/null');
      process.exit(s.isFIFO() ? 3 : s.rdev === n.rdev && s.isCharacterDevice() ? 0 : 4);`;
    const r = timedRun([node, '-e', probe]);
    expect(r.note).toBe('');
    expect(r.ok).toBe(true);
    expect(r.wall).toBeGreaterThan(0);
    expect(r.rssKb).toBeGreaterThan(1000);
  });

  it('reads stdout only when asked (the count tools print one number)', () => {
    const r = timedRun([node, '-e', 'console.log(1724298)'], { readStdout: true });
    expect(r.ok).toBe(true);
    expect(r.stdout.trim()).toBe('1724298');
    expect(timedRun([node, '-e', 'console.log(1724298)']).stdout).toBe('');
  });

  it('marks a tool that exits non-zero as failed, with its last stderr line', () => {
    const r = timedRun([node, '-e', 'console.error("p0f: cannot open fingerprint db"); process.exit(1)']);
    expect(r.ok).toBe(false);
    expect(r.note).toContain('cannot open fingerprint db');
  });

  it('marks a tool killed by a signal as failed', () => {
    const r = timedRun([node, '-e', 'process.kill(process.pid, "SIGKILL")']);
    expect(r.ok).toBe(false);
    expect(r.note).toMatch(/signal/i);
  });

  it('marks a tool that cannot start as failed', () => {
    const r = timedRun(['/nonexistent/p0f', '-r', 'x']);
    expect(r.ok).toBe(false);
  });
});

describe('checkedRun', () => {
  it("keeps the tool's output and stderr lines", () => {
    const r = checkedRun([
      node,
      '-e',
      'console.log("Read 12 packets (1 KiB) in 1 file."); console.error("warn")',
    ]);
    expect(r.ok).toBe(true);
    expect(analyzedPackets(r.stdout)).toBe(12);
    expect(r.stderr).toEqual(['warn']);
  });

  it('says why a tool failed', () => {
    const r = checkedRun([node, '-e', 'console.error("bad file"); process.exit(2)']);
    expect(r.ok).toBe(false);
    expect(r.note).toBe('exit 2: bad file');
  });
});

describe('analyzedPackets', () => {
  it("reads analyze's closing line, and nothing else", () => {
    const text =
      'DEVICE …\n\nRead 1724298 packets (998 MiB) in 1 file, 35841 flows, 1.52 s.\nAnomalies: x 1.\n';
    expect(analyzedPackets(text)).toBe(1724298);
    expect(analyzedPackets('host Read 5 packets (1 KiB)')).toBeNull();
    expect(analyzedPackets('')).toBeNull();
  });
});
