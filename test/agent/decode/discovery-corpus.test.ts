// The discovery decoders on the shared third-party corpus (../shared/corpus) through analyze, with
// tshark as the oracle: what we read must be what Wireshark's dissectors read. Nothing from the
// captures is kept here; the test skips when the corpus (or tshark, for the comparisons) is absent.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeCaptures } from '../../../agent/analyze.js';
import { serviceParts } from '../../../agent/decode/mdns.js';
import type { AnalyzeReport } from '../../../core/inventory.js';
import { cleanText } from '../../../core/observation.js';
import type { ObservationKey } from '../../../core/observation-keys.js';
import { CORPUS, HAVE_CORPUS as hasCorpus } from '../../helpers/corpus.js';

const hasTshark = hasCorpus && spawnSync('tshark', ['-v'], { stdio: 'ignore' }).status === 0;

function classicPcaps(): string[] {
  return readdirSync(CORPUS).filter((f) => {
    const magic = readFileSync(join(CORPUS, f)).subarray(0, 4).toString('hex');
    return ['d4c3b2a1', 'a1b2c3d4', '4d3cb2a1', 'a1b23c4d'].includes(magic) && isEthernet(f);
  });
}

function isEthernet(file: string): boolean {
  const head = readFileSync(join(CORPUS, file)).subarray(0, 24);
  const le = head[0] === 0xd4 || head[0] === 0x4d;
  return (le ? head.readUInt32LE(20) : head.readUInt32BE(20)) === 1;
}

const reports = new Map<string, AnalyzeReport>();
/** The capture through `analyze` (no identification or geo: only what the decoders read). */
function run(file: string): AnalyzeReport {
  let r = reports.get(file);
  if (!r) {
    r = analyzeCaptures([join(CORPUS, file)], { identifier: null, geo: null });
    reports.set(file, r);
  }
  return r;
}

/** tshark's fields for the frames a display filter selects; "\n" escapes become spaces as cleanText does. */
function tshark(file: string, filter: string, fields: string[]): string[][] {
  const args = ['-r', join(CORPUS, file), '-Y', filter, '-T', 'fields', '-E', 'separator=\t'];
  for (const f of fields) args.push('-e', f);
  const res = spawnSync('tshark', args, { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (res.status !== 0) throw new Error(`tshark failed on ${file}: ${res.stderr}`);
  return res.stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => line.split('\t').map((v) => v.replace(/\\[nr]/g, ' ')));
}

/** Distinct "device value" pairs of tshark rows: column 0 is the device MAC, `col` the value. */
function pairs(rows: string[][], col: number, map: (v: string) => string = cleanText): string[] {
  const out = new Set<string>();
  for (const row of rows) {
    const device = (row[0] ?? '').split(',')[0]!;
    const value = row[col] ?? '';
    if (value !== '') out.add(`${device} ${map(value)}`);
  }
  return [...out].sort();
}

/** Distinct "device value" pairs of one key, the device named by its MAC (or address without one). */
function ours(r: AnalyzeReport, key: ObservationKey): string[] {
  const out = new Set<string>();
  for (const d of r.devices) {
    for (const o of d.observations) if (o.key === key) out.add(`${d.mac ?? d.ips[0]} ${o.value}`);
  }
  return [...out].sort();
}

const DHCP_FILES = [
  'zeek__dhcp.pcap',
  'iotsentinel__D-LinkCam__Setup-A-2-STA.pcap',
  'iotsentinel__HueBridge__Setup-A-2-STA.pcap',
  'iotsentinel__TP-LinkPlugHS110__Setup-A-5-STA.pcap',
  'iotsentinel__WeMoInsightSwitch__Setup-A-9-STA.pcap',
];
const LINK_FILES = ['tcpdump__LLDP_and_CDP.pcap', 'zeek__lldp.pcap', 'iti__EIP-ChangeTimeAttempt.pcap'];
const MDNS_FILES = ['zeek__mdns.pcap', DHCP_FILES[1]!, DHCP_FILES[2]!];
const SSDP_FILES = ['zeek__raw_packets.pcap', DHCP_FILES[1]!, DHCP_FILES[2]!, DHCP_FILES[4]!];

describe.skipIf(!hasCorpus)('discovery decoders on the shared corpus', () => {
  it('decode every Ethernet pcap with nothing but decoder errors, and few of those', () => {
    const files = classicPcaps();
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      const r = run(file); // analyze rethrows anything that is not a decoder error
      const errors = Object.entries(r.stats.anomalies)
        .filter(([k]) => k.startsWith('malformed.') || k.startsWith('truncated.'))
        .reduce((a, [, n]) => a + n, 0);
      expect(errors, `${file}: ${JSON.stringify(r.stats.anomalies)}`).toBeLessThanOrEqual(
        r.stats.packets / 10,
      );
    }
  });

  describe.skipIf(!hasTshark)('agree with tshark', () => {
    it.each(DHCP_FILES)('%s: DHCP client host names, vendor classes and parameter lists', (file) => {
      const rows = tshark(file, 'dhcp.type == 1', [
        'dhcp.hw.mac_addr',
        'dhcp.option.hostname',
        'dhcp.option.vendor_class_id',
        'dhcp.option.request_list_item',
      ]);
      const r = run(file);
      expect(ours(r, 'dhcp.hostname')).toEqual(pairs(rows, 1));
      expect(ours(r, 'dhcp.vendor_class')).toEqual(pairs(rows, 2));
      expect(ours(r, 'dhcp.param_list')).toEqual(pairs(rows, 3, (v) => v));
    });

    it.each(LINK_FILES)('%s: LLDP and CDP identities', (file) => {
      const rows = tshark(file, 'lldp || cdp', [
        'eth.src',
        'lldp.tlv.system.name',
        'lldp.tlv.system.desc',
        'lldp.port.desc',
        'cdp.deviceid',
        'cdp.platform',
        'cdp.software_version',
      ]);
      const r = run(file);
      expect(ours(r, 'lldp.sys_name')).toEqual(pairs(rows, 1));
      expect(ours(r, 'lldp.sys_descr')).toEqual(pairs(rows, 2));
      expect(ours(r, 'lldp.port_descr')).toEqual(pairs(rows, 3));
      expect(ours(r, 'cdp.device_id')).toEqual(pairs(rows, 4));
      expect(ours(r, 'cdp.platform')).toEqual(pairs(rows, 5));
      // tshark joins the version's lines with commas; ours is its first line.
      const versions = pairs(rows, 6, (v) => v);
      const first = ours(r, 'cdp.software_version');
      expect(first).toHaveLength(versions.length);
      for (const [i, v] of first.entries()) expect(versions[i]!.startsWith(v)).toBe(true);
    });

    it.each(MDNS_FILES)('%s: every A/AAAA owner a responder announces is its mdns.name', (file) => {
      // Field output cannot pair owners with types (SRV records have no dns.resp.name), so read the
      // record summary lines of the verbose dissection instead.
      const args = ['-r', join(CORPUS, file), '-Y', 'mdns && dns.flags.response == 1', '-O', 'mdns', '-V'];
      const text = spawnSync('tshark', args, { encoding: 'utf8', maxBuffer: 64 << 20 }).stdout;
      const expected = new Set<string>();
      let device = '';
      for (const line of text.split('\n')) {
        const src = /^Ethernet II, Src: .*?\(([0-9a-f:]{17})\)/.exec(line);
        if (src) device = src[1]!;
        const owner = /^\s+(.+): type (?:A|AAAA), class/.exec(line)?.[1];
        // Owners shaped like service instances are not host names (open62541 puts A records there).
        if (owner && !serviceParts(owner)) expected.add(`${device} ${owner}`);
      }
      expect(expected.size).toBeGreaterThan(0);
      expect(ours(run(file), 'mdns.name')).toEqual(expect.arrayContaining([...expected]));
    });

    it.each(SSDP_FILES)('%s: SSDP SERVER and LOCATION headers', (file) => {
      const rows = tshark(file, 'ssdp && (http.request.method == "NOTIFY" || http.response.code == 200)', [
        'eth.src',
        'http.server',
        'http.location',
      ]);
      const r = run(file);
      expect(ours(r, 'ssdp.server')).toEqual(pairs(rows, 1));
      expect(ours(r, 'ssdp.location')).toEqual(pairs(rows, 2));
    });

    it.each([...DHCP_FILES.slice(1), 'zeek__raw_packets.pcap'])('%s: DNS queries', (file) => {
      const rows = tshark(file, 'dns && !mdns && !llmnr && dns.flags.response == 0 && udp.dstport == 53', [
        'eth.src',
        'dns.qry.name',
      ]);
      expect(ours(run(file), 'dns.query')).toEqual(pairs(rows, 1, (v) => v.toLowerCase()));
    });
  });
});
