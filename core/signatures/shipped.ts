// The shipped signatures (vendor catalog, identification rules, providers), loaded once per process.
// Parsing and validating ~400 KB of YAML costs about a second on a cold start, so `npm run build`
// writes them, already validated, to dist/signatures.json; that file is used only while its hash of
// the source files still matches, so an edited signature file is always read (and checked) itself.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadVendorCatalog } from '../catalog/load-vendors.js';
import { AliasIndex } from '../catalog/registrant-alias.js';
import { Catalog, type VendorEntry, type WatchlistInfo } from '../catalog/vendor-catalog.js';
import { loadProviderCatalog, ProviderCatalog, type ProviderInfo } from '../geo/load-providers.js';
import { loadRules } from '../identify/rules/load-rules.js';
import { RuleSet } from '../identify/rules/rule-set.js';
import type { CompiledRule } from '../identify/rules/rule-types.js';
import { packageRoot, signaturesDir } from '../paths.js';

const FORMAT = 1;

export interface ShippedSignatures {
  catalog: Catalog;
  rules: RuleSet;
  providers: ProviderCatalog;
  /** Where they came from: the compiled file or the YAML sources. */
  from: 'compiled' | 'yaml';
}

type StoredRule = Omit<CompiledRule, 'regex' | 'examples'> & { flags: string };

interface Compiled {
  format: number;
  sourceHash: string;
  vendors: VendorEntry[];
  watchlists: WatchlistInfo[];
  rules: StoredRule[];
  providers: ProviderInfo[];
}

export function compiledPath(): string {
  return join(packageRoot(), 'dist', 'signatures.json');
}

/** SHA-256 over the names and bytes of every source file the compiled form stands for. */
export function sourceHash(dir = signaturesDir()): string {
  const h = createHash('sha256');
  const rulesDir = join(dir, 'rules');
  const files = [
    'vendors.yaml',
    'providers.yaml',
    ...readdirSync(rulesDir)
      .filter((n) => /\.ya?ml$/.test(n))
      .sort()
      .map((n) => join('rules', n)),
  ];
  for (const f of files)
    h.update(`${f}\u0000`)
      .update(readFileSync(join(dir, f)))
      .update('\u0000');
  return h.digest('hex');
}

let shipped: ShippedSignatures | undefined;

/** The shipped signatures; throws the loaders' errors (every problem, file:line) when YAML is read. */
export function loadShippedSignatures(): ShippedSignatures {
  if (shipped) return shipped;
  shipped = fromCompiled() ?? fromYaml();
  return shipped;
}

function fromYaml(): ShippedSignatures {
  const catalog = loadVendorCatalog();
  return {
    catalog,
    rules: loadRules(undefined, { catalog }),
    providers: loadProviderCatalog(),
    from: 'yaml',
  };
}

function fromCompiled(): ShippedSignatures | null {
  const path = compiledPath();
  if (!existsSync(path)) return null;
  let data: Compiled;
  try {
    data = JSON.parse(readFileSync(path, 'utf8')) as Compiled;
  } catch {
    return null; // a damaged cache is no reason to stop: the sources are read instead
  }
  if (data.format !== FORMAT || data.sourceHash !== sourceHash()) return null;
  const aliases = new AliasIndex<VendorEntry>();
  for (const v of data.vendors) for (const a of v.aliases) aliases.add(a, v);
  const catalog = new Catalog(data.vendors, aliases, new Map(data.watchlists.map((w) => [w.id, w])));
  const rules = new RuleSet(
    data.rules.map(({ flags, ...r }) => ({
      ...r,
      regex: r.pattern === null ? null : new RegExp(r.pattern, flags),
      examples: [],
    })),
  );
  return { catalog, rules, providers: new ProviderCatalog(data.providers), from: 'compiled' };
}

/** Validates the YAML sources (throwing every problem) and writes the compiled form. */
export function writeCompiledSignatures(path = compiledPath()): {
  rules: number;
  vendors: number;
  providers: number;
} {
  const { catalog, rules, providers } = fromYaml();
  const data: Compiled = {
    format: FORMAT,
    sourceHash: sourceHash(),
    vendors: [...catalog.all()],
    watchlists: [...catalog.watchlistInfo.values()],
    rules: rules.rules().map(({ regex, examples: _examples, ...r }) => ({ ...r, flags: regex?.flags ?? '' })),
    providers: [...providers.all()],
  };
  writeFileSync(path, JSON.stringify(data));
  return { rules: data.rules.length, vendors: data.vendors.length, providers: data.providers.length };
}
