// Loads one policy file (YAML) into a checked draft: its id, what it extends, defaults, sources,
// new rules and overrides of earlier rules. Every problem is collected as `file:line: message`.
import type { Node as YamlNode } from 'yaml';
import type { Severity } from '../inventory.js';
import { isCountryCode } from '../vocabulary/countries.js';
import { parseCondition } from './conditions.js';
import { parseTemplate } from './template.js';
import {
  type Condition,
  POLICY_LIMITS,
  type Position,
  type Rule,
  SEVERITIES,
  type SubjectKind,
} from './types.js';
import { CONNECTION_FIELDS, fieldsOf, GROUPABLE_TYPES } from './vocabulary.js';
import {
  didYouMean,
  entriesOf,
  isMapNode,
  isSeqNode,
  type Problems,
  readYaml,
  scalarOf,
  textListOf,
  textOf,
} from './yaml-reader.js';

export const RULE_ID = /^[a-z0-9][a-z0-9-]*(\.[a-z0-9][a-z0-9-]*)*$/;
export const PACK_ID = /^[a-z0-9][a-z0-9-]*$/;

/** An override as written: applied to an earlier rule when the policy is resolved. */
export interface OverrideDraft {
  id: string;
  at: Position;
  severity?: Severity;
  enabled?: boolean;
  title?: string;
  /** Kept as YAML until the target rule (and so its subject) is known. */
  whenNode?: YamlNode | null;
  message?: string;
  sources?: string[];
  /** Kept as YAML until the target rule's subject is known; null removes the grouping. */
  groupByNode?: YamlNode | null;
}

export interface PolicyFileDraft {
  id: string;
  file: string;
  title: string;
  extends: { name: string; at: Position }[];
  homeCountry: string | null;
  sources: Map<string, string>;
  rules: Rule[];
  overrides: OverrideDraft[];
  problems: Problems;
}

export interface LoadOptions {
  /** Watch-list ids rules may name; defaults to the vendor catalog's lists. */
  watchlists: ReadonlySet<string>;
}

const TOP_KEYS = ['policy', 'title', 'extends', 'defaults', 'sources', 'rules', 'overrides'];
const RULE_KEYS = ['id', 'subject', 'severity', 'title', 'when', 'message', 'sources', 'enabled', 'groupBy'];

/** Parses a policy file; the draft's `problems` holds everything wrong with it (empty when valid). */
export function parsePolicyFile(text: string, file: string, options: LoadOptions): PolicyFileDraft {
  const { root, problems } = readYaml(text, file);
  const draft: PolicyFileDraft = {
    id: '',
    file,
    title: '',
    extends: [],
    homeCountry: null,
    sources: new Map(),
    rules: [],
    overrides: [],
    problems,
  };
  if (Buffer.byteLength(text) > POLICY_LIMITS.fileBytes) {
    problems.addAt({ file, line: 1 }, `file is larger than ${POLICY_LIMITS.fileBytes} bytes`);
    return draft;
  }
  if (!isMapNode(root)) {
    problems.add(root, 'a policy file is a mapping with policy, title, sources and rules');
    return draft;
  }
  const top = new Map<string, [YamlNode, YamlNode | null]>();
  for (const [key, keyNode, value] of entriesOf(root, problems)) {
    if (!TOP_KEYS.includes(key)) problems.add(keyNode, `unknown key '${key}'${didYouMean(key, TOP_KEYS)}`);
    else top.set(key, [keyNode, value]);
  }
  const id = textOf(top.get('policy')?.[1] ?? root, problems, 'policy (the pack id)');
  if (id !== null && !PACK_ID.test(id))
    problems.add(top.get('policy')?.[1], `policy id '${id}' must be kebab-case`);
  draft.id = id ?? '';
  draft.title = textOf(top.get('title')?.[1] ?? root, problems, 'title') ?? '';

  const ext = top.get('extends');
  if (ext)
    draft.extends = (textListOf(ext[1], problems, 'extends') ?? []).map((name) => ({
      name,
      at: problems.at(ext[1]),
    }));

  const defaults = top.get('defaults');
  if (defaults) draft.homeCountry = readDefaults(defaults[1], problems);

  const sources = top.get('sources');
  if (sources) readSources(sources[1], problems, draft.sources);

  const rules = top.get('rules');
  const overrides = top.get('overrides');
  if (!rules && !overrides && !ext) problems.add(root, 'a policy needs rules, overrides or extends');
  for (const [node, kind] of [
    [rules?.[1], 'rules'],
    [overrides?.[1], 'overrides'],
  ] as const) {
    if (node === undefined) continue;
    if (!isSeqNode(node)) {
      problems.add(node, `${kind} is a list`);
      continue;
    }
    if (node.items.length > POLICY_LIMITS.rulesPerFile) {
      problems.add(node, `more than ${POLICY_LIMITS.rulesPerFile} ${kind}`);
      continue;
    }
    for (const item of node.items as YamlNode[]) {
      if (kind === 'rules') {
        const rule = readRule(item, draft, options);
        if (rule) draft.rules.push(rule);
      } else {
        const ov = readOverride(item, draft);
        if (ov) draft.overrides.push(ov);
      }
    }
  }
  return draft;
}

function readDefaults(node: YamlNode | null, problems: Problems): string | null {
  if (!isMapNode(node)) {
    problems.add(node, 'defaults is a mapping');
    return null;
  }
  let home: string | null = null;
  for (const [key, keyNode, value] of entriesOf(node, problems)) {
    if (key !== 'homeCountry') {
      problems.add(keyNode, `unknown default '${key}' (known: homeCountry)`);
      continue;
    }
    const v = scalarOf(value);
    if (typeof v === 'string' && isCountryCode(v)) home = v;
    else problems.add(value, `homeCountry must be an ISO 3166-1 alpha-2 code such as JP`);
  }
  return home;
}

function readSources(node: YamlNode | null, problems: Problems, out: Map<string, string>): void {
  if (!isMapNode(node)) {
    problems.add(node, 'sources is a mapping of key: citation');
    return;
  }
  for (const [key, , value] of entriesOf(node, problems)) {
    const citation = textOf(value, problems, `source '${key}'`);
    if (citation !== null) out.set(key, citation.trim());
  }
}

function readRule(node: YamlNode, draft: PolicyFileDraft, options: LoadOptions): Rule | null {
  const { problems } = draft;
  if (!isMapNode(node)) {
    problems.add(node, 'a rule is a mapping with id, subject, severity, when, message and sources');
    return null;
  }
  const at = problems.at(node);
  const fields = new Map<string, YamlNode | null>();
  for (const [key, keyNode, value] of entriesOf(node, problems)) {
    if (!RULE_KEYS.includes(key))
      problems.add(keyNode, `unknown rule key '${key}'${didYouMean(key, RULE_KEYS)}`);
    else fields.set(key, value);
  }
  const before = problems.list.length;
  const id = readRuleId(fields.get('id') ?? node, problems, fields.has('id'));
  const subjectText = textOf(fields.get('subject') ?? node, problems, 'subject');
  let subject: SubjectKind | null = null;
  if (subjectText === 'device' || subjectText === 'connection') subject = subjectText;
  else if (subjectText !== null)
    problems.add(fields.get('subject') ?? node, `subject is device or connection, not '${subjectText}'`);
  const severity = readSeverity(fields.get('severity') ?? node, problems);
  const title = textOf(fields.get('title') ?? node, problems, 'title');
  const message = readMessage(fields.get('message') ?? node, problems);
  const sources = readRuleSources(fields.get('sources') ?? node, draft);
  const enabled = fields.has('enabled') ? readBool(fields.get('enabled')!, problems, 'enabled') : true;
  const groupBy = fields.has('groupBy') ? readGroupBy(fields.get('groupBy')!, subject, problems) : null;
  let when: Condition | null = null;
  if (!fields.has('when')) problems.add(node, 'rule has no when: condition');
  else if (subject)
    when = parseCondition(fields.get('when')!, { subject, problems, watchlists: options.watchlists });
  let messageParts = null;
  if (message !== null) {
    // Without a valid subject only the template's syntax can be checked.
    const known = subject ? fieldsOf(subject) : null;
    const t = parseTemplate(message, (f) => known === null || Object.hasOwn(known, f));
    for (const p of t.problems) problems.add(fields.get('message')!, p);
    messageParts = t.parts;
  }
  if (problems.list.length > before) return null;
  return {
    id: id!,
    subject: subject!,
    severity: severity!,
    title: title!,
    when: when!,
    message: message!,
    messageParts: messageParts!,
    sources: sources!,
    enabled: enabled ?? true,
    groupBy,
    pack: draft.id,
    overriddenBy: null,
    at,
  };
}

function readOverride(node: YamlNode, draft: PolicyFileDraft): OverrideDraft | null {
  const { problems } = draft;
  if (!isMapNode(node)) {
    problems.add(node, 'an override is a mapping with the id of the rule it changes');
    return null;
  }
  const keys = ['id', 'severity', 'enabled', 'title', 'when', 'message', 'sources', 'groupBy'];
  const ov: Partial<OverrideDraft> = { at: problems.at(node) };
  const before = problems.list.length;
  let hasId = false;
  for (const [key, keyNode, value] of entriesOf(node, problems)) {
    if (key === 'id') {
      hasId = true;
      ov.id = readRuleId(value, problems, true) ?? '';
    } else if (key === 'severity') ov.severity = readSeverity(value, problems) ?? undefined;
    else if (key === 'enabled') ov.enabled = readBool(value, problems, 'enabled') ?? undefined;
    else if (key === 'title') ov.title = textOf(value, problems, 'title') ?? undefined;
    else if (key === 'when') ov.whenNode = value;
    else if (key === 'message') ov.message = readMessage(value, problems) ?? undefined;
    else if (key === 'sources') ov.sources = readRuleSources(value, draft) ?? undefined;
    else if (key === 'groupBy') ov.groupByNode = value;
    else problems.add(keyNode, `unknown override key '${key}'${didYouMean(key, keys)}`);
  }
  if (!hasId) problems.add(node, 'override has no id');
  return problems.list.length > before ? null : (ov as OverrideDraft);
}

function readRuleId(node: YamlNode | null, problems: Problems, present: boolean): string | null {
  if (!present) {
    problems.add(node, 'rule has no id');
    return null;
  }
  const id = textOf(node, problems, 'id');
  if (id !== null && !RULE_ID.test(id)) {
    problems.add(
      node,
      `rule id '${id}' must be lower-case words joined by '-' and '.' (e.g. jp-espa.foreign-vendor)`,
    );
    return null;
  }
  return id;
}

function readSeverity(node: YamlNode | null, problems: Problems): Severity | null {
  const v = scalarOf(node);
  if (typeof v === 'string' && (SEVERITIES as readonly string[]).includes(v)) return v as Severity;
  problems.add(
    node,
    `severity is one of ${SEVERITIES.join(', ')}${typeof v === 'string' ? didYouMean(v, SEVERITIES) : ''}`,
  );
  return null;
}

function readMessage(node: YamlNode | null, problems: Problems): string | null {
  const message = textOf(node, problems, 'message');
  if (message !== null && message.length > POLICY_LIMITS.messageChars) {
    problems.add(node, `message longer than ${POLICY_LIMITS.messageChars} characters`);
    return null;
  }
  return message;
}

function readBool(node: YamlNode | null, problems: Problems, what: string): boolean | null {
  const v = scalarOf(node);
  if (typeof v === 'boolean') return v;
  problems.add(node, `${what} is true or false`);
  return null;
}

/** A rule's `sources:` names keys of the file's `sources:` table; the citations are stored. */
function readRuleSources(node: YamlNode | null, draft: PolicyFileDraft): string[] | null {
  const { problems } = draft;
  const keys = textListOf(node, problems, 'sources (keys of the sources table)');
  if (keys === null) return null;
  if (keys.length === 0) {
    problems.add(node, 'every rule cites at least one source');
    return null;
  }
  const out: string[] = [];
  for (const key of keys) {
    const citation = draft.sources.get(key);
    if (citation === undefined)
      problems.add(
        node,
        `unknown source '${key}'${didYouMean(key, draft.sources.keys())} (add it to the sources table)`,
      );
    else out.push(citation);
  }
  return out.length === keys.length ? out : null;
}

/** groupBy: connection rules only, naming single-valued connection fields. */
export function readGroupBy(
  node: YamlNode | null,
  subject: SubjectKind | null,
  problems: Problems,
): string[] | null {
  const names = textListOf(node, problems, 'groupBy');
  if (names === null) return null;
  if (subject === 'device') {
    problems.add(
      node,
      'groupBy is for connection rules (a device rule already gives one finding per device)',
    );
    return null;
  }
  let ok = names.length > 0;
  if (!ok) problems.add(node, 'groupBy names at least one connection field');
  for (const name of names) {
    const spec = Object.hasOwn(CONNECTION_FIELDS, name) ? CONNECTION_FIELDS[name] : undefined;
    if (!spec) {
      problems.add(
        node,
        `groupBy: unknown connection field '${name}'${didYouMean(name, Object.keys(CONNECTION_FIELDS))}`,
      );
      ok = false;
    } else if (!GROUPABLE_TYPES.has(spec.type) || name === 'connections') {
      problems.add(node, `groupBy: '${name}' is not a single value to group by`);
      ok = false;
    }
  }
  if (new Set(names).size !== names.length) {
    problems.add(node, 'groupBy names a field twice');
    ok = false;
  }
  return ok ? names : null;
}
