// Loads signatures/probes/*.yaml into ProbeSpec records. Every problem in every file is collected
// as "file:line: message" and reported together, before any probe is used (STYLE.md, Recog).
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { isMap, isScalar, isSeq, LineCounter, type Node, parseDocument, type YAMLMap } from 'yaml';
import { signaturesDir } from '../../core/paths.js';
import { parseOids, parsePorts, parseQuestions, parseSteps } from './probe-fields.js';
import {
  DEFAULT_MAX_REPLY,
  DEFAULT_TIMEOUT_MS,
  FRAMINGS,
  type Framing,
  MAX_MAX_REPLY,
  MAX_TIMEOUT_MS,
  PROBE_KINDS,
  type ProbeKind,
  type ProbeSpec,
} from './probe-spec.js';

export class ProbeLoadError extends Error {
  override readonly name = 'ProbeLoadError';
  constructor(readonly problems: string[]) {
    super(`${problems.length} problem(s) in probe definitions:\n${problems.join('\n')}`);
  }
}

const KEYS = new Set([
  'id',
  'title',
  'kind',
  'transport',
  'ports',
  'safe',
  'industrial',
  'decoder',
  'framing',
  'steps',
  'oids',
  'questions',
  'maxReply',
  'timeoutMs',
  'readOnly',
  'source',
]);

/** Loads every *.yaml in the folder (signatures/probes by default); throws ProbeLoadError listing all problems. */
export function loadProbes(dir = join(signaturesDir(), 'probes')): ProbeSpec[] {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .sort();
  const problems: string[] = [];
  const probes: ProbeSpec[] = [];
  for (const file of files) {
    probes.push(...parseProbeFile(readFileSync(join(dir, file), 'utf8'), file, problems));
  }
  const seen = new Map<string, string>();
  for (const p of probes) {
    const first = seen.get(p.id);
    if (first) problems.push(`${p.origin}: probe id '${p.id}' already defined at ${first}`);
    else seen.set(p.id, p.origin);
  }
  if (problems.length) throw new ProbeLoadError(problems);
  return probes;
}

/** Parses one file's text; problems are appended as "file:line: message". */
export function parseProbeFile(text: string, file: string, problems: string[]): ProbeSpec[] {
  const name = basename(file);
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, uniqueKeys: true, prettyErrors: false });
  const at = (node: Node | null | undefined) => `${name}:${node?.range ? lc.linePos(node.range[0]).line : 1}`;
  for (const e of doc.errors)
    problems.push(`${name}:${lc.linePos(e.pos[0]).line}: ${e.message.split('\n')[0]}`);
  if (doc.errors.length) return [];
  const root = doc.contents;
  if (!isMap(root)) {
    problems.push(`${name}:1: expected a map with a 'probes' list`);
    return [];
  }
  for (const pair of root.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '?';
    if (key !== 'probes') problems.push(`${at(pair.key as Node)}: unknown top-level key '${key}'`);
  }
  const list = root.get('probes', true);
  if (!isSeq(list)) {
    problems.push(`${at(root)}: 'probes' must be a list`);
    return [];
  }
  const out: ProbeSpec[] = [];
  for (const item of list.items) {
    if (!isMap(item)) {
      problems.push(`${at(item as Node)}: each probe must be a map`);
      continue;
    }
    const probe = parseProbe(item, at, problems);
    if (probe) out.push(probe);
  }
  return out;
}

type At = (node: Node | null | undefined) => string;

function parseProbe(map: YAMLMap, at: At, problems: string[]): ProbeSpec | null {
  const start = problems.length;
  const where = at(map);
  const fail = (node: Node | null | undefined, message: string) => problems.push(`${at(node)}: ${message}`);
  for (const pair of map.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '?';
    if (!KEYS.has(key)) fail(pair.key as Node, `unknown key '${key}'`);
  }
  const node = (key: string) => map.get(key, true) as Node | undefined;
  const str = (key: string, required: boolean): string | null => {
    const n = node(key);
    if (n === undefined) {
      if (required) problems.push(`${where}: missing '${key}'`);
      return null;
    }
    if (!isScalar(n) || typeof n.value !== 'string' || !n.value.trim()) {
      fail(n, `'${key}' must be non-empty text`);
      return null;
    }
    return n.value;
  };
  const bool = (key: string, required: boolean): boolean => {
    const n = node(key);
    if (n === undefined) {
      if (required) problems.push(`${where}: missing '${key}'`);
      return false;
    }
    if (!isScalar(n) || typeof n.value !== 'boolean') fail(n, `'${key}' must be true or false`);
    return isScalar(n) && n.value === true;
  };
  const int = (key: string, min: number, max: number, dflt: number): number => {
    const n = node(key);
    if (n === undefined) return dflt;
    if (
      !isScalar(n) ||
      !Number.isInteger(n.value) ||
      (n.value as number) < min ||
      (n.value as number) > max
    ) {
      fail(n, `'${key}' must be an integer in ${min}..${max}`);
      return dflt;
    }
    return n.value as number;
  };

  const id = str('id', true);
  if (id !== null && !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id)) fail(node('id'), `id '${id}' is not kebab-case`);
  const title = str('title', true);
  const kindText = str('kind', true);
  const kind =
    kindText && (PROBE_KINDS as readonly string[]).includes(kindText) ? (kindText as ProbeKind) : null;
  if (kindText && !kind) fail(node('kind'), `kind '${kindText}' is not one of ${PROBE_KINDS.join(', ')}`);
  const transportText = str('transport', kind !== 'arp');
  const transport = kind === 'arp' ? 'link' : transportText;
  if (transport !== null && !['tcp', 'udp', 'link'].includes(transport)) {
    fail(node('transport'), `transport '${transport}' is not tcp, udp or link`);
  }
  const safe = bool('safe', true);
  const industrial = bool('industrial', false);
  const readOnly = str('readOnly', true);
  const source = str('source', true);
  const decoder = str('decoder', false);
  if (decoder !== null && !/^[a-z0-9-]+$/.test(decoder))
    fail(node('decoder'), `decoder '${decoder}' is not an id`);
  const framingText = str('framing', false);
  let framing: Framing | null = null;
  if (framingText !== null) {
    if ((FRAMINGS as readonly string[]).includes(framingText)) framing = framingText as Framing;
    else fail(node('framing'), `framing '${framingText}' is not one of ${FRAMINGS.join(', ')}`);
  }
  const ports = parsePorts(node('ports'), fail);
  const steps = parseSteps(node('steps'), fail);
  const oids = parseOids(node('oids'), fail);
  const questions = parseQuestions(node('questions'), fail);
  const maxReply = int('maxReply', 16, MAX_MAX_REPLY, DEFAULT_MAX_REPLY);
  const timeoutMs = int('timeoutMs', 100, MAX_TIMEOUT_MS, DEFAULT_TIMEOUT_MS);

  // What each kind needs and forbids.
  const need = (ok: boolean, message: string) => {
    if (!ok) problems.push(`${where}: ${message}`);
  };
  if (kind) {
    const wantTransport = {
      arp: 'link',
      'tcp-connect': 'tcp',
      banner: 'tcp',
      tls: 'tcp',
      snmp: 'udp',
      dns: 'udp',
    } as const;
    const want = kind === 'request' ? null : wantTransport[kind];
    if (want && transport !== want) need(false, `kind ${kind} needs transport ${want}`);
    need(
      kind === 'arp' ? ports.length === 0 : ports.length > 0,
      kind === 'arp' ? 'arp takes no ports' : 'needs ports',
    );
    need(
      kind === 'request' ? steps.length > 0 : steps.length === 0,
      `kind ${kind} ${kind === 'request' ? 'needs' : 'takes no'} steps`,
    );
    need(
      kind === 'snmp' ? oids.length > 0 : oids.length === 0,
      `kind ${kind} ${kind === 'snmp' ? 'needs' : 'takes no'} oids`,
    );
    need(
      kind === 'dns' ? questions.length > 0 : questions.length === 0,
      `kind ${kind} ${kind === 'dns' ? 'needs' : 'takes no'} questions`,
    );
    const decodes = ['banner', 'request', 'snmp', 'dns'].includes(kind);
    need(
      decodes ? decoder !== null : decoder === null,
      `kind ${kind} ${decodes ? 'needs' : 'takes no'} decoder`,
    );
    if (kind === 'request') need(framing !== null, 'kind request needs framing');
    else if (kind !== 'banner') need(framing === null, `kind ${kind} takes no framing`);
    if (transport === 'udp' && framing !== null)
      need(framing === 'datagram', 'udp replies use framing datagram');
  }
  if (problems.length > start) return null;
  return {
    id: id!,
    title: title!,
    kind: kind!,
    transport: transport as ProbeSpec['transport'],
    ports,
    safe,
    industrial,
    decoder,
    framing: framing ?? (kind === 'banner' ? 'line' : null),
    steps,
    oids,
    questions,
    maxReply,
    timeoutMs,
    readOnly: readOnly!,
    source: source!,
    origin: where,
  };
}
