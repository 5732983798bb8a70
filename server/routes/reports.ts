// Regulator reports: each operator's schedule (admin), the reports in a token's scope (regulators:
// the operators they oversee; analysts: their own operator; admins: all), each downloaded as the
// signed JSON byte for byte, as HTML (?lang=ja) or one CSV table; and the public key that verifies them.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { CronError, nextRun } from '../../core/report/cron.js';
import { reportBaseName } from '../../core/report/produce.js';
import { checkSchedule } from '../../core/report/schedule.js';
import { principalOf } from '../auth/guard.js';
import { ApiError } from '../errors.js';
import { csvNames, renderReportHtml, reportCsv, summaryOf } from '../reports/render.js';
import { scheduleOf } from '../reports/scheduler.js';
import { errors, Id } from '../schemas/common.js';
import { ReportDownloadQuery, ReportPage, ReportQuery, Schedule, ScheduleBody } from '../schemas/reports.js';
import type { Services } from '../services.js';
import { sendCsv, sendFile } from './file-reply.js';
import { actorOf } from './findings.js';

const OperatorParams = Type.Object({ operatorId: Id }, { additionalProperties: false });
const ReportParams = Type.Object({ reportId: Id }, { additionalProperties: false });
const FileBody = Type.String({ description: 'the file: JSON, HTML, CSV or PEM' });
// The HTML has no scripts and no remote assets; the header says so again to the browser.
const HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

/** Operators whose reports the token may read: all (admin), those overseen (regulator), its own (analyst). */
function operatorsOf(s: Services, request: FastifyRequest): number[] {
  const p = principalOf(request);
  if (p.role === 'admin') return s.tenancy.operators().map((o) => o.id);
  if (p.role === 'regulator')
    return s.tenancy.operatorsInScope({ operatorId: p.operatorId, sector: p.sector }).map((o) => o.id);
  // An analyst limited to one site does not see the other sites' figures.
  return p.role === 'analyst' && p.operatorId !== null && p.siteId === null ? [p.operatorId] : [];
}

function keyOf(s: Services) {
  if (!s.signingKey) throw new ApiError('OM_ERR_REPORT_UNAVAILABLE');
  return s.signingKey;
}

function scheduleView(s: Services, operatorId: number) {
  const op = s.tenancy.operator(operatorId);
  if (!op) throw new ApiError('OM_ERR_TENANT_NOT_FOUND', ['operator']);
  const row = s.reports.schedule(operatorId);
  const sch = scheduleOf(row);
  const lastEnd = s.reports.latest(operatorId)?.periodEnd ?? null;
  const next = nextRun(checkSchedule(sch), new Date(lastEnd ?? op.createdAt), sch.timeZone);
  return {
    operatorId,
    configured: row !== undefined,
    cron: sch.cron,
    timeZone: sch.timeZone,
    lang: sch.lang,
    updatedAt: row?.updatedAt ?? null,
    updatedBy: row?.updatedBy ?? null,
    lastPeriodEnd: lastEnd,
    nextReportAt: next?.toISOString() ?? null,
  };
}

export const reportRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const s = app.services;

  app.get(
    '/operators/:operatorId/report-schedule',
    {
      config: { auth: ['admin'] },
      schema: {
        summary: "An operator's report schedule and when its next period ends",
        params: OperatorParams,
        response: { 200: Schedule, ...errors(400, 404) },
      },
    },
    async (req) => scheduleView(s, req.params.operatorId),
  );

  app.put(
    '/operators/:operatorId/report-schedule',
    {
      config: { auth: ['admin'] },
      schema: {
        summary: "Set an operator's report schedule (cron in an IANA time zone) and delivery language",
        params: OperatorParams,
        body: ScheduleBody,
        response: { 200: Schedule, ...errors(400, 404) },
      },
    },
    async (req) => {
      const { operatorId } = req.params;
      if (!s.tenancy.operator(operatorId)) throw new ApiError('OM_ERR_TENANT_NOT_FOUND', ['operator']);
      const problems: string[] = [];
      const timeZone = req.body.timeZone.trim();
      const cron = req.body.cron.trim();
      try {
        checkSchedule({ cron, timeZone });
      } catch (err) {
        if (!(err instanceof CronError)) throw err;
        problems.push(err.message);
      }
      if (problems.length) throw new ApiError('OM_ERR_REPORT_SCHEDULE_INVALID', problems);
      s.reports.putSchedule(operatorId, {
        cron,
        timeZone,
        lang: req.body.lang ?? 'en',
        updatedAt: s.now().toISOString(),
        updatedBy: actorOf(s, req).name,
      });
      return scheduleView(s, operatorId);
    },
  );

  app.get(
    '/reports',
    {
      config: { auth: ['admin', 'analyst', 'regulator'] },
      schema: {
        summary: 'Regulator reports of the operators in your scope, newest first',
        querystring: ReportQuery,
        response: { 200: ReportPage, ...errors(400) },
      },
    },
    async (req) => {
      const ops = operatorsOf(s, req);
      const limit = req.query.limit ?? 50;
      const page = s.reports.list(ops, req.query, limit);
      const names = new Map(s.tenancy.operators().map((o) => [o.id, o.name]));
      return {
        items: page.items.map((m) => {
          const summary = summaryOf(s.reports.document(m.id)!);
          return {
            id: m.id,
            operatorId: m.operatorId,
            operator: names.get(m.operatorId) ?? '',
            period: { start: m.periodStart, end: m.periodEnd, label: m.label, timeZone: m.timeZone },
            generatedAt: m.generatedAt,
            keyId: m.keyId,
            sha256: m.sha256,
            deliveredAt: m.deliveredAt,
            tables: summary ? csvNames(summary) : [],
          };
        }),
        page: { next: page.next, limit },
      };
    },
  );

  app.get(
    '/reports/signing-key',
    {
      config: { auth: ['admin', 'regulator'] },
      schema: {
        summary:
          "The public key (PEM) that verifies this collector's reports: originmap verify <report> --key <file>",
        response: { 200: FileBody, ...errors() },
      },
    },
    async (_req, reply) => {
      const key = keyOf(s);
      return sendFile(reply, 'application/x-pem-file', key.publicPem, {
        'content-disposition': 'attachment; filename="originmap-report.pub"',
        'x-originmap-key-id': key.keyId,
      });
    },
  );

  app.get(
    '/reports/:reportId',
    {
      config: { auth: ['admin', 'analyst', 'regulator'] },
      schema: {
        summary:
          'One report: the signed JSON (byte for byte, the record), HTML (?format=html&lang=ja) or a CSV table (?format=csv&table=…)',
        params: ReportParams,
        querystring: ReportDownloadQuery,
        response: { 200: FileBody, ...errors(400, 404) },
      },
    },
    async (req, reply) => {
      const meta = s.reports.meta(req.params.reportId);
      // Another operator's report is answered as missing: its existence is not confirmed.
      if (!meta || !operatorsOf(s, req).includes(meta.operatorId))
        throw new ApiError('OM_ERR_REPORT_NOT_FOUND');
      const document = s.reports.document(meta.id)!;
      const format = req.query.format ?? 'json';
      const lang = req.query.lang ?? 'en';
      if (format === 'json') {
        if (req.query.table !== undefined || req.query.lang !== undefined)
          throw new ApiError('OM_ERR_REQ_VALIDATION', ['querystring: lang and table go with html and csv']);
        const summary = summaryOf(document);
        const name = summary ? reportBaseName(summary) : `originmap-report-${meta.id}`;
        return sendFile(reply, 'application/json; charset=utf-8', document, {
          'content-disposition': `attachment; filename="${name}.json"`,
          'x-originmap-sha256': meta.sha256,
        });
      }
      const summary = summaryOf(document);
      if (!summary) throw new ApiError('OM_ERR_REPORT_NOT_FOUND', ['this version cannot render that report']);
      if (format === 'html') {
        if (req.query.table !== undefined)
          throw new ApiError('OM_ERR_REQ_VALIDATION', ['querystring: table goes with format=csv']);
        return sendFile(reply, 'text/html; charset=utf-8', renderReportHtml(summary, meta.keyId, lang), {
          'content-security-policy': HTML_CSP,
          'x-content-type-options': 'nosniff',
        });
      }
      const tables = reportCsv(summary, lang);
      const table = req.query.table;
      if (table === undefined || !Object.hasOwn(tables, table))
        throw new ApiError('OM_ERR_REQ_VALIDATION', [
          `querystring/table: one of ${Object.keys(tables).sort().join(', ')}`,
        ]);
      return sendCsv(reply, `${reportBaseName(summary)}-${table.slice(0, -4)}`, tables[table]!);
    },
  );
};
