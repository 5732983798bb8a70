// A small deterministic Identifier for server tests: reads a few observation keys with fixed
// rules, gives each decided field its evidence. The real engine (core/identify) is wired by the CLI.
import type { DeviceEvidence, Identifier } from '../../core/identify/contracts.js';
import { type DeviceClass, emptyIdentity, type FieldReason, type Identity } from '../../core/inventory.js';

interface Rule {
  test: RegExp;
  vendor: string;
  country: string;
  watchlists: string[];
  class: DeviceClass;
}

const RULES: Rule[] = [
  { test: /huawei/i, vendor: 'Huawei', country: 'CN', watchlists: ['ndaa-889'], class: 'router' },
  { test: /hikvision/i, vendor: 'Hikvision', country: 'CN', watchlists: ['ndaa-889'], class: 'camera' },
  { test: /siemens|simatic/i, vendor: 'Siemens', country: 'DE', watchlists: [], class: 'plc' },
];

export class FakeIdentifier implements Identifier {
  calls = 0;
  /** Flip to change what the "signatures" decide (re-identification tests). */
  constructor(readonly extraRules: Rule[] = []) {}

  identify(evidence: DeviceEvidence): Identity {
    this.calls++;
    const identity = emptyIdentity(evidence.mac);
    for (const rule of [...this.extraRules, ...RULES]) {
      const hit = evidence.observations.find((o) => typeof o.value === 'string' && rule.test.test(o.value));
      if (!hit) continue;
      const ev = [
        {
          key: hit.key,
          value: hit.value,
          rule: `${hit.key}:${rule.vendor.toLowerCase()}`,
          source: hit.source,
        },
      ];
      const reason = (field: FieldReason['field'], value: string): FieldReason => ({
        field,
        value,
        confidence: 0.9,
        evidence: ev,
        conflicts: [],
      });
      identity.vendor = rule.vendor;
      identity.vendorCountry = rule.country;
      identity.watchlists = rule.watchlists;
      identity.class = rule.class;
      identity.confidence = 0.9;
      identity.reasons = [reason('vendor', rule.vendor), reason('class', rule.class)];
      break;
    }
    return identity;
  }
}
