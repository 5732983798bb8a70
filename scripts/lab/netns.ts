// The lab's network: one bridge in the root namespace (the scanner's side, with the scanner's
// address) and one namespace per device, joined by veth pairs. Only `ip` from iproute2 is used.
import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

export async function ip(args: string[], input?: string): Promise<string> {
  if (input === undefined) return (await run('ip', args, { timeout: 20_000 })).stdout;
  return new Promise((resolve, reject) => {
    const child = execFile('ip', args, { timeout: 20_000 }, (err, stdout, stderr) =>
      err ? reject(new Error(`ip ${args.join(' ')}: ${stderr.trim() || err.message}`)) : resolve(stdout),
    );
    child.stdin?.end(input);
  });
}

export interface DeviceLink {
  ns: string;
  hostIf: string;
  devIf: string;
  mac: string;
  cidr: string;
}

/** Creates the bridge with the scanner's address and each device namespace; throws with ip's message. */
export async function buildNetwork(bridge: string, scannerCidr: string, links: DeviceLink[]): Promise<void> {
  await ip(['link', 'add', bridge, 'type', 'bridge']);
  // IPv6 off on the lab's links: no router solicitations or DAD noise in the captures.
  await writeFile(`/proc/sys/net/ipv6/conf/${bridge}/disable_ipv6`, '1').catch(() => undefined);
  const root = [
    ...links.map((l) => `link add ${l.hostIf} type veth peer name ${l.devIf}`),
    ...links.map((l) => `netns add ${l.ns}`),
    ...links.map((l) => `link set ${l.devIf} netns ${l.ns}`),
    ...links.map((l) => `link set ${l.hostIf} master ${bridge} up`),
    `addr add ${scannerCidr} dev ${bridge}`,
    `link set ${bridge} up`,
  ];
  await ip(['-batch', '-'], `${root.join('\n')}\n`);
  await Promise.all(
    links.map(async (l) => {
      await ip([
        'netns',
        'exec',
        l.ns,
        'sh',
        '-c',
        'echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6; echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6',
      ]);
      const steps = [
        `link set ${l.devIf} name eth0`,
        `link set eth0 address ${l.mac}`,
        `addr add ${l.cidr} dev eth0`,
        'link set eth0 up',
        'link set lo up',
      ];
      await ip(['-n', l.ns, '-batch', '-'], `${steps.join('\n')}\n`);
    }),
  );
}

/** Removes namespaces (which removes their veth ends) and the bridge; never throws. */
export async function removeNetwork(bridge: string, namespaces: string[]): Promise<void> {
  await Promise.all(namespaces.map((ns) => ip(['netns', 'del', ns]).catch(() => undefined)));
  await ip(['link', 'del', bridge]).catch(() => undefined);
}

/** Addresses of the root namespace, one "a.b.c.d/len" per entry. */
export async function rootAddresses(): Promise<string[]> {
  const text = await ip(['-o', '-4', 'addr', 'show']);
  return [...text.matchAll(/inet (\d+\.\d+\.\d+\.\d+\/\d+)/g)].map((m) => m[1]!);
}

/** Namespaces and links left by earlier lab runs with this prefix. */
export async function leftovers(prefix: string): Promise<{ namespaces: string[]; links: string[] }> {
  const ns = (await ip(['netns', 'list']).catch(() => ''))
    .split('\n')
    .map((l) => l.split(' ')[0]!)
    .filter((n) => n.startsWith(`${prefix}-`));
  const links = [...(await ip(['-o', 'link', 'show'])).matchAll(/^\d+: ([^:@]+)/gm)]
    .map((m) => m[1]!)
    .filter((n) => n.startsWith(prefix));
  return { namespaces: ns, links };
}
