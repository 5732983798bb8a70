// Resolves a policy spec ("jp-espa", "./site.yaml", "jp-espa,ot-baseline,./site.yaml") into one
// policy: shipped packs by name from signatures/policies/, files by path, `extends` followed, new
// rules added and overrides applied by rule id, in order. All files' problems are reported together.
import { readdirSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { isScalar } from '../catalog/yaml-lib.js';
import { signaturesDir } from '../paths.js';
import { FileTooLargeError, readBounded } from '../read-bounded.js';
import { parseCondition } from './conditions.js';
import { type LoadOptions, PACK_ID, type PolicyFileDraft, parsePolicyFile, readGroupBy } from './loader.js';
import { parseTemplate } from './template.js';
import { POLICY_LIMITS, type Policy, PolicyError, type Position, type Rule } from './types.js';
import { DEFAULT_WATCHLISTS, fieldsOf } from './vocabulary.js';
import { didYouMean } from './yaml-reader.js';

export interface ResolveOptions {
  /** Where relative paths in the spec are resolved from (default: the process's cwd). */
  cwd?: string;
  /** Folder of shipped packs (default: signatures/policies of the package). */
  packsDir?: string;
  /** Watch-list ids rules may name (default: the vendor catalog's lists). */
  watchlists?: Iterable<string>;
  /**
   * Refuse `extends` of file paths: policy text that came over the network (the collector's stored
   * operator policy) may extend shipped packs but must never make the server read its own files.
   */
  packsOnly?: boolean;
}

export function policiesDir(): string {
  return join(signaturesDir(), 'policies');
}

/** Names of the shipped packs, sorted. */
export function listPacks(packsDir = policiesDir()): string[] {
  return readdirSync(packsDir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

/** A bare name (no slash, no .yaml) names a shipped pack; anything else is a path. */
function isPackName(item: string): boolean {
  return PACK_ID.test(item) && !item.endsWith('.yaml') && !item.endsWith('.yml');
}

/** Loads and resolves a spec; throws PolicyError with every problem found. */
export function loadPolicy(spec: string, options: ResolveOptions = {}): Policy {
  const items = spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (items.length === 0) throw new PolicyError(['empty policy spec: name a pack (e.g. jp-espa) or a file']);
  const resolver = new Resolver(options);
  for (const item of items) resolver.include(item, options.cwd ?? process.cwd(), null);
  return resolver.finish();
}

/** Resolves policy text that is not on disk (a stored operator policy); `extends` may name packs. */
export function policyFromText(text: string, name: string, options: ResolveOptions = {}): Policy {
  const resolver = new Resolver(options);
  resolver.includeText(text, name, options.cwd ?? process.cwd());
  return resolver.finish();
}

/**
 * Shipped packs in order, then optional policy text (the operator's own rules and overrides of
 * the packs' rules): the collector's per-operator policy. Throws PolicyError with every problem.
 */
export function policyFromParts(
  parts: { packs: readonly string[]; text: string | null; name: string },
  options: ResolveOptions = {},
): Policy {
  const resolver = new Resolver(options);
  const cwd = options.cwd ?? process.cwd();
  parts.packs.forEach((pack, i) => {
    if (isPackName(pack)) resolver.include(pack, cwd, null);
    else resolver.refuse(`packs/${i}: '${pack}' is not a pack name (packs are named, not paths)`);
  });
  if (parts.text !== null) resolver.includeText(parts.text, parts.name, cwd);
  return resolver.finish();
}

class Resolver {
  readonly #packsDir: string;
  readonly #packsOnly: boolean;
  readonly #load: LoadOptions;
  readonly #problems: string[] = [];
  readonly #loaded = new Set<string>();
  readonly #active: string[] = [];
  readonly #drafts: PolicyFileDraft[] = [];

  constructor(options: ResolveOptions) {
    this.#packsDir = options.packsDir ?? policiesDir();
    this.#packsOnly = options.packsOnly ?? false;
    this.#load = { watchlists: new Set(options.watchlists ?? DEFAULT_WATCHLISTS) };
  }

  include(item: string, baseDir: string, from: Position | null): void {
    let path: string;
    if (isPackName(item)) {
      path = join(this.#packsDir, `${item}.yaml`);
      if (!existsFile(path)) {
        const packs = safeList(this.#packsDir);
        this.#problem(
          from,
          `unknown policy pack '${item}'${didYouMean(item, packs)}; shipped packs: ${packs.join(', ')}`,
        );
        return;
      }
    } else if (this.#packsOnly) {
      this.#problem(
        from,
        `extends '${item}': only shipped pack names (${safeList(this.#packsDir).join(', ')}) may be extended here, not files`,
      );
      return;
    } else {
      path = isAbsolute(item) ? item : resolve(baseDir, item);
    }
    if (this.#active.includes(path)) {
      this.#problem(from, `extends cycle: ${[...this.#active, path].join(' → ')}`);
      return;
    }
    if (this.#loaded.has(path)) return;
    if (this.#loaded.size >= POLICY_LIMITS.files) {
      this.#problem(from, `more than ${POLICY_LIMITS.files} policy files`);
      return;
    }
    let text: string;
    try {
      text = readBounded(path, POLICY_LIMITS.fileBytes).toString('utf8');
    } catch (err) {
      if (err instanceof FileTooLargeError) {
        this.#problem(from, `${path}: larger than ${POLICY_LIMITS.fileBytes} bytes`);
        return;
      }
      this.#problem(
        from,
        `cannot read policy file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      );
      return;
    }
    this.#loaded.add(path);
    this.#active.push(path);
    this.includeText(text, path, dirname(path));
    this.#active.pop();
  }

  includeText(text: string, file: string, baseDir: string): void {
    const draft = parsePolicyFile(text, file, this.#load);
    for (const ext of draft.extends) this.include(ext.name, baseDir, ext.at);
    this.#drafts.push(draft);
  }

  finish(): Policy {
    const rules = new Map<string, Rule>();
    let homeCountry: string | null = null;
    for (const draft of this.#drafts) {
      if (draft.homeCountry) homeCountry = draft.homeCountry;
      for (const rule of draft.rules) {
        const earlier = rules.get(rule.id);
        if (earlier)
          draft.problems.addAt(
            rule.at,
            `rule '${rule.id}' is already defined at ${earlier.at.file}:${earlier.at.line}; change it under overrides:`,
          );
        else rules.set(rule.id, rule);
      }
      for (const ov of draft.overrides) {
        const target = rules.get(ov.id);
        if (!target) {
          draft.problems.addAt(
            ov.at,
            `override of unknown rule '${ov.id}'${didYouMean(ov.id, rules.keys())}`,
          );
          continue;
        }
        const changed: Rule = { ...target, overriddenBy: draft.id || draft.file };
        if (ov.severity) changed.severity = ov.severity;
        if (ov.enabled !== undefined) changed.enabled = ov.enabled;
        if (ov.title) changed.title = ov.title;
        if (ov.sources) changed.sources = ov.sources;
        if (ov.whenNode !== undefined) {
          const when = parseCondition(ov.whenNode, {
            subject: target.subject,
            problems: draft.problems,
            watchlists: this.#load.watchlists,
          });
          if (when) changed.when = when;
        }
        if (ov.groupByNode !== undefined) {
          // `groupBy: null` (or ~) turns grouping off; a list replaces it.
          const off = ov.groupByNode === null || (isScalar(ov.groupByNode) && ov.groupByNode.value === null);
          changed.groupBy = off ? null : readGroupBy(ov.groupByNode, target.subject, draft.problems);
        }
        if (ov.message) {
          const known = fieldsOf(target.subject);
          const t = parseTemplate(ov.message, (f) => Object.hasOwn(known, f));
          for (const p of t.problems) draft.problems.addAt(ov.at, p);
          changed.message = ov.message;
          changed.messageParts = t.parts;
        }
        rules.set(ov.id, changed);
      }
    }
    const problems = [...new Set([...this.#problems, ...this.#drafts.flatMap((d) => d.problems.list)])];
    if (problems.length) throw new PolicyError(problems);
    return {
      sources: this.#drafts.map((d) => d.id || d.file),
      rules: [...rules.values()],
      defaults: { homeCountry },
    };
  }

  /** A problem found by the caller (outside any file), reported with the rest. */
  refuse(message: string): void {
    this.#problems.push(message);
  }

  #problem(at: Position | null, message: string): void {
    this.#problems.push(at ? `${at.file}:${at.line}: ${message}` : message);
  }
}

function existsFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function safeList(dir: string): string[] {
  try {
    return listPacks(dir);
  } catch {
    return [];
  }
}
