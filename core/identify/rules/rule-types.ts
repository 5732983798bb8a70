// The shape of one identification rule (signatures/README.md "Rule files"), as loaded and compiled.
import type { IdentityField } from '../../inventory.js';
import type { ObservationKey } from '../../observation-keys.js';

/** A param is a fixed value, or the number of the capture group that holds it. */
export type ParamValue = string | number;

export interface RuleExample {
  value: string;
  /** The fields (and only those) this value must yield. */
  expect: Partial<Record<IdentityField, string>>;
  line: number;
}

export interface CompiledRule {
  /** "<file stem>:<id>", the id reported in claims and reasons. */
  ref: string;
  id: string;
  key: ObservationKey;
  /** Position in its file: the first matching rule of a file wins. */
  index: number;
  /** Regex source, or null for an exact-value rule. */
  pattern: string | null;
  regex: RegExp | null;
  /** Exact-value rules: the normalised value (trimmed, lower case). */
  exact: string | null;
  description: string;
  params: Partial<Record<IdentityField, ParamValue>>;
  certainty: number;
  specific: boolean;
  source: string;
  examples: RuleExample[];
  /** Where the rule starts, for messages. */
  file: string;
  line: number;
}

/** Fields a capture group may fill; vendor and class must be fixed so they stay in the vocabulary. */
export const GROUP_FIELDS: ReadonlySet<IdentityField> = new Set(['model', 'firmware', 'os']);

/**
 * Longest value a rule sees. Observations are already cut at 512 characters (core/observation.ts);
 * the cap bounds matching time whatever a caller passes.
 */
export const MAX_MATCH_LENGTH = 600;

/** Normalises a value for exact lookup: numbers and strings alike, trimmed, case folded. */
export function exactKey(value: string | number): string {
  return String(value).trim().toLowerCase();
}

/** The text a pattern is run on: the value as a string, capped. */
export function matchText(value: string | number): string {
  const text = String(value);
  return text.length > MAX_MATCH_LENGTH ? text.slice(0, MAX_MATCH_LENGTH) : text;
}
