// The identifier built from what ships with originmap: signatures/rules, signatures/vendors.yaml
// and the packaged IEEE registry (oui-data). Loaded once per process (rules ~0.3 s, catalog ~0.1 s
// warm on the reference box; see the report of the ident-rules branch).
import { loadVendorCatalog } from '../catalog/load-vendors.js';
import { loadMacRegistry } from '../oui/registry.js';
import type { Identifier } from './contracts.js';
import { createIdentifier } from './identifier.js';
import { defaultRulesDir, loadRules } from './rules/load-rules.js';
import type { RuleSet } from './rules/rule-set.js';

export interface LoadedIdentifier extends Identifier {
  /** The loaded rules, for `--unknown` (core/identify/unknown.ts). */
  readonly rules: RuleSet;
}

/** Throws RuleLoadError / DataFileError listing every problem of a broken data file. */
export function loadIdentifier(rulesDir: string = defaultRulesDir()): LoadedIdentifier {
  const catalog = loadVendorCatalog();
  const rules = loadRules(rulesDir, { catalog });
  const engine = createIdentifier({ rules, registry: loadMacRegistry(), catalog });
  return { rules, identify: engine.identify };
}
