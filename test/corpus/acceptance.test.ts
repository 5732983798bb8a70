// The acceptance lists of the decoder and identification issues, on the shared corpus of real
// third-party captures, through `analyze` exactly as a user runs it (skipped when the corpus is absent).
import { describe, expect, it } from 'vitest';
import { analyzeCaptures } from '../../agent/analyze.js';
import type { AnalyzeReport, DeviceRecord } from '../../core/inventory.js';
import { parseCidrList } from '../../core/net/cidr.js';
import { corpusFile, HAVE_CORPUS } from '../helpers/corpus.js';

const cache = new Map<string, AnalyzeReport>();
function analyze(file: string, homeNet?: string): AnalyzeReport {
  const key = `${file}|${homeNet ?? ''}`;
  let r = cache.get(key);
  if (!r) {
    r = analyzeCaptures([corpusFile(file)], { homeNets: homeNet ? parseCidrList(homeNet) : [] });
    cache.set(key, r);
  }
  return r;
}

const values = (d: DeviceRecord | undefined, key: string) =>
  (d?.observations ?? []).filter((o) => o.key === key).map((o) => String(o.value));
const byMac = (r: AnalyzeReport, prefix: string) => r.devices.find((d) => d.mac?.startsWith(prefix));
const allValues = (r: AnalyzeReport, key: string) => r.devices.flatMap((d) => values(d, key));

describe.skipIf(!HAVE_CORPUS)('decoder acceptance (issue: application and industrial decoders)', () => {
  it('S7 order number 6ES7 151-8AB01-0AB0 from iti__s7comm_reading_plc_status', () => {
    expect(
      values(byMac(analyze('iti__s7comm_reading_plc_status.pcap'), '00:1b:1b'), 's7.order_number'),
    ).toContain('6ES7 151-8AB01-0AB0');
  });
  it('product 1756-ENBT/A from iti__enip_test', () => {
    expect(allValues(analyze('iti__enip_test.pcap'), 'enip.product_name')).toContain('1756-ENBT/A');
  });
  it('BACnet vendor 5, model MS-NAE4510-2, firmware 5.1.0.4400 from iti__bacnet_test', () => {
    const r = analyze('iti__bacnet_test.pcap');
    const d = r.devices.find((x) => values(x, 'bacnet.vendor_id').includes('5'));
    expect(values(d, 'bacnet.model_name')).toContain('MS-NAE4510-2');
    expect(values(d, 'bacnet.firmware')).toContain('5.1.0.4400');
  });
  it('the LLDP and CDP system descriptions from tcpdump__LLDP_and_CDP', () => {
    const r = analyze('tcpdump__LLDP_and_CDP.pcap');
    expect(allValues(r, 'lldp.sys_descr').some((v) => v.includes('12.2(44)SE'))).toBe(true);
    expect(allValues(r, 'cdp.platform').sort()).toEqual(['cisco WS-C3560-24TS', 'cisco WS-C3560G-24PS']);
  });
  it('DHCP host names and vendor classes from zeek__dhcp (a public campus network: its range is the home net)', () => {
    const r = analyze('zeek__dhcp.pcap', '128.2.0.0/16');
    expect(allValues(r, 'dhcp.hostname')).toContain('btest.is.cool');
    // The capture's vendor class travels in the server's replies: it is the server's, not the client's.
    expect(allValues(r, 'dhcp.reply_vendor_class')).toContain('ArubaAP');
  });
  it('mDNS names from zeek__mdns', () => {
    expect(allValues(analyze('zeek__mdns.pcap'), 'mdns.name')).toContain(
      'johanna-QEMU-Virtual-Machine.local',
    );
  });
  it('TLS SNI google.de from zeek__chrome-34-google', () => {
    expect(allValues(analyze('zeek__chrome-34-google.pcap'), 'tls.sni')).toContain('google.de');
  });
  it('the model FX5U-32MT/ES from iti__melsoft_UDP_clean_2', () => {
    expect(values(byMac(analyze('iti__melsoft_UDP_clean_2.pcap'), '10:4b:46'), 'melsoft.model')).toContain(
      'FX5U-32MT/ES',
    );
  });
  it('the PROFINET station name from iti__ChangeIPUsingDCP', () => {
    expect(allValues(analyze('iti__ChangeIPUsingDCP.pcap'), 'profinet.name_of_station')).toContain(
      'X208-BORD',
    );
  });
});

describe.skipIf(!HAVE_CORPUS)('identification acceptance (issue: identification)', () => {
  it('the S7 CPU in iti__s7comm_reading_plc_status: Siemens, DE, plc', () => {
    expect(byMac(analyze('iti__s7comm_reading_plc_status.pcap'), '00:1b:1b')).toMatchObject({
      vendor: 'Siemens',
      vendorCountry: 'DE',
      class: 'plc',
    });
  });
  it('the 1756-ENBT/A in iti__enip_test: Rockwell Automation, US', () => {
    const d = analyze('iti__enip_test.pcap').devices.find((x) =>
      values(x, 'enip.product_name').includes('1756-ENBT/A'),
    );
    expect(d).toMatchObject({ vendor: 'Rockwell Automation', vendorCountry: 'US' });
  });
  it('the BACnet device in iti__bacnet_test: Johnson Controls', () => {
    const d = analyze('iti__bacnet_test.pcap').devices.find((x) =>
      values(x, 'bacnet.vendor_id').includes('5'),
    );
    expect(d?.vendor).toBe('Johnson Controls');
  });
  it('the device in iti__modbus_test: Moxa', () => {
    expect(byMac(analyze('iti__modbus_test.pcap'), '00:90:e8')?.vendor).toBe('Moxa');
  });
  it('the router in zeek__raw_packets: TP-Link', () => {
    const r = analyze('zeek__raw_packets.pcap');
    const router = r.devices.find((d) => values(d, 'ssdp.server').some((v) => v.includes('TL-WDR3600')));
    expect(router?.vendor).toBe('TP-Link');
  });
  it('the drone in e99drone__rtsp-traffic: randomized MAC and no vendor', () => {
    const r = analyze('e99drone__rtsp-traffic.pcapng');
    const drone = r.devices.find((d) => values(d, 'rtsp.server').length > 0);
    expect(drone).toMatchObject({ randomizedMac: true, vendor: null, registrant: null });
  });
});
