// `scripts/lab/lab up|down|status`: the test lab for people. `up` builds the namespaces and leaves
// the devices running; its state goes to /run/originmap-lab/<prefix>.json so `down` can remove it.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { labUnavailable, releaseSubnet, startLab } from './lab.js';
import { leftovers, removeNetwork } from './netns.js';

const STATE_DIR = '/run/originmap-lab';

interface State {
  prefix: string;
  subnet: number;
  bridge: string;
  cidr: string;
  scannerIp: string;
  pids: number[];
  devices: { name: string; ip: string; mac: string; ns: string }[];
}

function usage(): string {
  return [
    'usage: scripts/lab/lab up [--prefix omlab] [--subnet N]   build the lab (198.18.N.0/24) and start its devices',
    '       scripts/lab/lab down [--prefix omlab]              stop the devices and remove the lab',
    '       scripts/lab/lab status [--prefix omlab]            show the running lab',
    '',
  ].join('\n');
}

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      prefix: { type: 'string', default: 'omlab' },
      subnet: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    allowPositionals: true,
  });
  const command = positionals[0];
  if (values.help || !command || !['up', 'down', 'status'].includes(command)) {
    process.stdout.write(usage());
    return values.help ? 0 : 2;
  }
  const why = labUnavailable();
  if (why) {
    process.stderr.write(`lab: ${why}\n`);
    return 1;
  }
  const prefix = values.prefix!;
  const file = join(STATE_DIR, `${prefix}.json`);
  const read = (): State | null => {
    try {
      return JSON.parse(readFileSync(file, 'utf8')) as State;
    } catch {
      return null;
    }
  };
  if (command === 'up') {
    if (read()) {
      process.stderr.write(
        `lab: '${prefix}' is already up (scripts/lab/lab down --prefix ${prefix} first)\n`,
      );
      return 1;
    }
    const subnet = values.subnet === undefined ? undefined : Number(values.subnet);
    const lab = await startLab({ prefix, detached: true, ...(subnet === undefined ? {} : { subnet }) });
    const state: State = {
      prefix,
      subnet: lab.subnet,
      bridge: lab.bridge,
      cidr: lab.cidr,
      scannerIp: lab.scannerIp,
      pids: lab.pids,
      devices: lab.devices.map((d) => ({ name: d.name, ip: d.ip, mac: d.mac, ns: d.ns })),
    };
    mkdirSync(STATE_DIR, { recursive: true });
    writeFileSync(file, `${JSON.stringify(state, null, 2)}\n`);
    print(state);
    process.stdout.write(`\nscan it: originmap scan ${lab.cidr} --scope ${lab.cidr}\n`);
    return 0;
  }
  if (command === 'status') {
    const state = read();
    if (!state) {
      process.stdout.write(`lab '${prefix}' is not up\n`);
      return 1;
    }
    print(state);
    return 0;
  }
  const state = read();
  for (const pid of state?.pids ?? []) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {}
  }
  const left = await leftovers(prefix);
  await removeNetwork(`${prefix}br`, [
    ...new Set([...(state?.devices.map((d) => d.ns) ?? []), ...left.namespaces]),
  ]);
  if (state) releaseSubnet(state.subnet, state.pids[0]);
  rmSync(file, { force: true });
  process.stdout.write(`lab '${prefix}' is down\n`);
  return 0;
}

function print(s: State): void {
  process.stdout.write(`lab ${s.prefix}: ${s.cidr} on bridge ${s.bridge}, scanner ${s.scannerIp}\n`);
  for (const d of s.devices)
    process.stdout.write(`  ${d.name.padEnd(14)} ${d.ip.padEnd(16)} ${d.mac}  netns ${d.ns}\n`);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`lab: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
