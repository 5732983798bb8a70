// Where the package's own data lives (signatures/, server migrations), from source (vitest, tsx)
// and from the compiled dist/ tree alike: walk up from this module to the package.json.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | undefined;

/** The directory holding originmap's package.json. */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'signatures'))) {
      root = dir;
      return dir;
    }
    const up = dirname(dir);
    if (up === dir)
      throw new Error('originmap: cannot find the package root (package.json next to signatures/)');
    dir = up;
  }
}

/** The signatures folder shipped with the package (rules, vendors, providers, probes, policies). */
export function signaturesDir(): string {
  return join(packageRoot(), 'signatures');
}
