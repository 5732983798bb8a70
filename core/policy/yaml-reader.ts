// Reads a YAML file into nodes that remember their line, and collects every problem as
// `file:line: message` (STYLE.md: report them all before failing). Anchors, aliases and custom
// tags are refused: policy files are plain data, and aliases are how "billion laughs" files grow.
import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type YAMLMap,
  type YAMLSeq,
  type Node as YamlNode,
} from '../catalog/yaml-lib.js';
import type { Position } from './types.js';

export class Problems {
  readonly #list: string[] = [];
  readonly file: string;
  readonly #lines: LineCounter;
  constructor(file: string, lines: LineCounter) {
    this.file = file;
    this.#lines = lines;
  }
  at(node: YamlNode | null | undefined): Position {
    const offset = node?.range?.[0] ?? 0;
    return { file: this.file, line: Math.max(1, this.#lines.linePos(offset).line) };
  }
  add(node: YamlNode | null | undefined, message: string): void {
    this.addAt(this.at(node), message);
  }
  addAt(at: Position, message: string): void {
    this.#list.push(`${at.file}:${at.line}: ${message}`);
  }
  get list(): readonly string[] {
    return this.#list;
  }
}

export interface ParsedYaml {
  root: YamlNode | null;
  problems: Problems;
}

/** Parses one YAML document; syntax errors become problems and `root` may still be partly usable. */
export function readYaml(text: string, file: string): ParsedYaml {
  const lines = new LineCounter();
  const doc = parseDocument(text, {
    lineCounter: lines,
    prettyErrors: false,
    uniqueKeys: true,
    strict: true,
  });
  const problems = new Problems(file, lines);
  for (const err of doc.errors) {
    const line = Math.max(1, lines.linePos(err.pos[0]).line);
    problems.addAt({ file, line }, `YAML: ${err.message.split('\n')[0]}`);
  }
  const root = (doc.contents as YamlNode | null) ?? null;
  if (root) checkPlain(root, problems, 0);
  return { root, problems };
}

/** Refuses anchors, aliases and explicit tags anywhere in the tree, and absurd nesting. */
function checkPlain(node: YamlNode, problems: Problems, depth: number): void {
  if (depth > 64) {
    problems.add(node, 'nesting deeper than 64 levels');
    return;
  }
  if (isAlias(node)) {
    problems.add(node, 'aliases (*name) are not supported in policy files; write the value out');
    return;
  }
  if ((node as { anchor?: string }).anchor)
    problems.add(node, 'anchors (&name) are not supported in policy files');
  const tag = (node as { tag?: string }).tag;
  if (tag && !tag.startsWith('tag:yaml.org,2002:')) problems.add(node, `custom tag ${tag} is not supported`);
  if (isMap(node)) {
    for (const pair of node.items) {
      if (pair.key && typeof pair.key === 'object') checkPlain(pair.key as YamlNode, problems, depth + 1);
      if (pair.value && typeof pair.value === 'object')
        checkPlain(pair.value as YamlNode, problems, depth + 1);
    }
  } else if (isSeq(node)) {
    for (const item of node.items)
      if (item && typeof item === 'object') checkPlain(item as YamlNode, problems, depth + 1);
  }
}

export type Scalar = string | number | boolean | null;

export function scalarOf(node: YamlNode | null | undefined): Scalar | undefined {
  if (!node) return null;
  if (!isScalar(node)) return undefined;
  const v = node.value;
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  return undefined;
}

/** The entries of a mapping as [key, keyNode, valueNode]; non-string keys are reported. */
export function entriesOf(map: YAMLMap, problems: Problems): [string, YamlNode, YamlNode | null][] {
  const out: [string, YamlNode, YamlNode | null][] = [];
  for (const pair of map.items) {
    const keyNode = pair.key as YamlNode;
    const key = scalarOf(keyNode);
    if (typeof key !== 'string') {
      problems.add(keyNode, 'keys must be plain text');
      continue;
    }
    out.push([key, keyNode, (pair.value as YamlNode | null) ?? null]);
  }
  return out;
}

export function isMapNode(node: YamlNode | null | undefined): node is YAMLMap {
  return !!node && isMap(node);
}

export function isSeqNode(node: YamlNode | null | undefined): node is YAMLSeq {
  return !!node && isSeq(node);
}

/** Reads a text value, reporting what was expected. */
export function textOf(node: YamlNode | null, problems: Problems, what: string): string | null {
  const v = scalarOf(node);
  if (typeof v === 'string' && v.trim() !== '') return v;
  problems.add(node, `${what} must be non-empty text`);
  return null;
}

/** Reads a list of texts (a single text counts as a list of one). */
export function textListOf(node: YamlNode | null, problems: Problems, what: string): string[] | null {
  if (isSeqNode(node)) {
    const out: string[] = [];
    for (const item of node.items as YamlNode[]) {
      const t = textOf(item, problems, `each item of ${what}`);
      if (t !== null) out.push(t);
    }
    return out;
  }
  const one = textOf(node, problems, what);
  return one === null ? null : [one];
}

/** Suggests the closest known name for a misspelt one ("vendorcountry" → "vendorCountry"). */
export function didYouMean(name: string, known: Iterable<string>): string {
  const lower = name.toLowerCase();
  let best: string | null = null;
  let bestScore = Number.POSITIVE_INFINITY;
  for (const k of known) {
    const d = distance(lower, k.toLowerCase());
    if (d < bestScore) {
      bestScore = d;
      best = k;
    }
  }
  return best !== null && bestScore <= Math.max(2, Math.floor(name.length / 3))
    ? ` (did you mean '${best}'?)`
    : '';
}

function distance(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 8) return 99;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
