import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NmapError, nmapArgs, runNmap } from '../../../agent/active/nmap-runner.js';
import { ScanScope } from '../../../agent/active/scope.js';

const FIXTURE = new URL('./fixtures/nmap-ics.xml', import.meta.url).pathname;
const scope = new ScanScope({ include: ['198.18.7.0/24'] });
const dir = mkdtempSync(join(tmpdir(), 'originmap-fake-nmap-'));

/** A stand-in for nmap: a shell script with the behaviour under test. */
function fake(name: string, body: string): string {
  const file = join(dir, name);
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

const base = {
  hosts: ['198.18.7.10', '198.18.7.11'],
  scope,
  tcpPorts: [102, 502],
  udpPorts: [161],
  versionDetection: false,
  scripts: ['s7-info'],
};

describe('runNmap', () => {
  it('builds arguments that never resolve names, pace the scan and read targets from stdin', () => {
    const args = nmapArgs({
      ...base,
      privileged: true,
      limits: { overallPps: 500, perHostPps: 20, slackMs: 0 },
    });
    expect(args.slice(0, 5)).toEqual(['-oX', '-', '--stats-every', '2s', '-n']);
    expect(args).toEqual(
      expect.arrayContaining(['-sS', '-sU', '--script', 's7-info', '-p', 'T:102,502,U:161']),
    );
    expect(args.join(' ')).toContain('--max-rate 500 --scan-delay 50ms');
    expect(args.slice(-2)).toEqual(['-iL', '-']);
    const unprivileged = nmapArgs({ ...base, privileged: false });
    expect(unprivileged).toContain('-sT');
    expect(unprivileged).not.toContain('-sU');
  });

  it('parses the XML stream, logs stderr warnings without failing, passes the hosts on stdin', async () => {
    const stdinCopy = join(dir, 'stdin.txt');
    const nmap = fake(
      'ok',
      `cat > ${stdinCopy}\necho "Warning: 198.18.7.11 giving up on port because retransmission cap hit (1)." >&2\ncat ${FIXTURE}`,
    );
    const warnings: string[] = [];
    const progress: number[] = [];
    const r = await runNmap({
      ...base,
      nmapPath: nmap,
      onWarning: (w) => warnings.push(w),
      onProgress: (p) => progress.push(p.percent),
    });
    expect(warnings).toEqual(['Warning: 198.18.7.11 giving up on port because retransmission cap hit (1).']);
    expect(progress).toEqual([42.5]);
    expect(r.hostsUp).toBe(2);
    expect(r.observations.filter((o) => o.key === 's7.order_number').map((o) => o.value)).toEqual([
      '6ES7 315-2EH14-0AB0',
    ]);
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(stdinCopy, 'utf8')).toBe('198.18.7.10\n198.18.7.11\n');
  });

  it('refuses out-of-scope hosts before starting nmap', async () => {
    const nmap = fake('never', `touch ${join(dir, 'ran')}`);
    await expect(runNmap({ ...base, hosts: ['10.0.0.1'], nmapPath: nmap })).rejects.toThrow(
      /outside the configured scope/,
    );
    const { existsSync } = await import('node:fs');
    expect(existsSync(join(dir, 'ran'))).toBe(false);
  });

  it('reports a failed run with nmap’s own last words', async () => {
    const nmap = fake('fail', 'echo "Failed to open device eth9" >&2\nexit 1');
    await expect(runNmap({ ...base, nmapPath: nmap })).rejects.toThrow(
      /exited with 1: Failed to open device eth9/,
    );
  });

  it('says so when nmap is missing', async () => {
    await expect(runNmap({ ...base, nmapPath: join(dir, 'no-such-nmap') })).rejects.toThrow(/nmap not found/);
  });

  it('kills the child on timeout and on cancellation, SIGKILL when it ignores SIGTERM', async () => {
    const pidFile = join(dir, 'pid');
    const stubborn = fake('stubborn', `echo $$ > ${pidFile}\ntrap '' TERM\nwhile :; do sleep 0.1; done`);
    const t0 = Date.now();
    await expect(runNmap({ ...base, nmapPath: stubborn, timeoutMs: 300 })).rejects.toThrow(
      /timed out after 300 ms/,
    );
    expect(Date.now() - t0).toBeLessThan(5000);
    const { readFileSync } = await import('node:fs');
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(() => process.kill(pid, 0)).toThrow();

    const ac = new AbortController();
    const slow = fake('slow', 'sleep 30');
    const running = runNmap({ ...base, nmapPath: slow, signal: ac.signal });
    setTimeout(() => ac.abort(), 100);
    await expect(running).rejects.toThrow(NmapError);
  });

  it('stops and reports unreadable output', async () => {
    const nmap = fake(
      'evil',
      'printf \'<?xml version="1.0"?><!DOCTYPE nmaprun [<!ENTITY e SYSTEM "file:///etc/passwd">]><nmaprun>&e;</nmaprun>\'',
    );
    await expect(runNmap({ ...base, nmapPath: nmap })).rejects.toThrow(
      /nmap output: XML line 1: a DTD internal subset is refused/,
    );
  });
});

describe('nmapArgs for IPv6', () => {
  it('adds -6 for IPv6 targets and refuses mixed families', () => {
    const v6Scope = new ScanScope({ include: ['fd00:1::/120'] });
    expect(nmapArgs({ ...base, scope: v6Scope, hosts: ['fd00:1::10'] })[0]).toBe('-6');
    expect(() => nmapArgs({ ...base, hosts: ['198.18.7.10', 'fd00:1::10'] })).toThrow(NmapError);
  });
});
