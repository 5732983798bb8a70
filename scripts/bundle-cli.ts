// Part of `npm run build`, after tsc: `originmap analyze` and the ~140 modules it imports, bundled
// into a few CommonJS files beside its module (dist/agent/commands/analyze.bundle*.cjs), plus V8's
// code cache of the bundle after a run on the demo capture (agent/commands/load-bundle.ts). Loading
// the modules one by one cost ~70 ms of a ~0.28 s tiny-file analyze (per-module resolution, reading,
// compiling, linking), and compiling the code ~30 ms more. agent/cli.ts uses the bundle only while
// it is at least as new as the modules (a later bare `tsc` makes it stale: the modules are used).
// CommonJS because Node 20 takes a code cache only for a vm.Script. The bundler is rolldown
// (already installed with vitest's vite); tests run the same sources.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';
import { cacheFile, cachePath, loadBundle } from '../agent/commands/load-bundle.js';
import { generateFixtures } from './generate-fixtures.js';

/** The one module the bundle shares with agent/cli.ts: main() recognises the command's CliError by class. */
export const SHARED = ['./cli-error.js'];

export const BUNDLE_ENTRY = 'analyze.bundle.cjs';

export interface BundleResult {
  files: string[];
  bytes: number;
}

/** Bundles dist/agent/commands/analyze.js (compiled) into analyze.bundle*.cjs in the same folder. */
export async function bundleAnalyze(distDir: string): Promise<BundleResult> {
  const dir = resolve(distDir, 'agent', 'commands');
  const shared = new Set(SHARED.map((f) => join(dir, f)));
  const builtins = new Set(builtinModules);
  const build = await rolldown({
    input: { [BUNDLE_ENTRY.replace(/\.cjs$/, '')]: join(dir, 'analyze.js') },
    platform: 'node',
    // Packages stay where npm put them (node_modules, loaded as before); only our modules are bundled.
    external: (id) =>
      id.startsWith('node:') ||
      builtins.has(id) ||
      shared.has(id) ||
      !(id.startsWith('.') || id.startsWith('/')),
    logLevel: 'warn',
  });
  const out = await build.write({
    dir,
    format: 'cjs',
    // The modules were strict (ES modules); the bundle stays so.
    strict: true,
    entryFileNames: '[name].cjs',
    chunkFileNames: 'analyze.bundle-[name].cjs',
    // Class and function names stay as written: they appear in error stacks and `name` fields.
    keepNames: true,
    sourcemap: true,
  });
  await build.close();
  const files = out.output.filter((o) => o.type === 'chunk').map((o) => join(dir, o.fileName));
  for (const f of files) checkBundle(f, dir);
  return { files, bytes: files.reduce((n, f) => n + readFileSync(f).length, 0) };
}

/**
 * Refuses a bundle that would resolve differently from the modules: every relative require must be a
 * chunk of this bundle or a shared module in the same folder, and nothing may build a path from its
 * own location (`new URL('./x', import.meta.url)`: a worker entry, say), which moved with bundling.
 */
export function checkBundle(file: string, dir: string): void {
  const code = readFileSync(file, 'utf8');
  if (!code.startsWith('"use strict";')) throw new Error(`${file}: not in strict mode`);
  for (const m of code.matchAll(
    /\b(?:require|import)\s*\(\s*["'](\.{1,2}\/[^"']+)["']|\bfrom\s*["'](\.[^"']*)["']/g,
  )) {
    const spec = (m[1] ?? m[2])!;
    const target = resolve(dirname(file), spec);
    const name = basename(target);
    const ok = dirname(target) === dir && (name.startsWith('analyze.bundle') || SHARED.includes(spec));
    if (!ok) throw new Error(`${file}: loads ${spec}, which is not part of the bundle`);
  }
  if (/new URL\(\s*["']\.{1,2}\//.test(code))
    throw new Error(`${file}: builds a path relative to its own module, which bundling moved`);
}

/**
 * Runs the bundle once on the demo capture (generated, output discarded) in a child process with no
 * flags of its own, and writes V8's code cache of everything that run compiled. Returns its size,
 * and whether a second child took it (false: the cache is useless, not harmful).
 */
export function writeCodeCache(bundle: string): { bytes: number; accepted: boolean } {
  const self = fileURLToPath(import.meta.url);
  const write = spawnSync(process.execPath, [self, '--write-cache', bundle], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  if (write.status !== 0) throw new Error(`code cache of ${bundle}: ${write.stderr}`);
  const check = spawnSync(process.execPath, [self, '--check-cache', bundle], { encoding: 'utf8' });
  return { bytes: readFileSync(cachePath(bundle)).length, accepted: check.stdout.trim() === 'cached' };
}

type Command = { run(argv: string[]): Promise<number> };

async function shared(): Promise<Record<string, unknown>> {
  return { './cli-error.js': await import('../agent/commands/cli-error.js') };
}

// Run as a script: the build step, or one of writeCodeCache's children.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [mode, bundle] = process.argv.slice(2);
  if (mode === '--write-cache' && bundle) {
    const dir = mkdtempSync(join(tmpdir(), 'om-bundle-'));
    try {
      generateFixtures(dir);
      const loaded = loadBundle<Command>(bundle, await shared());
      const code = await loaded.exports.run(['--json', '--quiet', join(dir, 'demo.pcapng')]);
      if (code !== 0) throw new Error(`analyze of the demo capture exited ${code}`);
      writeFileSync(
        cachePath(bundle),
        cacheFile(readFileSync(bundle, 'utf8'), loaded.script.createCachedData()),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  } else if (mode === '--check-cache' && bundle) {
    process.stdout.write(loadBundle<Command>(bundle, await shared()).cached ? 'cached\n' : 'compiled\n');
  } else {
    const dist = resolve(dirname(fileURLToPath(import.meta.url)), '..');
    const r = await bundleAnalyze(dist);
    const entry = join(dist, 'agent', 'commands', BUNDLE_ENTRY);
    const cache = writeCodeCache(entry);
    process.stderr.write(
      `${entry}: ${r.files.length} files, ${r.bytes} bytes; code cache ${cache.bytes} bytes, ${cache.accepted ? 'taken' : 'REFUSED by V8'}\n`,
    );
  }
}
