// The second pass of identification rules checked on the shared corpus of third-party captures
// (skipped when ../shared/corpus is absent): the identities that the captures' dataset labels and
// the devices' own names state, and the values that must stay undecided. The rules' examples come
// from their cited sources; these captures only check that the rules reach real traffic.
import { describe, expect, it } from 'vitest';
import { analyzeCaptures } from '../../agent/analyze.js';
import { loadIdentifier } from '../../core/identify/load-identifier.js';
import type { DeviceRecord } from '../../core/inventory.js';
import { corpusFile, HAVE_CORPUS } from '../helpers/corpus.js';

describe.skipIf(!HAVE_CORPUS)('second-pass rules on the corpus', () => {
  const identifier = HAVE_CORPUS ? loadIdentifier() : null;
  const cache = new Map<string, DeviceRecord[]>();
  const devices = (file: string): DeviceRecord[] => {
    let list = cache.get(file);
    if (!list) {
      list = analyzeCaptures([corpusFile(file)], { identifier, geo: null }).devices;
      cache.set(file, list);
    }
    return list;
  };
  const byMac = (file: string, prefix: string) => devices(file).find((d) => d.mac?.startsWith(prefix));
  const rulesFor = (d: DeviceRecord | undefined, field: string) =>
    d?.reasons.find((r) => r.field === field)?.evidence.map((e) => e.rule) ?? [];

  it('the IoT Sentinel D-Link camera (label D-LinkCam): D-Link, camera, model from its SSDP SERVER', () => {
    const cam = byMac('iotsentinel__D-LinkCam__Setup-A-2-STA.pcap', 'b0:c5:54');
    expect(cam).toMatchObject({ vendor: 'D-Link', vendorCountry: 'TW', class: 'camera', model: 'DCS-935L' });
    expect(rulesFor(cam, 'model')).toContain('ssdp.server:dlink-dcs');
  });

  it('the IoT Sentinel Hue bridge (label HueBridge): Signify, gateway, model BSB002 from HomeKit md=', () => {
    const hue = byMac('iotsentinel__HueBridge__Setup-A-2-STA.pcap', '00:17:88');
    expect(hue).toMatchObject({ vendor: 'Signify', vendorCountry: 'NL', class: 'gateway', model: 'BSB002' });
    expect(rulesFor(hue, 'model')).toEqual(['mdns.txt:philips-hue-bridge-model']);
  });

  it('the SMC switch of zeek lldp.pcap: SMC Networks, switch, model from the LLDP description', () => {
    const sw = byMac('zeek__lldp.pcap', '00:22:2d');
    expect(sw).toMatchObject({ vendor: 'SMC Networks', class: 'switch', model: 'SMCGS8P-Smart' });
  });

  it('udhcp clients (TP-Link plug, WeMo switch) run Linux, and udhcp names no maker', () => {
    const plug = byMac('iotsentinel__TP-LinkPlugHS110__Setup-A-5-STA.pcap', '50:c7:bf');
    const wemo = byMac('iotsentinel__WeMoInsightSwitch__Setup-A-9-STA.pcap', '94:10:3e');
    for (const d of [plug, wemo]) {
      expect(d?.os).toBe('Linux');
      expect(rulesFor(d, 'os')).toContain('dhcp.vendor_class:udhcp');
      expect(rulesFor(d, 'vendor')).not.toContain('dhcp.vendor_class:udhcp');
    }
  });

  it('OPC UA stack defaults (open62541, FreeOpcUa) decide no vendor and no class', () => {
    for (const file of [
      'npp-opcua__open62541_discover_getendpoints_discover_urls.pcap',
      'npp-opcua__python_opcua-client-server_minimal.pcap',
    ]) {
      const servers = devices(file).filter((d) =>
        d.observations.some((o) => o.key === 'opcua.application_uri'),
      );
      expect(servers.length, file).toBeGreaterThan(0);
      for (const d of servers) expect(d, file).toMatchObject({ vendor: null, class: null });
    }
  });
});
