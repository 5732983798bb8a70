// Runs TypeScript entry points in child processes without a build: transpiles an entry and the
// relative modules it imports (TypeScript's own transpileModule, no type check) into a cache folder.
// Used by the lab, whose device processes run inside network namespaces, when started from source.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

/** Static `import … from './x.js'`, `export … from`, and dynamic `import('./x.js')` of relative modules. */
const IMPORT = /(?:(?:import|export)\s[^'"]*?from\s*|import\(\s*)['"](\.{1,2}\/[^'"]+)\.js['"]/g;

/**
 * Returns the path of the transpiled entry (a .js file). Output goes under `<root>/tmp/ts-cache/`
 * (git-ignored), mirroring the source tree, so the package root, signatures/ and node_modules resolve
 * from the copy exactly as from the source.
 */
export function transpileEntry(entry: string, root: string): string {
  const files = new Map<string, string>();
  const queue = [resolve(entry)];
  while (queue.length) {
    const file = queue.pop()!;
    if (files.has(file)) continue;
    const source = readFileSync(file, 'utf8');
    files.set(file, source);
    for (const m of source.matchAll(IMPORT)) {
      const dep = resolve(dirname(file), `${m[1]}.ts`);
      if (existsSync(dep)) queue.push(dep);
    }
  }
  const hash = createHash('sha256');
  for (const [file, source] of [...files].sort()) hash.update(file).update('\0').update(source);
  const out = join(root, 'tmp', 'ts-cache', hash.digest('hex').slice(0, 16));
  const target = (file: string) => join(out, relative(root, file)).replace(/\.ts$/, '.js');
  if (!existsSync(target(resolve(entry)))) {
    for (const [file, source] of files) {
      const js = ts.transpileModule(source, {
        fileName: file,
        compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022, sourceMap: false },
      }).outputText;
      mkdirSync(dirname(target(file)), { recursive: true });
      writeFileSync(target(file), js);
    }
    // Marks the copies as ES modules; packageRoot() walks past it (no signatures/ beside it).
    writeFileSync(join(out, 'package.json'), '{"type":"module"}\n');
  }
  return target(resolve(entry));
}
