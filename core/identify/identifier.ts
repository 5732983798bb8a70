// The identification engine (DESIGN.md §3 "Device", docs/identification.md): every observation of a
// device goes through the rules, the MAC through the registry, and each identity field is decided
// from all the claims together, with its confidence, its evidence and the conflicts it beat.
import type {
  DeviceClass,
  Evidence,
  FieldReason,
  Identity,
  IdentityField,
  ObservationSummary,
} from '../inventory.js';
import { isGroupMac, isRandomizedMac, macHex } from '../oui/mac.js';
import { decide, type Weighted } from './combine.js';
import type {
  Claim,
  DeviceEvidence,
  Identifier,
  MacRegistry,
  Registrant,
  RuleMatcher,
  VendorCatalog,
} from './contracts.js';
import {
  CATALOG_CLASS_WEIGHT,
  GENERIC_FACTOR,
  OFF_VENDOR_FACTOR,
  OUI_CHIPSET_WEIGHT,
  OUI_VENDOR_WEIGHT,
  ROLE_CLASS,
  SERVICE_CLASS,
  sourceWeight,
} from './weights.js';

export interface IdentifierDeps {
  rules: RuleMatcher;
  registry: MacRegistry;
  catalog: VendorCatalog;
}

/** Distinct values matched and remembered: devices share banners, DNS names and fingerprints. */
export const MATCH_CACHE_SIZE = 20_000;

/** A piece of evidence plus the vendor its rule named, if any (to weigh its model and firmware). */
interface Read extends Weighted {
  ruleVendor: string | null;
}

function prefix(key: string): string {
  return key.slice(0, key.indexOf('.'));
}

export function createIdentifier({ rules, registry, catalog }: IdentifierDeps): Identifier {
  const keys = rules.keys();
  const cache = new Map<string, Claim[]>();
  const match = (o: ObservationSummary): Claim[] => {
    if (!keys.has(o.key)) return [];
    const id = `${o.key}\u0000${o.value}`;
    let claims = cache.get(id);
    if (!claims) {
      // Crude but bounded: a full cache starts over rather than growing without limit.
      if (cache.size >= MATCH_CACHE_SIZE) cache.clear();
      claims = rules.match(o.key, o.value);
      cache.set(id, claims);
    }
    return claims;
  };

  function reads(evidence: DeviceEvidence, registrant: Registrant | null): Read[] {
    const out: Read[] = [];
    if (registrant) {
      const v = catalog.byRegistrant(registrant.organisation);
      if (v) {
        out.push({
          field: 'vendor',
          value: v.name,
          weight: v.chipset ? OUI_CHIPSET_WEIGHT : OUI_VENDOR_WEIGHT,
          evidence: { key: 'oui.registrant', value: registrant.organisation, rule: null, source: 'registry' },
          group: 'registry',
          rival: !v.chipset,
          ruleVendor: null,
        });
      }
    }
    const seen = new Set<string>();
    for (const o of evidence.observations) {
      const id = `${o.key}\u0000${o.value}`;
      if (seen.has(id)) continue;
      seen.add(id);
      const fact =
        o.key === 'ot.role'
          ? ROLE_CLASS[String(o.value)]
          : o.key === 'net.service'
            ? SERVICE_CLASS[String(o.value)]
            : undefined;
      if (fact) {
        out.push({
          field: 'class',
          value: fact.cls,
          weight: fact.weight,
          evidence: { key: o.key, value: o.value, rule: null, source: o.source },
          group: 'serves',
          ruleVendor: null,
        });
        continue;
      }
      const claims = match(o);
      const ruleVendor = claims.find((c) => c.field === 'vendor')?.value ?? null;
      for (const c of claims) {
        out.push({
          field: c.field,
          value: c.value,
          weight: c.certainty * sourceWeight(o.key) * (c.specific ? 1 : GENERIC_FACTOR),
          evidence: { key: o.key, value: o.value, rule: c.rule, source: o.source },
          group: prefix(o.key),
          ruleVendor,
        });
      }
    }
    return out;
  }

  function identify(evidence: DeviceEvidence): Identity {
    const mac = evidence.mac !== null && macHex(evidence.mac) !== null ? evidence.mac : null;
    const group = mac !== null && isGroupMac(mac);
    const randomizedMac = mac !== null && !group && isRandomizedMac(mac);
    // A locally administered or group address has no registrant, whatever a registry might say.
    const registrant = mac !== null && !randomizedMac && !group ? registry.lookup(mac) : null;
    const all = reads(evidence, registrant);

    const vendor = decide('vendor', all);
    const info = vendor ? catalog.byName(vendor.value) : undefined;
    // Model and firmware read by a rule of another vendor than the decided one count for less.
    const adjusted = all.map((r) =>
      vendor &&
      r.ruleVendor &&
      r.ruleVendor !== vendor.value &&
      (r.field === 'model' || r.field === 'firmware')
        ? { ...r, weight: r.weight * OFF_VENDOR_FACTOR }
        : r,
    );
    if (vendor && info && info.classes.length === 1) {
      const top = vendor.evidence[0]!;
      const why: Evidence = { key: top.key, value: info.name, rule: null, source: 'catalog' };
      adjusted.push({
        field: 'class',
        value: info.classes[0]!,
        weight: CATALOG_CLASS_WEIGHT * vendor.confidence,
        evidence: why,
        group: 'catalog',
        ruleVendor: null,
      });
    }
    const decided = new Map<IdentityField, FieldReason>();
    if (vendor) decided.set('vendor', vendor);
    for (const field of ['class', 'model', 'firmware', 'os'] as const) {
      const reason = decide(field, adjusted);
      if (reason) decided.set(field, reason);
    }
    const value = (f: IdentityField) => decided.get(f)?.value ?? null;
    return {
      vendor: value('vendor'),
      vendorCountry: info?.country ?? null,
      vendorParent: info?.parent ?? null,
      watchlists: info ? [...new Set(info.watchlists.map((w) => w.list))] : [],
      registrant: registrant?.organisation ?? null,
      registrantCountry: registrant?.country ?? null,
      randomizedMac,
      class: value('class') as DeviceClass | null,
      model: value('model'),
      firmware: value('firmware'),
      os: value('os'),
      confidence: vendor ? vendor.confidence : null,
      reasons: [...decided.values()],
    };
  }

  return { identify };
}
