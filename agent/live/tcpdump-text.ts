// What tcpdump says on stderr, read as data: its statistics (printed on SIGUSR1 as one line and at
// exit as three or four), and the failures worth one clear line of our own (no permission, no such
// interface, a bad filter). Also its argument list and an offline check of a BPF filter.
// Wording from tcpdump 4.99 / libpcap 1.10 (Debian 12); older versions say the same things.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Cumulative counters of one tcpdump process (since it started). */
export interface TcpdumpStats {
  captured: number;
  received: number;
  /** Dropped by the kernel: the capture buffer was full, the packet is lost to us. */
  dropped: number;
  /**
   * The interface's own receive drops (/proc/net/dev rx_dropped, e.g. frames of a protocol the
   * host has disabled): reported by tcpdump, but not packets the capture lost.
   */
  interfaceDropped: number;
}

export type TcpdumpFailure =
  | { kind: 'permission'; message: string }
  | { kind: 'no-device'; message: string }
  | { kind: 'filter'; message: string }
  | { kind: 'other'; message: string };

const COUNT = /(\d+) packets? (captured|received by filter|dropped by kernel|dropped by interface)/g;
const HAS_COUNT = /\d+ packets? (captured|received by filter|dropped by)/;

/**
 * Reads statistics from a stderr line (or the several lines printed at exit); returns the fields
 * found, or null. Counters missing from the text are absent from the result.
 */
export function parseStats(text: string): Partial<TcpdumpStats> | null {
  const out: Partial<TcpdumpStats> = {};
  let any = false;
  for (const m of text.matchAll(COUNT)) {
    const n = Number(m[1]);
    if (!Number.isSafeInteger(n)) continue;
    any = true;
    if (m[2] === 'captured') out.captured = n;
    else if (m[2] === 'received by filter') out.received = n;
    else if (m[2] === 'dropped by kernel') out.dropped = n;
    else out.interfaceDropped = n;
  }
  return any ? out : null;
}

/** Classifies what tcpdump printed before it died (null: nothing recognisable). */
export function classifyFailure(stderr: string): TcpdumpFailure | null {
  const line =
    stderr
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l.startsWith('tcpdump:') && !l.includes('listening on') && !HAS_COUNT.test(l)) ?? '';
  const text = stderr.toLowerCase();
  const message = line.replace(/^tcpdump:\s*/, '').slice(0, 300);
  if (
    text.includes("don't have permission") ||
    text.includes('operation not permitted') ||
    text.includes('permission denied')
  )
    return { kind: 'permission', message };
  if (text.includes('no such device') || text.includes('no suitable device'))
    return { kind: 'no-device', message };
  if (
    text.includes('filter expression') ||
    text.includes('syntax error') ||
    text.includes('unknown port') ||
    text.includes('unknown host')
  )
    return { kind: 'filter', message };
  return message ? { kind: 'other', message } : null;
}

/** The one line a person needs when capture is not permitted. */
export function permissionLine(iface: string, tcpdump: string): string {
  return `no permission to capture on ${iface}: run the agent as root, or give tcpdump CAP_NET_RAW and CAP_NET_ADMIN (setcap cap_net_raw,cap_net_admin=eip $(command -v ${tcpdump}))`;
}

export interface TcpdumpArgs {
  iface: string;
  snapLength: number;
  filter: string;
  immediate: boolean;
  /** Kernel capture buffer, MiB (tcpdump -B takes KiB). */
  bufferMegabytes: number;
}

/**
 * tcpdump -i IF -n -U -w - -s SNAPLEN -B KIB [--immediate-mode] [FILTER]: pcap on stdout, flushed per
 * packet (-U), no name lookups (-n: never a DNS query of ours on a plant network). The buffer matters
 * with --immediate-mode: each packet then retires a ring block, and on a loaded 2-core box the
 * default 2 MiB ring dropped packets (measured: 2 of ~300 in the fault tests) where 32 MiB did not.
 */
export function tcpdumpArgs(a: TcpdumpArgs): string[] {
  const args = [
    '-i',
    a.iface,
    '-n',
    '-U',
    '-w',
    '-',
    '-s',
    String(a.snapLength),
    '-B',
    String(a.bufferMegabytes * 1024),
  ];
  if (a.immediate) args.push('--immediate-mode');
  // "--" ends the options: a filter can never be read as one.
  if (a.filter.trim()) args.push('--', a.filter);
  return args;
}

// An empty classic pcap, Ethernet: lets tcpdump compile a filter without opening an interface.
const EMPTY_PCAP = Buffer.from('d4c3b2a1020004000000000000000000ffff000001000000', 'hex');

/** Compiles a filter with `tcpdump -d` against an empty file (no privileges needed); the problem, or null. */
export function checkFilter(tcpdump: string, filter: string, timeoutMs = 10_000): Promise<string | null> {
  if (!filter.trim()) return Promise.resolve(null);
  const dir = mkdtempSync(join(tmpdir(), 'om-bpf-'));
  const file = join(dir, 'empty.pcap');
  writeFileSync(file, EMPTY_PCAP);
  return new Promise((resolve) => {
    execFile(
      tcpdump,
      ['-d', '-r', file, '--', filter],
      { timeout: timeoutMs, maxBuffer: 1 << 20 },
      (err, _out, stderr) => {
        rmSync(dir, { recursive: true, force: true });
        if (!err) return resolve(null);
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return resolve(`${tcpdump} is not installed`);
        const line = stderr
          .split('\n')
          .map((l) => l.trim())
          .find((l) => l.startsWith('tcpdump:'));
        resolve(
          line
            ? line.replace(/^tcpdump:\s*/, '')
            : `tcpdump refused the filter (${err.message.split('\n')[0]})`,
        );
      },
    );
  });
}
