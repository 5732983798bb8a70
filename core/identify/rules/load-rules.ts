// Loads signatures/rules/: one YAML file per observation key, every file validated, every problem
// reported as "file:line: message" before failing (STYLE.md: never stop at the first problem).
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { loadVendorCatalog } from '../../catalog/load-vendors.js';
import { isObservationKey } from '../../observation-keys.js';
import { signaturesDir } from '../../paths.js';
import { FileTooLargeError, readBounded } from '../../read-bounded.js';
import type { VendorCatalog } from '../contracts.js';
import { MAX_RULE_FILE_BYTES, type Problem, parseRuleFile } from './rule-schema.js';
import { RuleSet } from './rule-set.js';
import type { CompiledRule } from './rule-types.js';
import type { PatternEngine } from './safe-pattern.js';

/** At most this many rule files in a folder: a guard against pointing the loader at the wrong tree. */
export const MAX_RULE_FILES = 500;

export class RuleLoadError extends Error {
  override readonly name = 'RuleLoadError';
  constructor(readonly problems: readonly Problem[]) {
    super(
      `${problems.length} problem(s) in identification rules:\n` +
        problems.map((p) => `${p.file}:${p.line}: ${p.message}`).join('\n'),
    );
  }
}

export interface LoadRulesOptions {
  /**
   * Vendor names in rules must be catalog names: the shipped catalog (signatures/vendors.yaml) by
   * default; null skips the check (tests of the loader alone).
   */
  catalog?: Pick<VendorCatalog, 'byName'> | null;
  /**
   * The engine patterns run on: 'linear' (time linear in the text, whatever the pattern) for a
   * folder someone passed; 'backtracking' by default for the shipped folder, whose rules are
   * reviewed and held to hostile values by their self-test (safe-pattern.ts).
   */
  engine?: PatternEngine;
}

export function defaultRulesDir(): string {
  return join(signaturesDir(), 'rules');
}

/** Reads and validates a rule folder (the shipped one when none is given); throws RuleLoadError listing every problem found. */
export function loadRules(dir?: string, options: LoadRulesOptions = {}): RuleSet {
  const engine = options.engine ?? (dir === undefined ? 'backtracking' : 'linear');
  dir ??= defaultRulesDir();
  const problems: Problem[] = [];
  const rules: CompiledRule[] = [];
  const base = relative(process.cwd(), dir) || '.';
  const catalog = options.catalog === undefined ? loadVendorCatalog() : options.catalog;
  const isVendor = catalog ? (name: string) => catalog.byName(name)?.name === name : null;
  let names: string[];
  try {
    names = readdirSync(dir)
      .filter((n) => /\.ya?ml$/.test(n))
      .sort();
  } catch (err) {
    throw new RuleLoadError([{ file: base, line: 0, message: `cannot read: ${(err as Error).message}` }]);
  }
  // A folder without one rule file is a wrong path, not a wish for no identification: saying nothing
  // would print an inventory with every rule-based field null.
  if (names.length === 0) {
    throw new RuleLoadError([{ file: base, line: 0, message: 'no rule files (*.yaml) in this folder' }]);
  }
  if (names.length > MAX_RULE_FILES) {
    throw new RuleLoadError([
      { file: base, line: 0, message: `${names.length} rule files (at most ${MAX_RULE_FILES})` },
    ]);
  }
  for (const name of names) {
    const file = join(base, name);
    const key = name.replace(/\.ya?ml$/, '');
    if (!isObservationKey(key)) {
      problems.push({
        file,
        line: 1,
        message: `"${key}" is not an observation key (core/observation-keys.ts)`,
      });
      continue;
    }
    const path = join(dir, name);
    let text: string;
    try {
      text = readBounded(path, MAX_RULE_FILE_BYTES).toString('utf8');
    } catch (err) {
      // One file that cannot be read (too large, a directory named *.yaml, unreadable) is one
      // problem among the others, not the end of the load.
      const message =
        err instanceof FileTooLargeError
          ? `file is ${err.size ?? `more than ${MAX_RULE_FILE_BYTES}`} bytes (at most ${MAX_RULE_FILE_BYTES})`
          : `cannot read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`;
      problems.push({ file, line: 1, message });
      continue;
    }
    const parsed = parseRuleFile(file, text, key, { isVendor }, engine);
    problems.push(...parsed.problems);
    rules.push(...parsed.rules);
  }
  if (problems.length) throw new RuleLoadError(problems);
  return new RuleSet(rules);
}
