// The `yaml` library, loaded on first use: `originmap analyze` reads the precompiled signatures
// (dist/signatures.json) and parses no YAML unless given --rules or a policy file, yet importing
// the library cost every run ~50 ms of CPU and ~9 MB of RSS. Modules import these names from here
// instead of from 'yaml'; types come straight from the library (erased at run time).
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

export type { Document, Node, YAMLMap, YAMLSeq } from 'yaml';

let lib: typeof Yaml | undefined;

/** The library itself (CommonJS under Node, so require gives the same instance `import` would). */
export function yamlLib(): typeof Yaml {
  lib ??= createRequire(import.meta.url)('yaml') as typeof Yaml;
  return lib;
}

export const isAlias: typeof Yaml.isAlias = (node): node is Yaml.Alias => yamlLib().isAlias(node);
export const isMap: typeof Yaml.isMap = <K, V>(node: unknown): node is Yaml.YAMLMap<K, V> =>
  yamlLib().isMap(node);
export const isPair: typeof Yaml.isPair = <K, V>(node: unknown): node is Yaml.Pair<K, V> =>
  yamlLib().isPair(node);
export const isScalar: typeof Yaml.isScalar = <T>(node: unknown): node is Yaml.Scalar<T> =>
  yamlLib().isScalar(node);
export const isSeq: typeof Yaml.isSeq = <T>(node: unknown): node is Yaml.YAMLSeq<T> => yamlLib().isSeq(node);
export const parseDocument: typeof Yaml.parseDocument = (...args: Parameters<typeof Yaml.parseDocument>) =>
  yamlLib().parseDocument(...args);
export const stringify = ((...args: unknown[]) =>
  (yamlLib().stringify as (...a: unknown[]) => string)(...args)) as typeof Yaml.stringify;

/** `new LineCounter()` as with the library's class (a constructor returning the real instance). */
export const LineCounter = function LineCounter() {
  return new (yamlLib().LineCounter)();
} as unknown as typeof Yaml.LineCounter;
export type LineCounter = Yaml.LineCounter;
