// The kernel's neighbour table: the ARP sweep's answers. Node has no raw sockets, so originmap lets
// the kernel resolve each on-link target (it sends the who-has before the first packet) and reads
// the result here: /proc/net/arp for IPv4 (no privilege needed), `ip -6 neigh` for IPv6.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';

export interface Neighbour {
  ip: string;
  /** Lower-case colon MAC, or null while resolution is incomplete or failed. */
  mac: string | null;
  device: string;
}

/** ATF_COM in include/uapi/linux/if_arp.h: the entry is resolved. */
const ATF_COM = 0x02;

/** Parses /proc/net/arp text (header line, then "ip hwtype flags mac mask device"). */
export function parseProcArp(text: string): Neighbour[] {
  const out: Neighbour[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    if (f.length < 6) continue;
    const flags = Number.parseInt(f[2]!, 16);
    const mac = f[3]!.toLowerCase();
    const resolved =
      (flags & ATF_COM) !== 0 && /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(mac) && mac !== '00:00:00:00:00:00';
    out.push({ ip: f[0]!, mac: resolved ? mac : null, device: f[5]! });
  }
  return out;
}

/** Parses `ip -6 neigh show` lines ("addr dev X lladdr M STATE"); FAILED/INCOMPLETE have no MAC. */
export function parseIpNeigh(text: string): Neighbour[] {
  const out: Neighbour[] = [];
  for (const line of text.split('\n')) {
    const m = /^(\S+) dev (\S+)(?: lladdr ([0-9a-f:]{17}))?(?: router)? (\S+)\s*$/i.exec(line.trim());
    if (!m) continue;
    const state = m[4]!.toUpperCase();
    const mac = m[3] && state !== 'FAILED' && state !== 'INCOMPLETE' ? m[3].toLowerCase() : null;
    out.push({ ip: m[1]!, mac, device: m[2]! });
  }
  return out;
}

export class NeighbourTable {
  #v4 = new Map<string, Neighbour>();
  #v6 = new Map<string, Neighbour>();
  readonly #procPath: string;

  constructor(procPath = '/proc/net/arp') {
    this.#procPath = procPath;
  }

  /** Re-reads the tables (cheap: one small file, and one `ip` call only when IPv6 is asked for). */
  async refresh(v6 = false): Promise<void> {
    try {
      this.#v4 = new Map(parseProcArp(await readFile(this.#procPath, 'utf8')).map((n) => [n.ip, n]));
    } catch {
      this.#v4 = new Map(); // No /proc (not Linux): MACs stay unknown, which the report says.
    }
    if (v6) {
      const text = await new Promise<string>((resolve) => {
        execFile('ip', ['-6', 'neigh', 'show'], { timeout: 5000 }, (err, stdout) =>
          resolve(err ? '' : stdout),
        );
      });
      this.#v6 = new Map(parseIpNeigh(text).map((n) => [n.ip, n]));
    }
  }

  /** The entry for an address: undefined when the kernel has none (not on-link, or never tried). */
  get(ip: string): Neighbour | undefined {
    return ip.includes(':') ? this.#v6.get(ip) : this.#v4.get(ip);
  }
}
