// The ingest repository's stored device: its identity key, read from the columns without parsing
// them, is equal to the key of the identity that was written and differs from any other.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Identity } from '../../../core/inventory.js';
import { type Db, openDatabase } from '../../../server/db/database.js';
import { IngestRepo, identityKey, type SeenFacts } from '../../../server/repos/ingest-repo.js';
import { TenancyRepo } from '../../../server/repos/tenancy-repo.js';

const NOW = '2026-01-01T00:00:00.000Z';
const SEEN: SeenFacts = {
  mac: '00:1b:1b:00:00:01',
  ips: ['10.0.0.1'],
  hostnames: ['plc-1'],
  vlans: [7],
  services: [],
  roles: [],
  firstSeen: NOW,
  lastSeen: NOW,
  search: 'plc-1\n',
};
const IDENTITY: Identity = {
  vendor: 'Siemens',
  vendorCountry: 'DE',
  vendorParent: null,
  watchlists: [],
  registrant: 'Siemens AG',
  registrantCountry: 'DE',
  randomizedMac: false,
  class: 'plc',
  model: 'S7-1500 "x"\n<y>',
  firmware: null,
  os: null,
  confidence: 0.85,
  reasons: [
    {
      field: 'vendor',
      value: 'Siemens',
      confidence: 0.85,
      evidence: [{ key: 'snmp.sys_descr', value: 'SIMATIC', rule: 'r1', source: 'passive' }],
      conflicts: [],
    },
  ],
};

let db: Db;
let repo: IngestRepo;
let siteId: number;
let operatorId: number;

beforeEach(() => {
  db = openDatabase({ file: ':memory:' });
  const tenancy = new TenancyRepo(db);
  operatorId = tenancy.createOperator('Op', 'electricity', 'JP', NOW).id;
  siteId = tenancy.createSite(operatorId, 'site', [], NOW).id;
  repo = new IngestRepo(db);
});
afterEach(() => db.close());

function roundTrip(identity: Identity, key = 'mac:00:1b:1b:00:00:01') {
  repo.insertDevice(siteId, operatorId, key, SEEN, identity, 'v1');
  return repo.findDevice(siteId, key)!;
}

describe('stored identity key', () => {
  it('equals the key of the identity written, and the identity reads back whole', () => {
    for (const [i, identity] of [
      IDENTITY,
      { ...IDENTITY, watchlists: ['ndaa-889'], randomizedMac: true, confidence: 1 },
      { ...IDENTITY, vendor: null, class: null, confidence: null, reasons: [] },
    ].entries()) {
      const stored = roundTrip(identity, `ip:10.0.0.${i + 1}`);
      expect(stored.identityKey).toBe(identityKey(identity));
      expect(stored.identity).toEqual(identity);
    }
  });

  it('differs when any field differs, reasons and their order included', () => {
    const stored = roundTrip(IDENTITY);
    const other = (over: Partial<Identity>) => identityKey({ ...IDENTITY, ...over });
    for (const over of [
      { vendor: 'Siemens AG' },
      { vendorParent: 'Siemens' },
      { watchlists: ['x'] },
      { registrantCountry: null },
      { randomizedMac: true },
      { class: 'hmi' as const },
      { model: null },
      { firmware: '2.9' },
      { os: 'VxWorks' },
      { confidence: 0.851 },
      { reasons: [] },
      { reasons: [{ ...IDENTITY.reasons[0]!, confidence: 0.8 }] },
      // The same reason with its keys in another order.
      {
        reasons: [
          Object.fromEntries(Object.entries(IDENTITY.reasons[0]!).reverse()) as Identity['reasons'][0],
        ],
      },
    ]) {
      expect(other(over), JSON.stringify(over)).not.toBe(stored.identityKey);
    }
    // A value cannot pose as the separators: newlines inside are escaped in JSON.
    expect(other({ model: `x"]\n[]\n[` })).not.toBe(other({ model: 'x' }));
  });
});

describe('lookups of a chunk of devices', () => {
  it('find what one-at-a-time lookups find, evidence in the same order, and skip the unknown', () => {
    const keys = Array.from({ length: 30 }, (_, i) => `ip:10.0.1.${i}`);
    keys.forEach((k, i) => {
      const id = repo.insertDevice(siteId, operatorId, k, SEEN, IDENTITY, 'v1');
      // Evidence in an order its primary key does not have, numbers and text mixed.
      repo.insertEvidence(
        [`z-${i}`, 5, 'a', 40, `m-${i}`].map((value, j) => ({
          deviceId: id,
          e: {
            key: j % 2 ? 'ip.ttl' : 'dhcp.hostname',
            value,
            source: 'passive',
            count: j + 1,
            firstSeen: NOW,
            lastSeen: NOW,
          },
        })),
      );
    });
    const asked = [...keys.filter((_, i) => i % 3 !== 0), 'ip:10.9.9.9', 'mac:00:00:00:00:00:09'];
    const found = repo.findDevices(siteId, asked);
    expect([...found.keys()].sort()).toEqual(keys.filter((_, i) => i % 3 !== 0).sort());
    const evidence = repo.evidenceOf([...found.values()].map((d) => d.id));
    for (const [key, d] of found) {
      const one = repo.findDevice(siteId, key)!;
      expect({ ...d, identity: d.identity }).toEqual({ ...one, identity: one.identity });
      expect(evidence.get(d.id)).toEqual(repo.evidence(d.id));
      expect(evidence.get(d.id)).toHaveLength(5);
    }
    expect(repo.findDevices(siteId + 1, asked).size).toBe(0);
    expect(repo.findDevices(siteId, []).size).toBe(0);
    expect(repo.evidenceOf([]).size).toBe(0);
  });
});
