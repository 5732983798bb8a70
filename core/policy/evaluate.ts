// Evaluation: every enabled rule against the facts of every device or connection, giving findings
// with stable ids (a hash of rule id and subject identity), filled-in messages and the facts that
// decided them. Pure: the same policy and inventory give the same findings, in the same order.
import { createHash } from 'node:crypto';
import type { ConnectionRecord, DeviceRecord, Finding } from '../inventory.js';
import { type EvaluationContext, FactBuilder } from './facts.js';
import { renderTemplate, templateFields } from './template.js';
import type { Condition, Facts, FactValue, Policy, Rule } from './types.js';

export interface EvaluationInput {
  devices: readonly DeviceRecord[];
  connections: readonly ConnectionRecord[];
  context?: EvaluationContext;
}

/** The identity of a connection: local device, protocol, remote address and port. */
export function connectionKey(
  c: Pick<ConnectionRecord, 'device' | 'proto' | 'remoteIp' | 'remotePort'> &
    Partial<Pick<ConnectionRecord, 'localPort' | 'direction'>>,
): string {
  // Inbound connections have no remote service port: the device's own port names them.
  if (c.direction === 'inbound') return `${c.device}<${c.proto}:${c.remoteIp}:${c.localPort}`;
  return `${c.device}>${c.proto}:${c.remoteIp}:${c.remotePort}`;
}

/** Stable across re-evaluation: the same rule on the same subject always has the same id. */
export function findingId(ruleId: string, subjectKind: 'device' | 'connection', subjectId: string): string {
  const h = createHash('sha256').update(`${ruleId}\n${subjectKind}\n${subjectId}`).digest('hex');
  return `f-${h.slice(0, 24)}`;
}

export function evaluate(policy: Policy, input: EvaluationInput): Finding[] {
  const context = input.context ?? {};
  const home = context.homeCountry !== undefined ? context.homeCountry : policy.defaults.homeCountry;
  const facts = new FactBuilder(input.devices, context, home);
  // Facts are built once per subject, not once per rule: a connection's copy the device's.
  let deviceFacts: Facts[] | null = null;
  let connectionFacts: Facts[] | null = null;
  const out: Finding[] = [];
  for (const rule of policy.rules) {
    if (!rule.enabled) continue;
    const used = usedFields(rule);
    if (rule.subject === 'device') {
      deviceFacts ??= input.devices.map((d) => facts.device(d));
      input.devices.forEach((d, i) => {
        const f = deviceFacts![i]!;
        if (test(rule.when, f)) out.push(finding(rule, 'device', d.id, f, used, d.firstSeen, d.lastSeen));
      });
    } else {
      connectionFacts ??= input.connections.map((c) => facts.connection(c));
      if (rule.groupBy) {
        out.push(...grouped(rule, rule.groupBy, input.connections, connectionFacts, used));
        continue;
      }
      input.connections.forEach((c, i) => {
        const f = connectionFacts![i]!;
        if (test(rule.when, f))
          out.push(finding(rule, 'connection', connectionKey(c), f, used, c.firstSeen, c.lastSeen));
      });
    }
  }
  return out;
}

/** Most values kept per fact in a grouped finding (the message shows five and a count). */
const GROUP_VALUES = 20;

/**
 * One finding per group of matching connections: the grouped fields' common values, every other
 * fact as the list of its distinct values (capped), `connections` as the group's size.
 */
function grouped(
  rule: Rule,
  groupBy: readonly string[],
  connections: readonly ConnectionRecord[],
  facts: readonly Facts[],
  used: readonly string[],
): Finding[] {
  const groups = new Map<string, number[]>();
  connections.forEach((_, i) => {
    const f = facts[i]!;
    if (!test(rule.when, f)) return;
    const key = JSON.stringify(groupBy.map((g) => f[g] ?? null));
    const members = groups.get(key);
    if (members) members.push(i);
    else groups.set(key, [i]);
  });
  const out: Finding[] = [];
  for (const [key, members] of groups) {
    const merged: Record<string, FactValue> = {};
    const fields = new Set([...used, ...templateFields(rule.messageParts)]);
    for (const field of fields) {
      if (groupBy.includes(field)) {
        merged[field] = facts[members[0]!]![field] ?? null;
        continue;
      }
      merged[field] = mergeValues(members.map((i) => facts[i]![field] ?? null));
    }
    merged.connections = members.length;
    let first = connections[members[0]!]!.firstSeen;
    let last = connections[members[0]!]!.lastSeen;
    for (const i of members) {
      const c = connections[i]!;
      if (Date.parse(c.firstSeen) < Date.parse(first)) first = c.firstSeen;
      if (Date.parse(c.lastSeen) > Date.parse(last)) last = c.lastSeen;
    }
    const subject = `group:${groupBy.map((g, n) => `${g}=${String((JSON.parse(key) as unknown[])[n])}`).join(',')}`;
    out.push(finding(rule, 'connection', subject, merged, [...used, 'connections'], first, last));
  }
  return out;
}

/** One value when the group agrees (null when all unknown); otherwise the distinct values, capped. */
function mergeValues(values: readonly FactValue[]): FactValue {
  const first = values[0] ?? null;
  const scalar = !Array.isArray(first);
  if (scalar && values.every((v) => v === first)) return first;
  if (values.every((v) => typeof v === 'boolean' || v === null)) return null;
  const out: (string | number)[] = [];
  for (const v of values)
    for (const x of Array.isArray(v) ? v : [v])
      if ((typeof x === 'string' || typeof x === 'number') && !out.includes(x) && out.length < GROUP_VALUES)
        out.push(x);
  return out as string[];
}

function finding(
  rule: Rule,
  kind: 'device' | 'connection',
  subjectId: string,
  facts: Facts,
  used: readonly string[],
  firstSeen: string,
  lastSeen: string,
): Finding {
  const kept: Record<string, unknown> = {};
  for (const field of used) kept[field] = facts[field] ?? null;
  return {
    id: findingId(rule.id, kind, subjectId),
    rule: rule.id,
    severity: rule.severity,
    subject: { kind, id: subjectId },
    message: renderTemplate(rule.messageParts, facts),
    facts: kept,
    firstSeen,
    lastSeen,
    status: 'open',
  };
}

/** The facts a finding keeps: the subject's identity, what the rule tested and what it printed. */
function usedFields(rule: Rule): string[] {
  const fields = new Set<string>(
    rule.subject === 'device'
      ? ['id']
      : ['device.id', 'direction', 'proto', 'remoteIp', 'remotePort', 'localPort'],
  );
  const walk = (c: Condition): void => {
    if (c.kind === 'test') fields.add(c.field);
    else if (c.kind === 'not') walk(c.item);
    else c.items.forEach(walk);
  };
  walk(rule.when);
  for (const f of templateFields(rule.messageParts)) fields.add(f);
  // Where otSegment decided, say how it was decided.
  for (const f of [...fields]) if (f.endsWith('otSegment')) fields.add(`${f}Basis`);
  return [...fields];
}

export function test(c: Condition, facts: Facts): boolean {
  switch (c.kind) {
    case 'all':
      return c.items.every((item) => test(item, facts));
    case 'any':
      return c.items.some((item) => test(item, facts));
    case 'not':
      return !test(c.item, facts);
    case 'test':
      return compare(c, facts[c.field] ?? null);
  }
}

type Test = Extract<Condition, { kind: 'test' }>;

function same(a: string | number | boolean, b: unknown): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.toLowerCase() === b.toLowerCase();
  return a === b;
}

/** Unknown (null) never compares: only `exists: false` matches it. */
function compare(t: Test, value: FactValue): boolean {
  const isList = Array.isArray(value);
  if (t.op === 'exists') {
    const present = value !== null && (!isList || (value as readonly unknown[]).length > 0);
    return present === t.value;
  }
  if (value === null) return false;
  const expected = t.value;
  switch (t.op) {
    case 'eq':
      return same(expected as string | number | boolean, value);
    case 'ne':
      return !same(expected as string | number | boolean, value);
    case 'in':
      return (expected as readonly (string | number)[]).some((e) => same(e, value));
    case 'notIn':
      return !(expected as readonly (string | number)[]).some((e) => same(e, value));
    case 'matches': {
      const re = expected as RegExp;
      return isList ? (value as readonly unknown[]).some((v) => re.test(String(v))) : re.test(String(value));
    }
    case 'gt':
      return typeof value === 'number' && value > (expected as number);
    case 'gte':
      return typeof value === 'number' && value >= (expected as number);
    case 'lt':
      return typeof value === 'number' && value < (expected as number);
    case 'lte':
      return typeof value === 'number' && value <= (expected as number);
    case 'contains':
      return isList && (value as readonly unknown[]).some((v) => same(expected as string | number, v));
    case 'containsAny':
      return (
        isList &&
        (expected as readonly (string | number)[]).some((e) =>
          (value as readonly unknown[]).some((v) => same(e, v)),
        )
      );
  }
}
