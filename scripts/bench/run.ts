// `npm run bench`: the passive engine against the peer tools on the same capture, in one run.
// Generates bench-data/mix-v<version>-1024m.pcap once (BENCH_MB to change its size), runs the tools in turn
// for RUNS rounds (default 5; tshark once, after them, unless BENCH_TSHARK_RUNS), and prints medians and
// ratios as Markdown.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { packageRoot } from '../../core/paths.js';
import { BENCH_MIX_VERSION, generateBenchCapture } from './generate-capture.js';
import { analyzedPackets, checkedRun, type TimedRun, timedRun } from './harness.js';
import { median, medianWall, targetLines } from './summary.js';

interface Tool {
  name: string;
  /** argv, with FILE replaced by the capture path. */
  argv: string[];
  /** Runs after the rounds instead of one per round (tshark: one run takes ~45 s). */
  afterRounds?: number;
  /** What the tool does with the packets, for the reader of the table. */
  does: string;
  /** Packets it reports on stdout (one number); every other tool's output goes to /dev/null. */
  countFromStdout?: boolean;
  /** Its output's closing line must report every packet of the file (analyze; checked once, untimed). */
  checkPackets?: boolean;
}

const root = packageRoot();
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const MB = Number(process.env.BENCH_MB ?? 1024);
const file = join(root, 'bench-data', `mix-v${BENCH_MIX_VERSION}-${MB}m.pcap`);
const node = process.execPath;
const dist = (p: string) => join(root, 'dist', p);

const TOOLS: Tool[] = [
  {
    name: 'originmap analyze',
    argv: [node, dist('agent/cli.js'), 'analyze', '--quiet', 'FILE'],
    does: 'L2–L7 decode, flows, devices, identification, inventory',
    checkPackets: true,
  },
  {
    name: 'p0f -r',
    argv: ['p0f', '-r', 'FILE'],
    does: 'TCP SYN/SYN+ACK fingerprints only (skips 802.1Q frames)',
  },
  {
    name: 'tcpdump -w /dev/null',
    argv: ['tcpdump', '-r', 'FILE', '-w', '/dev/null'],
    does: 'read and write records, no decoding',
  },
  {
    name: 'tshark -T fields',
    argv: [
      'tshark',
      '-r',
      'FILE',
      '-T',
      'fields',
      '-e',
      'eth.src',
      '-e',
      'ip.src',
      '-e',
      'ip.dst',
      '-e',
      'tcp.dstport',
      '-e',
      'udp.dstport',
      '-e',
      'tls.handshake.extensions_server_name',
      '-e',
      'http.server',
    ],
    afterRounds: Number(process.env.BENCH_TSHARK_RUNS ?? 1),
    does: 'full dissection, a few fields printed',
  },
  {
    name: 'originmap reader (count)',
    argv: [node, dist('scripts/bench/count-packets.js'), 'originmap', 'FILE'],
    does: 'framing only',
    countFromStdout: true,
  },
  {
    name: 'pcap-parser (count)',
    argv: [node, dist('scripts/bench/count-packets.js'), 'pcap-parser', 'FILE'],
    does: 'framing only',
    countFromStdout: true,
  },
];

// The issue's target is "on one core". Unpinned, analyze also uses the second core for V8's
// background compiler and GC (and, with three CPUs or more, its read-ahead thread); the pinned rows put
// the process and all its threads on one CPU, and p0f as well (BENCH_ONE_CORE=0 to leave them out;
// needs taskset, from util-linux).
const ONE_CORE = process.env.BENCH_ONE_CORE !== '0' && spawnSync('taskset', ['-c', '0', 'true']).status === 0;
const pinned = (tool: Tool): Tool => ({
  ...tool,
  name: `${tool.name}, one core`,
  argv: ['taskset', '-c', '0', ...tool.argv],
  does: `${tool.does}; pinned to one CPU (taskset -c 0)`,
});
if (ONE_CORE) TOOLS.push(pinned(TOOLS[0]!), pinned(TOOLS[1]!));

/** The tool's argv for the bench file. */
const argvOf = (tool: Tool) => tool.argv.map((a) => (a === 'FILE' ? file : a));

/**
 * Each tool once, untimed, before the rounds. analyze must exit 0 and report every packet of the file
 * (its timed runs print to /dev/null, so a build that stopped early would otherwise be timed as a fast
 * one): if not, the bench stops. A peer that fails here (not installed, no fingerprint file) is left
 * out of the rounds and its row says why. Peers' stderr goes to the log: p0f warns "Unknown packet
 * type 0" once because it reads 802.1Q frames at the untagged offset and drops them.
 */
function checkTools(packets: number): Map<Tool, string> {
  const failed = new Map<Tool, string>();
  for (const tool of TOOLS) {
    if (tool.afterRounds !== undefined) continue;
    const r = checkedRun(argvOf(tool));
    for (const line of r.stderr.slice(0, 3)) process.stderr.write(`  ${tool.name}: ${line}\n`);
    const seen = tool.checkPackets && r.ok ? analyzedPackets(r.stdout) : packets;
    const problem = r.ok ? (seen === packets ? '' : `read ${seen ?? 'no'} packets of ${packets}`) : r.note;
    if (!problem) continue;
    if (tool.checkPackets) throw new Error(`${tool.name}: ${problem}`);
    failed.set(tool, problem);
  }
  return failed;
}

function main(): void {
  if (!existsSync(file)) {
    mkdirSync(join(root, 'bench-data'), { recursive: true });
    process.stderr.write(`generating ${file} (${MB} MiB)…\n`);
    generateBenchCapture(file, MB * 1024 * 1024);
  }
  const bytes = statSync(file).size;
  const counted = spawnSync(node, [dist('scripts/bench/count-packets.js'), 'originmap', file], {
    encoding: 'utf8',
  });
  const packets = Number(counted.stdout.trim());
  if (counted.status !== 0 || !(packets > 0)) throw new Error(`counting ${file} failed: ${counted.stderr}`);
  process.stderr.write(`${file}: ${packets} packets, ${(bytes / 1e6).toFixed(0)} MB\n`);
  const unusable = checkTools(packets);
  // Tools take turns, round by round (tshark's runs after the rounds: one takes ~45 s), so that a
  // change in the machine's speed during the bench weighs on every tool alike.
  const results = new Map<Tool, TimedRun[]>(TOOLS.map((t) => [t, []]));
  const run = (tool: Tool, label: string) => {
    if (unusable.has(tool)) return;
    process.stderr.write(`  ${label}: ${tool.name}…\n`);
    results.get(tool)!.push(timedRun(argvOf(tool), { readStdout: tool.countFromStdout === true }));
  };
  for (let round = 0; round < RUNS; round++) {
    for (const tool of TOOLS) if (tool.afterRounds === undefined) run(tool, `round ${round + 1}/${RUNS}`);
  }
  for (const tool of TOOLS) {
    const runs = tool.afterRounds ?? 0;
    for (let i = 0; i < runs; i++) run(tool, `run ${i + 1}/${runs}`);
  }
  const ours = medianWall(results.get(TOOLS[0]!)!);
  const rows: string[] = [];
  for (const tool of TOOLS) {
    const all = results.get(tool)!;
    const good = all.filter((r) => r.ok);
    if (good.length === 0) {
      rows.push(`| ${tool.name} | — | — | — | — | — | failed: ${unusable.get(tool) ?? all[0]?.note ?? ''} |`);
      continue;
    }
    const wall = median(good.map((r) => r.wall));
    const rss = Math.max(...good.map((r) => r.rssKb));
    const notes: string[] = [];
    const seen = tool.countFromStdout ? Number(good[0]!.stdout.trim()) : packets;
    if (seen !== packets) notes.push(`saw ${seen} packets`);
    // The header says "medians of RUNS rounds": a row of fewer runs (tshark, failures) says so.
    if (good.length !== RUNS)
      notes.push(`${good.length === 1 ? 'one run' : `median of ${good.length} runs`}`);
    if (good.length !== all.length)
      notes.push(`${all.length - good.length} failed: ${all.find((r) => !r.ok)!.note}`);
    rows.push(
      `| ${tool.name} | ${wall.toFixed(2)} s | ${(packets / wall / 1e6).toFixed(2)} M/s | ${(bytes / wall / 1e6).toFixed(0)} MB/s | ${(rss / 1024).toFixed(0)} MB | ${(wall / ours).toFixed(2)}× | ${[tool.does, ...notes].join('; ')} |`,
    );
  }
  const oneCore = (tool: Tool) => TOOLS.find((t) => t.name === `${tool.name}, one core`);
  const analyzeOneCore = oneCore(TOOLS[0]!);
  const p0fOneCore = oneCore(TOOLS[1]!);
  const out = [
    `Capture: ${packets} packets, ${(bytes / 1e6).toFixed(0)} MB (average frame ${Math.round(bytes / packets - 16)} B), generated by scripts/bench/generate-capture.ts.`,
    `Machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')} at the end; medians of ${RUNS} rounds; peak RSS is the highest of a row's runs.`,
    '',
    '| tool | wall | packets/s | MB/s | peak RSS | time vs originmap | what it does |',
    '|---|---|---|---|---|---|---|',
    ...rows,
    '',
    // The passive engine issue's targets, measured in this run.
    ...targetLines({
      packets,
      analyze: results.get(TOOLS[0]!)!,
      p0f: results.get(TOOLS[1]!)!,
      analyzeOneCore: analyzeOneCore && results.get(analyzeOneCore),
      p0fOneCore: p0fOneCore && results.get(p0fOneCore),
    }),
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

main();
