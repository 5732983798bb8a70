// The delivery directory: each produced report written to disk for transfer (a file drop, rsync,
// a data diode): `<dir>/<base>/<base>.json` (the signed record, byte for byte), `<base>.<lang>.html`
// and `csv/*.csv`. Written into a hidden temporary directory and renamed into place, so a transfer
// job never picks up half a report.
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lang } from '../../core/report/labels.js';
import { reportBaseName } from '../../core/report/produce.js';
import { renderReportHtml, reportCsv, summaryOf } from './render.js';

/** Writes one report; returns its directory, or null when it was already there (delivered before). */
export function deliverReport(dir: string, document: string, keyId: string, lang: Lang): string | null {
  const summary = summaryOf(document);
  if (!summary) throw new Error('the stored report is not a summary this version reads');
  const base = reportBaseName(summary);
  const target = join(dir, base);
  if (existsSync(target)) return null;
  const tmp = join(dir, `.${base}.${process.pid}.tmp`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(join(tmp, 'csv'), { recursive: true });
  try {
    writeFileSync(join(tmp, `${base}.json`), document);
    writeFileSync(join(tmp, `${base}.${lang}.html`), renderReportHtml(summary, keyId, lang));
    for (const [name, text] of Object.entries(reportCsv(summary, lang)))
      writeFileSync(join(tmp, 'csv', name), text);
    renameSync(tmp, target);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  return target;
}
