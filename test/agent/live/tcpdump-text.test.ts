// tcpdump's stderr as data (tcpdump 4.99 / libpcap 1.10 wording), its argument list, and the
// offline filter check against the installed tcpdump.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  checkFilter,
  classifyFailure,
  parseStats,
  permissionLine,
  tcpdumpArgs,
} from '../../../agent/live/tcpdump-text.js';

const hasTcpdump = (() => {
  try {
    execFileSync('tcpdump', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('tcpdump statistics', () => {
  it('reads the SIGUSR1 line and the lines printed at exit', () => {
    expect(
      parseStats(
        'tcpdump: 178 packets captured, 360 packets received by filter, 0 packets dropped by kernel',
      ),
    ).toEqual({ captured: 178, received: 360, dropped: 0 });
    expect(
      parseStats(
        '350 packets captured\n710 packets received by filter\n3 packets dropped by kernel\n12 packets dropped by interface\n',
      ),
    ).toEqual({ captured: 350, received: 710, dropped: 3, interfaceDropped: 12 });
    expect(parseStats('1 packet captured')).toEqual({ captured: 1 });
    expect(
      parseStats('tcpdump: listening on eth0, link-type EN10MB (Ethernet), snapshot length 65535 bytes'),
    ).toBeNull();
  });
});

describe('tcpdump failures', () => {
  it('names the ones a person must act on', () => {
    expect(
      classifyFailure(
        "tcpdump: eth1: You don't have permission to perform this capture on that device\n(socket: Operation not permitted)\n",
      ),
    ).toEqual({
      kind: 'permission',
      message: "eth1: You don't have permission to perform this capture on that device",
    });
    expect(classifyFailure('tcpdump: nosuch0: No such device exists\n(No such device exists)\n')?.kind).toBe(
      'no-device',
    );
    expect(classifyFailure("tcpdump: can't parse filter expression: syntax error\n")?.kind).toBe('filter');
    expect(classifyFailure("tcpdump: unknown port 'fooo'\n")?.kind).toBe('filter');
    expect(classifyFailure('tcpdump: something odd\n')).toEqual({ kind: 'other', message: 'something odd' });
    expect(classifyFailure('')).toBeNull();
    expect(permissionLine('eth1', 'tcpdump')).toMatch(/root.*CAP_NET_RAW/);
  });
});

describe('tcpdump arguments', () => {
  it('pcap to stdout, packet-buffered, no lookups; the filter after "--", as one argument', () => {
    expect(
      tcpdumpArgs({
        iface: 'eth1',
        snapLength: 2048,
        filter: 'not port 22',
        immediate: true,
        bufferMegabytes: 32,
      }),
    ).toEqual([
      '-i',
      'eth1',
      '-n',
      '-U',
      '-w',
      '-',
      '-s',
      '2048',
      '-B',
      '32768',
      '--immediate-mode',
      '--',
      'not port 22',
    ]);
    expect(
      tcpdumpArgs({ iface: 'eth1', snapLength: 65535, filter: ' ', immediate: false, bufferMegabytes: 1 }),
    ).toEqual(['-i', 'eth1', '-n', '-U', '-w', '-', '-s', '65535', '-B', '1024']);
  });

  it.skipIf(!hasTcpdump)('checks a filter offline with the installed tcpdump', async () => {
    expect(await checkFilter('tcpdump', 'tcp port 502 or udp port 47808')).toBeNull();
    expect(await checkFilter('tcpdump', 'tcp prt 80')).toMatch(/syntax error/);
    expect(await checkFilter('tcpdump', '-w /tmp/x')).toMatch(/syntax error|parse/);
    expect(await checkFilter('/nonexistent/tcpdump', 'tcp')).toMatch(/not installed/);
  });
});
