// Part of `npm run build`, after tsc: `originmap analyze` and the ~140 modules it imports, bundled
// into a few files beside its module (dist/agent/commands/analyze.bundle*.js). Loading them one by
// one cost ~70 ms of a ~0.28 s tiny-file analyze: per-module resolution, reading, compiling and
// linking, not their top-level code. agent/cli.ts uses the bundle only while it is at least as new
// as the modules it was made from (a later bare `tsc` makes it stale, and the modules are used).
// The bundler is rolldown, already installed with vitest's vite; the tests run the same sources.
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { rolldown } from 'rolldown';

/** The one module the bundle shares with agent/cli.ts: main() recognises the command's CliError by class. */
const SHARED = ['cli-error.js'];

export const BUNDLE_ENTRY = 'analyze.bundle.js';

export interface BundleResult {
  files: string[];
  bytes: number;
}

/** Bundles dist/agent/commands/analyze.js (compiled) into analyze.bundle*.js in the same folder. */
export async function bundleAnalyze(distDir: string): Promise<BundleResult> {
  const dir = resolve(distDir, 'agent', 'commands');
  const shared = new Set(SHARED.map((f) => join(dir, f)));
  const builtins = new Set(builtinModules);
  const build = await rolldown({
    input: { [BUNDLE_ENTRY.replace(/\.js$/, '')]: join(dir, 'analyze.js') },
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
    format: 'esm',
    entryFileNames: '[name].js',
    chunkFileNames: 'analyze.bundle-[name].js',
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
 * Refuses a bundle that would resolve differently from the modules: every relative import must be a
 * chunk of this bundle or a shared module in the same folder, and nothing may build a path from its
 * own location (`new URL('./x', import.meta.url)`: a worker entry, say), which moved with bundling.
 */
export function checkBundle(file: string, dir: string): void {
  const code = readFileSync(file, 'utf8');
  for (const m of code.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)["'](\.{1,2}\/[^"']+)["']/g)) {
    const target = resolve(dirname(file), m[1]!);
    const name = basename(target);
    if (dirname(target) !== dir || !(name.startsWith('analyze.bundle') || SHARED.includes(name)))
      throw new Error(`${file}: imports ${m[1]}, which is not part of the bundle`);
  }
  if (/new URL\(\s*["']\.{1,2}\//.test(code))
    throw new Error(`${file}: builds a path relative to its own module, which bundling moved`);
}

// Run as a script (npm run build): not when imported by tests.
if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  const dist = resolve(dirname(new URL(import.meta.url).pathname), '..');
  const r = await bundleAnalyze(dist);
  process.stderr.write(
    `${join(dist, 'agent', 'commands', BUNDLE_ENTRY)}: ${r.files.length} files, ${r.bytes} bytes\n`,
  );
}
