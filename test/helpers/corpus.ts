// Where the shared corpus of third-party captures lives (never copied into the repository), and
// whether it is here: tests that read it skip cleanly when it is not.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../core/paths.js';

export const CORPUS = join(packageRoot(), '..', 'shared', 'corpus');
export const HAVE_CORPUS = existsSync(CORPUS);

export function corpusFile(name: string): string {
  return join(CORPUS, name);
}
