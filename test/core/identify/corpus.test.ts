// End to end on the public capture corpus (skipped when ../shared/corpus is absent): the passive
// engine builds the inventory and the shipped identifier labels it. Assertions hold whatever
// decoders are registered; decoders only add evidence.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeCaptures } from '../../../agent/analyze.js';
import { loadIdentifier } from '../../../core/identify/load-identifier.js';
import type { DeviceRecord } from '../../../core/inventory.js';
import { packageRoot } from '../../../core/paths.js';

const CORPUS = join(packageRoot(), '..', 'shared', 'corpus');
const present = existsSync(CORPUS);

describe.skipIf(!present)('identification on the corpus', () => {
  const identifier = present ? loadIdentifier() : null;
  const devices = (file: string): DeviceRecord[] =>
    analyzeCaptures([join(CORPUS, file)], { identifier }).devices;
  const byMacPrefix = (list: DeviceRecord[], prefix: string) => list.find((d) => d.mac?.startsWith(prefix));

  it('iti__modbus_test: the Modbus device is Moxa (OUI only), Taiwan', () => {
    const moxa = byMacPrefix(devices('iti__modbus_test.pcap'), '00:90:e8');
    expect(moxa).toMatchObject({ vendor: 'Moxa', vendorCountry: 'TW', randomizedMac: false });
    expect(moxa?.reasons.find((r) => r.field === 'vendor')?.evidence[0]?.key).toBe('oui.registrant');
  });

  it('iti__s7comm_reading_plc_status: the PLC is Siemens, Germany', () => {
    const plc = byMacPrefix(devices('iti__s7comm_reading_plc_status.pcap'), '00:1b:1b');
    expect(plc).toMatchObject({ vendor: 'Siemens', vendorCountry: 'DE' });
  });

  it('iti__melsoft_UDP_clean_2: the PLC is Mitsubishi Electric, Japan', () => {
    const plc = byMacPrefix(devices('iti__melsoft_UDP_clean_2.pcap'), '10:4b:46');
    expect(plc).toMatchObject({ vendor: 'Mitsubishi Electric', vendorCountry: 'JP' });
  });

  it('zeek__raw_packets: the router is TP-Link', () => {
    const router = byMacPrefix(devices('zeek__raw_packets.pcap'), 'e8:de:27');
    expect(router?.vendor).toBe('TP-Link');
  });

  it('e99drone__rtsp-traffic: the drone soft-AP MAC is randomized, with no registrant and no OUI vendor', () => {
    const drone = byMacPrefix(devices('e99drone__rtsp-traffic.pcapng'), 'c2:');
    expect(drone).toMatchObject({ randomizedMac: true, registrant: null, registrantCountry: null });
    expect(
      drone?.reasons.find((r) => r.field === 'vendor')?.evidence.some((e) => e.key === 'oui.registrant') ??
        false,
    ).toBe(false);
  });
});
