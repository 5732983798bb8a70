// A deep copy of an identity, field for field in the order identify() writes them (so JSON output
// is the same text): the identifier hands out one decided identity to every device of the same
// evidence, and each device record owns its arrays and reasons.
import type { Candidate, Evidence, FieldReason, Identity } from '../inventory.js';

export function copyIdentity(i: Identity): Identity {
  const reasons: FieldReason[] = [];
  for (let r = 0; r < i.reasons.length; r++) {
    const reason = i.reasons[r]!;
    const conflicts: Candidate[] = [];
    // Most reasons have none: one loop, no function, for the rest.
    for (let c = 0; c < reason.conflicts.length; c++) {
      const x = reason.conflicts[c]!;
      conflicts.push({ value: x.value, confidence: x.confidence, evidence: copyEvidence(x.evidence) });
    }
    reasons.push({
      field: reason.field,
      value: reason.value,
      confidence: reason.confidence,
      evidence: copyEvidence(reason.evidence),
      conflicts,
    });
  }
  return {
    vendor: i.vendor,
    vendorCountry: i.vendorCountry,
    vendorParent: i.vendorParent,
    watchlists: i.watchlists.slice(),
    registrant: i.registrant,
    registrantCountry: i.registrantCountry,
    randomizedMac: i.randomizedMac,
    class: i.class,
    model: i.model,
    firmware: i.firmware,
    os: i.os,
    confidence: i.confidence,
    reasons,
  };
}

function copyEvidence(list: readonly Evidence[]): Evidence[] {
  const out: Evidence[] = [];
  for (let e = 0; e < list.length; e++) {
    const x = list[e]!;
    out.push({ key: x.key, value: x.value, rule: x.rule, source: x.source });
  }
  return out;
}
