import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DiscoverOptions, DiscoverResult } from '../../../agent/active/discover.js';
import {
  emptyScanConfig,
  parsePortList,
  readScanConfig,
  scanConfigFrom,
} from '../../../agent/active/scan-config.js';
import { ScanScheduler } from '../../../agent/active/schedule.js';
import type { Observation } from '../../../core/observation.js';

const obs: Observation = { ts: 1, source: 'active', key: 'net.service', value: 'tcp/502', ip: '198.18.0.10' };

function fakeDiscover(calls: DiscoverOptions[], behaviour: 'ok' | 'fail' | 'slow' = 'ok') {
  return async (o: DiscoverOptions): Promise<DiscoverResult> => {
    calls.push(o);
    if (behaviour === 'fail') throw new Error('nmap not found');
    if (behaviour === 'slow') {
      await new Promise((resolve) => o.signal?.addEventListener('abort', resolve, { once: true }));
    }
    const aborted = o.signal?.aborted ?? false;
    return {
      engine: 'native',
      observations: [obs],
      stats: {
        targets: 1,
        excluded: 0,
        skippedSelf: 0,
        hostsUp: 1,
        packets: 5,
        durationMs: 1,
        anomalies: {},
        aborted,
      },
    };
  };
}

const config = () => ({
  ...emptyScanConfig(),
  scope: ['198.18.0.0/24'],
  targets: ['198.18.0.0/24'],
  everyMinutes: 60,
});

describe('ScanScheduler', () => {
  // The interval tests run on fake timers: on a loaded machine real ones fire late, and a count of
  // scans within a real 110 ms measured the machine, not the scheduler.
  afterEach(() => {
    vi.useRealTimers();
  });

  it('scans now, then again after the interval, never overlapping, and delivers each result', async () => {
    vi.useFakeTimers();
    const calls: DiscoverOptions[] = [];
    const delivered: Observation[][] = [];
    const s = new ScanScheduler({
      config: config(),
      deliver: (o) => void delivered.push(o),
      discover: fakeDiscover(calls),
      intervalMs: 30,
    });
    s.start();
    await vi.advanceTimersByTimeAsync(110);
    await s.stop();
    // At 0, 30, 60 and 90 ms, or 3 when each interval starts after the scan before it ends.
    expect(calls.length).toBeGreaterThanOrEqual(3);
    expect(calls.length).toBeLessThanOrEqual(4);
    expect(delivered.length).toBe(calls.length);
    expect(calls[0]!.targets).toEqual(['198.18.0.0/24']);
    const n = calls.length;
    await vi.advanceTimersByTimeAsync(60);
    expect(calls.length).toBe(n); // stopped means stopped
  });

  it('logs a failed scan and tries again next time', async () => {
    vi.useFakeTimers();
    const calls: DiscoverOptions[] = [];
    const log: string[] = [];
    const s = new ScanScheduler({
      config: config(),
      deliver: () => undefined,
      log: (l) => log.push(l),
      discover: fakeDiscover(calls, 'fail'),
      intervalMs: 20,
    });
    s.start();
    await vi.advanceTimersByTimeAsync(70);
    await s.stop();
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(log[0]).toBe('scheduled scan failed: nmap not found');
  });

  it('cancels a scan in progress on stop and delivers nothing from it', async () => {
    const calls: DiscoverOptions[] = [];
    const delivered: unknown[] = [];
    const s = new ScanScheduler({
      config: config(),
      deliver: (o) => void delivered.push(o),
      discover: fakeDiscover(calls, 'slow'),
      intervalMs: 10,
    });
    s.start();
    await new Promise((r) => setTimeout(r, 20));
    await s.stop();
    expect(calls).toHaveLength(1);
    expect(calls[0]!.signal!.aborted).toBe(true);
    expect(delivered).toEqual([]);
  });

  it('refuses a schedule without scope, targets or interval', () => {
    expect(() => new ScanScheduler({ config: { ...config(), scope: [] }, deliver: () => undefined })).toThrow(
      /explicit scope/,
    );
    expect(
      () => new ScanScheduler({ config: { ...config(), targets: [] }, deliver: () => undefined }),
    ).toThrow(/targets/);
    expect(
      () => new ScanScheduler({ config: { ...config(), everyMinutes: null }, deliver: () => undefined }),
    ).toThrow(/everyMinutes/);
  });
});

describe('scan configuration', () => {
  it('reads the scan section and names every problem', () => {
    const c = scanConfigFrom(
      {
        scope: ['10.0.0.0/24'],
        exclude: ['10.0.0.1'],
        rate: 500,
        hostRate: 10,
        communities: ['plant'],
        safe: true,
        everyMinutes: 720,
      },
      'agent.yaml',
    );
    expect(c).toMatchObject({
      scope: ['10.0.0.0/24'],
      exclude: ['10.0.0.1'],
      communities: ['plant'],
      safe: true,
      everyMinutes: 720,
    });
    expect(c.limits).toMatchObject({ overallPps: 500, perHostPps: 10 });
    expect(() =>
      scanConfigFrom({ scope: '10.0.0.0/24', rate: 0, colour: 'red', ports: [0] }, 'agent.yaml'),
    ).toThrow(
      'agent.yaml: unknown key scan.colour; scan.scope must be a list of strings; scan.rate must be an integer in 1..100000; scan.ports must be a list of port numbers',
    );
  });

  it('reads a YAML file and says when the section is missing', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'originmap-scan-config-'));
    writeFileSync(join(dir, 'a.yaml'), 'scan:\n  scope: [198.18.0.0/24]\n  nmap: true\n');
    writeFileSync(join(dir, 'b.yaml'), 'collector: {}\n');
    writeFileSync(join(dir, 'c.yaml'), 'scan:\n  scope: [a]\n  scope: [b]\n');
    expect(readScanConfig(join(dir, 'a.yaml'))).toMatchObject({ scope: ['198.18.0.0/24'], nmap: true });
    expect(() => readScanConfig(join(dir, 'b.yaml'))).toThrow(/no 'scan:' section/);
    expect(() => readScanConfig(join(dir, 'c.yaml'))).toThrow(/c\.yaml: Map keys must be unique/);
  });

  it('parses port lists', () => {
    expect(parsePortList('80,443,8000-8002')).toEqual([80, 443, 8000, 8001, 8002]);
    expect(() => parsePortList('0')).toThrow(/bad port list/);
    expect(() => parsePortList('80-70')).toThrow(/bad port list/);
    expect(() => parsePortList('http')).toThrow(/bad port list/);
  });
});
