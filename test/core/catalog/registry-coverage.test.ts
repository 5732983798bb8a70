// The catalog against the real IEEE registry (oui-data): every alias must decide at least one
// registrant, and aliases must not claim other companies' registrations.
import { describe, expect, it } from 'vitest';
import { loadVendorCatalog } from '../../../core/catalog/load-vendors.js';
import { normaliseOrganisation } from '../../../core/catalog/registrant-alias.js';
import { loadMacRegistry } from '../../../core/oui/registry.js';

const catalog = loadVendorCatalog();
const registry = loadMacRegistry();
const organisations = new Set<string>();
for (const { registrant } of registry.all()) organisations.add(registrant.organisation);

describe('vendor catalog over the IEEE registry', () => {
  it('every alias decides at least one registrant name', () => {
    const decided = new Set<string>();
    let claimed = 0;
    for (const org of organisations) {
      const v = catalog.byRegistrant(org);
      if (v) decided.add(`${v.name}|${catalog.matchedAlias(org)}`);
      if (v) claimed++;
    }
    const dead: string[] = [];
    for (const v of catalog.all()) {
      for (const a of v.aliases)
        if (!decided.has(`${v.name}|${normaliseOrganisation(a)}`)) dead.push(`${v.name}: ${a}`);
    }
    expect(dead).toEqual([]);
    const withoutOui = catalog
      .all()
      .filter((v) => v.aliases.length === 0)
      .map((v) => v.name);
    console.info(
      `vendors without aliases (no usable IEEE registrant name): ${withoutOui.join(', ') || 'none'}`,
    );
    console.info(
      `${decided.size} aliases name the vendor of ${claimed} of ${organisations.size} registrant names`,
    );
  });

  it('does not claim registrations of other companies with similar names', () => {
    const notClaimed: Record<string, string | undefined> = {
      'Rockwell Collins Canada': undefined,
      'Juniper Systems': undefined,
      'YAMAHA MOTOR CO.,LTD': undefined,
      'Arista Corp': undefined,
      'MURATA MACHINERY, LTD.': undefined,
      'Shanghai Dahua Scale Factory': undefined,
      'Hirschmann Multimedia B.V.': undefined,
      'WatchGuard Video': undefined,
      'Prosoft Systems LTD': undefined,
      'Barracuda Measurement Solutions': undefined,
      'NARI TECH Co., Ltd': undefined,
      'OPPO Digital, Inc.': undefined,
      'Jiangsu Ruichi Broadcom Communications Technoligy Co., Ltd.': undefined,
      'Adtranz Sweden': undefined,
      'Harris Corporation': undefined,
      'Nautel LTD': undefined,
      'ZTEC Instruments, Inc.': undefined,
      'Vanderlande APC inc.': undefined,
      'Siemens Energy Global GmbH & Co. KG': 'Siemens Energy',
      'Fujitsu Siemens Computers': 'Fujitsu',
      'Nokia Siemens Networks GmbH & Co. KG.': 'Nokia',
      'Cisco-Linksys, LLC': 'Linksys',
      'Emerson Network Power, Avocent Division': 'Vertiv',
      'Hewlett Packard Enterprise': 'Hewlett Packard Enterprise',
      'TOSHIBA MITSUBISHI-ELECTRIC INDUSTRIAL SYSTEMS CORPORATION': 'TMEIC',
      'YAMATAKE-HONEYWELL CO., LTD.': 'Azbil',
    };
    for (const [org, vendor] of Object.entries(notClaimed)) {
      expect(organisations.has(org), `registry still lists '${org}'`).toBe(true);
      expect(catalog.byRegistrant(org)?.name, org).toBe(vendor);
    }
  });

  it('keeps the two origin facts apart: registrant CN, vendor Siemens DE', () => {
    const nanjing = [...registry.all()].find((e) =>
      e.registrant.organisation.startsWith('Siemens Numerical Control Ltd., Nanjing'),
    );
    expect(nanjing).toBeDefined();
    const looked = registry.lookup(`${nanjing!.prefix.padEnd(12, '0')}`)!;
    expect(looked.country).toBe('CN');
    const vendor = catalog.byRegistrant(looked.organisation)!;
    expect([vendor.name, vendor.country]).toEqual(['Siemens', 'DE']);
  });

  it('flags chipset registrants so the engine can weigh them lower', () => {
    expect(catalog.byRegistrant('Espressif Inc.')?.chipset).toBe(true);
    expect(catalog.byRegistrant('Hon Hai Precision Ind. Co.,Ltd.')?.chipset).toBe(true);
    expect(catalog.byRegistrant('Hangzhou Hikvision Digital Technology Co.,Ltd.')?.chipset).toBe(false);
  });
});
