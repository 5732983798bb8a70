// Renders docs/observation-keys.md from the key registry (core/observation-keys.ts):
// `node dist/scripts/docs/observation-keys.js > docs/observation-keys.md` (a test keeps them in sync).
import { OBSERVATION_KEYS } from '../../core/observation-keys.js';

export function renderObservationKeys(): string {
  const groups = new Map<string, [string, string][]>();
  for (const [key, spec] of Object.entries(OBSERVATION_KEYS)) {
    const rows = groups.get(spec.group) ?? [];
    rows.push([key, spec.description]);
    groups.set(spec.group, rows);
  }
  const out = [
    '# Observation keys',
    '',
    'Every fact a decoder, probe or nmap run records is an observation `{ key, value }` with one of',
    'these keys (DESIGN.md §3). This file is generated from `core/observation-keys.ts`; do not edit it',
    'by hand (`node dist/scripts/docs/observation-keys.js > docs/observation-keys.md`).',
    '',
  ];
  for (const [group, rows] of groups) {
    out.push(`## ${group}`, '', '| key | value |', '|---|---|');
    for (const [key, description] of rows) out.push(`| \`${key}\` | ${description.replace(/\|/g, '\\|')} |`);
    out.push('');
  }
  return out.join('\n');
}

if (process.argv[1]?.endsWith('observation-keys.js')) process.stdout.write(renderObservationKeys());
