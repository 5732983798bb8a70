// Registry and catalog over real third-party captures (../shared/corpus, see its MANIFEST.md):
// the devices the manifest describes must come out with the right vendor. Skipped when the
// corpus is not there (CI machines without shared/).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadVendorCatalog } from '../../../core/catalog/load-vendors.js';
import { isGroupMac, isRandomizedMac } from '../../../core/oui/mac.js';
import { loadMacRegistry } from '../../../core/oui/registry.js';
import { corpusDir, sourceMacs } from '../corpus-macs.js';

const dir = corpusDir();

// File → vendors the manifest says are on the wire there (by OUI or dataset label).
const EXPECTED: Record<string, string[]> = {
  'iti__melsoft_UDP_clean_2.pcap': ['Mitsubishi Electric'],
  'iti__s7comm_reading_plc_status.pcap': ['Siemens'],
  'iti__step7_s300_readDiagData.pcapng': ['Siemens', 'VMware'],
  'iti__ChangeIPUsingDCP.pcap': ['Siemens'],
  'iti__modbus_test.pcap': ['Moxa', 'Dell'],
  'iti__EIP-ChangeTimeAttempt.pcap': ['Rockwell Automation', 'Cisco', 'D-Link'],
  'iti__EIP-ChangePortConfigurationAttempt.pcap': [
    'Rockwell Automation',
    'Lantronix',
    'Schweitzer Engineering Laboratories',
  ],
  'iti__hart_ip.pcap': ['Rosemount', 'Apple'],
  'icspcap__BACnetL_SchedRPM.pcapng': ['Schneider Electric', 'Intel'],
  'iotsentinel__TP-LinkPlugHS110__Setup-A-5-STA.pcap': ['TP-Link'],
  'iotsentinel__D-LinkCam__Setup-A-2-STA.pcap': ['D-Link'],
  'iotsentinel__HueBridge__Setup-A-2-STA.pcap': ['Signify', 'Samsung'],
  'iotsentinel__WeMoInsightSwitch__Setup-A-9-STA.pcap': ['Belkin'],
  'zeek__raw_packets.pcap': ['TP-Link', 'Apple'],
  'tcpdump__LLDP_and_CDP.pcap': ['Cisco'],
  'zeek__chrome-34-google.pcap': ['Apple', 'Juniper Networks'],
};

describe.skipIf(!dir)('IEEE registry and vendor catalog on the shared corpus', () => {
  const registry = loadMacRegistry();
  const catalog = loadVendorCatalog();
  const vendorsOf = (file: string) => {
    const found = new Set<string>();
    for (const mac of sourceMacs(join(dir!, file))) {
      const r = registry.lookup(mac);
      const v = r && catalog.byRegistrant(r.organisation);
      if (v) found.add(v.name);
    }
    return found;
  };

  for (const [file, vendors] of Object.entries(EXPECTED)) {
    it(`${file}: ${vendors.join(', ')}`, () => {
      expect([...vendorsOf(file)]).toEqual(expect.arrayContaining(vendors));
    });
  }

  it('the toy drone soft-AP has a locally administered MAC and no registrant', () => {
    const macs = [...sourceMacs(join(dir!, 'e99drone__rtsp-traffic.pcapng'))];
    const randomized = macs.filter((m) => isRandomizedMac(m) && !isGroupMac(m));
    expect(randomized.length).toBeGreaterThan(0);
    for (const m of randomized) expect(registry.lookup(m)).toBeNull();
  });

  it('resolves most unicast, globally administered source MACs of the corpus', () => {
    let unicast = 0;
    let resolved = 0;
    let withVendor = 0;
    for (const file of readdirSync(dir!).filter((f) => /\.(pcap|pcapng)$/.test(f))) {
      for (const mac of sourceMacs(join(dir!, file))) {
        if (isGroupMac(mac) || isRandomizedMac(mac) || mac === '00:00:00:00:00:00') continue;
        unicast++;
        const r = registry.lookup(mac);
        if (r) resolved++;
        if (r && catalog.byRegistrant(r.organisation)) withVendor++;
      }
    }
    console.info(
      `corpus: ${unicast} unicast source MACs, ${resolved} with a registrant, ${withVendor} with a catalog vendor`,
    );
    expect(resolved / unicast).toBeGreaterThan(0.9);
  });
});
