import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  hostObservations,
  type NmapFinished,
  type NmapProgress,
  NmapXmlReader,
  type XmlNode,
} from '../../../agent/active/nmap-xml.js';
import type { Observation } from '../../../core/observation.js';

const FIXTURE = readFileSync(new URL('./fixtures/nmap-ics.xml', import.meta.url), 'utf8');

function read(text: string, chunk = 64) {
  const hosts: XmlNode[] = [];
  const progress: NmapProgress[] = [];
  let finished: NmapFinished | null = null;
  const reader = new NmapXmlReader({
    host: (h) => hosts.push(h),
    progress: (p) => progress.push(p),
    finished: (f) => {
      finished = f;
    },
  });
  for (let i = 0; i < text.length; i += chunk) reader.write(text.slice(i, i + chunk));
  reader.end();
  const observations = hosts.flatMap((h) => hostObservations(h, 0));
  return { hosts, progress, finished: finished as NmapFinished | null, observations };
}

const pick = (obs: Observation[], ip: string) =>
  obs.filter((o) => o.ip === ip).map((o) => [o.key, o.value, o.port ?? null, o.mac ?? null]);

describe('nmap XML to observations', () => {
  const { hosts, progress, finished, observations } = read(FIXTURE);

  it('streams hosts, progress and the finish line', () => {
    expect(hosts).toHaveLength(3);
    expect(progress).toEqual([{ task: 'SYN Stealth Scan', percent: 42.5, remaining: 3 }]);
    expect(finished).toEqual({ exit: 'success', errormsg: null, elapsed: 12 });
  });

  it('reads MAC and vendor, open ports, services, CPEs, the best OS match and s7-info', () => {
    const mac = '00:1b:1b:4a:31:07';
    expect(pick(observations, '198.18.7.10')).toEqual([
      ['mac.ip', '198.18.7.10', null, mac],
      ['nmap.mac_vendor', 'Siemens AG,', null, mac],
      ['net.service', 'tcp/102', 102, mac],
      ['nmap.service', '102/tcp iso-tsap Siemens S7 PLC', 102, mac],
      ['nmap.product', 'Siemens S7 PLC', 102, mac],
      ['nmap.cpe', 'cpe:/h:siemens:s7-300', 102, mac],
      [
        'nmap.script',
        's7-info: Module: 6ES7 315-2EH14-0AB0    Version: 3.2.6   Module Type: CPU 315-2 PN/DP',
        102,
        mac,
      ],
      ['s7.order_number', '6ES7 315-2EH14-0AB0', 102, mac],
      ['s7.plc_name', 'SIMATIC 300(1)', 102, mac],
      ['s7.module_name', 'CPU 315-2 PN/DP', 102, mac],
      ['s7.serial', 'S C-C2UR28922012', 102, mac],
      ['s7.copyright', 'Original Siemens Equipment', 102, mac],
      ['s7.firmware', 'V 3.2.6', 102, mac],
      ['net.service', 'udp/161', 161, mac],
      ['nmap.service', '161/udp snmp SNMPv1 server (public)', 161, mac],
      ['nmap.product', 'SNMPv1 server', 161, mac],
      [
        'nmap.script',
        'snmp-sysdescr: Siemens, SIMATIC S7, CPU315-2 PN/DP  second line   System uptime: 2m52.58s (17258 timeticks)',
        161,
        mac,
      ],
      ['snmp.sys_descr', 'Siemens, SIMATIC S7, CPU315-2 PN/DP  second line', 161, mac],
      ['nmap.os', 'Siemens Simatic S7 PLC (96%)', null, mac],
      ['nmap.cpe', 'cpe:/h:siemens:simatic_s7', null, mac],
    ]);
  });

  it('maps the ICS scripts to the keys the native probes use, and keeps hostile text as data', () => {
    const got = pick(observations, '198.18.7.11').filter(([k]) => k !== 'nmap.script');
    expect(got).toEqual([
      ['net.service', 'tcp/502', 502, null],
      ['nmap.service', '502/tcp modbus', 502, null],
      ['modbus.unit_id', 1, 502, null],
      ['modbus.server_id', 'BMX P34 2020', 502, null],
      ['net.service', 'tcp/44818', 44818, null],
      ['nmap.service', '44818/tcp EtherNet-IP-2', 44818, null],
      ['enip.vendor_id', 1, 44818, null],
      ['enip.device_type', 12, 44818, null],
      ['enip.product_name', '1756-EN2T/D', 44818, null],
      ['enip.product_code', 166, 44818, null],
      ['enip.revision', '11.2', 44818, null],
      ['enip.serial', '0x60a1b2c3', 44818, null],
      ['net.service', 'udp/47808', 47808, null],
      ['nmap.service', '47808/udp bacnet', 47808, null],
      ['bacnet.vendor_id', 7, 47808, null],
      ['bacnet.device_instance', 2098177, 47808, null],
      ['bacnet.vendor_name', 'Siemens Schweiz AG', 47808, null],
      ['bacnet.firmware', 'FW=03.04.123', 47808, null],
      ['bacnet.model_name', 'PXC100-E.D', 47808, null],
      ['net.service', 'tcp/9600', 9600, null],
      ['nmap.service', '9600/tcp fins', 9600, null],
      ['fins.model', 'CJ2M-CPU31', 9600, null],
      ['fins.version', '02.01', 9600, null],
      ['net.service', 'tcp/80', 80, null],
      // The BEL byte becomes a space: control characters never reach the inventory.
      ['nmap.service', '80/tcp http Evil <script>  1.0 (x)', 80, null],
      ['nmap.product', 'Evil <script>', 80, null],
      ['http.server', 'App-webs/', 80, null],
    ]);
  });

  it('ignores hosts that are down and is the same whatever the chunk size', () => {
    expect(observations.some((o) => o.ip === '198.18.7.12')).toBe(false);
    expect(read(FIXTURE, 1).observations).toEqual(observations);
  });

  it('refuses a document with an entity declaration', () => {
    const evil = FIXTURE.replace(
      '<!DOCTYPE nmaprun>',
      '<!DOCTYPE nmaprun [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
    );
    expect(() => read(evil)).toThrow(/internal subset is refused/);
  });
});
