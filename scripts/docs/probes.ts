// Writes docs/probes.md from signatures/probes/*.yaml (`npm run docs:probes`).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { probesMarkdown } from '../../agent/active/probe-docs.js';
import { loadProbes } from '../../agent/active/probe-loader.js';
import { packageRoot } from '../../core/paths.js';

const file = join(packageRoot(), 'docs', 'probes.md');
writeFileSync(file, probesMarkdown(loadProbes()));
process.stdout.write(`wrote ${file}\n`);
