// A small plant network for fault tests, built with `ip` and torn down afterwards: device namespaces
// and a gateway namespace on a bridge in the root namespace (no address there, so nothing in the
// root namespace routes to it), IPv6 off, addresses from 198.18.0.0/15. The gateway answers for two
// "remote" addresses (TEST-NET-3 and TEST-NET-2) with a UDP echo and a tiny HTTP server, so traffic
// never leaves the namespaces. The agent captures on the gateway's port of the bridge, as on a
// mirror of the uplink. Names carry a random id: other tests may build networks at the same time.
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const DISABLE_IPV6 =
  'echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6; echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6';

export const REMOTE_UDP = '203.0.113.10';
export const REMOTE_HTTP = '198.51.100.20';
export const UDP_BASE_PORT = 7000;

export function canBuildNetworks(): string | null {
  if (process.getuid?.() !== 0) return 'needs root (network namespaces)';
  if (process.platform !== 'linux') return 'needs Linux network namespaces';
  return null;
}

async function ip(args: string[], input?: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const child = execFile('ip', args, { timeout: 20_000 }, (err, _o, stderr) =>
      err ? reject(new Error(`ip ${args.join(' ')}: ${stderr.trim() || err.message}`)) : resolve(),
    );
    if (input !== undefined) child.stdin?.end(input);
  });
}

export interface PlantNet {
  id: string;
  /** The gateway's port on the bridge (root namespace): where the agent captures. */
  captureIf: string;
  devices: { ns: string; ip: string; mac: string }[];
  gatewayNs: string;
  /** Runs `node -e code` in a namespace; resolves with its stdout. */
  node(ns: string, code: string, args?: string[]): Promise<string>;
  destroy(): Promise<void>;
}

const SERVER_CODE = `
const dgram = require('node:dgram'); const net = require('node:net');
const [n] = process.argv.slice(1).map(Number);
for (let i = 0; i < n; i++) {
  const s = dgram.createSocket('udp4');
  s.on('message', (m, r) => s.send(m, r.port, r.address));
  s.bind(${UDP_BASE_PORT} + i, '${REMOTE_UDP}');
}
net.createServer((c) => { c.once('data', () => c.end('HTTP/1.1 200 OK\\r\\nServer: plant-gw/1.0\\r\\nContent-Length: 2\\r\\n\\r\\nok')); c.on('error', () => {}); })
  .listen(80, '${REMOTE_HTTP}', () => process.stdout.write('ready\\n'));
`;

/** Builds the network with `devices` device namespaces and starts the gateway's servers. */
export async function buildPlant(devices: number): Promise<PlantNet> {
  const id = randomBytes(3).toString('hex');
  const subnet = 1 + (randomBytes(1)[0]! % 250); // 198.18.<subnet>.0/24, private to this network
  const bridge = `omb${id}`;
  const gw = {
    ns: `om${id}gw`,
    host: `om${id}g0`,
    peer: `om${id}g1`,
    ip: `198.18.${subnet}.1`,
    mac: '00:1a:a0:ff:00:01',
  };
  const devs = Array.from({ length: devices }, (_, i) => ({
    ns: `om${id}d${i}`,
    host: `om${id}v${i}`,
    peer: `om${id}p${i}`,
    ip: `198.18.${subnet}.${10 + i}`,
    // Siemens OUI: the inventory has a registrant to show.
    mac: `00:1b:1b:${id.slice(0, 2)}:${id.slice(2, 4)}:${(16 + i).toString(16).padStart(2, '0')}`,
  }));
  const all = [gw, ...devs];
  const servers: ChildProcess[] = [];
  const plant: PlantNet = {
    id,
    captureIf: gw.host,
    devices: devs.map((d) => ({ ns: d.ns, ip: d.ip, mac: d.mac })),
    gatewayNs: gw.ns,
    node: async (ns, code, args = []) =>
      (
        await run('ip', ['netns', 'exec', ns, process.execPath, '-e', code, '--', ...args], {
          timeout: 60_000,
        })
      ).stdout,
    destroy: async () => {
      for (const s of servers) s.kill('SIGKILL');
      await Promise.all(all.map((l) => ip(['netns', 'del', l.ns]).catch(() => undefined)));
      await ip(['link', 'del', bridge]).catch(() => undefined);
    },
  };
  try {
    // Snooping off: a snooping bridge joins 224.0.0.106 (RFC 4286) and announces it in IGMP reports.
    await ip(['link', 'add', bridge, 'type', 'bridge', 'mcast_snooping', '0']);
    const root = [
      ...all.map((l) => `link add ${l.host} type veth peer name ${l.peer}`),
      ...all.map((l) => `netns add ${l.ns}`),
      ...all.map((l) => `link set ${l.peer} netns ${l.ns}`),
    ];
    await ip(['-batch', '-'], `${root.join('\n')}\n`);
    // No IPv6 on the root side: no router solicitations or DAD from our ports in the capture.
    for (const name of [bridge, ...all.map((l) => l.host)])
      await writeFile(`/proc/sys/net/ipv6/conf/${name}/disable_ipv6`, '1').catch(() => undefined);
    await ip(
      ['-batch', '-'],
      // No multicast on the root side: an address-less port still sends IGMP reports from 0.0.0.0.
      `${all.map((l) => `link set ${l.host} multicast off master ${bridge} up`).join('\n')}\nlink set ${bridge} multicast off up\n`,
    );
    await Promise.all(
      all.map(async (l) => {
        // /proc rather than sysctl(8): procps is not on every minimal machine.
        await run('ip', ['netns', 'exec', l.ns, 'sh', '-c', DISABLE_IPV6]);
        const steps = [
          `link set ${l.peer} name eth0`,
          `link set eth0 address ${l.mac}`,
          `addr add ${l.ip}/24 dev eth0`,
          'link set eth0 up',
          'link set lo up',
        ];
        if (l !== gw) steps.push(`route add default via ${gw.ip}`);
        else steps.push(`addr add ${REMOTE_UDP}/32 dev lo`, `addr add ${REMOTE_HTTP}/32 dev lo`);
        await ip(['-n', l.ns, '-batch', '-'], `${steps.join('\n')}\n`);
      }),
    );
    const server = spawn(
      'ip',
      ['netns', 'exec', gw.ns, process.execPath, '-e', SERVER_CODE, '--', String(devices)],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    servers.push(server);
    await new Promise<void>((resolve, reject) => {
      server.stdout!.once('data', () => resolve());
      server.once('exit', (code) => reject(new Error(`gateway servers exited (${code})`)));
    });
  } catch (err) {
    await plant.destroy();
    throw err;
  }
  return plant;
}

/**
 * Traffic from one device: `datagrams` UDP echoes of `size` bytes to the remote (each waits for its
 * reply) and one HTTP request. Deterministic counts; every packet crosses the capture port.
 */
export const DEVICE_TRAFFIC = `
const dgram = require('node:dgram'); const net = require('node:net');
const [index, datagrams, size, http, portBase] = process.argv.slice(1).map(Number);
(async () => {
  const s = dgram.createSocket('udp4');
  await new Promise((r) => s.bind(portBase + index, r));
  for (let i = 0; i < datagrams; i++) {
    await new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('no echo')), 5000);
      s.once('message', () => { clearTimeout(t); resolve(); });
      s.send(Buffer.alloc(size, i), ${UDP_BASE_PORT} + index, '${REMOTE_UDP}');
    });
  }
  s.close();
  if (http) await new Promise((resolve, reject) => {
    const c = net.connect(80, '${REMOTE_HTTP}', () => c.write('GET / HTTP/1.1\\r\\nHost: updates.plant.example\\r\\nUser-Agent: plc-updater/2.1\\r\\n\\r\\n'));
    c.on('data', () => {}); c.on('end', () => { c.end(); resolve(); }); c.on('error', reject);
  });
  process.stdout.write('done\\n');
})().catch((e) => { process.stderr.write(String(e)); process.exit(1); });
`;

/** Runs DEVICE_TRAFFIC on every device at once (UDP from port portBase + device index). */
export async function deviceTraffic(
  plant: PlantNet,
  datagrams: number,
  size = 200,
  http = true,
  portBase = 40000,
): Promise<void> {
  await Promise.all(
    plant.devices.map((d, i) =>
      plant.node(d.ns, DEVICE_TRAFFIC, [
        String(i),
        String(datagrams),
        String(size),
        http ? '1' : '0',
        String(portBase),
      ]),
    ),
  );
}
