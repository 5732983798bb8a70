// `npm run bench:server`: the collector under load over real HTTP on loopback. 50 agents post
// 1,000-device batches concurrently (gzip, the real upload client, from a worker thread) until
// the store holds 100 k and then 1 M devices; at each size an analyst times device listings.
// Prints ingest rows/s (devices + evidence rows), also per CPU-second of the collector process
// (what one free core sustains, whatever else the machine runs), listing p50/p99, and the load.
// Options: --devices <n> (default 1000000), --agents <n> (50), --batch <n> (1000),
// --repeat <n> listing requests per scenario (200), --db <file> (default: a temp file, removed),
// --collector worker|in-process (worker: on its own thread, as `originmap server` runs it),
// --young-mb <n> the worker's young generation in MiB (default: the shipped one; 0: V8's default),
// --checkpoint thread|writer: WAL checkpoints on the main thread (as shipped) or in the writer's commits,
// --search thread|off: the text-search index kept on the main thread (as shipped), or none (q= scans).

import { fork } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { newToken } from '../../server/auth/tokens.js';
import { createLogger } from '../../server/logger.js';
import { startServer } from '../../server/main.js';
import { encodeCursor } from '../../server/repos/scope.js';
import { startCollector, YOUNG_GENERATION_MB } from '../../server/run-collector.js';
import { BenchIdentifier } from './bench-data.js';
import type { ListJob, UploadJob, UploadResult } from './server-agents.js';

const { values } = parseArgs({
  options: {
    devices: { type: 'string', default: '1000000' },
    agents: { type: 'string', default: '50' },
    batch: { type: 'string', default: '1000' },
    repeat: { type: 'string', default: '200' },
    db: { type: 'string' },
    collector: { type: 'string', default: 'worker' },
    'young-mb': { type: 'string', default: String(YOUNG_GENERATION_MB) },
    checkpoint: { type: 'string', default: 'thread' },
    search: { type: 'string', default: 'thread' },
  },
});
const TOTAL = Number(values.devices);
const AGENTS = Number(values.agents);
const BATCH = Number(values.batch);
const REPEAT = Number(values.repeat);
const CHECKPOINTS = [100_000, 1_000_000].filter((n) => n <= TOTAL);
if (!CHECKPOINTS.includes(TOTAL)) CHECKPOINTS.push(TOTAL);
const IN_PROCESS = values.collector === 'in-process';
if (!IN_PROCESS && values.collector !== 'worker') throw new Error('--collector: worker or in-process');
const YOUNG_MB = Number(values['young-mb']);
if (values.checkpoint !== 'thread' && values.checkpoint !== 'writer')
  throw new Error('--checkpoint: thread or writer');
if (values.search !== 'thread' && values.search !== 'off') throw new Error('--search: thread or off');
// The benchmark floods on purpose: the per-agent limit would otherwise be what it measures.
const RATE_LIMIT = { burst: 1_000_000, perSecond: 1_000_000 };

/** The collector as `originmap server` runs it (its own thread), or in this thread for an A/B. */
async function startBenchCollector(
  db: string,
  admin: string,
): Promise<{ url: string; stop(): Promise<unknown> }> {
  if (IN_PROCESS) {
    const s = await startServer({
      db,
      identifier: new BenchIdentifier(),
      signaturesVersion: 'bench',
      host: '127.0.0.1',
      port: 0,
      handleSignals: false,
      adminToken: admin,
      rateLimit: RATE_LIMIT,
    });
    return s;
  }
  return startCollector(
    {
      db,
      host: '127.0.0.1',
      port: 0,
      level: 'warn',
      pretty: false,
      adminToken: admin,
      rateLimit: RATE_LIMIT,
      identifierModule: new URL('./bench-data.js', import.meta.url).href,
    },
    {
      log: createLogger({ level: 'warn', pretty: false }),
      youngGenerationMb: YOUNG_MB,
      walCheckpointer: values.checkpoint === 'thread',
      searchIndexer: values.search === 'thread',
    },
  );
}

function runAgents<T>(job: UploadJob | ListJob, onStart?: () => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = fork(new URL('./server-agents.js', import.meta.url));
    child.on('message', (m: T & { fatal?: string; ready?: boolean }) => {
      if (m.ready) return onStart?.();
      if (m.fatal) reject(new Error(m.fatal));
      else resolve(m);
    });
    child.once('error', reject);
    child.send(job);
  });
}

/** CPU time of this process's main thread, ms (Linux /proc; NaN elsewhere): checkpoints, search index. */
function mainThreadCpuMs(): number {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return Number.NaN;
  }
}

function pct(ms: number[], p: number): number {
  const s = [...ms].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
}

async function api<T>(url: string, token: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(url + path, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** A sum over the series of one metric in /metrics whose labels include `labels`. */
async function metrics(url: string, admin: string): Promise<(name: string, labels?: string) => number> {
  const res = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${admin}` } });
  const text = await res.text();
  return (name: string, labels = '') => {
    let n = 0;
    for (const m of text.matchAll(new RegExp(`^${name}(\\{[^}]*\\})? (\\d+)$`, 'gm')))
      if ((m[1] ?? '').includes(labels)) n += Number(m[2]);
    return n;
  };
}

/** Devices and text changes the search index has not taken in (text searches scan those). */
async function searchLag(url: string, admin: string): Promise<number> {
  return (await metrics(url, admin))('originmap_search_index_lag');
}

/** Accepted batches and ingest transactions so far, from /metrics (batches per commit = ratio). */
async function commits(url: string, admin: string): Promise<{ batches: number; transactions: number }> {
  const sum = await metrics(url, admin);
  return {
    batches: sum('originmap_ingest_batches_total', 'accepted'),
    transactions: sum('originmap_ingest_transactions_total'),
  };
}

function perCommit(
  a: { batches: number; transactions: number },
  b: { batches: number; transactions: number },
): string {
  const batches = b.batches - a.batches;
  const transactions = b.transactions - a.transactions;
  return `${batches} batches in ${transactions} transactions (${(batches / Math.max(1, transactions)).toFixed(2)} per commit)`;
}

async function main(): Promise<void> {
  const dir = values.db ? null : mkdtempSync(join(tmpdir(), 'om-bench-'));
  const file = values.db ?? join(dir!, 'collector.db');
  const load0 = loadavg();
  const admin = newToken();
  const server = await startBenchCollector(file, admin);
  const url = server.url;
  try {
    const op = await api<{ id: number }>(url, admin, 'POST', '/v1/operators', {
      name: 'Bench Power',
      sector: 'electricity',
      country: 'JP',
    });
    const agents: { agentId: number; token: string }[] = [];
    let midSite = 0;
    for (let i = 0; i < AGENTS; i++) {
      const site = await api<{ id: number }>(url, admin, 'POST', `/v1/operators/${op.id}/sites`, {
        name: `site-${i}`,
      });
      if (i === Math.floor(AGENTS / 2)) midSite = site.id;
      const made = await api<{ agent: { id: number }; enrollment: { token: string } }>(
        url,
        admin,
        'POST',
        `/v1/sites/${site.id}/agents`,
        { name: `agent-${i}` },
      );
      const enrolled = await api<{ token: string }>(url, made.enrollment.token, 'POST', '/v1/enroll', {});
      agents.push({ agentId: made.agent.id, token: enrolled.token });
    }
    const analyst = await api<{ token: string }>(url, admin, 'POST', '/v1/tokens', {
      role: 'analyst',
      operatorId: op.id,
    });

    console.log(
      `collector benchmark: ${AGENTS} agents, ${BATCH}-device batches, up to ${TOTAL} devices; db ${file}; ` +
        `collector ${IN_PROCESS ? 'in-process (V8 default young generation)' : `on a worker thread, young generation ${YOUNG_MB ? `${YOUNG_MB} MiB` : 'V8 default'}, WAL checkpoints ${values.checkpoint === 'thread' ? 'on the main thread' : 'in the writer'}`}`,
    );
    console.log(`load average at start: ${load0.map((x) => x.toFixed(2)).join(' ')} (2 cores)\n`);
    let stored = 0;
    for (const target of CHECKPOINTS) {
      const perAgent = Math.round((target - stored) / BATCH / AGENTS);
      const commits0 = await commits(url, admin);
      let cpu0 = process.cpuUsage();
      let main0 = mainThreadCpuMs();
      const up = await runAgents<UploadResult>(
        {
          mode: 'upload',
          url,
          agents,
          batchesPerAgent: perAgent,
          batchSize: BATCH,
          firstIndex: stored,
          seed: 0x5eed,
        },
        () => {
          cpu0 = process.cpuUsage();
          main0 = mainThreadCpuMs();
        },
      );
      const cpu = process.cpuUsage(cpu0);
      const mainMs = mainThreadCpuMs() - main0;
      const cpuSeconds = (cpu.user + cpu.system) / 1e6;
      const commits1 = await commits(url, admin);
      stored += up.devices;
      const rate = up.rows / (up.ms / 1000);
      console.log(
        `ingest to ${stored} devices: ${up.batches} batches, ${up.rows} rows (${up.devices} devices + ${up.evidence} evidence) in ` +
          `${(up.ms / 1000).toFixed(1)} s = ${Math.round(rate)} rows/s, ${Math.round(up.devices / (up.ms / 1000))} devices/s, ` +
          `errors ${up.errors.length}${up.errors.length ? ` (${up.errors.slice(0, 3).join(' | ')})` : ''}`,
      );
      console.log(
        `  collector CPU: ${cpuSeconds.toFixed(1)} s = ${Math.round(up.rows / cpuSeconds)} rows per CPU-second ` +
          `(main thread: checkpoints${values.search === 'thread' ? ', search index' : ''}: ${Number.isNaN(mainMs) ? 'n/a' : `${(mainMs / 1000).toFixed(1)} s`}); ` +
          `load average now ${loadavg()
            .map((x) => x.toFixed(2))
            .join(' ')}; ${perCommit(commits0, commits1)}`,
      );
      const mid = Math.floor(stored / 2);
      const hourAgo = new Date(Date.now() - 3_600_000).toISOString();
      const scenarios = [
        { name: 'first page (100)', path: '/v1/devices?limit=100' },
        {
          name: 'deep page (cursor at middle)',
          path: `/v1/devices?limit=100&cursor=${encodeCursor(mid, mid)}`,
        },
        { name: 'class=camera', path: '/v1/devices?limit=100&class=camera' },
        { name: 'vendorCountry=CN', path: '/v1/devices?limit=100&vendorCountry=CN' },
        { name: 'watchlisted=true', path: '/v1/devices?limit=100&watchlisted=true' },
        { name: 'siteId (one of 50)', path: `/v1/devices?limit=100&siteId=${midSite}` },
        { name: 'sort=-lastSeenDay', path: '/v1/devices?limit=100&sort=-lastSeenDay' },
        {
          name: 'lastSeenAfter=1 h ago',
          path: `/v1/devices?limit=100&lastSeenAfter=${hourAgo}`,
        },
        {
          name: 'lastSeenAfter=1 h ago, sort=-lastSeenDay',
          path: `/v1/devices?limit=100&sort=-lastSeenDay&lastSeenAfter=${hourAgo}`,
        },
        { name: 'q=plc-1234 (text)', path: '/v1/devices?limit=100&q=plc-1234' },
        { name: 'q=plc-1234, sort=-lastSeenDay', path: '/v1/devices?limit=100&q=plc-1234&sort=-lastSeenDay' },
        { name: 'q=simatic (text, 1 in 8)', path: '/v1/devices?limit=100&q=simatic' },
        { name: 'q=simatic, sort=-lastSeenDay', path: '/v1/devices?limit=100&q=simatic&sort=-lastSeenDay' },
        { name: 'one device in full', path: `/v1/devices/${mid}` },
      ];
      // Listings are timed once the search index has taken in the ingest (as they are timed once the
      // ingest ended): its catch-up competes for the CPU like the ingest does. How long it took is printed.
      const lag0 = await searchLag(url, admin);
      const caughtUp = performance.now();
      const catchUpMain0 = mainThreadCpuMs();
      while (
        values.search === 'thread' &&
        (await searchLag(url, admin)) > 0 &&
        performance.now() - caughtUp < 60_000
      )
        await new Promise((r) => setTimeout(r, 50));
      const catchUpMs = performance.now() - caughtUp;
      const catchUpCpu = (mainThreadCpuMs() - catchUpMain0) / 1000;
      const lat = await runAgents<Record<string, { ms: number[]; errors: number; items: number }>>({
        mode: 'list',
        url,
        token: analyst.token,
        scenarios,
        repeat: REPEAT,
        budgetMs: 15_000,
      });
      console.log(
        `\nlistings at ${stored} devices (up to ${REPEAT} requests each, sequential, over HTTP; load ${loadavg()[0]!.toFixed(2)}; ` +
          `search index ${values.search === 'off' ? 'off' : `${lag0} devices/changes behind when the ingest ended, caught up ${(catchUpMs / 1000).toFixed(1)} s later (main thread CPU ${Number.isNaN(catchUpCpu) ? 'n/a' : `${catchUpCpu.toFixed(1)} s`}); ${await searchLag(url, admin)} behind after the listings`}):`,
      );
      console.log(
        '| scenario | p50 ms | p99 ms | rows returned | errors/requests |\n| --- | ---: | ---: | ---: | ---: |',
      );
      for (const s of scenarios) {
        const r = lat[s.name]!;
        console.log(
          `| ${s.name} | ${pct(r.ms, 50).toFixed(2)} | ${pct(r.ms, 99).toFixed(2)} | ${r.items} | ${r.errors} |`,
        );
      }
      console.log('');
    }
    // Steady state: the first 100 k devices reported again by their own agents (new batches,
    // later last-seen, more counts): updates instead of inserts.
    const again = Math.min(100_000, stored);
    const commits2 = await commits(url, admin);
    let cpu1 = process.cpuUsage();
    const re = await runAgents<UploadResult>(
      {
        mode: 'upload',
        url,
        agents,
        batchesPerAgent: Math.round(again / BATCH / AGENTS),
        batchSize: BATCH,
        firstIndex: 0,
        seed: 0x5eed,
        tag: '-again',
      },
      () => {
        cpu1 = process.cpuUsage();
      },
    );
    const reCpu = process.cpuUsage(cpu1);
    const reSeconds = (reCpu.user + reCpu.system) / 1e6;
    const commits3 = await commits(url, admin);
    console.log(
      `re-report of ${re.devices} known devices at ${stored}: ${re.rows} rows in ${(re.ms / 1000).toFixed(1)} s = ` +
        `${Math.round(re.rows / (re.ms / 1000))} rows/s, ${Math.round(re.rows / reSeconds)} rows per CPU-second, ` +
        `errors ${re.errors.length}; ${perCommit(commits2, commits3)}`,
    );
    const bytes = statSync(file).size;
    // The agents run in a child process, so this is the collector's (and the bench's idle main thread's).
    console.log(`collector process peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
    console.log(
      `database: ${(bytes / 1048576).toFixed(0)} MiB; load average at end: ${loadavg()
        .map((x) => x.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    await server.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  }
}

await main();
