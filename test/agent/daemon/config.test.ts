// The agent's YAML config: defaults, paths relative to the file, and every problem reported as
// file:line, all of them in one run.

import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAgentConfig, MAX_CONFIG_BYTES, parseAgentConfig } from '../../../agent/daemon/config.js';
import { DataFileError } from '../../../core/catalog/yaml-source.js';
import { packageRoot } from '../../../core/paths.js';

function problems(text: string): string[] {
  try {
    parseAgentConfig(text, '/etc/originmap/agent.yaml');
  } catch (err) {
    if (err instanceof DataFileError) return [...err.problems];
    throw err;
  }
  return [];
}

describe('agent config', () => {
  it('fills defaults and resolves paths against the file', () => {
    const c = parseAgentConfig(
      'collector:\n  url: https://collector.example:8470\n  enrollmentTokenFile: token\n  caFile: /etc/ssl/ca.pem\nstateDir: state\ncapture:\n  interfaces: [eth1, eth2]\n  filter: not port 22\n',
      '/etc/originmap/agent.yaml',
    );
    expect(c.collector).toMatchObject({
      enrollmentTokenFile: '/etc/originmap/token',
      caFile: '/etc/ssl/ca.pem',
      timeoutMs: 30_000,
    });
    expect(c.collector.url.href).toBe('https://collector.example:8470/');
    expect(c.stateDir).toBe('/etc/originmap/state');
    expect(c.capture).toMatchObject({
      interfaces: ['eth1', 'eth2'],
      filter: 'not port 22',
      snapLength: 65_535,
      immediate: true,
      bufferMegabytes: 32,
      tcpdump: 'tcpdump',
      command: null,
      directory: null,
    });
    expect(c.engine).toMatchObject({
      maxFlows: 65_536,
      streamBytes: 4096,
      streamBuffers: 8192,
      flowIdleMs: 300_000,
      evictAfterMs: 86_400_000,
    });
    expect(c.uplink).toMatchObject({
      snapshotMs: 60_000,
      heartbeatMs: 60_000,
      deviceRefreshMs: 900_000,
      maxBatchDevices: 1000,
    });
    expect(c.spool.maxBytes).toBe(256 * 1024 * 1024);
    expect(c.scan).toBeNull();
    expect(c.metrics).toBeNull();
  });

  it('reports every problem with its line', () => {
    const text = [
      'collector:', //                    1
      '  url: http://192.0.2.10:8470', // 2 plain http off loopback
      '  colour: blue', //                3 unknown field
      'stateDir: state', //               4
      'capture:', //                      5
      '  interfaces: [eth0, "bad name!", eth0]', // 6
      '  snapLength: 10', //              7
      'engine:', //                       8
      '  maxFlows: many', //              9
      'homeNet: [10.0.0.1/8, 203.0.113.0/24]', // 10
      'scan:', //                         11
      '  everyMinutes: 0', //             12
      '  targets: []', //                 13
      'log:', //                          14
      '  level: loud', //                 15
    ].join('\n');
    expect(problems(text)).toEqual([
      "/etc/originmap/agent.yaml:3: collector: unknown field 'colour' (known: url, enrollmentToken, enrollmentTokenFile, caFile, allowInsecureHttp, timeoutSeconds)",
      '/etc/originmap/agent.yaml:2: collector.url: plain http to 192.0.2.10 would send tokens and inventory in clear text; use https, or set allowInsecureHttp: true',
      "/etc/originmap/agent.yaml:6: capture.interfaces: 'bad name!' is not an interface name",
      "/etc/originmap/agent.yaml:6: capture.interfaces: 'eth0' is listed twice",
      '/etc/originmap/agent.yaml:7: capture.snapLength must be between 64 and 262144',
      '/etc/originmap/agent.yaml:9: engine.maxFlows must be a whole number',
      "/etc/originmap/agent.yaml:10: homeNet: '10.0.0.1/8': host bits set (did you mean a /8 network?)",
      '/etc/originmap/agent.yaml:13: scan.targets is empty',
      '/etc/originmap/agent.yaml:12: scan.everyMinutes must be between 1 and 525600',
      '/etc/originmap/agent.yaml:15: log.level must be one of trace, debug, info, warn, error',
    ]);
  });

  it('allows plain http to loopback, or anywhere when said explicitly', () => {
    const conf = (url: string, extra = '') =>
      problems(`collector:\n  url: ${url}\n${extra}stateDir: s\ncapture:\n  interfaces: [eth0]\n`);
    expect(conf('http://127.0.0.1:8470')).toEqual([]);
    expect(conf('http://[::1]:8470')).toEqual([]);
    expect(conf('http://localhost:8470')).toEqual([]);
    expect(conf('http://10.0.0.5:8470', '  allowInsecureHttp: true\n')).toEqual([]);
    expect(conf('ftp://10.0.0.5/')).toHaveLength(1);
    expect(conf('https://user:pw@c.example/')).toHaveLength(1);
  });

  it('needs a source of packets and the required sections', () => {
    expect(problems('collector:\n  url: https://c.example\nstateDir: s\ncapture:\n  filter: tcp\n')).toEqual([
      '/etc/originmap/agent.yaml:5: capture: give interfaces, a command or a directory to read packets from',
    ]);
    expect(problems('stateDir: s\n')).toEqual([
      "/etc/originmap/agent.yaml:1: the file: missing field 'collector'",
      "/etc/originmap/agent.yaml:1: the file: missing field 'capture'",
    ]);
    expect(problems('- just\n- a list\n')[0]).toMatch(/the file must be a mapping/);
  });
});

describe('agent config file', () => {
  it('names a directory or an endless device given as the config file, without a stack trace', () => {
    // A directory was an uncaught EISDIR (exit 70, stack trace); /dev/zero was read until memory ran
    // out (stat() says 0 bytes).
    const problemsOf = (file: string) => {
      try {
        loadAgentConfig(file);
      } catch (err) {
        if (err instanceof DataFileError) return [...err.problems];
        throw err;
      }
      return [];
    };
    expect(problemsOf(tmpdir())).toEqual([expect.stringMatching(/:0: cannot read: EISDIR/)]);
    if (existsSync('/dev/zero'))
      expect(problemsOf('/dev/zero')).toEqual([
        `/dev/zero:0: file is more than ${MAX_CONFIG_BYTES} bytes, above the ${MAX_CONFIG_BYTES} limit`,
      ]);
  });
});

describe('docs/agent.example.yaml', () => {
  it('is a valid configuration', () => {
    const file = join(packageRoot(), 'docs', 'agent.example.yaml');
    const c = loadAgentConfig(file);
    expect(c.capture.interfaces).toEqual(['eth1']);
    expect(c.collector.url.protocol).toBe('https:');
    expect(c.metrics).toEqual({ host: '127.0.0.1', port: 9471 });
  });
});
