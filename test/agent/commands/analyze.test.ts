// `originmap analyze` as people and scripts use it: help, one-line errors, the JSON contract.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../../core/paths.js';
import { generateFixtures } from '../../../scripts/generate-fixtures.js';

const CLI = join(packageRoot(), 'dist', 'agent', 'cli.js');
let demo: string;
let dir: string;

function originmap(...args: string[]) {
  return spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
}

beforeAll(() => {
  expect(existsSync(CLI), 'dist/ is missing: npm test builds it (npm run build)').toBe(true);
  dir = mkdtempSync(join(tmpdir(), 'om-cli-'));
  generateFixtures(dir);
  demo = join(dir, 'demo.pcapng');
});

describe('originmap analyze', () => {
  it('prints help and lists analyze in the top-level help', () => {
    expect(originmap('analyze', '--help')).toMatchObject({
      status: 0,
      stdout: expect.stringMatching(/^usage: originmap analyze/),
    });
    expect(originmap('--help').stdout).toMatch(/analyze\s+read pcap\/pcapng captures/);
    expect(originmap().status).toBe(2);
  });

  it('fails with one line for bad input', () => {
    const notCapture = join(dir, 'notes.txt');
    writeFileSync(notCapture, 'hello');
    for (const [args, message] of [
      [['analyze'], /no capture file given/],
      [['analyze', notCapture], /notes\.txt: not a pcap or pcapng capture/],
      [['analyze', '--bogus', demo], /Unknown option '--bogus'/],
      [['analyze', '--home-net', '10.0.0.1/8', demo], /--home-net: .*host bits set/],
      [['analyze', '--max-flows', 'lots', demo], /--max-flows: expected an integer/],
      [['analyze', '--max-flows', '0x1000', demo], /--max-flows: expected an integer/],
      [['analyze', '--stream-bytes', '1e3', demo], /--stream-bytes: expected an integer/],
      [['nosuchcommand'], /unknown command 'nosuchcommand'/],
    ] as const) {
      const r = originmap(...args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
  });

  it('prints the JSON contract of DESIGN.md §4', () => {
    const r = originmap('analyze', '--json', demo);
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc).sort()).toEqual(['connections', 'devices', 'findings', 'stats']);
    for (const d of doc.devices) {
      for (const k of [
        'mac',
        'ips',
        'hostnames',
        'vendor',
        'vendorCountry',
        'registrant',
        'registrantCountry',
        'randomizedMac',
        'class',
        'model',
        'firmware',
        'os',
        'confidence',
        'reasons',
      ]) {
        expect(d, k).toHaveProperty(k);
      }
    }
    for (const c of doc.connections) {
      for (const k of [
        'device',
        'remoteIp',
        'remotePort',
        'proto',
        'country',
        'asn',
        'asOrg',
        'names',
        'packets',
        'bytes',
      ])
        expect(c, k).toHaveProperty(k);
    }
  });

  it('merges several files into one inventory and a home net makes an address local', () => {
    const one = JSON.parse(originmap('analyze', '--json', demo).stdout);
    const two = JSON.parse(originmap('analyze', '--json', demo, join(dir, 'demo-us-le.pcap')).stdout);
    expect(two.devices.map((d: { id: string }) => d.id)).toEqual(
      one.devices.map((d: { id: string }) => d.id),
    );
    expect(two.stats.files).toBe(2);
    const home = JSON.parse(originmap('analyze', '--json', '--home-net', '1.0.1.0/24', demo).stdout);
    expect(home.connections.some((c: { remoteIp: string }) => c.remoteIp === '1.0.1.1')).toBe(false);
  });

  it('reads observations for --unknown in the table mode too (the table alone builds none)', () => {
    const json = originmap('analyze', '--quiet', '--json', '--unknown', demo).stdout;
    const text = originmap('analyze', '--quiet', '--unknown', demo).stdout;
    const stubs = (out: string) => out.slice(out.indexOf('# ---- signatures/rules/'));
    expect(stubs(text)).toMatch(/^# ---- signatures\/rules\/dhcp\.param_list\.yaml/);
    expect(stubs(text)).toBe(stubs(json));
  });
});
