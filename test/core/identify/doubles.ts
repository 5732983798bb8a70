// Test doubles for the identification seams: a small vendor catalog and MAC registry with the same
// behaviour as the real ones (core/identify/contracts.ts), so engine tests pin the engine alone.
import type {
  MacRegistry,
  Registrant,
  VendorCatalog,
  VendorInfo,
  WatchlistMembership,
} from '../../../core/identify/contracts.js';
import type { DeviceClass, ObservationSummary } from '../../../core/inventory.js';
import type { ObservationSource } from '../../../core/observation.js';
import type { ObservationKey } from '../../../core/observation-keys.js';

const NDAA: WatchlistMembership = {
  list: 'ndaa-889',
  since: '2018-08-13',
  source: 'Pub. L. 115-232 sec. 889',
};
const FCC: WatchlistMembership = { list: 'fcc-covered-list', since: '2021-03-12', source: 'FCC DA 21-309' };

// name, country, classes, chipset, registrant alias prefixes
const TABLE: [string, string, DeviceClass[], boolean, string[], WatchlistMembership[]?][] = [
  ['Huawei', 'CN', ['router', 'switch'], false, ['huawei'], [NDAA, FCC]],
  ['ZTE', 'CN', ['router'], false, ['zte'], [NDAA, FCC]],
  ['Hytera', 'CN', ['base-station'], false, ['hytera'], [NDAA, FCC]],
  ['Hikvision', 'CN', ['camera', 'nvr'], false, ['hangzhou hikvision'], [NDAA, FCC]],
  ['Dahua', 'CN', ['camera', 'nvr'], false, ['zhejiang dahua'], [NDAA, FCC]],
  ['DJI', 'CN', ['drone'], false, ['sz dji', 'dji'], [FCC]],
  ['Ezviz', 'CN', ['camera'], false, ['ezviz']],
  ['Uniview', 'CN', ['camera'], false, ['zhejiang uniview']],
  ['Siemens', 'DE', ['plc', 'switch', 'hmi'], false, ['siemens']],
  ['Rockwell Automation', 'US', ['plc'], false, ['rockwell automation']],
  ['Schneider Electric', 'FR', ['plc'], false, ['schneider electric']],
  ['Johnson Controls', 'IE', ['building-controller'], false, ['johnson controls']],
  ['Moxa', 'TW', ['switch', 'gateway'], false, ['moxa']],
  ['TP-Link', 'CN', ['router', 'access-point'], false, ['tp-link']],
  ['Mitsubishi Electric', 'JP', ['plc'], false, ['mitsubishi electric']],
  ['Espressif', 'CN', ['iot'], true, ['espressif']],
  ['Realtek', 'TW', [], true, ['realtek']],
  ['Intel', 'US', [], true, ['intel']],
  ['Cisco', 'US', ['router', 'switch'], false, ['cisco']],
];
const OTHER_NAMES = [
  'Nokia',
  'Ericsson',
  'NEC',
  'Fujitsu',
  'Juniper Networks',
  'H3C',
  'Ruijie Networks',
  'MikroTik',
  'Fortinet',
  'Yamaha',
  'Allied Telesis',
  'Hirschmann',
  'Belden',
  'Arista Networks',
  'Extreme Networks',
  'Palo Alto Networks',
  'Ubiquiti',
  'Netgear',
  'D-Link',
  'Zyxel',
  'FiberHome',
  'ABB',
  'Emerson',
  'Rosemount',
  'Honeywell',
  'Yokogawa',
  'Omron',
  'Keyence',
  'Fuji Electric',
  'Hitachi',
  'Toshiba',
  'Beckhoff',
  'Phoenix Contact',
  'WAGO',
  'General Electric',
  'GE Vernova',
  'Hollysys',
  'Supcon',
  'Inovance',
  'Delta Electronics',
  'Schweitzer Engineering Laboratories',
  'Axis Communications',
  'i-PRO',
  'Hanwha Vision',
  'Autel Robotics',
  'Parrot',
  'Skydio',
  'ACSL',
  'Apple',
  'Dell',
  'HP',
  'Hewlett Packard Enterprise',
  'Lenovo',
  'Motorola Mobility',
  'VMware',
  'Samsung',
  'Microsoft',
  'Raspberry Pi',
  'MediaTek',
  'Broadcom',
  'Qualcomm',
  'Quectel',
  'Murata',
  'AzureWave',
  'Texas Instruments',
  'u-blox',
  'Silicon Labs',
];

class DoubleCatalog implements VendorCatalog {
  readonly #byName = new Map<string, VendorInfo>();
  readonly #aliases: [string, VendorInfo][] = [];
  constructor() {
    for (const [name, country, classes, chipset, aliases, watchlists = []] of TABLE) {
      const info: VendorInfo = { name, country, parent: null, classes, chipset, watchlists };
      this.#byName.set(name, info);
      for (const a of aliases) this.#aliases.push([a, info]);
    }
    for (const name of OTHER_NAMES) {
      this.#byName.set(name, {
        name,
        country: 'ZZ',
        parent: null,
        classes: [],
        chipset: false,
        watchlists: [],
      });
    }
  }
  byName(name: string): VendorInfo | undefined {
    return this.#byName.get(name);
  }
  byRegistrant(organisation: string): VendorInfo | undefined {
    const org = organisation.toLowerCase();
    return this.#aliases.find(([a]) => org.startsWith(a))?.[1];
  }
  all(): readonly VendorInfo[] {
    return [...this.#byName.values()];
  }
}

export const testCatalog: VendorCatalog = new DoubleCatalog();

/** A registry of a few MA-L prefixes (IEEE public listing), enough for engine tests. */
export const testRegistry: MacRegistry = {
  lookup(mac: string): Registrant | null {
    const first = Number.parseInt(mac.slice(0, 2), 16);
    if (first & 0x03) return null;
    const table: Record<string, Registrant> = {
      '00:1b:1b': { organisation: 'Siemens AG', country: 'DE', prefixBits: 24 },
      '00:90:e8': { organisation: 'Moxa Technologies Corp., Ltd.', country: 'TW', prefixBits: 24 },
      '50:c7:bf': { organisation: 'TP-LINK TECHNOLOGIES CO.,LTD.', country: 'CN', prefixBits: 24 },
      '10:4b:46': { organisation: 'Mitsubishi Electric Corporation', country: 'JP', prefixBits: 24 },
      '00:1d:9c': { organisation: 'Rockwell Automation', country: 'US', prefixBits: 24 },
      '24:0a:c4': { organisation: 'Espressif Inc.', country: 'CN', prefixBits: 24 },
      'c0:56:e3': {
        organisation: 'Hangzhou Hikvision Digital Technology Co.,Ltd.',
        country: 'CN',
        prefixBits: 24,
      },
      '00:1e:c9': { organisation: 'Dell Inc.', country: 'US', prefixBits: 24 },
      '00:e0:4c': { organisation: 'REALTEK SEMICONDUCTOR CORP.', country: 'TW', prefixBits: 24 },
    };
    return table[mac.slice(0, 8)] ?? null;
  },
};

/** An aggregated observation as the observe stage will hand it to the engine. */
export function obs(
  key: ObservationKey,
  value: string | number,
  source: ObservationSource = 'passive',
): ObservationSummary {
  return {
    key,
    value,
    source,
    count: 1,
    firstSeen: '2024-01-01T00:00:00.000Z',
    lastSeen: '2024-01-01T00:00:00.000Z',
  };
}
