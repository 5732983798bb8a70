// `originmap scan` as a user runs it: help, --list-probes, and one-line refusals before anything is sent.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../../core/paths.js';
import { transpileEntry } from '../../../scripts/lib/transpile.js';

const root = packageRoot();
const cli = transpileEntry(join(root, 'agent/cli.ts'), root);

async function originmap(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [cli, ...args], {
      timeout: 20_000,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('originmap scan', () => {
  it('is listed by originmap --help and prints its own help', async () => {
    expect((await originmap('--help')).stdout).toMatch(/^ {2}scan +active, read-only discovery/m);
    const help = await originmap('scan', '--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('usage: originmap scan <targets...> --scope <cidrs>');
  });

  it('lists every probe with what it sends', async () => {
    const r = await originmap('scan', '--list-probes');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('s7-szl-identity  [safe, industrial]  tcp 102');
    expect(r.stdout).toContain('sends: step 1: hex 03 00 00 16 11 e0');
    expect(r.stdout).toContain('read-only: ');
  });

  it('refuses in one line, with exit code 2, before sending anything', async () => {
    const cases: [string[], RegExp][] = [
      [['scan', '198.18.0.0/24'], /^originmap scan: no scope: give --scope/],
      [['scan', '--scope', '198.18.0.0/24'], /^originmap scan: no targets/],
      [
        ['scan', '198.18.1.0/24', '--scope', '198.18.0.0/24'],
        /^originmap scan: target 198\.18\.1\.0\/24 is not inside the configured scope \(198\.18\.0\.0\/24\)$/,
      ],
      [
        ['scan', '198.18.0.1/24', '--scope', '198.18.0.0/24'],
        /^originmap scan: target: '198\.18\.0\.1\/24': host bits set/,
      ],
      [['scan', '224.0.0.1', '--scope', '224.0.0.0/24'], /overlaps multicast, broadcast or reserved space/],
      [['scan', '10.0.0.0/8', '--scope', '10.0.0.0/8'], /expand to more than 65536 addresses/],
      [['scan', '198.18.0.1', '--scope', '198.18.0.0/24', '--rate', 'fast'], /--rate must be an integer/],
      [
        ['scan', '198.18.0.1', '--scope', '198.18.0.0/24', '--host-rate', '5000', '--rate', '100'],
        /per-host rate 5000/,
      ],
      [['scan', '198.18.0.1', '--scope', '198.18.0.0/24', '--ports', '80-70'], /bad port list/],
      [['scan', '--bogus'], /^originmap scan: Unknown option '--bogus'/],
    ];
    for (const [args, message] of cases) {
      const r = await originmap(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr.trim(), args.join(' ')).toMatch(message);
      expect(r.stdout).toBe('');
    }
  });
});
