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
  c: Pick<ConnectionRecord, 'device' | 'proto' | 'remoteIp' | 'remotePort'>,
): string {
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
      input.connections.forEach((c, i) => {
        const f = connectionFacts![i]!;
        if (test(rule.when, f))
          out.push(finding(rule, 'connection', connectionKey(c), f, used, c.firstSeen, c.lastSeen));
      });
    }
  }
  return out;
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
    rule.subject === 'device' ? ['id'] : ['device.id', 'proto', 'remoteIp', 'remotePort'],
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
