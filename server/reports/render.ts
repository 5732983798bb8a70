// Stored reports rendered for download and delivery: the summary read back from the signed record
// (the record itself is served byte for byte), its HTML in either language and its CSV tables.
import { createHash } from 'node:crypto';
import { csvTables } from '../../core/report/csv.js';
import { renderHtml } from '../../core/report/html.js';
import type { Lang } from '../../core/report/labels.js';
import { type Summary, summaryProblems } from '../../core/report/schema.js';

/** The summary inside a signed record, or null when this build cannot read that version. */
export function summaryOf(document: string): Summary | null {
  const { signature: _s, ...doc } = JSON.parse(document) as Record<string, unknown>;
  return summaryProblems(doc).length ? null : (doc as unknown as Summary);
}

export function renderReportHtml(summary: Summary, keyId: string, lang: Lang): string {
  return renderHtml(summary, { lang, keyId });
}

/** CSV tables by file name; UTF-8 with a byte-order mark for Japanese, as `originmap report` writes. */
export function reportCsv(summary: Summary, lang: Lang): Record<string, string> {
  return csvTables(summary, { bom: lang === 'ja' });
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The names of the CSV tables a summary has (agents and changes only when present). */
export function csvNames(summary: Summary): string[] {
  return Object.keys(csvTables(summary)).sort();
}
