// The compiled rule folder and its matcher: exact-value rules in a Map, patterns in file order,
// first specific match wins and generic rules answer only when no specific rule matched (p0f).
import type { ObservationValue } from '../../observation.js';
import type { ObservationKey } from '../../observation-keys.js';
import type { Claim, RuleMatcher } from '../contracts.js';
import { type CompiledRule, exactKey, matchText } from './rule-types.js';

export interface RuleHit {
  rule: CompiledRule;
  claims: Claim[];
}

class FileRules {
  readonly exact = new Map<string, CompiledRule>();
  readonly specific: CompiledRule[] = [];
  readonly generic: CompiledRule[] = [];
  constructor(readonly all: readonly CompiledRule[]) {
    for (const rule of all) {
      if (rule.exact !== null) this.exact.set(rule.exact, rule);
      else (rule.specific ? this.specific : this.generic).push(rule);
    }
  }

  /** The first rule of one kind (specific or generic) matching, honouring file order across both forms. */
  first(text: string, exact: CompiledRule | undefined, patterns: readonly CompiledRule[]): RuleHit | null {
    const limit = exact ? exact.index : Number.POSITIVE_INFINITY;
    for (const rule of patterns) {
      if (rule.index > limit) break;
      const m = rule.regex!.exec(text);
      if (m) return { rule, claims: claimsOf(rule, m) };
    }
    return exact ? { rule: exact, claims: claimsOf(exact, null) } : null;
  }
}

function claimsOf(rule: CompiledRule, m: RegExpExecArray | null): Claim[] {
  const claims: Claim[] = [];
  for (const [field, param] of Object.entries(rule.params) as [Claim['field'], string | number][]) {
    // A group that did not take part, or captured only blanks, is no evidence: the field is skipped.
    const value = typeof param === 'number' ? (m?.[param] ?? '').trim() : param;
    if (value !== '') {
      claims.push({ field, value, certainty: rule.certainty, rule: rule.ref, specific: rule.specific });
    }
  }
  return claims;
}

export class RuleSet implements RuleMatcher {
  readonly #files = new Map<ObservationKey, FileRules>();
  readonly #keys: ReadonlySet<ObservationKey>;

  constructor(rules: Iterable<CompiledRule>) {
    const byKey = new Map<ObservationKey, CompiledRule[]>();
    for (const rule of rules) {
      const list = byKey.get(rule.key) ?? [];
      list.push(rule);
      byKey.set(rule.key, list);
    }
    for (const [key, list] of byKey)
      this.#files.set(key, new FileRules(list.sort((a, b) => a.index - b.index)));
    this.#keys = new Set(byKey.keys());
  }

  /** The rule that decides a value, with its claims: first specific match, else first generic one. */
  hit(key: ObservationKey, value: ObservationValue): RuleHit | null {
    const file = this.#files.get(key);
    if (!file) return null;
    const text = matchText(value);
    const exact = file.exact.get(exactKey(text));
    return (
      file.first(text, exact?.specific ? exact : undefined, file.specific) ??
      file.first(text, exact?.specific ? undefined : exact, file.generic)
    );
  }

  match(key: ObservationKey, value: ObservationValue): Claim[] {
    return this.hit(key, value)?.claims ?? [];
  }

  keys(): ReadonlySet<ObservationKey> {
    return this.#keys;
  }

  /** Every rule of one key, in file order (all keys when none is given). */
  rules(key?: ObservationKey): readonly CompiledRule[] {
    if (key) return this.#files.get(key)?.all ?? [];
    return [...this.#files.values()].flatMap((f) => f.all);
  }
}
