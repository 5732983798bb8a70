// The policy rule language as loaded (signatures/README.md "Policies"): packs of rules, each a
// condition tree over the facts of one device or one connection, a severity, a message and sources.
import type { Severity } from '../inventory.js';
import type { TemplatePart } from './template.js';

export const SEVERITIES = [
  'info',
  'low',
  'medium',
  'high',
  'critical',
] as const satisfies readonly Severity[];

export type SubjectKind = 'device' | 'connection';

/** Where something was written: every problem is reported as `file:line: message`. */
export interface Position {
  file: string;
  line: number;
}

/** A fact's value: wire text, a count, a flag, a list; null when nothing decided it. */
export type FactValue = string | number | boolean | null | readonly string[] | readonly number[];

export type Facts = Readonly<Record<string, FactValue>>;

export const OPERATORS = [
  'eq',
  'ne',
  'in',
  'notIn',
  'matches',
  'exists',
  'gt',
  'gte',
  'lt',
  'lte',
  'contains',
  'containsAny',
] as const;
export type Operator = (typeof OPERATORS)[number];

export type Condition =
  | { kind: 'all'; items: Condition[]; at: Position }
  | { kind: 'any'; items: Condition[]; at: Position }
  | { kind: 'not'; item: Condition; at: Position }
  | {
      kind: 'test';
      field: string;
      op: Operator;
      /** Scalar for eq/ne/gt…, a list for in/notIn/containsAny, a RegExp for matches, a boolean for exists. */
      value: string | number | boolean | RegExp | readonly (string | number)[];
      at: Position;
    };

export interface Rule {
  /** Unique in a resolved policy; by convention "<pack>.<name>". */
  id: string;
  subject: SubjectKind;
  severity: Severity;
  title: string;
  when: Condition;
  /** Template: `{field}` is replaced by that fact once, never re-read as a template. */
  message: string;
  messageParts: TemplatePart[];
  /** Citations (texts from the pack's `sources` table) that justify the rule. */
  sources: string[];
  enabled: boolean;
  /**
   * Connection rules only: connection fields whose values make one finding. Without it, each
   * matching connection is its own finding; with [device.id, country], one per device and country.
   */
  groupBy: string[] | null;
  /** The pack that defined the rule, and the last one that overrode it (if any). */
  pack: string;
  overriddenBy: string | null;
  at: Position;
}

/** Context facts that are not in the records: where the inventory comes from. */
export interface PolicyDefaults {
  /** The operator's home country (ISO 3166-1 alpha-2): "foreign" is relative to it. */
  homeCountry: string | null;
}

export interface Policy {
  /** The packs and files that make it up, in load order (e.g. ["jp-espa", "/etc/originmap/site.yaml"]). */
  sources: string[];
  rules: Rule[];
  defaults: PolicyDefaults;
}

/** Thrown with every problem found, each "file:line: message", never only the first. */
export class PolicyError extends Error {
  override readonly name = 'PolicyError';
  constructor(readonly problems: readonly string[]) {
    super(problems.length === 1 ? problems[0]! : `${problems.length} problems:\n${problems.join('\n')}`);
  }
}

/** Caps on what a policy file may ask for; policy files are operator input, so they are bounded too. */
export const POLICY_LIMITS = {
  /** Bytes per policy file. */
  fileBytes: 1024 * 1024,
  rulesPerFile: 5000,
  /** Nesting of all/any/not. */
  conditionDepth: 16,
  /** Items in one in/notIn/containsAny list. */
  listItems: 1000,
  /** Characters of one `matches` pattern. */
  patternChars: 256,
  messageChars: 1000,
  /** Files reached through `extends`, counting the first. */
  files: 32,
} as const;
