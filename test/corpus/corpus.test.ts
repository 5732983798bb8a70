// The shared corpus of real third-party captures (../shared/corpus, see its MANIFEST.md): every
// file analyzes without error. Skipped where the corpus is not present (it is never copied here).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeCaptures } from '../../agent/analyze.js';
import { packageRoot } from '../../core/paths.js';
import { CORPUS } from '../helpers/corpus.js';

const files = existsSync(CORPUS) ? readdirSync(CORPUS).filter((f) => /\.(pcap|pcapng)$/.test(f)) : [];

describe.skipIf(files.length === 0)('shared corpus', () => {
  it.each(files)('%s analyzes', (file) => {
    const r = analyzeCaptures([join(CORPUS, file)]);
    expect(r.stats.packets).toBeGreaterThan(0);
  });

  it('the CLI exits 0 on all of them at once', () => {
    const cli = join(packageRoot(), 'dist', 'agent', 'cli.js');
    expect(existsSync(cli), 'dist/ is missing: npm test builds it (npm run build)').toBe(true);
    const run = spawnSync(
      process.execPath,
      [cli, 'analyze', '--quiet', ...files.map((f) => join(CORPUS, f))],
      { encoding: 'utf8' },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Read \d+ packets .* in 40 files/);
  });
});
