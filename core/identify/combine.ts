// Combines weighted pieces of evidence about one identity field into a decision with its
// confidence and the conflicts it beat (docs/identification.md "Combining evidence").
import type { Candidate, Evidence, FieldReason, IdentityField } from '../inventory.js';

export interface Weighted {
  field: IdentityField;
  value: string;
  /** 0..1: the rule's certainty times the weight of the observation's source. */
  weight: number;
  evidence: Evidence;
  /**
   * Pieces of one group are not independent (one protocol's reply, one registry): the group counts
   * once, at its strongest piece. Groups are the observation key's protocol, "registry", "facts".
   */
  group: string;
  /**
   * False for evidence that supports a value but does not speak against others: a chipset maker's
   * OUI is expected inside another maker's product, so it never lowers a rival's confidence.
   */
  rival?: boolean;
}

/** Most evidence entries kept per candidate in a reason: enough to explain, bounded for output size. */
export const MAX_EVIDENCE_PER_CANDIDATE = 8;
/** Most conflicting candidates kept per field. */
export const MAX_CONFLICTS = 5;
/**
 * Below this confidence a field stays null: a lone weak hint (a chipset OUI at 0.15, a Modbus server
 * role at 0.25) is a guess, and fields without evidence are null, never a guess.
 */
export const MIN_DECISION_CONFIDENCE = 0.3;

interface Tally {
  value: string;
  byGroup: Map<string, number>;
  items: Weighted[];
}

/** Free-text fields agree when they differ only in case and spacing ("CPU 315-2 PN/DP"). */
function sameKey(field: IdentityField, value: string): string {
  return field === 'vendor' || field === 'class' ? value : value.toLowerCase().replace(/\s+/g, ' ').trim();
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** One group's chance of being wrong, 1 − w, its weight held to 0..1. */
function missOf(w: number): number {
  return 1 - Math.min(1, Math.max(0, w));
}

/** Noisy-OR over independent groups: 1 − Π(1 − w_g). Two 0.5 sources give 0.75, never above 1. */
function noisyOr(byGroup: ReadonlyMap<string, number>): number {
  let miss = 1;
  for (const w of byGroup.values()) miss *= missOf(w);
  return 1 - miss;
}

/** The winner's confidence: its score less what the best rival takes where it is unsure. */
function confidenceOf(score: number, rival: number): number {
  return Math.max(0, score - rival * (1 - score));
}

function score(t: Tally): number {
  return noisyOr(t.byGroup);
}

/** The part of a candidate's score that may count against another value (rival evidence only). */
function rivalScore(t: Tally): number {
  const byGroup = new Map<string, number>();
  for (const item of t.items) {
    if (item.rival === false) continue;
    byGroup.set(item.group, Math.max(byGroup.get(item.group) ?? 0, item.weight));
  }
  return noisyOr(byGroup);
}

function candidate(t: Pick<Tally, 'value' | 'items'>, confidence: number): Candidate {
  // The tally's list is this decision's own: sorted in place (stable, as the copy was).
  const sorted = t.items.length > 1 ? t.items.sort((a, b) => b.weight - a.weight) : t.items;
  const evidence: Evidence[] = [];
  for (let i = 0; i < sorted.length && i < MAX_EVIDENCE_PER_CANDIDATE; i++)
    evidence.push(sorted[i]!.evidence);
  return { value: t.value, confidence: round(confidence), evidence };
}

/**
 * Decides one field. The strongest candidate wins; its confidence is its score less what the best
 * rival takes away where the winner is unsure: c = s_w − s_r·(1 − s_w). A PLC's own reply (0.95)
 * against a foreign NIC's OUI (0.7) keeps 0.915; two weak rivals (0.6 vs 0.55) leave 0.38.
 * Returns null when there is no evidence, or the winner's confidence is below MIN_DECISION_CONFIDENCE.
 */
export function decide(field: IdentityField, items: readonly Weighted[]): FieldReason | null {
  // Most fields of most devices have no evidence or one piece (5 calls per device): neither makes a
  // map. One piece is the general case below worked out: one candidate, no rival, its own weight.
  let only: Weighted | null = null;
  let pieces = 0;
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    if (item.field !== field || item.weight <= 0) continue;
    only = item;
    if (++pieces > 1) break;
  }
  if (only === null) return null;
  if (pieces === 1) {
    // The noisy-OR of one group (1 − 1·(1 − w) is 1 − (1 − w) exactly), no rival.
    const confidence = confidenceOf(1 - missOf(only.weight), 0);
    if (confidence < MIN_DECISION_CONFIDENCE) return null;
    const won = candidate({ value: only.value, items: [only] }, confidence);
    return { field, value: won.value, confidence: won.confidence, evidence: won.evidence, conflicts: [] };
  }
  let tallies: Map<string, Tally> | null = null;
  for (const item of items) {
    if (item.field !== field || item.weight <= 0) continue;
    tallies ??= new Map();
    const key = sameKey(field, item.value);
    let t = tallies.get(key);
    if (!t) {
      t = { value: item.value, byGroup: new Map(), items: [] };
      tallies.set(key, t);
    }
    t.items.push(item);
    t.byGroup.set(item.group, Math.max(t.byGroup.get(item.group) ?? 0, item.weight));
  }
  if (tallies === null) return null;
  const ranked: { t: Tally; s: number; top: number }[] = [];
  for (const t of tallies.values()) {
    // Display the spelling of the strongest piece ("S7-300", not a lower-cased variant). The tally
    // is this call's own, so it takes the spelling in place.
    const best = t.items.reduce((a, b) => (b.weight > a.weight ? b : a));
    t.value = best.value;
    ranked.push({ t, s: score(t), top: best.weight });
  }
  if (ranked.length > 1)
    ranked.sort((a, b) => b.s - a.s || b.top - a.top || (a.t.value < b.t.value ? -1 : 1));
  const win = ranked[0]!;
  let rival = 0;
  for (let i = 1; i < ranked.length; i++) rival = Math.max(rival, rivalScore(ranked[i]!.t));
  const confidence = confidenceOf(win.s, rival);
  if (confidence < MIN_DECISION_CONFIDENCE) return null;
  // Fields listed, not spread (a spread in a literal copies through the runtime), in the same order.
  const won = candidate(win.t, confidence);
  return {
    field,
    value: won.value,
    confidence: won.confidence,
    evidence: won.evidence,
    conflicts: ranked.slice(1, 1 + MAX_CONFLICTS).map((r) => candidate(r.t, r.s)),
  };
}
