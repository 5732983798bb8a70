// Parses and checks a rule's `when:` tree: all/any/not, field tests with an operator, values
// checked against the field's type and vocabulary, patterns bounded. Every problem is reported.
import type { Node as YamlNode } from 'yaml';
import { backtrackingHazard, runnablePattern } from '../identify/rules/safe-pattern.js';
import { isCountryCode } from '../vocabulary/countries.js';
import { type Condition, OPERATORS, type Operator, POLICY_LIMITS, type SubjectKind } from './types.js';
import { type FieldSpec, type FieldType, fieldsOf, OPERATORS_BY_TYPE, vocabularyOf } from './vocabulary.js';
import { didYouMean, entriesOf, isMapNode, isSeqNode, type Problems, scalarOf } from './yaml-reader.js';

export interface ConditionContext {
  subject: SubjectKind;
  problems: Problems;
  watchlists: ReadonlySet<string>;
}

const LIST_TYPES: ReadonlySet<FieldType> = new Set(['list', 'watchlists', 'numberList']);

export function parseCondition(node: YamlNode | null, ctx: ConditionContext, depth = 0): Condition | null {
  const { problems } = ctx;
  if (depth > POLICY_LIMITS.conditionDepth) {
    problems.add(node, `conditions nest deeper than ${POLICY_LIMITS.conditionDepth} levels`);
    return null;
  }
  if (!isMapNode(node)) {
    problems.add(
      node,
      'a condition is a mapping: `field: value`, `all: [...]`, `any: [...]` or `not: {...}`',
    );
    return null;
  }
  const at = problems.at(node);
  const parts: Condition[] = [];
  let ok = true;
  const entries = entriesOf(node, problems);
  if (entries.length === 0) {
    problems.add(node, 'empty condition');
    return null;
  }
  for (const [key, keyNode, value] of entries) {
    let part: Condition | null = null;
    if (key === 'all' || key === 'any') {
      if (!isSeqNode(value) || value.items.length === 0) {
        problems.add(value ?? keyNode, `${key} takes a non-empty list of conditions`);
        ok = false;
        continue;
      }
      const items = (value.items as YamlNode[]).map((item) => parseCondition(item, ctx, depth + 1));
      if (items.every((c): c is Condition => c !== null))
        part = { kind: key, items, at: problems.at(keyNode) };
    } else if (key === 'not') {
      const item = parseCondition(value, ctx, depth + 1);
      if (item) part = { kind: 'not', item, at: problems.at(keyNode) };
    } else {
      part = parseFieldTest(key, keyNode, value, ctx);
    }
    if (part) parts.push(part);
    else ok = false;
  }
  if (!ok) return null;
  return parts.length === 1 ? parts[0]! : { kind: 'all', items: parts, at };
}

function parseFieldTest(
  field: string,
  keyNode: YamlNode,
  value: YamlNode | null,
  ctx: ConditionContext,
): Condition | null {
  const { problems } = ctx;
  const fields = fieldsOf(ctx.subject);
  const spec = Object.hasOwn(fields, field) ? fields[field] : undefined;
  if (!spec) {
    problems.add(keyNode, `unknown ${ctx.subject} field '${field}'${didYouMean(field, Object.keys(fields))}`);
    return null;
  }
  const at = problems.at(keyNode);
  // Shorthand: a scalar means eq (contains for list fields), a list means in (containsAny).
  if (!isMapNode(value)) {
    const op: Operator = isSeqNode(value)
      ? LIST_TYPES.has(spec.type)
        ? 'containsAny'
        : 'in'
      : LIST_TYPES.has(spec.type)
        ? 'contains'
        : 'eq';
    const v = parseValue(field, spec, op, value, ctx);
    return v === undefined ? null : { kind: 'test', field, op, value: v, at };
  }
  const tests: Condition[] = [];
  let ok = true;
  for (const [opName, opNode, opValue] of entriesOf(value, problems)) {
    if (!(OPERATORS as readonly string[]).includes(opName)) {
      problems.add(opNode, `unknown operator '${opName}'${didYouMean(opName, OPERATORS)}`);
      ok = false;
      continue;
    }
    const op = opName as Operator;
    if (!OPERATORS_BY_TYPE[spec.type].includes(op)) {
      problems.add(
        opNode,
        `'${field}' (${spec.type}) takes ${OPERATORS_BY_TYPE[spec.type].join(', ')}, not '${op}'`,
      );
      ok = false;
      continue;
    }
    const v = parseValue(field, spec, op, opValue, ctx);
    if (v === undefined) ok = false;
    else tests.push({ kind: 'test', field, op, value: v, at: problems.at(opNode) });
  }
  if (!ok) return null;
  if (tests.length === 0) {
    problems.add(value, `no operator given for '${field}'`);
    return null;
  }
  return tests.length === 1 ? tests[0]! : { kind: 'all', items: tests, at };
}

type TestValue = Extract<Condition, { kind: 'test' }>['value'];

function parseValue(
  field: string,
  spec: FieldSpec,
  op: Operator,
  node: YamlNode | null,
  ctx: ConditionContext,
): TestValue | undefined {
  const { problems } = ctx;
  if (op === 'exists') {
    const v = scalarOf(node);
    if (typeof v === 'boolean') return v;
    problems.add(node, `exists takes true or false`);
    return undefined;
  }
  if (op === 'matches') return parsePattern(node, problems);
  if (op === 'in' || op === 'notIn' || op === 'containsAny') {
    if (!isSeqNode(node) || node.items.length === 0) {
      problems.add(node, `${op} takes a non-empty list`);
      return undefined;
    }
    if (node.items.length > POLICY_LIMITS.listItems) {
      problems.add(node, `${op} list has ${node.items.length} items, more than ${POLICY_LIMITS.listItems}`);
      return undefined;
    }
    const out: (string | number)[] = [];
    let ok = true;
    for (const item of node.items as YamlNode[]) {
      const v = parseItem(field, spec.type, item, ctx);
      if (v === undefined) ok = false;
      else if (typeof v !== 'boolean') out.push(v);
    }
    return ok ? out : undefined;
  }
  return parseItem(field, spec.type, node, ctx);
}

/** One comparison value, checked against the field's type and vocabulary. */
function parseItem(
  field: string,
  type: FieldType,
  node: YamlNode | null,
  ctx: ConditionContext,
): string | number | boolean | undefined {
  const { problems } = ctx;
  const v = scalarOf(node);
  if (type === 'bool') {
    if (typeof v === 'boolean') return v;
    problems.add(node, `'${field}' is true or false`);
    return undefined;
  }
  if (type === 'number' || type === 'numberList') {
    if (typeof v === 'number') return v;
    problems.add(node, `'${field}' compares with a number`);
    return undefined;
  }
  if (typeof v !== 'string' && typeof v !== 'number') {
    problems.add(node, `'${field}' compares with text`);
    return undefined;
  }
  const text = String(v);
  if (type === 'country') {
    if (isCountryCode(text)) return text;
    const hint = isCountryCode(text.toUpperCase()) ? ` (write it in upper case: ${text.toUpperCase()})` : '';
    problems.add(node, `'${text}' is not an ISO 3166-1 alpha-2 country code${hint}`);
    return undefined;
  }
  const vocabulary = vocabularyOf(type, ctx.watchlists);
  if (vocabulary && !vocabulary.has(text)) {
    problems.add(
      node,
      `'${text}' is not a known ${type === 'watchlists' ? 'watch list' : type}${didYouMean(text, vocabulary)}; known: ${[...vocabulary].join(', ')}`,
    );
    return undefined;
  }
  return text;
}

function parsePattern(node: YamlNode | null, problems: Problems): RegExp | undefined {
  const v = scalarOf(node);
  if (typeof v !== 'string' || v === '') {
    problems.add(node, 'matches takes a non-empty regular expression');
    return undefined;
  }
  if (v.length > POLICY_LIMITS.patternChars) {
    problems.add(node, `pattern longer than ${POLICY_LIMITS.patternChars} characters`);
    return undefined;
  }
  try {
    new RegExp(v, 'i');
  } catch (err) {
    problems.add(node, `bad regular expression: ${(err as Error).message}`);
    return undefined;
  }
  // The shapes rule files may not use either: this one runs on agent-supplied text in the collector.
  const hazard = backtrackingHazard(v);
  if (hazard) {
    problems.add(node, `pattern can take exponential time on hostile text: ${hazard}`);
    return undefined;
  }
  // The guarantee: the linear-time engine, whose match time grows with the text alone; the check
  // above misses polynomial shapes (.*a.*b.*c.*d: 19 s on 512 characters, faster than n^4 beyond).
  // What that engine cannot run stays on the backtracking one behind the check (runnablePattern).
  const re = runnablePattern(v, 'i').regex;
  if (re.test('')) {
    problems.add(node, `pattern /${v}/ matches the empty string, so it matches everything`);
    return undefined;
  }
  return re;
}
