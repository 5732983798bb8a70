// The documented JSON Schema and docs/report-schema.md stay in step with the code.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SummarySchema } from '../../../core/report/schema.js';

describe('docs/report-schema.json', () => {
  it('is the schema the code checks against', () => {
    const doc = JSON.parse(
      readFileSync(new URL('../../../docs/report-schema.json', import.meta.url), 'utf8'),
    );
    expect(doc).toEqual(JSON.parse(JSON.stringify(SummarySchema)));
  });

  it('documents every top-level member in docs/report-schema.md', () => {
    const md = readFileSync(new URL('../../../docs/report-schema.md', import.meta.url), 'utf8');
    for (const key of Object.keys(SummarySchema.properties)) expect(md).toContain(`\`${key}\``);
  });
});
