// The identifier built from what ships with originmap: signatures/rules, signatures/vendors.yaml
// and the packaged IEEE registry (oui-data), or from another rules folder with the shipped catalog.
// The shipped signatures come precompiled when the build wrote them (core/signatures/shipped.ts).
import { loadMacRegistry } from '../oui/registry.js';
import { loadShippedSignatures } from '../signatures/shipped.js';
import type { Identifier } from './contracts.js';
import { createIdentifier } from './identifier.js';
import { loadRules } from './rules/load-rules.js';
import type { RuleSet } from './rules/rule-set.js';

export interface LoadedIdentifier extends Identifier {
  /** The loaded rules, for `--unknown` (core/identify/unknown.ts). */
  readonly rules: RuleSet;
}

/**
 * The shipped rules, or those of `rulesDir`. Throws RuleLoadError / DataFileError listing every
 * problem of a broken data file.
 */
export function loadIdentifier(rulesDir?: string): LoadedIdentifier {
  const shipped = loadShippedSignatures();
  const rules = rulesDir ? loadRules(rulesDir, { catalog: shipped.catalog }) : shipped.rules;
  const engine = createIdentifier({ rules, registry: loadMacRegistry(), catalog: shipped.catalog });
  return { rules, identify: engine.identify, keys: engine.keys };
}
