// `originmap server`: help, one-line errors, --init prints one admin token whose hash is stored.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../agent/cli.js';
import { hashToken } from '../../server/auth/tokens.js';
import { defaultDbPath } from '../../server/command.js';
import { openDatabase } from '../../server/db/database.js';

function capture() {
  let out = '';
  let err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((c) => {
    out += String(c);
    return true;
  });
  vi.spyOn(process.stderr, 'write').mockImplementation((c) => {
    err += String(c);
    return true;
  });
  return { out: () => out, err: () => err };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('originmap server', () => {
  it('is listed and prints its help', async () => {
    const io = capture();
    expect(await main(['--help'])).toBe(0);
    expect(io.out()).toMatch(/^ {2}server +run the collector/m);
    expect(await main(['server', '--help'])).toBe(0);
    expect(io.out()).toContain('usage: originmap server');
  });

  it('fails with one line on bad options', async () => {
    const io = capture();
    expect(await main(['server', '--port', 'http'])).toBe(2);
    expect(await main(['server', '--bogus'])).toBe(2);
    expect(await main(['server', '--log-level', 'loud'])).toBe(2);
    const lines = io.err().trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe("originmap server: --port: 'http' is not a port number");
    expect(lines.every((l) => l.startsWith('originmap server: '))).toBe(true);
  });

  it('--init prints an admin token once and stores only its hash', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'om-init-'));
    try {
      const io = capture();
      const file = join(dir, 'c.db');
      expect(await main(['server', '--init', '--db', file])).toBe(0);
      const token = /^(om_[A-Za-z0-9_-]{43})$/m.exec(io.out())?.[1];
      expect(token).toBeDefined();
      // The README's `originmap server --init … | tail -1` takes the token from the last line.
      expect(io.out().trimEnd().split('\n').at(-1)).toBe(token);
      const db = openDatabase({ file });
      const rows = db.prepare('SELECT role, hash FROM tokens').all() as { role: string; hash: Buffer }[];
      db.close();
      expect(rows).toHaveLength(1);
      expect(rows[0]!.role).toBe('admin');
      expect(rows[0]!.hash.equals(hashToken(token!))).toBe(true);
      // The report-signing key is made next to the database, private to its owner.
      const made =
        /^report signing key (ed25519:[0-9a-f]{32}) made: .*report-signing\.key \(mode 0600\)/m.exec(
          io.out(),
        );
      expect(made).not.toBeNull();
      expect(statSync(join(dir, 'report-signing.key')).mode & 0o777).toBe(0o600);
      expect(await main(['server', '--init', '--db', file])).toBe(0);
      expect(io.out()).toContain(`report signing key ${made![1]} kept:`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('defaults the database under the XDG data directory', () => {
    expect(defaultDbPath({ XDG_DATA_HOME: '/data' })).toBe('/data/originmap/collector.db');
    expect(defaultDbPath({})).toMatch(/\.local\/share\/originmap\/collector\.db$/);
  });
});
