// `npm run bench:scan` (root): time to inventory the lab natively vs `nmap -sV` on the same hosts and
// ports, in one run, medians of several runs; writes the "Active discovery" section of
// docs/benchmarks.md. Traffic stays inside the lab's network namespaces.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { discover } from '../../agent/active/discover.js';
import { hostObservations, NmapXmlReader } from '../../agent/active/nmap-xml.js';
import { loadProbes } from '../../agent/active/probe-loader.js';
import { emptyScanConfig } from '../../agent/active/scan-config.js';
import type { Observation } from '../../core/observation.js';
import { packageRoot } from '../../core/paths.js';
import { type Lab, labUnavailable, startLab } from '../lab/lab.js';

const NATIVE_RUNS = Number(process.env.BENCH_NATIVE_RUNS ?? 5);
const NMAP_RUNS = Number(process.env.BENCH_NMAP_RUNS ?? 3);

/** Keys that carry a device's identity (what an inventory needs beyond "a host is there"). */
const IDENTITY_KEYS =
  /^(s7|modbus|enip|bacnet|fins|snmp|ssh|http|tls|ssdp|mdns|rtsp|ftp|telnet)\.|^nmap\.product$/;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function identified(obs: Observation[], ips: string[]): number {
  return ips.filter((ip) => obs.some((o) => o.ip === ip && IDENTITY_KEYS.test(o.key))).length;
}

async function nmapSv(
  hosts: string[],
  tcp: number[],
  udp: number[],
): Promise<{ ms: number; obs: Observation[] }> {
  const args = [
    '-oX',
    '-',
    '-n',
    '-sS',
    '-sU',
    '-sV',
    '-p',
    `T:${tcp.join(',')},U:${udp.join(',')}`,
    ...hosts,
  ];
  const obs: Observation[] = [];
  const reader = new NmapXmlReader({ host: (h) => obs.push(...hostObservations(h, Date.now())) });
  const t0 = performance.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn('nmap', args, { stdio: ['ignore', 'pipe', 'ignore'] });
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (d: string) => reader.write(d));
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`nmap exited with ${code}`))));
  });
  reader.end();
  return { ms: performance.now() - t0, obs };
}

async function main(): Promise<void> {
  const why = labUnavailable();
  if (why) throw new Error(why);
  const load = loadavg()[0]!.toFixed(2);
  const lab: Lab = await startLab();
  try {
    const hosts = lab.devices.map((d) => d.ip);
    const probes = loadProbes();
    const tcp = [...new Set([...probes.filter((p) => p.transport === 'tcp').flatMap((p) => p.ports)])].sort(
      (a, b) => a - b,
    );
    const udp = [...new Set(probes.filter((p) => p.transport === 'udp').flatMap((p) => p.ports))].sort(
      (a, b) => a - b,
    );
    const config = { ...emptyScanConfig(), scope: [lab.cidr] };
    const rows: string[] = [];
    const run = async (
      label: string,
      runs: number,
      once: () => Promise<{ ms: number; obs: Observation[] }>,
    ) => {
      const times: number[] = [];
      let found = 0;
      for (let i = 0; i < runs; i++) {
        const r = await once();
        times.push(r.ms);
        found = identified(r.obs, hosts);
        process.stderr.write(
          `${label}: run ${i + 1}/${runs}: ${(r.ms / 1000).toFixed(2)} s, ${found}/${hosts.length} devices with identity evidence\n`,
        );
      }
      rows.push(
        `| ${label} | ${runs} | ${(median(times) / 1000).toFixed(2)} | ${(Math.min(...times) / 1000).toFixed(2)}–${(Math.max(...times) / 1000).toFixed(2)} | ${found}/${hosts.length} |`,
      );
      return median(times);
    };
    const native = await run('originmap scan (native), the 8 device addresses', NATIVE_RUNS, async () => {
      const r = await discover({ targets: hosts, config });
      return { ms: r.stats.durationMs, obs: r.observations };
    });
    await run(`originmap scan (native), the whole ${lab.cidr}`, NATIVE_RUNS, async () => {
      const r = await discover({ targets: [lab.cidr], config });
      return { ms: r.stats.durationMs, obs: r.observations };
    });
    await run('originmap scan --nmap --safe (ICS scripts, no -sV)', NMAP_RUNS, async () => {
      const t0 = performance.now();
      const r = await discover({ targets: hosts, config: { ...config, nmap: true, safe: true } });
      return { ms: performance.now() - t0, obs: r.observations };
    });
    const sv = await run('nmap -sS -sU -sV --script (ICS scripts), same hosts and ports', NMAP_RUNS, () =>
      nmapSv(hosts, tcp, udp),
    );
    const section = [
      '## Active discovery (`npm run bench:scan`)',
      '',
      `Command: \`sudo npm run bench:scan\` (BENCH_NATIVE_RUNS=${NATIVE_RUNS}, BENCH_NMAP_RUNS=${NMAP_RUNS}). The lab of`,
      '`scripts/lab` (8 simulated devices in network namespaces on one bridge), one run of this script,',
      `load average ${load} at the start, ${new Date().toISOString().slice(0, 10)}. "Identified" counts devices with at`,
      'least one identity observation (banner, SZL, ListIdentity, nmap product name…), not only an open port.',
      'Native scans use the default limits (1000 packets/s, 40 per host); nmap runs with its own defaults. The',
      "native scan of the 8 addresses is the product's default (OT hosts get the safe profile).",
      '',
      '| scan | runs | median s | min–max s | identified |',
      '|---|---|---|---|---|',
      ...rows,
      '',
      `Native vs \`nmap -sV\` on the same hosts: ${(sv / native).toFixed(1)}× faster (median ${(native / 1000).toFixed(2)} s vs ${(sv / 1000).toFixed(2)} s).`,
      "Most of nmap's time is version detection waiting out probes the devices do not answer; the native",
      "probes send each protocol's own identity request once and stop when its length field says the reply is whole.",
      '',
    ].join('\n');
    const file = join(packageRoot(), 'docs', 'benchmarks.md');
    const doc = readFileSync(file, 'utf8');
    const start = doc.indexOf('## Active discovery');
    let next = start >= 0 ? doc.indexOf('\n## ', start + 3) : -1;
    if (next >= 0) next += 1;
    const updated =
      start < 0
        ? `${doc.trimEnd()}\n\n${section}`
        : `${doc.slice(0, start)}${section}${next >= 0 ? `\n${doc.slice(next)}` : ''}`;
    writeFileSync(file, updated);
    process.stdout.write(`${section}\nwrote ${file}\n`);
  } finally {
    await lab.stop();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:scan: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
