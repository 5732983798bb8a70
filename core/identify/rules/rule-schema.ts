// Validates one rule file (signatures/README.md "Rule files") from its YAML syntax tree, so every
// problem carries the line it is on; collects all problems instead of stopping at the first.
import {
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  type YAMLMap,
} from '../../catalog/yaml-lib.js';
import { DEVICE_CLASSES, IDENTITY_FIELDS, type IdentityField } from '../../inventory.js';
import type { ObservationKey } from '../../observation-keys.js';
import {
  type CompiledRule,
  exactKey,
  GROUP_FIELDS,
  type ParamValue,
  type RuleExample,
} from './rule-types.js';
import { compilePattern, type PatternEngine } from './safe-pattern.js';

/** Vocabulary the rules are checked against. */
export interface RuleVocabulary {
  /** True when `name` is a catalog vendor name; null skips the vendor check (no catalog given). */
  isVendor: ((name: string) => boolean) | null;
}

export interface Problem {
  file: string;
  line: number;
  message: string;
}

const RULE_FIELDS = new Set([
  'id',
  'pattern',
  'value',
  'flags',
  'description',
  'params',
  'certainty',
  'specific',
  'source',
  'examples',
]);
const ID_RE = /^[a-z0-9][a-z0-9._-]{0,79}$/;
const CLASSES: ReadonlySet<string> = new Set(DEVICE_CLASSES);
const FIELDS: ReadonlySet<string> = new Set(IDENTITY_FIELDS);
/** A rule file's size cap: the largest shipped file is well under this. */
export const MAX_RULE_FILE_BYTES = 2 * 1024 * 1024;

class FileChecker {
  readonly problems: Problem[] = [];
  readonly #lines = new LineCounter();
  constructor(readonly file: string) {}

  get lines(): LineCounter {
    return this.#lines;
  }
  line(node: Node | null | undefined, fallback: number): number {
    const at = node?.range?.[0];
    return at === undefined ? fallback : this.#lines.linePos(at).line;
  }
  fail(line: number, message: string): void {
    this.problems.push({ file: this.file, line, message });
  }
}

function scalar(node: unknown): string | number | boolean | null | undefined {
  if (!isScalar(node)) return undefined;
  const v = node.value;
  return typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null
    ? v
    : undefined;
}

/** Reads a map of identity fields (params or an example's expect), checking names and value types. */
function fieldMap(
  c: FileChecker,
  node: unknown,
  at: number,
  what: string,
  allowGroups: boolean,
): Map<IdentityField, { value: ParamValue; line: number }> {
  const out = new Map<IdentityField, { value: ParamValue; line: number }>();
  if (!isMap(node)) {
    c.fail(at, `${what} must be a mapping of identity fields`);
    return out;
  }
  for (const pair of node.items) {
    const name = scalar(pair.key);
    const line = c.line(pair.key as Node, at);
    if (typeof name !== 'string' || !FIELDS.has(name)) {
      c.fail(line, `${what}: unknown field "${String(name)}" (one of ${IDENTITY_FIELDS.join(', ')})`);
      continue;
    }
    const v = scalar(pair.value);
    if (typeof v === 'string' && v.trim() !== '') out.set(name as IdentityField, { value: v.trim(), line });
    else if (allowGroups && typeof v === 'number' && Number.isInteger(v) && v >= 1)
      out.set(name as IdentityField, { value: v, line });
    else
      c.fail(
        line,
        `${what}.${name}: ${allowGroups ? 'a non-empty text or a capture group number' : 'a non-empty text'}`,
      );
  }
  return out;
}

function checkVocabulary(c: FileChecker, vocab: RuleVocabulary, field: string, v: ParamValue, line: number) {
  if (field === 'class' && typeof v === 'string' && !CLASSES.has(v))
    c.fail(line, `class "${v}" is not a device class (${DEVICE_CLASSES.join(', ')})`);
  if (field === 'vendor' && typeof v === 'string' && vocab.isVendor && !vocab.isVendor(v))
    c.fail(line, `vendor "${v}" is not a name in the vendor catalog`);
}

function readRule(
  c: FileChecker,
  node: YAMLMap,
  index: number,
  key: ObservationKey,
  stem: string,
  vocab: RuleVocabulary,
  engine: PatternEngine,
): CompiledRule | null {
  const start = c.line(node, 1);
  const before = c.problems.length;
  const get = (name: string) => node.get(name, true) as Node | undefined;
  const lineOf = (name: string) => c.line(get(name), start);
  for (const pair of node.items) {
    const name = scalar(pair.key);
    if (typeof name !== 'string' || !RULE_FIELDS.has(name))
      c.fail(c.line(pair.key as Node, start), `unknown rule field "${String(name)}"`);
  }
  const id = scalar(get('id'));
  if (typeof id !== 'string' || !ID_RE.test(id))
    c.fail(lineOf('id'), 'id must be lower-case letters, digits, ".", "_" or "-" (at most 80)');
  const description = scalar(get('description'));
  if (typeof description !== 'string' || description.trim() === '')
    c.fail(lineOf('description'), 'description is required');
  const source = scalar(get('source'));
  if (typeof source !== 'string' || source.trim().length < 8)
    c.fail(lineOf('source'), 'source is required: where the banner or number came from');
  const certainty = scalar(get('certainty'));
  if (typeof certainty !== 'number' || !(certainty > 0 && certainty <= 1))
    c.fail(lineOf('certainty'), 'certainty must be a number in (0, 1]');
  const specificNode = get('specific');
  const specific = specificNode === undefined ? true : scalar(specificNode);
  if (typeof specific !== 'boolean') c.fail(lineOf('specific'), 'specific must be true or false');
  const flags = get('flags') === undefined ? '' : scalar(get('flags'));
  if (typeof flags !== 'string') c.fail(lineOf('flags'), 'flags must be text ("i")');

  // Exactly one of pattern (regex) and value (exact match, for numeric ids and fixed strings).
  const pattern = scalar(get('pattern'));
  const value = scalar(get('value'));
  let regex: RegExp | null = null;
  let groups = 0;
  if ((pattern === undefined) === (value === undefined)) {
    c.fail(start, 'a rule has exactly one of "pattern" (a regex) and "value" (an exact value)');
  } else if (pattern !== undefined) {
    if (typeof pattern !== 'string') c.fail(lineOf('pattern'), 'pattern must be text');
    else {
      const compiled = compilePattern(pattern, typeof flags === 'string' ? flags : '', engine);
      if (!compiled.ok) c.fail(lineOf('pattern'), compiled.message);
      else if (compiled.regex.test('')) c.fail(lineOf('pattern'), 'pattern matches the empty string');
      else ({ regex, groups } = compiled);
    }
  } else if (!(typeof value === 'string' || typeof value === 'number') || String(value).trim() === '') {
    c.fail(lineOf('value'), 'value must be a non-empty text or number');
  }

  const params = fieldMap(c, get('params'), lineOf('params'), 'params', true);
  if (params.size === 0 && get('params') !== undefined) c.fail(lineOf('params'), 'params is empty');
  const used = new Set<number>();
  for (const [field, { value: v, line }] of params) {
    checkVocabulary(c, vocab, field, v, line);
    if (typeof v !== 'number') continue;
    if (!GROUP_FIELDS.has(field)) c.fail(line, `params.${field} must be fixed text (catalog vocabulary)`);
    else if (v > groups)
      c.fail(line, `params.${field}: capture group ${v} does not exist (${groups} groups)`);
    used.add(v);
  }
  for (let g = 1; g <= groups; g++)
    if (!used.has(g)) c.fail(lineOf('pattern'), `capture group ${g} is not used by any param`);

  const examples: RuleExample[] = [];
  const exNode = get('examples');
  if (!isSeq(exNode) || exNode.items.length === 0)
    c.fail(lineOf('examples'), 'at least one example is required');
  else
    for (const item of exNode.items) {
      const line = c.line(item as Node, start);
      if (!isMap(item)) {
        c.fail(line, 'an example is a mapping with "value" and "expect"');
        continue;
      }
      const v = scalar(item.get('value', true));
      if (typeof v !== 'string' && typeof v !== 'number')
        c.fail(line, 'example value must be text or a number');
      const expectNode = item.get('expect', true) as Node | undefined;
      const expect = fieldMap(c, expectNode, c.line(expectNode, line), 'expect', false);
      for (const [field, e] of expect) checkVocabulary(c, vocab, field, e.value, e.line);
      for (const pair of item.items) {
        const k = scalar(pair.key);
        if (k !== 'value' && k !== 'expect')
          c.fail(c.line(pair.key as Node, line), `unknown example field "${k}"`);
      }
      if (typeof v === 'string' || typeof v === 'number')
        examples.push({
          value: String(v),
          expect: Object.fromEntries([...expect].map(([f, e]) => [f, String(e.value)])),
          line,
        });
    }

  if (c.problems.length > before) return null;
  return {
    ref: `${stem}:${id as string}`,
    id: id as string,
    key,
    index,
    pattern: regex ? (pattern as string) : null,
    regex,
    exact: regex ? null : exactKey(value as string | number),
    description: (description as string).trim(),
    params: Object.fromEntries([...params].map(([f, p]) => [f, p.value])),
    certainty: certainty as number,
    specific: specific as boolean,
    source: (source as string).trim(),
    examples,
    file: c.file,
    line: start,
  };
}

/**
 * Parses and validates one rule file's text; returns its rules and every problem found. Patterns
 * run on the linear-time engine unless the file is a shipped one (safe-pattern.ts PatternEngine).
 */
export function parseRuleFile(
  file: string,
  text: string,
  key: ObservationKey,
  vocab: RuleVocabulary,
  engine: PatternEngine = 'linear',
): { rules: CompiledRule[]; problems: Problem[] } {
  const c = new FileChecker(file);
  const rules: CompiledRule[] = [];
  if (text.length > MAX_RULE_FILE_BYTES) {
    c.fail(1, `file is ${text.length} bytes (at most ${MAX_RULE_FILE_BYTES})`);
    return { rules, problems: c.problems };
  }
  const doc = parseDocument(text, { lineCounter: c.lines, prettyErrors: false, uniqueKeys: true });
  for (const err of doc.errors) c.fail(err.linePos?.[0]?.line ?? 1, `YAML: ${err.message.split('\n')[0]}`);
  if (doc.errors.length) return { rules, problems: c.problems };
  const root = doc.contents;
  const list = isMap(root) ? (root.get('rules', true) as Node | undefined) : undefined;
  if (!isMap(root) || !isSeq(list)) {
    c.fail(c.line(root, 1), 'a rule file is a mapping with a "rules" list');
    return { rules, problems: c.problems };
  }
  for (const pair of root.items) {
    const k = scalar(pair.key);
    if (k !== 'rules' && k !== 'description')
      c.fail(c.line(pair.key as Node, 1), `unknown top-level field "${k}"`);
  }
  const stem = file.replace(/^.*[\\/]/, '').replace(/\.ya?ml$/, '');
  const ids = new Map<string, number>();
  const exacts = new Map<string, number>();
  list.items.forEach((item, index) => {
    const line = c.line(item as Node, 1);
    if (!isMap(item)) {
      c.fail(line, 'a rule is a mapping');
      return;
    }
    const rule = readRule(c, item, index, key, stem, vocab, engine);
    if (!rule) return;
    const seen = ids.get(rule.id);
    if (seen !== undefined) c.fail(line, `duplicate rule id "${rule.id}" (first at line ${seen})`);
    ids.set(rule.id, line);
    if (rule.exact !== null) {
      const dup = exacts.get(rule.exact);
      if (dup !== undefined) c.fail(line, `value "${rule.exact}" already matched by the rule at line ${dup}`);
      exacts.set(rule.exact, line);
    }
    rules.push(rule);
  });
  return { rules, problems: c.problems };
}
