// Loads a command's build-time bundle (scripts/bundle-cli.ts: one CommonJS file and a few lazy
// chunks) with V8's code cache, the way Node 22's module compile cache does: compiling the ~430 KB
// bundle and then each function on its first call cost ~30 ms of a tiny-file analyze on Node 20,
// which has no compile cache for modules. The cache is used only for the exact bundle text it was
// made from (its SHA-256 is stored with it: V8 itself compares only the source length); V8 refuses
// a cache from another V8 version or flags, and the bundle then compiles as usual.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { Script } from 'node:vm';

/** First line of a cache file: this tag, a space, the bundle's SHA-256 in hex, a newline. */
const CACHE_TAG = 'originmap-code-cache-1';
const HEADER_BYTES = CACHE_TAG.length + 1 + 64 + 1;

export interface LoadedBundle<T> {
  exports: T;
  /** The compiled bundle, for createCachedData() once it has run (the build's cache writer). */
  script: Script;
  /** Whether the code cache was there and taken. */
  cached: boolean;
}

/** The code cache file of a bundle. */
export function cachePath(bundle: string): string {
  return `${bundle}.cache`;
}

export function sourceDigest(source: string): string {
  return createHash('sha256').update(source).digest('hex');
}

/** The cache file's bytes for a bundle's source and V8's cached data. */
export function cacheFile(source: string, data: Uint8Array): Buffer {
  return Buffer.concat([Buffer.from(`${CACHE_TAG} ${sourceDigest(source)}\n`, 'latin1'), data]);
}

/** The V8 data of a cache file made for exactly this source, else undefined. */
function cacheFor(bundle: string, source: string): Buffer | undefined {
  const path = cachePath(bundle);
  if (!existsSync(path)) return undefined;
  const bytes = readFileSync(path);
  const header = bytes.subarray(0, HEADER_BYTES).toString('latin1');
  return header === `${CACHE_TAG} ${sourceDigest(source)}\n` ? bytes.subarray(HEADER_BYTES) : undefined;
}

/**
 * Runs a CommonJS bundle as Node's loader would (same wrapper, a `require` from its own folder), except
 * that `shared` modules are handed over already loaded, so their classes are the caller's own
 * (agent/cli.ts recognises a CliError by class).
 */
export function loadBundle<T>(bundle: string, shared: Record<string, unknown> = {}): LoadedBundle<T> {
  const source = readFileSync(bundle, 'utf8');
  const cachedData = cacheFor(bundle, source);
  const script = new Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, {
    filename: bundle,
    cachedData,
  });
  const nodeRequire = createRequire(bundle);
  const require = Object.assign((id: string) => (Object.hasOwn(shared, id) ? shared[id] : nodeRequire(id)), {
    resolve: nodeRequire.resolve,
    cache: nodeRequire.cache,
  });
  const module = { exports: {} as T };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, require, module, bundle, dirname(bundle));
  return { exports: module.exports, script, cached: cachedData !== undefined && !script.cachedDataRejected };
}
