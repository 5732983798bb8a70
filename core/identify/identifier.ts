// The identification engine (DESIGN.md §3 "Device", docs/identification.md): every observation of a
// device goes through the rules, the MAC through the registry, and each identity field is decided
// from all the claims together, with its confidence, its evidence and the conflicts it beat.
import type { DeviceClass, Evidence, FieldReason, Identity } from '../inventory.js';
import type { ObservationKey } from '../observation-keys.js';
import { readMac } from '../oui/mac.js';
import { decide, type Weighted } from './combine.js';
import type {
  Claim,
  DeviceEvidence,
  EvidenceFact,
  Identifier,
  MacRegistry,
  Registrant,
  RuleMatcher,
  VendorCatalog,
  VendorInfo,
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
  // The only keys that can add a piece of evidence: those a rule reads, and the two that imply a class.
  const read = new Set<ObservationKey>([...rules.keys(), 'ot.role', 'net.service']);
  // Claims by key, then value: no "key\0value" string is built per observation.
  const cache = new Map<string, Map<EvidenceFact['value'], Claim[]>>();
  let cached = 0;
  const match = (o: EvidenceFact): Claim[] => {
    let byValue = cache.get(o.key);
    if (!byValue) {
      byValue = new Map();
      cache.set(o.key, byValue);
    }
    let claims = byValue.get(o.value);
    if (!claims) {
      // Crude but bounded: a full cache starts over rather than growing without limit.
      if (cached >= MATCH_CACHE_SIZE) {
        for (const m of cache.values()) m.clear();
        cached = 0;
      }
      claims = rules.match(o.key, o.value);
      byValue.set(o.value, claims);
      cached++;
    }
    return claims;
  };
  // Devices of one maker share a few registrant names; normalising one for the alias match costs
  // ~20 us (NFKD, two regexes), so each name is matched once (bounded like the claims).
  const vendorOfRegistrant = new Map<string, VendorInfo | undefined>();
  const byRegistrant = (organisation: string): VendorInfo | undefined => {
    if (vendorOfRegistrant.has(organisation)) return vendorOfRegistrant.get(organisation);
    if (vendorOfRegistrant.size >= MATCH_CACHE_SIZE) vendorOfRegistrant.clear();
    const v = catalog.byRegistrant(organisation);
    vendorOfRegistrant.set(organisation, v);
    return v;
  };

  function reads(evidence: DeviceEvidence, registrant: Registrant | null): Read[] {
    const out: Read[] = [];
    if (registrant) {
      const v = byRegistrant(registrant.organisation);
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
    let seen: Map<string, Set<string>> | null = null;
    for (const o of evidence.observations) {
      if (!read.has(o.key)) continue;
      // A value repeated under one key (from another source) counts once.
      seen ??= new Map();
      let values = seen.get(o.key);
      if (!values) {
        values = new Set();
        seen.set(o.key, values);
      }
      const text = String(o.value); // 5 and "5" are one value, as the rules read text
      if (values.has(text)) continue;
      values.add(text);
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
    // One parse gives both flag bits (as isGroupMac and isRandomizedMac read them).
    const m = evidence.mac !== null ? readMac(evidence.mac) : null;
    const mac = m !== null ? evidence.mac : null;
    const group = m?.group ?? false;
    const randomizedMac = m === null ? false : m.local && !m.group;
    // A locally administered or group address has no registrant, whatever a registry might say.
    const registrant = mac !== null && !randomizedMac && !group ? registry.lookup(mac) : null;
    const all = reads(evidence, registrant);

    const vendor = decide('vendor', all);
    const info = vendor ? catalog.byName(vendor.value) : undefined;
    // Model and firmware read by a rule of another vendor than the decided one count for less.
    // Without a vendor nothing is adjusted or added: the reads are used as they are.
    const adjusted = vendor
      ? all.map((r) =>
          r.ruleVendor && r.ruleVendor !== vendor.value && (r.field === 'model' || r.field === 'firmware')
            ? { ...r, weight: r.weight * OFF_VENDOR_FACTOR }
            : r,
        )
      : all;
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
    // Reasons in field order: vendor, class, model, firmware, os.
    const reasons: FieldReason[] = vendor ? [vendor] : [];
    const cls = decide('class', adjusted);
    const model = decide('model', adjusted);
    const firmware = decide('firmware', adjusted);
    const os = decide('os', adjusted);
    for (const r of [cls, model, firmware, os]) if (r) reasons.push(r);
    return {
      vendor: vendor?.value ?? null,
      vendorCountry: info?.country ?? null,
      vendorParent: info?.parent ?? null,
      watchlists: info ? [...new Set(info.watchlists.map((w) => w.list))] : [],
      registrant: registrant?.organisation ?? null,
      registrantCountry: registrant?.country ?? null,
      randomizedMac,
      class: (cls?.value ?? null) as DeviceClass | null,
      model: model?.value ?? null,
      firmware: firmware?.value ?? null,
      os: os?.value ?? null,
      confidence: vendor ? vendor.confidence : null,
      reasons,
    };
  }

  return { identify, keys: read };
}
