// Reading a user-editable YAML data file (vendors.yaml, providers.yaml) as hostile input: walk the
// parsed node tree (never toJS, so anchors cannot expand), and collect every problem as
// `file:line: message` so the user sees all of them in one run (STYLE.md "Not to copy").
import { FileTooLargeError, readBounded } from '../read-bounded.js';
import {
  type Document,
  isAlias,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseDocument,
  type YAMLMap,
} from './yaml-lib.js';

/** Largest data file we parse, bytes. The shipped files are well under 1 MiB. */
export const MAX_DATA_FILE_BYTES = 8 * 1024 * 1024;

/** Thrown when a data file has problems; `problems` holds every `file:line: message`. */
export class DataFileError extends Error {
  override readonly name = 'DataFileError';
  constructor(readonly problems: readonly string[]) {
    super(`${problems.length} problem(s) in data file:\n${problems.join('\n')}`);
  }
}

// The yaml package's node types are wide; we only need the range to place a message.
type Located = { range?: [number, number, number] | null } | null | undefined;

/** A parsed data file plus the list of problems found in it so far. */
export class YamlSource {
  readonly doc: Document.Parsed;
  readonly #file: string;
  readonly #lines = new LineCounter();
  readonly #problems: string[] = [];

  constructor(file: string, text: string) {
    this.#file = file;
    this.doc = parseDocument(text, { lineCounter: this.#lines, prettyErrors: false, uniqueKeys: true });
    for (const e of [...this.doc.errors, ...this.doc.warnings]) {
      this.#problems.push(`${file}:${this.#lineOf(e.pos[0])}: ${e.message.split('\n')[0]}`);
    }
  }

  /** Reads `file` with a size check first (a data file is never allowed to exhaust memory). */
  static read(file: string, maxBytes = MAX_DATA_FILE_BYTES): YamlSource {
    let bytes: Buffer;
    try {
      bytes = readBounded(file, maxBytes);
    } catch (err) {
      if (err instanceof FileTooLargeError) {
        const size = err.size ?? `more than ${maxBytes}`;
        throw new DataFileError([`${file}:0: file is ${size} bytes, above the ${maxBytes} limit`]);
      }
      throw new DataFileError([`${file}:0: cannot read: ${(err as Error).message}`]);
    }
    return new YamlSource(file, bytes.toString('utf8'));
  }

  #lineOf(offset: number): number {
    return this.#lines.linePos(offset).line;
  }

  /** 1-based line of a node (0 when it has no position). */
  line(node: Located): number {
    const start = node?.range?.[0];
    return start === undefined ? 0 : this.#lineOf(start);
  }

  problem(node: Located, message: string): void {
    this.#problems.push(`${this.#file}:${this.line(node)}: ${message}`);
  }

  get problems(): readonly string[] {
    return this.#problems;
  }

  /** Throws a DataFileError listing every problem, if there is any. */
  check(): void {
    if (this.#problems.length > 0) throw new DataFileError([...this.#problems]);
  }

  /**
   * The fields of a mapping, by name, after reporting unknown fields, missing required ones and
   * non-text keys. Values are raw nodes (null when the value is empty).
   */
  fields(
    node: unknown,
    what: string,
    required: readonly string[],
    optional: readonly string[] = [],
  ): Map<string, unknown> | null {
    if (!isMap(node)) {
      this.problem(node as Located, `${what} must be a mapping`);
      return null;
    }
    const out = new Map<string, unknown>();
    for (const pair of (node as YAMLMap).items) {
      if (!isPair(pair) || !isScalar(pair.key) || typeof pair.key.value !== 'string') {
        this.problem((pair as { key?: Located }).key ?? (node as Located), `${what}: keys must be text`);
        continue;
      }
      const name = pair.key.value;
      if (!required.includes(name) && !optional.includes(name)) {
        const known = [...required, ...optional].join(', ');
        this.problem(pair.key, `${what}: unknown field '${name}' (known: ${known})`);
        continue;
      }
      out.set(name, pair.value ?? null);
    }
    for (const name of required) {
      if (!out.has(name)) this.problem(node as Located, `${what}: missing field '${name}'`);
    }
    return out;
  }

  /** A mapping whose keys are ids chosen by the file (e.g. watch-list ids): key → raw value node. */
  entries(node: unknown, what: string): Map<string, { key: unknown; value: unknown }> {
    const out = new Map<string, { key: unknown; value: unknown }>();
    if (node === null || (isScalar(node) && node.value === null)) return out;
    if (!isMap(node)) {
      this.problem(node as Located, `${what} must be a mapping`);
      return out;
    }
    for (const pair of (node as YAMLMap).items) {
      if (!isPair(pair) || !isScalar(pair.key) || typeof pair.key.value !== 'string') {
        this.problem((pair as { key?: Located }).key ?? (node as Located), `${what}: keys must be text`);
        continue;
      }
      out.set(pair.key.value, { key: pair.key, value: pair.value ?? null });
    }
    return out;
  }

  /** A text scalar with no control characters and at most `max` characters; null after a problem. */
  text(node: unknown, what: string, max = 200): string | null {
    if (node === undefined) return null; // a missing field, already reported by fields()
    if (isAlias(node)) {
      this.problem(node as Located, `${what}: YAML aliases are not allowed in data files`);
      return null;
    }
    if (!isScalar(node) || typeof node.value !== 'string') {
      this.problem(node as Located, `${what} must be text`);
      return null;
    }
    const value = node.value.trim();
    if (value === '') this.problem(node, `${what} must not be empty`);
    else if (value.length > max) this.problem(node, `${what} is longer than ${max} characters`);
    else if (/[\u0000-\u001f\u007f]/.test(value)) this.problem(node, `${what} has control characters`);
    else return value;
    return null;
  }

  /** Text, or null for an explicit `null` / `~` / empty value. `undefined` means a problem. */
  textOrNull(node: unknown, what: string, max = 200): string | null | undefined {
    if (node === null || (isScalar(node) && node.value === null)) return null;
    const value = this.text(node, what, max);
    return value === null ? undefined : value;
  }

  boolean(node: unknown, what: string): boolean | null {
    if (node === undefined) return null;
    if (isScalar(node) && typeof node.value === 'boolean') return node.value;
    this.problem(node as Located, `${what} must be true or false`);
    return null;
  }

  /** A non-negative integer up to `max`; null after a problem. */
  integer(node: unknown, what: string, max: number): number | null {
    if (node === undefined) return null;
    if (isScalar(node) && typeof node.value === 'number' && Number.isInteger(node.value)) {
      if (node.value >= 0 && node.value <= max) return node.value;
      this.problem(node, `${what} must be between 0 and ${max}`);
      return null;
    }
    this.problem(node as Located, `${what} must be a whole number`);
    return null;
  }

  /** The items of a sequence (an empty value counts as an empty list); null after a problem. */
  list(node: unknown, what: string, max = 10_000): unknown[] | null {
    if (node === undefined) return null;
    if (node === null || (isScalar(node) && node.value === null)) return [];
    if (!isSeq(node)) {
      this.problem(node as Located, `${what} must be a list`);
      return null;
    }
    if (node.items.length > max) {
      this.problem(node, `${what} has ${node.items.length} items, above the limit of ${max}`);
      return null;
    }
    return node.items;
  }
}
