// From summary inputs to the files a regulator receives: the signed JSON (the record), the HTML
// rendering and the CSV tables. `produceDue` runs a schedule: one report per due period, given a
// clock and a way to gather each period's inputs (the collector's phase 2 calls this).
import type { KeyObject } from 'node:crypto';
import type { Clock } from '../clock.js';
import { buildSummary, type SummaryInput } from './build.js';
import { csvTables } from './csv.js';
import { renderHtml } from './html.js';
import type { Lang } from './labels.js';
import { duePeriods, type Period, type ReportSchedule } from './schedule.js';
import type { Summary } from './schema.js';
import { keyIdOf, signDocument } from './signing.js';

export interface ProducedReport {
  summary: Summary;
  /** File base name: "originmap-summary-<operator>-<period>" (no extension). */
  baseName: string;
  /** The signed record: canonical JSON + "\n", to be written byte for byte. */
  json: string;
  html: string;
  csv: Record<string, string>;
  keyId: string;
}

const SAFE = /[^A-Za-z0-9._-]+/g;

export function reportBaseName(summary: Summary): string {
  return `originmap-summary-${summary.operator.id.replace(SAFE, '_')}-${summary.period.label.replace(SAFE, '_')}`;
}

/**
 * The files of a report as relative paths and contents, for the CLI's --out and the collector's
 * delivery directory alike: `<base>.json` (the signed record, byte for byte), `<base>.<lang>.html`,
 * and `csv/<table>.csv`. Writing them is the caller's job (core does no I/O).
 */
export function reportFiles(report: ProducedReport, lang: Lang): { path: string; content: string }[] {
  return [
    { path: `${report.baseName}.json`, content: report.json },
    { path: `${report.baseName}.${lang}.html`, content: report.html },
    ...Object.entries(report.csv).map(([name, content]) => ({ path: `csv/${name}`, content })),
  ];
}

export function produceReport(input: SummaryInput, key: KeyObject, options: { lang: Lang }): ProducedReport {
  const summary = buildSummary(input);
  const keyId = keyIdOf(key);
  return {
    summary,
    baseName: reportBaseName(summary),
    json: signDocument(summary as unknown as Record<string, unknown>, key),
    html: renderHtml(summary, { lang: options.lang, keyId }),
    csv: csvTables(summary, { bom: options.lang === 'ja' }),
    keyId,
  };
}

/**
 * Produces the reports due at `clock.now()`, oldest first, each with the previous one as its
 * `previous`. `gather` returns a period's inputs (everything but period, generatedAt and previous).
 */
export function produceDue(
  schedule: ReportSchedule,
  last: { end: Date; summary: Summary | null } | null,
  clock: Clock,
  gather: (period: Period) => Omit<SummaryInput, 'period' | 'generatedAt' | 'previous'>,
  key: KeyObject,
  options: { lang: Lang },
): ProducedReport[] {
  const out: ProducedReport[] = [];
  let previous = last?.summary ?? null;
  for (const period of duePeriods(schedule, last?.end ?? null, clock)) {
    const report = produceReport(
      { ...gather(period), period, generatedAt: clock.now(), previous },
      key,
      options,
    );
    out.push(report);
    previous = report.summary;
  }
  return out;
}
