// The lab the active-discovery tests scan: a bridge with the scanner's address and one network
// namespace per simulated device, addresses from 198.18.0.0/15 (RFC 2544), names with a per-run
// prefix so parallel runs never collide. `startLab` builds it; `stop` removes everything it made.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { packageRoot } from '../../core/paths.js';
import { transpileEntry } from '../lib/transpile.js';
import type { LabDevice, ResponderConfig } from './device-types.js';
import { devices as defaultDevices } from './devices.js';
import { buildNetwork, type DeviceLink, removeNetwork, rootAddresses } from './netns.js';

export interface RunningDevice extends LabDevice {
  ip: string;
  ns: string;
}

export interface Lab {
  prefix: string;
  /** Third octet of the lab's 198.18.X.0/24. */
  subnet: number;
  /** Device process ids (for `lab down` after a detached `lab up`). */
  pids: number[];
  bridge: string;
  /** The lab's /24, e.g. "198.18.42.0/24". */
  cidr: string;
  scannerIp: string;
  devices: RunningDevice[];
  device(name: string): RunningDevice;
  stop(): Promise<void>;
}

export interface LabOptions {
  devices?: LabDevice[];
  /** Name prefix (2..6 lower-case letters/digits); random per run by default. */
  prefix?: string;
  /** Third octet of 198.18.X.0/24; a free one is claimed by default. */
  subnet?: number;
  /** Leave the devices running after this process exits (`lab up`); `stop` or `lab down` ends them. */
  detached?: boolean;
}

/** Why the lab cannot run here, or null when it can (root and iproute2 are needed). */
export function labUnavailable(): string | null {
  if (process.platform !== 'linux') return 'the lab needs Linux network namespaces';
  if (process.getuid?.() !== 0) return 'the lab needs root (ip netns, veth, bridge)';
  return null;
}

const CLAIMS = '/tmp/originmap-lab-subnets';

/** Claims a 198.18.X.0/24 no other run (or interface) uses: an O_EXCL file per subnet, owner pid inside. */
async function claimSubnet(wanted?: number): Promise<number> {
  mkdirSync(CLAIMS, { recursive: true });
  const used = (await rootAddresses())
    .filter((a) => a.startsWith('198.18.'))
    .map((a) => Number(a.split('.')[2]));
  const candidates = wanted !== undefined ? [wanted] : shuffled(Array.from({ length: 254 }, (_, i) => i + 1));
  for (const x of candidates) {
    if (used.includes(x)) continue;
    const file = join(CLAIMS, String(x));
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        const fd = openSync(file, 'wx');
        writeSync(fd, String(process.pid));
        closeSync(fd);
        return x;
      } catch {
        // Taken: reclaim only when its owner is gone.
        const owner = Number(readFileSafe(file));
        if (owner && alive(owner)) break;
        try {
          unlinkSync(file);
        } catch {}
      }
    }
  }
  throw new Error('no free 198.18.X.0/24 for the lab');
}

export function releaseSubnet(x: number, owner = process.pid): void {
  try {
    if (readFileSafe(join(CLAIMS, String(x))) === String(owner)) unlinkSync(join(CLAIMS, String(x)));
  } catch {}
}

/** Hands a claim to another owner (a detached lab's first device process). */
function transferSubnet(x: number, owner: number): void {
  writeFileSync(join(CLAIMS, String(x)), String(owner));
}

function readFileSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim();
  } catch {
    return '';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function shuffled<T>(items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = randomBytes(2).readUInt16BE() % (i + 1);
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** The device process entry: the compiled sibling under dist/, or a transpiled copy when run from source. */
function responderEntry(): string {
  const here = fileURLToPath(import.meta.url);
  if (here.endsWith('.js')) return join(here, '..', 'responder-main.js');
  return transpileEntry(join(packageRoot(), 'scripts/lab/responder-main.ts'), packageRoot());
}

function startResponder(
  ns: string,
  config: ResponderConfig,
  entry: string,
  detached: boolean,
): Promise<ChildProcess> {
  const arg = Buffer.from(JSON.stringify(config)).toString('base64');
  const child = spawn('ip', ['netns', 'exec', ns, process.execPath, entry, arg], {
    stdio: ['pipe', 'pipe', 'pipe'],
    detached,
    env: { ...process.env, ORIGINMAP_LAB_DETACHED: detached ? '1' : '' },
  });
  return new Promise((resolve, reject) => {
    let err = '';
    const timer = setTimeout(
      () => reject(new Error(`${config.name}: responder did not start in 15 s`)),
      15_000,
    );
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.stdout!.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) {
        clearTimeout(timer);
        if (detached) {
          child.removeAllListeners('exit');
          child.stdin!.destroy();
          child.stdout!.destroy();
          child.stderr!.destroy();
          child.unref();
        }
        resolve(child);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${config.name}: responder exited (${code}): ${err.trim()}`));
    });
  });
}

export async function startLab(options: LabOptions = {}): Promise<Lab> {
  const why = labUnavailable();
  if (why) throw new Error(why);
  const prefix = options.prefix ?? `om${randomBytes(2).toString('hex')}`;
  if (!/^[a-z0-9]{2,6}$/.test(prefix))
    throw new Error(`lab prefix '${prefix}' is not 2..6 letters or digits`);
  const list = options.devices ?? defaultDevices();
  const x = await claimSubnet(options.subnet);
  const net = `198.18.${x}`;
  const bridge = `${prefix}br`;
  const running: RunningDevice[] = list.map((d) => ({
    ...d,
    ip: `${net}.${d.host}`,
    ns: `${prefix}-${d.name}`.slice(0, 32),
  }));
  const links: DeviceLink[] = running.map((d, i) => ({
    ns: d.ns,
    hostIf: `${prefix}h${i}`,
    devIf: `${prefix}d${i}`,
    mac: d.mac,
    cidr: `${d.ip}/24`,
  }));
  const children: ChildProcess[] = [];
  const stop = async () => {
    for (const c of children) c.stdin?.end();
    await Promise.all(
      children.map(
        (c) =>
          new Promise<void>((resolve) => {
            if (c.exitCode !== null) return resolve();
            const t = setTimeout(() => {
              c.kill('SIGKILL');
              resolve();
            }, 2000);
            c.once('exit', () => {
              clearTimeout(t);
              resolve();
            });
          }),
      ),
    );
    await removeNetwork(
      bridge,
      running.map((d) => d.ns),
    );
    releaseSubnet(x);
  };
  try {
    await buildNetwork(bridge, `${net}.1/24`, links);
    const entry = responderEntry();
    const started = await Promise.allSettled(
      running.map((d) =>
        startResponder(
          d.ns,
          { name: d.name, ip: d.ip, services: d.services },
          entry,
          options.detached === true,
        ),
      ),
    );
    for (const s of started) if (s.status === 'fulfilled') children.push(s.value);
    const failed = started.find((s) => s.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
  } catch (err) {
    await stop();
    throw err;
  }
  if (options.detached && children[0]?.pid) transferSubnet(x, children[0].pid);
  return {
    prefix,
    subnet: x,
    pids: children.map((c) => c.pid!).filter(Boolean),
    bridge,
    cidr: `${net}.0/24`,
    scannerIp: `${net}.1`,
    devices: running,
    device(name) {
      const d = running.find((r) => r.name === name);
      if (!d) throw new Error(`no lab device '${name}'`);
      return d;
    },
    stop,
  };
}
