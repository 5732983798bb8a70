// The engine on realistic evidence: what the decoders will emit for the devices of the public
// capture corpus (see /work/shared/corpus/MANIFEST.md), with the shipped rules, vendor catalog and
// IEEE registry. MACs keep the real OUI of each device; the NIC-specific half is made up.
import { describe, expect, it } from 'vitest';
import { loadVendorCatalog } from '../../../core/catalog/load-vendors.js';
import { MIN_DECISION_CONFIDENCE } from '../../../core/identify/combine.js';
import { createIdentifier, MATCH_CACHE_SIZE } from '../../../core/identify/identifier.js';
import { loadRules } from '../../../core/identify/rules/load-rules.js';
import { SERVICE_CLASS } from '../../../core/identify/weights.js';
import type { Identity } from '../../../core/inventory.js';
import { loadMacRegistry } from '../../../core/oui/registry.js';
import { obs } from './doubles.js';

const catalog = loadVendorCatalog();
const engine = createIdentifier({ rules: loadRules(), registry: loadMacRegistry(), catalog });

function reason(id: Identity, field: string) {
  return id.reasons.find((r) => r.field === field);
}

describe('identify: corpus devices', () => {
  it('S7 CPU of iti__s7comm_reading_plc_status: Siemens, DE, plc, from the SZL order number', () => {
    const id = engine.identify({
      mac: '00:1b:1b:00:00:40',
      observations: [
        obs('s7.order_number', '6ES7 151-8AB01-0AB0', 'active'),
        obs('s7.firmware', 'V 3.2.6'),
        obs('ot.role', 's7comm:server'),
        obs('net.service', 'tcp/102'),
      ],
    });
    expect(id).toMatchObject({
      vendor: 'Siemens',
      vendorCountry: 'DE',
      class: 'plc',
      model: 'IM151-8 PN/DP CPU',
      firmware: '3.2.6',
      registrant: 'Siemens AG,',
      registrantCountry: 'DE',
      randomizedMac: false,
      watchlists: [],
    });
    expect(id.confidence).toBeGreaterThan(0.95);
    expect(reason(id, 'vendor')?.evidence.map((e) => e.rule)).toEqual([
      's7.order_number:im151-8-pn-dp-cpu',
      null,
    ]);
    expect(reason(id, 'class')?.evidence.map((e) => e.key)).toEqual([
      's7.order_number',
      'ot.role',
      'net.service',
    ]);
  });

  it('1756-ENBT/A of iti__enip_test: Rockwell Automation, US, over the Cisco MAC it is seen behind', () => {
    const id = engine.identify({
      mac: '00:19:07:00:00:64',
      observations: [
        obs('enip.vendor_id', 1),
        obs('enip.device_type', 12),
        obs('enip.product_name', '1756-ENBT/A'),
        obs('enip.revision', '3.2'),
        obs('ot.role', 'enip:server'),
      ],
    });
    expect(id).toMatchObject({ vendor: 'Rockwell Automation', vendorCountry: 'US', model: '1756-ENBT/A' });
    expect(id.registrant).toMatch(/^Cisco/);
    expect(reason(id, 'vendor')?.conflicts.map((c) => c.value)).toEqual(['Cisco']);
    expect(id.confidence).toBeGreaterThan(0.9);
  });

  it('BACnet device of iti__bacnet_test: Johnson Controls Metasys NAE', () => {
    const id = engine.identify({
      mac: '00:19:07:00:00:65',
      observations: [
        obs('bacnet.vendor_id', 5),
        obs('bacnet.vendor_name', 'JCI'),
        obs('bacnet.model_name', 'MS-NAE4510-2'),
        obs('bacnet.firmware', '5.1.0.4400'),
        obs('bacnet.object_name', 'NAE-01'),
        obs('ot.role', 'bacnet:server'),
      ],
    });
    expect(id).toMatchObject({
      vendor: 'Johnson Controls',
      class: 'building-controller',
      model: 'MS-NAE4510-2',
      firmware: '5.1.0.4400',
    });
    expect(id.vendorCountry).toBe(catalog.byName('Johnson Controls')!.country);
  });

  it('Modbus device of iti__modbus_test: Moxa from its OUI alone, no class from a bare Modbus role', () => {
    const id = engine.identify({
      mac: '00:90:e8:00:00:14',
      observations: [
        obs('ot.role', 'modbus:server'),
        obs('net.service', 'tcp/502'),
        obs('modbus.unit_id', 1),
      ],
    });
    expect(id).toMatchObject({
      vendor: 'Moxa',
      vendorCountry: 'TW',
      registrantCountry: 'TW',
      class: null,
      model: null,
    });
    expect(id.confidence).toBe(0.7);
    expect(reason(id, 'vendor')?.evidence).toEqual([
      { key: 'oui.registrant', value: id.registrant, rule: null, source: 'registry' },
    ]);
  });

  it('router of zeek__raw_packets: TP-Link from its SSDP SERVER and OUI agreeing', () => {
    const id = engine.identify({
      mac: 'e8:de:27:00:00:01',
      observations: [
        obs('ssdp.server', 'ipos/7.0 UPnP/1.0 TL-WDR3600/1.0'),
        obs('ssdp.nt', 'upnp:rootdevice'),
      ],
    });
    expect(id).toMatchObject({ vendor: 'TP-Link', model: 'TL-WDR3600', class: 'router' });
    expect(id.vendorCountry).toBe(catalog.byName('TP-Link')!.country);
    // Two independent sources: 1 − (1 − 0.7)(1 − 0.95·0.8).
    expect(id.confidence).toBeCloseTo(1 - 0.3 * (1 - 0.76), 3);
  });

  it('a locally administered MAC: randomized, no registrant, no vendor', () => {
    const id = engine.identify({ mac: 'c2:fd:59:00:00:18', observations: [obs('dns.query', 'example.org')] });
    expect(id).toMatchObject({
      randomizedMac: true,
      registrant: null,
      registrantCountry: null,
      vendor: null,
      vendorCountry: null,
      confidence: null,
      reasons: [],
    });
  });

  it('MELSOFT PLC of iti__melsoft_UDP_clean_2: Mitsubishi Electric FX5U', () => {
    const id = engine.identify({
      mac: '10:4b:46:00:00:fa',
      observations: [obs('melsoft.model', 'FX5U-32MT/ES'), obs('ot.role', 'melsoft:server')],
    });
    expect(id).toMatchObject({
      vendor: 'Mitsubishi Electric',
      vendorCountry: 'JP',
      model: 'FX5U-32MT/ES',
      class: 'plc',
    });
  });

  it('a Hikvision camera carries its vendor watch lists', () => {
    const id = engine.identify({
      mac: 'c0:56:e3:00:00:01',
      observations: [obs('http.server', 'App-webs/'), obs('rtsp.server', 'HIKVISION')],
    });
    expect(id).toMatchObject({ vendor: 'Hikvision', vendorCountry: 'CN', class: 'camera' });
    expect(id.watchlists).toEqual(expect.arrayContaining(['ndaa-889', 'fcc-covered-list']));
  });
});

describe('identify: conflicts and honesty', () => {
  it('a Siemens CPU behind a NIC of another registrant: the SZL reply wins, the registrant stays', () => {
    const id = engine.identify({
      mac: '00:1e:c9:00:00:01',
      observations: [obs('s7.order_number', '6ES7 315-2EH14-0AB0')],
    });
    expect(id).toMatchObject({
      vendor: 'Siemens',
      model: 'CPU 315-2 PN/DP',
      registrant: 'Dell Inc.',
      registrantCountry: 'US',
    });
    const vendor = reason(id, 'vendor')!;
    expect(vendor.conflicts).toMatchObject([{ value: 'Dell', confidence: 0.7 }]);
    expect(vendor.confidence).toBeCloseTo(0.95 - 0.7 * 0.05, 3);
  });

  it('an Espressif-registered MAC with a Tuya cloud query and a BusyBox DHCP client', () => {
    const id = engine.identify({
      mac: '24:0a:c4:00:00:01',
      observations: [
        obs('dns.query', 'm1.tuyaeu.com'),
        obs('tls.sni', 'a1.tuyaeu.com'),
        obs('dhcp.vendor_class', 'udhcp 1.22.1'),
      ],
    });
    expect(id.registrant).toBe('Espressif Inc.');
    expect(id.vendor).toBe('Tuya');
    // The chipset OUI supports Espressif weakly and does not count against Tuya.
    const vendor = reason(id, 'vendor')!;
    expect(vendor.conflicts).toMatchObject([{ value: 'Espressif', confidence: 0.15 }]);
    expect(vendor.confidence).toBeCloseTo(1 - (1 - 0.3) * (1 - 0.3), 3);
    expect(id.os).toBe('Linux');
    expect(id.class).toBe('iot');
  });

  it('a chipset OUI alone names no vendor', () => {
    const id = engine.identify({ mac: '24:0a:c4:00:00:02', observations: [] });
    expect(id).toMatchObject({ vendor: null, registrant: 'Espressif Inc.', confidence: null });
  });

  it('a generic rule gives way to a specific one of another key', () => {
    const id = engine.identify({
      mac: null,
      observations: [
        obs('http.server', 'GoAhead-Webs'),
        obs('ssh.banner', 'SSH-2.0-OpenSSH_8.9p1 Ubuntu-3ubuntu0.6'),
      ],
    });
    expect(id.os).toBe('Ubuntu Linux');
    expect(reason(id, 'os')?.conflicts.map((c) => c.value)).toEqual(['Linux']);
  });

  it('fields without evidence are null and every decided field has a reason', () => {
    const id = engine.identify({ mac: null, observations: [obs('dhcp.vendor_class', 'MSFT 5.0')] });
    expect(id).toMatchObject({ vendor: null, class: null, model: null, firmware: null, os: 'Windows' });
    expect(id.reasons.map((r) => r.field)).toEqual(['os']);
    expect(id.registrant).toBeNull();
  });

  it('treats malformed and group MACs as having no registrant, and survives hostile values', () => {
    for (const mac of ['not-a-mac', '01:00:5e:00:00:01', '00:1b:1b:00:00', '']) {
      const id = engine.identify({ mac, observations: [] });
      expect(id).toMatchObject({ registrant: null, randomizedMac: false, vendor: null });
    }
    const huge = `SSH-2.0-${'a('.repeat(50_000)}`;
    const id = engine.identify({
      mac: null,
      observations: [obs('ssh.banner', huge), obs('http.server', 12345), obs('enip.vendor_id', '1')],
    });
    expect(id.vendor).toBe('Rockwell Automation');
  });

  it('a served port alone decides no class; with the decoded role it adds to it', () => {
    for (const weight of Object.values(SERVICE_CLASS))
      expect(weight.weight).toBeLessThan(MIN_DECISION_CONFIDENCE);
    expect(engine.identify({ mac: null, observations: [obs('net.service', 'tcp/102')] }).class).toBeNull();
    const both = engine.identify({
      mac: null,
      observations: [obs('net.service', 'tcp/102'), obs('ot.role', 's7comm:server')],
    });
    expect(both.class).toBe('plc');
    // Port and role are one group ("serves"): the role's 0.6 is not compounded by its own port.
    expect(reason(both, 'class')?.confidence).toBe(0.6);
  });

  it('is pure: the same evidence gives the same identity', () => {
    const evidence = {
      mac: '00:1b:1b:00:00:41',
      observations: [obs('s7.order_number', '6ES7 516-3AN01-0AB0')],
    };
    expect(engine.identify(evidence)).toEqual(engine.identify(evidence));
  });

  it('says which keys it reads: every rule file key and the two that imply a class, nothing else', () => {
    const rules = loadRules();
    expect([...engine.keys!].sort()).toEqual([...rules.keys(), 'ot.role', 'net.service'].sort());
    // An observation of any other key changes nothing, so callers may leave those out.
    const read = [obs('ssh.banner', 'SSH-2.0-ROSSSH'), obs('ot.role', 's7comm:server')];
    const other = [obs('ip.ttl', 64), obs('net.vlan', '10.0'), obs('tcp.syn', '64:1460:mss')];
    expect(other.every((o) => !engine.keys!.has(o.key))).toBe(true);
    expect(engine.identify({ mac: '00:1b:1b:00:00:41', observations: [...other, ...read] })).toEqual(
      engine.identify({ mac: '00:1b:1b:00:00:41', observations: read }),
    );
  });

  it('counts a value repeated under one key once: from another source, or as number and text', () => {
    const banner = obs('ssh.banner', 'SSH-2.0-ROSSSH');
    const once = engine.identify({ mac: null, observations: [banner, obs('enip.vendor_id', 1)] });
    expect(once.vendor).not.toBeNull();
    const again = engine.identify({
      mac: null,
      observations: [
        banner,
        obs('enip.vendor_id', 1),
        obs('ssh.banner', 'SSH-2.0-ROSSSH', 'active'),
        obs('enip.vendor_id', '1'),
      ],
    });
    expect(again).toEqual(once);
  });

  it('stays the same function of the evidence once its cache of values has started over', () => {
    const fresh = () => createIdentifier({ rules: loadRules(), registry: loadMacRegistry(), catalog });
    const used = fresh();
    const evidence = {
      mac: '00:1b:1b:00:00:41',
      observations: [
        obs('s7.order_number', '6ES7 516-3AN01-0AB0'),
        obs('http.server', 'Apache'),
        obs('http.server', 'Apache', 'active'),
      ],
    };
    for (let i = 0; i <= MATCH_CACHE_SIZE; i++)
      used.identify({ mac: null, observations: [obs('http.server', `server-${i}`)] });
    expect(used.identify(evidence)).toEqual(fresh().identify(evidence));
  });
});

describe('identify: one decision per distinct evidence', () => {
  it('quotes each device its own value: 5 and "5" decide alike but are not one piece of evidence', () => {
    const fresh = createIdentifier({ rules: loadRules(), registry: loadMacRegistry(), catalog });
    const asNumber = fresh.identify({ mac: '00:19:07:00:00:65', observations: [obs('bacnet.vendor_id', 5)] });
    const asText = fresh.identify({ mac: '00:19:07:00:00:66', observations: [obs('bacnet.vendor_id', '5')] });
    expect(asNumber.vendor).toBe(asText.vendor);
    const quoted = (id: Identity) =>
      reason(id, 'vendor')?.evidence.find((e) => e.key === 'bacnet.vendor_id')?.value;
    expect(quoted(asNumber)).toBe(5);
    expect(quoted(asText)).toBe('5');
  });

  it('gives each device its own copy: changing one identity leaves the next equal one alone', () => {
    const fresh = createIdentifier({ rules: loadRules(), registry: loadMacRegistry(), catalog });
    const device = { mac: '00:19:07:00:00:65', observations: [obs('bacnet.vendor_id', 5)] };
    const first = fresh.identify(device);
    const before = JSON.stringify(first);
    first.reasons.length = 0;
    first.watchlists.push('x');
    expect(JSON.stringify(fresh.identify(device))).toBe(before);
  });
});
