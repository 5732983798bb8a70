// `npm run bench:agent`: the soak test. A real collector and a real agent whose capture command
// replays the benchmark mix (scripts/bench/generate-capture.ts) in a loop at a fixed packet rate,
// for 10 minutes by default. Samples the agent's RSS and CPU from /proc, reads its own counters,
// and prints (or, with BENCH_WRITE=1, writes into docs/benchmarks.md) the "agent" section.
//   BENCH_SECONDS (600)  BENCH_PPS (100000)  BENCH_MB (256: size of the replayed capture)
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../core/paths.js';
import { BENCH_MIX_VERSION, generateBenchCapture } from './generate-capture.js';

const root = packageRoot();
const SECONDS = Number(process.env.BENCH_SECONDS ?? 600);
const PPS = Number(process.env.BENCH_PPS ?? 100_000);
const MB = Number(process.env.BENCH_MB ?? 256);
const SAMPLE_MS = 5000;
const TICKS = 100; // USER_HZ on Linux
const cli = join(root, 'dist', 'agent', 'cli.js');

interface Sample {
  t: number;
  rssMb: number;
  cpuS: number;
  packets: number;
}

function procStat(pid: number): { rssMb: number; cpuS: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  // The kernel's high-water mark: a peak between two samples 5 s apart is in it, not in the samples.
  const peakKb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return { rssMb: rssKb / 1024, cpuS: (Number(f[11]) + Number(f[12])) / TICKS, peakMb: peakKb / 1024 };
}

const mb = (bytes: number | undefined) => `${((bytes ?? 0) / 1048576).toFixed(1)} MB`;

async function metrics(port: number): Promise<Record<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const out: Record<string, number> = {};
  for (const m of text.matchAll(/^originmap_agent_(\w+) (\d+(?:\.\d+)?)$/gm)) out[m[1]!] = Number(m[2]);
  return out;
}

async function until(what: string, fn: () => Promise<boolean>, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await fn().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function main(): Promise<void> {
  // The mix version in the name, as `npm run bench` has it: a capture of an older mix is never reused
  // (worktrees made before version 2 still hold a mix-256m.pcap of version 1).
  const capture = join(root, 'bench-data', `mix-v${BENCH_MIX_VERSION}-${MB}m.pcap`);
  if (!existsSync(capture)) {
    mkdirSync(join(root, 'bench-data'), { recursive: true });
    process.stderr.write(`generating ${capture}…\n`);
    generateBenchCapture(capture, MB * 1024 * 1024);
  }
  const dir = mkdtempSync(join(tmpdir(), 'om-bench-agent-'));
  const children: ChildProcess[] = [];
  try {
    const admin = `om_${randomBytes(32).toString('base64url')}`;
    const port = 20_000 + Math.floor(Math.random() * 20_000);
    const metricsPort = port + 1;
    const url = `http://127.0.0.1:${port}`;
    children.push(
      spawn(
        process.execPath,
        [cli, 'server', '--db', join(dir, 'c.db'), '--port', String(port), '--log-level', 'warn'],
        {
          env: { ...process.env, ORIGINMAP_ADMIN_TOKEN: admin },
          stdio: 'ignore',
        },
      ),
    );
    await until('the collector', async () => (await fetch(`${url}/healthz`)).ok);
    const api = async (path: string, body: unknown) =>
      (await (
        await fetch(`${url}/v1${path}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      ).json()) as Record<string, unknown>;
    const op = await api('/operators', { name: 'Bench', sector: 'electricity', country: 'JP' });
    const site = await api(`/operators/${op.id}/sites`, { name: 'bench' });
    const made = (await api(`/sites/${site.id}/agents`, { name: 'bench-agent' })) as {
      enrollment: { token: string };
    };
    writeFileSync(join(dir, 'enroll'), made.enrollment.token);
    const replay = [
      process.execPath,
      join(root, 'dist', 'scripts', 'bench', 'replay-pcap.js'),
      capture,
      String(PPS),
      String(SECONDS + 60),
    ];
    writeFileSync(
      join(dir, 'agent.yaml'),
      `collector:\n  url: ${url}\n  enrollmentTokenFile: enroll\nstateDir: state\ncapture:\n  command: ${JSON.stringify(replay)}\n${process.env.BENCH_ENGINE ? `engine:\n${process.env.BENCH_ENGINE}\n` : ''}metrics:\n  port: ${metricsPort}\nlog:\n  level: ${process.env.BENCH_LOG ?? 'warn'}\n`,
    );
    const load0 = loadavg();
    const agent = spawn(process.execPath, [cli, 'agent', '--config', join(dir, 'agent.yaml')], {
      cwd: dir,
      stdio: 'inherit',
    });
    children.push(agent);
    await until('the agent', async () => (await metrics(metricsPort)).capture_packets_total! > 0);
    const t0 = Date.now();
    const samples: Sample[] = [];
    while (Date.now() - t0 < SECONDS * 1000) {
      const s = procStat(agent.pid!);
      const m = await metrics(metricsPort);
      samples.push({ t: (Date.now() - t0) / 1000, ...s, packets: m.capture_packets_total ?? 0 });
      if (samples.length % (Number(process.env.BENCH_EVERY) || 12) === 1)
        process.stderr.write(
          `${samples.at(-1)!.t.toFixed(0)} s: RSS ${s.rssMb.toFixed(1)} MB (heap ${mb(m.heap_used_bytes)}, external ${mb(m.external_bytes)}), ${m.capture_packets_total} packets\n`,
        );
      await new Promise((r) => setTimeout(r, SAMPLE_MS));
    }
    const m = await metrics(metricsPort);
    const peakMb = procStat(agent.pid!).peakMb;
    const load1 = loadavg();
    const first = samples[0]!;
    const last = samples.at(-1)!;
    const pps = (last.packets - first.packets) / (last.t - first.t);
    const cpu = (last.cpuS - first.cpuS) / (last.t - first.t);
    // RSS trend over the second half (least squares), MB per hour: flat means bounded.
    const half = samples.filter((s) => s.t >= last.t / 2);
    const mt = half.reduce((a, s) => a + s.t, 0) / half.length;
    const mr = half.reduce((a, s) => a + s.rssMb, 0) / half.length;
    const slope =
      half.reduce((a, s) => a + (s.t - mt) * (s.rssMb - mr), 0) /
      half.reduce((a, s) => a + (s.t - mt) ** 2, 0);
    const at = (sec: number) => samples.find((s) => s.t >= sec) ?? last;
    const rows = [
      ['replayed', `bench mix (${MB} MB capture, looped), target ${PPS} packets/s for ${SECONDS} s`],
      ['packets read by the agent', `${last.packets} (${Math.round(pps)} packets/s sustained)`],
      [
        'agent RSS at 1 min / 5 min / end / highest sample',
        `${at(60).rssMb.toFixed(0)} / ${at(300).rssMb.toFixed(0)} / ${last.rssMb.toFixed(0)} / ${Math.max(...samples.map((s) => s.rssMb)).toFixed(0)} MB`,
      ],
      ['agent peak RSS (VmHWM, start-up included)', `${peakMb.toFixed(0)} MB`],
      ['RSS trend, second half', `${(slope * 3600).toFixed(1)} MB/hour`],
      [
        'agent CPU',
        `${(cpu * 100).toFixed(1)} % of one core = ${((cpu * 100) / (pps / 100_000)).toFixed(1)} % of a core per 100 k packets/s`,
      ],
      ['batches spooled / uploaded', `${m.batches_spooled_total} / ${m.batches_uploaded_total}`],
      ['devices held, flows held', `${m.devices_tracked}, ${m.flows_live}`],
      ['TCP directions not decoded (stream buffers all in use)', `${m.stream_directions_unbuffered_total}`],
      [
        'machine',
        `${cpus().length} × ${cpus()[0]?.model ?? '?'}, load average ${load0[0]!.toFixed(1)} → ${load1[0]!.toFixed(1)} (shared with other work)`,
      ],
    ];
    const table = ['| measure | value |', '|---|---|', ...rows.map(([k, v]) => `| ${k} | ${v} |`)].join('\n');
    const section = `## Agent (\`npm run bench:agent\`)\n\nSoak test: \`BENCH_SECONDS=${SECONDS} BENCH_PPS=${PPS} npm run bench:agent\` (${new Date().toISOString().slice(0, 10)}). A real collector and a real agent whose capture command replays the benchmark mix at a fixed rate (scripts/bench/replay-pcap.ts); RSS and CPU of the agent process from /proc every ${SAMPLE_MS / 1000} s.\n\n${table}\n`;
    process.stdout.write(`\n${section}`);
    if (process.env.BENCH_WRITE) {
      const file = join(root, 'docs', 'benchmarks.md');
      const doc = readFileSync(file, 'utf8');
      const start = doc.indexOf('## Agent (`npm run bench:agent`)');
      const end = start < 0 ? -1 : doc.indexOf('\n## ', start + 5);
      const next =
        start < 0
          ? `${doc.trimEnd()}\n\n${section}`
          : `${doc.slice(0, start)}${section}${end < 0 ? '' : doc.slice(end)}`;
      writeFileSync(file, next);
    }
  } finally {
    // The agent first (it spools and uploads what it saw), then the collector.
    for (const c of children.reverse()) {
      if (c.exitCode !== null) continue;
      const exited = new Promise((r) => c.once('exit', r));
      c.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 15_000))]);
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: Error) => {
  process.stderr.write(`bench:agent: ${err.stack ?? err.message}\n`);
  process.exit(1);
});
