// `originmap agent` as people use it: help, one-line errors for what they must fix (a bad config,
// no enrollment token, no permission to capture), --check.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, cliBuilt } from '../daemon/harness/procs.js';

let dir: string;
const skip = cliBuilt();

function originmap(args: string[], prefix: string[] = []) {
  const [cmd, ...rest] = [...prefix, process.execPath, CLI, ...args];
  return spawnSync(cmd!, rest, { encoding: 'utf8', cwd: dir, timeout: 30_000 });
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'om-agent-cli-'));
  chmodSync(dir, 0o755);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function config(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text, { mode: 0o644 });
  return file;
}

describe.skipIf(skip)('originmap agent', () => {
  it('is listed, prints its help, and wants --config', () => {
    expect(originmap(['--help']).stdout).toMatch(/agent\s+run the agent/);
    expect(originmap(['agent', '--help'])).toMatchObject({
      status: 0,
      stdout: expect.stringMatching(/^usage: originmap agent --config/),
    });
    expect(originmap(['agent'])).toMatchObject({
      status: 2,
      stderr: 'originmap agent: --config <file> is required (try: originmap agent --help)\n',
    });
  });

  it('prints every problem of a bad config, then one summary line', () => {
    const file = config(
      'bad.yaml',
      'collector:\n  url: http://192.0.2.1\nstateDir: s\ncapture:\n  interfaces: ["no such name!"]\n',
    );
    const r = originmap(['agent', '--config', file]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/bad\.yaml:2: collector\.url: plain http to 192\.0\.2\.1/),
      expect.stringMatching(/bad\.yaml:5: capture\.interfaces: 'no such name!' is not an interface name/),
      `originmap agent: 2 problem(s) in ${file}`,
    ]);
  });

  it('--check says ok for a good config', () => {
    const file = config(
      'good.yaml',
      'collector:\n  url: https://collector.example\nstateDir: s\ncapture:\n  interfaces: [eth0]\n',
    );
    expect(originmap(['agent', '--config', file, '--check'])).toMatchObject({
      status: 0,
      stdout: `${file}: ok\n`,
    });
  });

  it('says in one line that it is not enrolled', () => {
    const file = config(
      'noenroll.yaml',
      `collector:\n  url: http://127.0.0.1:9\nstateDir: ${join(dir, 'state-a')}\ncapture:\n  interfaces: [lo]\n`,
    );
    const r = originmap(['agent', '--config', file]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^originmap agent: this agent is not enrolled: set collector\.enrollmentToken/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it.skipIf(process.getuid?.() !== 0 || !existsSync('/usr/bin/setpriv'))(
    'says in one line what capturing needs when it may not capture',
    () => {
      const state = join(dir, 'state-nobody');
      const token = join(dir, 'token');
      writeFileSync(token, `om_${'a'.repeat(43)}\n`, { mode: 0o644 });
      const file = config(
        'nobody.yaml',
        `collector:\n  url: http://127.0.0.1:9\n  enrollmentTokenFile: ${token}\nstateDir: ${state}\ncapture:\n  interfaces: [lo]\n`,
      );
      chmodSync(dir, 0o777);
      const r = originmap(
        ['agent', '--config', file],
        ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups'],
      );
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(
        /^originmap agent: no permission to capture on lo: run the agent as root, or give tcpdump CAP_NET_RAW/,
      );
    },
  );
});
