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
import { copyIdentity } from './identity-copy.js';
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

/** What one observed (key, value) adds to a device's evidence. */
interface Known {
  /** Its number in the keys of `decided` (unique per identifier, never reused). */
  id: number;
  /** Shared by the values of one (key, text). */
  mark: Mark;
  /** A class the value implies as a fact (ot.role, net.service), else null and the rules' claims. */
  serves: { cls: DeviceClass; weight: number } | null;
  claims: readonly Claim[];
  /** Each claim's weight: its certainty × the key's source weight × the generic factor. */
  weights: readonly number[];
  /** The vendor the claims name, if any. */
  ruleVendor: string | null;
  /** The key's protocol (combine.ts: one group counts once). */
  group: string;
}

/** The last identification that read a (key, text). */
interface Mark {
  device: number;
}

/** A piece of evidence plus the vendor its rule named, if any (to weigh its model and firmware). */
interface Read extends Weighted {
  ruleVendor: string | null;
}

/** The observations of a device that add evidence, in order: what its identity is decided from. */
interface Pieces {
  known: Known[];
  facts: EvidenceFact[];
}

function prefix(key: string): string {
  return key.slice(0, key.indexOf('.'));
}

export function createIdentifier({ rules, registry, catalog }: IdentifierDeps): Identifier {
  // The only keys that can add a piece of evidence: those a rule reads, and the two that imply a class.
  const read = new Set<ObservationKey>([...rules.keys(), 'ot.role', 'net.service']);
  // What each distinct (key, value) adds, worked out once: devices share banners, DNS names and
  // fingerprints (the bench inventory: 25 k facts read, 38 distinct). By key, then value: no
  // "key\0value" string is built per observation.
  const known = new Map<string, Map<EvidenceFact['value'], Known>>();
  // (key, text) → its mark: 5 and "5" are one value, as the rules read text.
  const texts = new Map<string, Map<string, Mark>>();
  let cached = 0;
  let knownIds = 0;
  // Identities by what they were decided from (registrant and the pieces of evidence, see
  // evidenceKey): devices share far more often than they differ (the bench inventory: 4,000 devices,
  // 112 distinct), and deciding one costs five decide() calls and a dozen objects.
  const decided = new Map<string, Identity>();
  const pieces: Pieces = { known: [], facts: [] };
  const knownOf = (o: EvidenceFact): Known => {
    let byValue = known.get(o.key);
    if (!byValue) {
      byValue = new Map();
      known.set(o.key, byValue);
    }
    let k = byValue.get(o.value);
    if (!k) {
      k = learn(o);
      byValue.set(o.value, k);
      cached++;
    }
    return k;
  };
  const learn = (o: EvidenceFact): Known => {
    const text = String(o.value);
    let byText = texts.get(o.key);
    if (!byText) {
      byText = new Map();
      texts.set(o.key, byText);
    }
    let mark = byText.get(text);
    if (!mark) {
      mark = { device: 0 };
      byText.set(text, mark);
    }
    const serves =
      (o.key === 'ot.role' ? ROLE_CLASS[text] : o.key === 'net.service' ? SERVICE_CLASS[text] : undefined) ??
      null;
    const claims = serves ? [] : rules.match(o.key, o.value);
    return {
      id: knownIds++,
      mark,
      serves,
      claims,
      weights: claims.map((c) => c.certainty * sourceWeight(o.key) * (c.specific ? 1 : GENERIC_FACTOR)),
      ruleVendor: claims.find((c) => c.field === 'vendor')?.value ?? null,
      group: prefix(o.key),
    };
  };
  /** Identifications so far: the mark of a (key, text) read for the current device. */
  let device = 0;
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

  // A vendor's distinct watch lists, once per vendor (each device gets its own copy).
  const lists = new Map<VendorInfo, string[]>();
  const watchlistsOf = (info: VendorInfo): string[] => {
    let ids = lists.get(info);
    if (!ids) {
      if (lists.size >= MATCH_CACHE_SIZE) lists.clear();
      ids = [...new Set(info.watchlists.map((w) => w.list))];
      lists.set(info, ids);
    }
    return ids;
  };

  /**
   * The observations of a device that add evidence, into `pieces`: those of read keys, the first of
   * each (key, text) (a value repeated under one key, from another source or as 5 and "5", counts
   * once), and only those that imply a class or that a rule claims something of.
   */
  function collect(evidence: DeviceEvidence): void {
    pieces.known.length = 0;
    pieces.facts.length = 0;
    const stamp = ++device;
    const list = evidence.observations;
    for (let i = 0; i < list.length; i++) {
      const o = list[i]!;
      if (!read.has(o.key)) continue;
      const k = knownOf(o);
      if (k.mark.device === stamp) continue;
      k.mark.device = stamp;
      if (k.serves === null && k.claims.length === 0) continue;
      pieces.known.push(k);
      pieces.facts.push(o);
    }
  }

  /** Everything an identity is decided from, as text: equal keys give equal identities. */
  function evidenceKey(registrant: Registrant | null, randomizedMac: boolean): string {
    // Lengths before texts: no organisation name can pass for another's name and country.
    let key = registrant
      ? `${registrant.organisation.length}:${registrant.organisation}${registrant.country?.length ?? -1}:${registrant.country ?? ''}`
      : randomizedMac
        ? 'random'
        : 'none';
    // A Known is one (key, value); its number and the source are all a piece adds.
    for (let i = 0; i < pieces.known.length; i++) key += `|${pieces.known[i]!.id}${pieces.facts[i]!.source}`;
    return key;
  }

  function reads(registrant: Registrant | null): Read[] {
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
    for (let i = 0; i < pieces.known.length; i++) {
      const k = pieces.known[i]!;
      const o = pieces.facts[i]!;
      if (k.serves) {
        out.push({
          field: 'class',
          value: k.serves.cls,
          weight: k.serves.weight,
          evidence: { key: o.key, value: o.value, rule: null, source: o.source },
          group: 'serves',
          ruleVendor: null,
        });
        continue;
      }
      for (let j = 0; j < k.claims.length; j++) {
        const c = k.claims[j]!;
        out.push({
          field: c.field,
          value: c.value,
          weight: k.weights[j]!,
          evidence: { key: o.key, value: o.value, rule: c.rule, source: o.source },
          group: k.group,
          ruleVendor: k.ruleVendor,
        });
      }
    }
    return out;
  }

  function identify(evidence: DeviceEvidence): Identity {
    // Crude but bounded: a full cache starts over rather than growing without limit; only between
    // devices, so a device's marks stay valid while it is read.
    if (cached >= MATCH_CACHE_SIZE || decided.size >= MATCH_CACHE_SIZE) {
      known.clear();
      texts.clear();
      decided.clear();
      cached = 0;
    }
    // One parse gives both flag bits (as isGroupMac and isRandomizedMac read them).
    const m = evidence.mac !== null ? readMac(evidence.mac) : null;
    const mac = m !== null ? evidence.mac : null;
    const group = m?.group ?? false;
    const randomizedMac = m === null ? false : m.local && !m.group;
    // A locally administered or group address has no registrant, whatever a registry might say.
    const registrant = mac !== null && !randomizedMac && !group ? registry.lookup(mac) : null;
    collect(evidence);
    const key = evidenceKey(registrant, randomizedMac);
    let identity = decided.get(key);
    if (identity === undefined) {
      identity = decideIdentity(registrant, randomizedMac);
      decided.set(key, identity);
    }
    return copyIdentity(identity);
  }

  /** The identity of the evidence in `pieces`, with the registrant's. */
  function decideIdentity(registrant: Registrant | null, randomizedMac: boolean): Identity {
    const all = reads(registrant);

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
    if (cls) reasons.push(cls);
    if (model) reasons.push(model);
    if (firmware) reasons.push(firmware);
    if (os) reasons.push(os);
    return {
      vendor: vendor?.value ?? null,
      vendorCountry: info?.country ?? null,
      vendorParent: info?.parent ?? null,
      watchlists: info ? watchlistsOf(info) : [],
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
