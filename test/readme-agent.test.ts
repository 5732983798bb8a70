// The README's "collector and agent on one machine" commands, run exactly as written in a fresh
// network namespace (the "machine", with an eth0) while a device in another namespace talks to a
// remote address through it. The inventory the last commands print must show that device and its
// connection.
import { execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../core/paths.js';
import { canBuildNetworks, DISABLE_IPV6 } from './agent/daemon/harness/plant-net.js';
import { CLI, cliBuilt, until } from './agent/daemon/harness/procs.js';

const skip =
  canBuildNetworks() ??
  cliBuilt() ??
  (['curl', 'jq'].every((t) => existsSync(`/usr/bin/${t}`)) ? null : 'needs curl and jq');
const id = randomBytes(3).toString('hex');
const machine = `om${id}m`;
const device = `om${id}x`;
const DEVICE_MAC = '00:1b:1b:5e:ad:01';
let home: string;

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: 'pipe' });
}

/** The README's fenced shell blocks between the agent-quickstart markers. */
function readmeBlocks(): string[] {
  const text = readFileSync(join(packageRoot(), 'README.md'), 'utf8');
  const part = text.slice(
    text.indexOf('<!-- agent-quickstart:start -->'),
    text.indexOf('<!-- agent-quickstart:end -->'),
  );
  return [...part.matchAll(/```sh\n([\s\S]*?)```/g)].map((m) => m[1]!);
}

beforeAll(() => {
  if (skip) return;
  home = mkdtempSync(join(tmpdir(), 'om-readme-'));
  // The machine: eth0 at 198.18.250.1, and a "remote" address on its loopback the device talks to.
  ip('netns', 'add', machine);
  ip('netns', 'add', device);
  ip('link', 'add', `om${id}a`, 'type', 'veth', 'peer', 'name', `om${id}b`);
  ip('link', 'set', `om${id}a`, 'netns', machine);
  ip('link', 'set', `om${id}b`, 'netns', device);
  for (const ns of [machine, device]) execFileSync('ip', ['netns', 'exec', ns, 'sh', '-c', DISABLE_IPV6]);
  const m = [
    'link set lo up',
    `link set om${id}a name eth0`,
    'addr add 198.18.250.1/24 dev eth0',
    'addr add 203.0.113.77/32 dev lo',
    'link set eth0 up',
  ];
  for (const step of m) ip('-n', machine, ...step.split(' '));
  const d = [
    'link set lo up',
    `link set om${id}b name eth0`,
    `link set eth0 address ${DEVICE_MAC}`,
    'addr add 198.18.250.10/24 dev eth0',
    'link set eth0 up',
    'route add default via 198.18.250.1',
  ];
  for (const step of d) ip('-n', device, ...step.split(' '));
  // `originmap` and `npm` for the README's commands: this checkout's build, and nothing to install.
  const bin = join(home, 'bin');
  mkdirSync(bin);
  writeFileSync(join(bin, 'originmap'), `#!/bin/sh\nexec ${process.execPath} ${CLI} "$@"\n`);
  writeFileSync(join(bin, 'npm'), '#!/bin/sh\nexit 0\n');
  chmodSync(join(bin, 'originmap'), 0o755);
  chmodSync(join(bin, 'npm'), 0o755);
});

afterAll(() => {
  if (skip) return;
  for (const ns of [machine, device]) {
    try {
      const pids = execFileSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' })
        .split('\n')
        .filter(Boolean);
      for (const pid of pids) process.kill(Number(pid), 'SIGKILL');
    } catch {
      // already gone
    }
    try {
      ip('netns', 'del', ns);
    } catch {
      // already gone
    }
  }
  rmSync(home, { recursive: true, force: true });
});

describe.skipIf(skip)(
  `README: collector and agent on one machine${skip ? ` (skipped: ${skip})` : ''}`,
  () => {
    it('runs as written and shows the device and its connection', async () => {
      const [start, look] = readmeBlocks();
      expect(start).toMatch(/originmap agent --config agent\.yaml/);
      expect(look).toMatch(/v1\/devices\?format=csv/);
      const go = join(home, 'go');
      const script = `set -e\n${start}\nwhile [ ! -e ${go} ]; do sleep 0.2; done\n${look}`;
      const shell = spawn('ip', ['netns', 'exec', machine, 'bash', '-c', script], {
        env: { ...process.env, HOME: home, PATH: `${join(home, 'bin')}:${process.env.PATH}` },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      shell.stdout.on('data', (c: Buffer) => {
        out += c.toString();
      });
      shell.stderr.on('data', (c: Buffer) => {
        out += c.toString();
      });
      const exited = new Promise<number | null>((r) => shell.once('exit', (code) => r(code)));
      await until('the agent to run', () => out.includes('agent running') || shell.exitCode !== null, 30_000);
      expect(out).toContain('agent running');
      await until('enrollment', () => out.includes('enrolled'), 20_000);
      // A device on the plant network talks UDP to a remote address through the machine.
      execFileSync('ip', [
        'netns',
        'exec',
        device,
        process.execPath,
        '-e',
        `
      const s = require('node:dgram').createSocket('udp4');
      let n = 0; const t = setInterval(() => { s.send(Buffer.alloc(100), 5683, '203.0.113.77'); if (++n === 10) { clearInterval(t); setTimeout(() => s.close(), 200); } }, 20);
    `,
      ]);
      writeFileSync(go, '');
      expect(await exited, out).toBe(0);
      expect(out).toContain(DEVICE_MAC);
      expect(out).toMatch(/203\.0\.113\.77/);
      expect(existsSync(join(home, 'om', 'agent-state', 'agent-token.json'))).toBe(true);
    }, 90_000);
  },
);
