// Real processes for the fault tests: the collector (`originmap server`), the agent (`originmap
// agent`), a reference tcpdump, and helpers to wait on what they report. Everything runs from dist/
// (npm test builds it), exactly as installed.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { packageRoot } from '../../../../core/paths.js';

export const CLI = join(packageRoot(), 'dist', 'agent', 'cli.js');

export function cliBuilt(): string | null {
  return existsSync(CLI) ? null : 'dist/ is missing: npm test builds it (npm run build)';
}

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as { port: number };
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

export async function until<T>(
  what: string,
  fn: () => Promise<T | undefined | false> | T | undefined | false,
  timeoutMs = 30_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v as T;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end)
      throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A process with its output kept (JSON log lines parsed where they are JSON). */
export class Proc {
  readonly lines: string[] = [];
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  constructor(command: string, args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
    this.child = spawn(command, args, { ...opts, stdio: ['ignore', 'pipe', 'pipe'] });
    let buf = '';
    const take = (chunk: Buffer) => {
      buf += chunk.toString('utf8');
      const parts = buf.split('\n');
      buf = parts.pop()!;
      this.lines.push(...parts);
      if (process.env.OM_TEST_LOG)
        for (const p of parts) process.stderr.write(`[${args[1] ?? command}] ${p}\n`);
    };
    this.child.stdout!.on('data', take);
    this.child.stderr!.on('data', take);
    this.exited = new Promise((r) => this.child.once('exit', (code, signal) => r(signal ? null : code)));
  }

  logs(): Record<string, unknown>[] {
    return this.lines.flatMap((l) => {
      try {
        return [JSON.parse(l) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  }

  has(msg: string | RegExp): boolean {
    return this.logs().some((l) => (typeof msg === 'string' ? l.msg === msg : msg.test(String(l.msg))));
  }

  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill(signal);
    return this.exited;
  }
}

export interface Collector {
  url: string;
  port: number;
  db: string;
  admin: string;
  proc: Proc;
  start(): Promise<void>;
}

/** A collector on loopback with its own database; `start()` again after a stop or a kill. */
export async function collector(dir: string, port?: number): Promise<Collector> {
  const admin = `om_${randomBytes(32).toString('base64url')}`;
  const p = port ?? (await freePort());
  const db = join(dir, 'collector.db');
  const c: Collector = {
    url: `http://127.0.0.1:${p}`,
    port: p,
    db,
    admin,
    proc: null as unknown as Proc,
    async start() {
      c.proc = new Proc(
        process.execPath,
        [CLI, 'server', '--db', db, '--port', String(p), '--log-level', 'warn'],
        {
          env: { ...process.env, ORIGINMAP_ADMIN_TOKEN: admin },
        },
      );
      await until('the collector', async () => (await fetch(`${c.url}/healthz`)).ok, 20_000);
    },
  };
  await c.start();
  return c;
}

export async function api<T>(
  c: Collector,
  method: string,
  path: string,
  body?: unknown,
  token = c.admin,
): Promise<T> {
  const res = await fetch(`${c.url}/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

/** An operator, a site and an agent (fast settings); returns the agent's enrollment token. */
export async function tenant(
  c: Collector,
  settings = { uploadIntervalSeconds: 5, heartbeatIntervalSeconds: 5, maxBatchDevices: 1000 },
): Promise<{ agentId: number; enrollment: string }> {
  const op = await api<{ id: number }>(c, 'POST', '/operators', {
    name: `Plant ${randomBytes(2).toString('hex')}`,
    sector: 'water',
    country: 'JP',
  });
  const site = await api<{ id: number }>(c, 'POST', `/operators/${op.id}/sites`, { name: 'plant-1' });
  const made = await api<{ agent: { id: number }; enrollment: { token: string } }>(
    c,
    'POST',
    `/sites/${site.id}/agents`,
    { name: 'agent-1', settings },
  );
  return { agentId: made.agent.id, enrollment: made.enrollment.token };
}

/** Writes an agent config (YAML) for the tests. */
export function agentConfig(
  dir: string,
  o: {
    url: string;
    enrollment: string;
    capture: string;
    metricsPort: number;
    extra?: string;
    uplink?: string;
  },
): string {
  writeFileSync(join(dir, 'enrollment-token'), `${o.enrollment}\n`, { mode: 0o600 });
  const file = join(dir, 'agent.yaml');
  writeFileSync(
    file,
    `collector:
  url: ${o.url}
  enrollmentTokenFile: enrollment-token
  timeoutSeconds: 10
stateDir: state
capture:
${o.capture}
  restartMinSeconds: 1
  restartMaxSeconds: 2
uplink:
  snapshotSeconds: 1
  heartbeatSeconds: 2
  backoffMinSeconds: 1
  backoffMaxSeconds: 2
${o.uplink ?? ''}
metrics:
  port: ${o.metricsPort}
log:
  level: debug
${o.extra ?? ''}`,
  );
  return file;
}

export function startAgent(config: string, cwd: string): Proc {
  return new Proc(process.execPath, [CLI, 'agent', '--config', config], { cwd });
}

/** The agent's metrics endpoint, parsed. */
export async function agentMetrics(port: number): Promise<Record<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^originmap_agent_(\w+) (\d+(?:\.\d+)?)$/gm)) out[m[1]!] = Number(m[2]);
  return out;
}

/**
 * Waits until the agent's capture_packets_total has not grown for `quietMs`: packets reach it
 * through the kernel's capture buffer and tcpdump up to a second after they were sent, so a
 * snapshot taken right after the traffic may not hold them yet.
 */
export async function captureSettled(port: number, quietMs = 2500, timeoutMs = 20_000): Promise<number> {
  let last = -1;
  let since = Date.now();
  return until(
    'the capture to settle',
    async () => {
      const n = (await agentMetrics(port)).capture_packets_total ?? 0;
      if (n !== last) {
        last = n;
        since = Date.now();
      }
      return Date.now() - since >= quietMs ? n : undefined;
    },
    timeoutMs,
  );
}

/**
 * Stops a tcpdump without losing what its filter already received: asks for statistics (SIGUSR1)
 * until everything received was written, then SIGTERM (tcpdump drops its unread ring on SIGTERM).
 */
export async function stopTcpdump(p: Proc): Promise<void> {
  const end = Date.now() + 5000;
  while (Date.now() < end && p.child.exitCode === null) {
    const before = p.lines.length;
    p.child.kill('SIGUSR1');
    await until('tcpdump statistics', () => p.lines.length > before, 2000).catch(() => undefined);
    const line = p.lines.slice(before).find((l) => l.includes('received by filter')) ?? '';
    const n = (re: RegExp) => Number(re.exec(line)?.[1] ?? Number.NaN);
    const captured = n(/(\d+) packets? captured/);
    const received = n(/(\d+) packets? received by filter/);
    const dropped = n(/(\d+) packets? dropped by kernel/);
    if (captured + dropped >= received) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  await p.stop('SIGTERM');
}

/** A reference tcpdump writing the same interface to a file; stop it with stopTcpdump(). */
export async function referenceCapture(iface: string, file: string): Promise<Proc> {
  // --immediate-mode: without it packets wait in the kernel ring for a block timeout and a stop loses them.
  const p = new Proc('tcpdump', ['-i', iface, '-n', '-U', '--immediate-mode', '-B', '32768', '-w', file]);
  await until('the reference tcpdump', () => p.lines.some((l) => l.includes('listening on')), 10_000);
  return p;
}
