// `originmap analyze --unknown`: observed values of rule-bearing keys that no specific rule decided,
// printed as rule stubs (signatures/README.md "Rule files") ready to complete and paste.
import { stringify } from '../catalog/yaml-lib.js';
import { escapeInvisible } from '../escape-invisible.js';
import type { ObservationSummary } from '../inventory.js';
import type { ObservationKey } from '../observation-keys.js';
import type { RuleMatcher } from './contracts.js';

export interface UnknownValue {
  key: ObservationKey;
  value: string;
  /** Devices the value was seen on. */
  devices: number;
  /** Times it was seen, over all devices. */
  count: number;
}

export interface UnknownOptions {
  /** Most values listed (the most widespread first); the rest are counted in `omitted`. */
  limit?: number;
}

/** Longest value a stub quotes: a banner longer than this is cut (and its pattern left open). */
export const MAX_STUB_VALUE = 200;
export const DEFAULT_UNKNOWN_LIMIT = 200;

/**
 * Values that no specific rule matched (a generic rule's answer does not count as known: it is the
 * fallback a specific rule should replace). Sorted by devices, then count, then key and value.
 */
export function unknownValues(
  devices: readonly { observations: readonly ObservationSummary[] }[],
  rules: RuleMatcher,
  options: UnknownOptions = {},
): { values: UnknownValue[]; omitted: number } {
  const keys = rules.keys();
  const seen = new Map<string, UnknownValue>();
  const known = new Map<string, boolean>();
  for (const device of devices) {
    const mine = new Set<string>();
    for (const o of device.observations) {
      if (!keys.has(o.key)) continue;
      const id = `${o.key}\u0000${o.value}`;
      let isKnown = known.get(id);
      if (isKnown === undefined) {
        isKnown = rules.match(o.key, o.value).some((c) => c.specific);
        known.set(id, isKnown);
      }
      if (isKnown) continue;
      let u = seen.get(id);
      if (!u) {
        u = { key: o.key, value: String(o.value), devices: 0, count: 0 };
        seen.set(id, u);
      }
      u.count += o.count;
      if (!mine.has(id)) {
        mine.add(id);
        u.devices += 1;
      }
    }
  }
  const all = [...seen.values()].sort(
    (a, b) =>
      b.devices - a.devices ||
      b.count - a.count ||
      (a.key < b.key ? -1 : a.key > b.key ? 1 : a.value < b.value ? -1 : a.value > b.value ? 1 : 0),
  );
  const limit = options.limit ?? DEFAULT_UNKNOWN_LIMIT;
  return { values: all.slice(0, limit), omitted: Math.max(0, all.length - limit) };
}

/** A regex that matches exactly this text; non-printable characters as \uXXXX escapes. */
export function escapePattern(text: string): string {
  return text
    .replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')
    .replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function slug(text: string): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return s || 'value';
}

/** Numeric-id keys get an exact-value stub; text keys a pattern anchored on the whole value. */
function isNumericId(u: UnknownValue): boolean {
  return /^(?:\d+|0x[0-9a-f]+)$/i.test(u.value) && /(?:_id|\.device_type|\.enterprise)$/.test(u.key);
}

/** YAML text for the stubs, grouped by rule file; every field to complete says TODO. */
export function formatUnknownRules(values: readonly UnknownValue[], omitted = 0): string {
  const byKey = new Map<ObservationKey, UnknownValue[]>();
  for (const u of values) byKey.set(u.key, [...(byKey.get(u.key) ?? []), u]);
  const out: string[] = [];
  for (const key of [...byKey.keys()].sort()) {
    out.push(`# ---- signatures/rules/${key}.yaml: paste under "rules:" and complete every TODO ----`);
    const ids = new Set<string>();
    for (const u of byKey.get(key)!) {
      const cut = u.value.length > MAX_STUB_VALUE;
      const value = cut ? u.value.slice(0, MAX_STUB_VALUE) : u.value;
      let id = `todo-${slug(value)}`;
      for (let n = 2; ids.has(id); n++) id = `todo-${slug(value)}-${n}`;
      ids.add(id);
      const rule: Record<string, unknown> = { id };
      if (isNumericId(u)) rule.value = /^\d+$/.test(u.value) ? Number(u.value) : u.value;
      else rule.pattern = `^${escapePattern(value)}${cut ? '' : '$'}`;
      Object.assign(rule, {
        description: 'TODO: what device or software sends this',
        params: { vendor: 'TODO' },
        certainty: 0.8,
        source: `TODO: where this value is documented (seen on ${u.devices} device(s), ${u.count} time(s))`,
        examples: [{ value: rule.value ?? value, expect: { vendor: 'TODO' } }],
      });
      out.push(
        // The YAML writer leaves DEL, C1 and bidi characters raw inside double quotes.
        escapeInvisible(
          stringify([rule], { lineWidth: 0, defaultStringType: 'QUOTE_DOUBLE', defaultKeyType: 'PLAIN' }),
        )
          .trimEnd()
          .split('\n')
          .map((line) => `  ${line}`)
          .join('\n'),
      );
    }
  }
  if (omitted > 0) out.push(`# ${omitted} more unknown value(s) not shown (raise the limit to see them)`);
  return out.length ? `${out.join('\n')}\n` : '';
}
