// `originmap server` as a process, its collector on a worker thread: SIGTERM stops it gracefully
// (a request in flight completes, exit 0, the database closed and checkpointed), startup errors
// are still one line with exit 2, and a crash of the collector's thread is logged and non-zero.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { packageRoot } from '../../core/paths.js';
import { openDatabase } from '../../server/db/database.js';
import { attachSearch } from '../../server/db/search-store.js';
import { batch, device } from './helpers.js';

// The worker loads compiled JavaScript, so these run the build (npm test builds it first).
const DIST = join(packageRoot(), 'dist');
const CLI = join(DIST, 'agent', 'cli.js');
const built = existsSync(join(DIST, 'server', 'collector-worker.js'));

interface Ran {
  child: ChildProcess;
  out: () => string;
  err: () => string;
  exited: Promise<number | null>;
}

function server(args: string[], env: NodeJS.ProcessEnv = {}): Ran {
  const child = spawn(process.execPath, [CLI, 'server', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout!.on('data', (c: Buffer) => {
    out += c.toString('utf8');
  });
  child.stderr!.on('data', (c: Buffer) => {
    err += c.toString('utf8');
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { child, out: () => out, err: () => err, exited };
}

async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as { port: number };
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

async function healthy(port: number, ran: Ran): Promise<void> {
  const end = Date.now() + 20_000;
  for (;;) {
    if (ran.child.exitCode !== null) throw new Error(`the collector exited: ${ran.err()}`);
    try {
      if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    if (Date.now() > end) throw new Error('the collector did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
}

const token = () => `om_${randomBytes(32).toString('base64url')}`;

/** server/run-collector.js as built: its worker thread loads compiled JavaScript. */
async function compiledRunCollector(): Promise<typeof import('../../server/run-collector.js')> {
  return (await import(
    pathToFileURL(join(DIST, 'server', 'run-collector.js')).href
  )) as typeof import('../../server/run-collector.js');
}

/** A logger for startCollector that keeps its warnings (a fatal one is not expected). */
function warnings(): { log: never; warned: string[] } {
  const warned: string[] = [];
  const log = {
    fatal: () => {},
    warn: (o: unknown, msg: string) => void warned.push(`${msg} ${JSON.stringify(o)}`),
  };
  return { log: log as never, warned };
}
let dir = '';

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'om-run-collector-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!built)('originmap server on its worker thread', () => {
  it('stops on SIGTERM: the request in flight completes, exit 0, the database closed cleanly', async () => {
    const port = await freePort();
    const admin = token();
    const db = join(dir, 'c.db');
    const ran = server(['--db', db, '--port', String(port)], { ORIGINMAP_ADMIN_TOKEN: admin });
    await healthy(port, ran);
    // Headers and half the body, then SIGTERM, then the rest: the request must still be answered.
    const body = JSON.stringify({ name: 'Signal Power', sector: 'electricity', country: 'JP' });
    const answered = new Promise<number>((resolve, reject) => {
      const req = request(
        {
          host: '127.0.0.1',
          port,
          method: 'POST',
          path: '/v1/operators',
          headers: {
            authorization: `Bearer ${admin}`,
            'content-type': 'application/json',
            'content-length': Buffer.byteLength(body),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.write(body.slice(0, 10));
      setTimeout(() => {
        ran.child.kill('SIGTERM');
        setTimeout(() => req.end(body.slice(10)), 300);
      }, 200);
    });
    expect(await answered).toBe(201);
    expect(await ran.exited).toBe(0);
    // Logs stay pino JSON lines (stdout is a pipe), the shutdown logged by the collector's thread.
    const logs = ran
      .out()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { msg: string; signal?: string });
    expect(logs.find((l) => l.msg === 'shutting down')?.signal).toBe('SIGTERM');
    expect(ran.err()).toBe('');
    // Closed cleanly: the WAL was checkpointed into the file and removed.
    expect(existsSync(`${db}-wal`) ? statSync(`${db}-wal`).size : 0).toBe(0);
    const reopened = openDatabase({ file: db });
    try {
      expect(reopened.prepare('PRAGMA integrity_check').pluck().get()).toBe('ok');
      expect(reopened.prepare('SELECT name FROM operators').pluck().all()).toEqual(['Signal Power']);
    } finally {
      reopened.close();
    }
  });

  it('reports a port in use in one line, exit 2', async () => {
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
    try {
      const { port } = busy.address() as { port: number };
      const ran = server(['--db', join(dir, 'c.db'), '--port', String(port)]);
      expect(await ran.exited).toBe(2);
      expect(ran.err()).toMatch(/^originmap server: cannot listen: listen EADDRINUSE: [^\n]+\n$/);
    } finally {
      await new Promise<void>((r) => busy.close(() => r()));
    }
  });

  it('reports a bad bootstrap token and a file that is not a database in one line, exit 2', async () => {
    const port = String(await freePort());
    const bad = server(['--db', join(dir, 'c.db'), '--port', port], { ORIGINMAP_ADMIN_TOKEN: 'admin' });
    expect(await bad.exited).toBe(2);
    expect(bad.err()).toMatch(/^originmap server: ORIGINMAP_ADMIN_TOKEN must be "om_" [^\n]+\n$/);
    const junk = join(dir, 'junk.db');
    writeFileSync(junk, Buffer.alloc(4096, 0x41));
    const notDb = server(['--db', junk, '--port', port]);
    expect(await notDb.exited).toBe(2);
    expect(notDb.err()).toBe(`originmap server: cannot open the database ${junk}: file is not a database\n`);
  });

  it('ends non-zero with the error logged when the collector thread dies', async () => {
    // An engine module that throws on the collector's thread when the test says so, after it listens
    // (a fixed delay from loading it raced the start on a loaded machine: the thread died first).
    const mod = join(dir, 'crashing-identifier.mjs');
    const trigger = join(dir, 'explode-now');
    writeFileSync(
      mod,
      `import { existsSync } from 'node:fs';
export async function loadIdentifier() {
  setInterval(() => { if (existsSync(${JSON.stringify(trigger)})) throw new Error('engine exploded'); }, 20);
  return { identifier: { identify() { throw new Error('unused'); } }, signaturesVersion: 'x' };
}\n`,
    );
    const run = (await import(
      pathToFileURL(join(DIST, 'server', 'run-collector.js')).href
    )) as typeof import('../../server/run-collector.js');
    const logged: string[] = [];
    const log = { fatal: (o: unknown, msg: string) => void logged.push(`${msg} ${JSON.stringify(o)}`) };
    const thread = await run.startCollector(
      {
        db: join(dir, 'c.db'),
        host: '127.0.0.1',
        port: 0,
        level: 'error',
        pretty: false,
        identifierModule: pathToFileURL(mod).href,
      },
      { log: log as never },
    );
    expect(thread.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    writeFileSync(trigger, '');
    expect(await thread.ended).toBe(70);
    expect(logged.join('\n')).toContain('engine exploded');
    expect(logged.join('\n')).toContain('the collector stopped unexpectedly');
  });

  it('checkpoints the WAL on the main thread, and the writer alone closes it cleanly', async () => {
    const run = await compiledRunCollector();
    const { log, warned } = warnings();
    const input = (file: string) => ({ db: file, host: '127.0.0.1', port: 0, level: 'error', pretty: false });
    // The schema's pages are committed to the WAL at start; only a checkpoint puts them in the file
    // (the writer's own would wait for 1,000 pages, or the 20,000 of its backstop).
    const withIt = join(dir, 'with.db');
    const a = await run.startCollector(input(withIt), { log });
    const b = await run.startCollector(input(join(dir, 'without.db')), {
      log,
      walCheckpointer: false,
    });
    // The checkpointer looks at an idle WAL every 500 ms: waited for, not timed (a loaded machine
    // can be late by more than a fixed margin).
    await vi.waitFor(() => expect(statSync(withIt).size).toBeGreaterThan(40 * 4096), {
      timeout: 15_000,
      interval: 50,
    });
    expect(statSync(withIt).size).toBeGreaterThan(40 * 4096);
    expect(statSync(join(dir, 'without.db')).size).toBeLessThan(40 * 4096);
    expect(await a.stop()).toBe(0);
    expect(await b.stop()).toBe(0);
    expect(existsSync(`${withIt}-wal`)).toBe(false);
    const db = openDatabase({ file: withIt });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    expect(warned).toEqual([]);
  });

  it('keeps the text-search index on the main thread: an uploaded device is indexed and found', async () => {
    const run = await compiledRunCollector();
    const { log, warned } = warnings();
    const admin = token();
    const file = join(dir, 'search.db');
    const thread = await run.startCollector(
      { db: file, host: '127.0.0.1', port: 0, level: 'error', pretty: false, adminToken: admin },
      { log },
    );
    const api = async <T>(path: string, bearer: string, body?: unknown): Promise<T> => {
      const res = await fetch(thread.url + path, {
        method: body === undefined ? 'GET' : 'POST',
        headers: {
          authorization: `Bearer ${bearer}`,
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      return (res.headers.get('content-type') ?? '').includes('json')
        ? ((await res.json()) as T)
        : ((await res.text()) as T);
    };
    try {
      const op = await api<{ id: number }>('/v1/operators', admin, {
        name: 'Search Power',
        sector: 'water',
        country: 'JP',
      });
      const site = await api<{ id: number }>(`/v1/operators/${op.id}/sites`, admin, { name: 'plant' });
      const made = await api<{ agent: { id: number }; enrollment: { token: string } }>(
        `/v1/sites/${site.id}/agents`,
        admin,
        {
          name: 'agent',
        },
      );
      const agent = await api<{ token: string }>('/v1/enroll', made.enrollment.token, {});
      const analyst = await api<{ token: string }>('/v1/tokens', admin, {
        role: 'analyst',
        operatorId: op.id,
      });
      const devices = [0, 1, 2].map((i) =>
        device(`00:1b:1b:05:00:0${i}`, { 'http.server': i === 1 ? 'Needle-Server/2.0' : 'lighttpd' }),
      );
      await api('/v1/ingest', agent.token, batch(made.agent.id, { devices }));
      // The indexer takes them in within its idle interval (250 ms); /metrics says how far behind it is.
      const lag = async () =>
        Number(/^originmap_search_index_lag (\d+)$/m.exec(await api<string>('/metrics', admin))?.[1]);
      const end = Date.now() + 10_000;
      while ((await lag()) !== 0 && Date.now() < end) await new Promise((r) => setTimeout(r, 50));
      expect(await lag()).toBe(0);
      const found = await api<{ items: { key: string }[] }>('/v1/devices?q=needle-serv', analyst.token);
      expect(found.items.map((d) => d.key)).toEqual(['mac:00:1b:1b:05:00:01']);
    } finally {
      expect(await thread.stop()).toBe(0);
    }
    // The index is in its own file, and holds the three devices.
    const db = openDatabase({ file });
    try {
      expect(attachSearch(db)).toBeNull();
      expect(db.prepare('SELECT device_id FROM search.search_state').pluck().get()).toBe(3);
    } finally {
      db.close();
    }
    expect(warned).toEqual([]);
  });
});
