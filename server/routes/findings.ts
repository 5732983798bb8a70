// Analyst routes for findings: list and filter (keyset pages, CSV), one finding with its status
// history and the rule's sources, and triage (acknowledge, resolve, reopen, waive) recorded with
// who and when. Waivers that ended reopen before any of these reads.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { analystScope, principalOf } from '../auth/guard.js';
import { type Cell, csvPages } from '../csv.js';
import { ApiError } from '../errors.js';
import type { Actor } from '../repos/finding-repo.js';
import type { Scope } from '../repos/scope.js';
import { errors, Id } from '../schemas/common.js';
import { type Finding, FindingDetail, FindingPage, FindingQuery, TriageBody } from '../schemas/findings.js';
import type { Services } from '../services.js';
import { sendCsv } from './file-reply.js';

const COLUMNS: { name: string; get: (f: Finding) => Cell }[] = [
  { name: 'id', get: (f) => f.id },
  { name: 'key', get: (f) => f.key },
  { name: 'siteId', get: (f) => f.siteId },
  { name: 'deviceId', get: (f) => f.deviceId },
  { name: 'rule', get: (f) => f.rule },
  { name: 'severity', get: (f) => f.severity },
  { name: 'status', get: (f) => f.status },
  { name: 'statusAt', get: (f) => f.statusAt },
  { name: 'subjectKind', get: (f) => f.subjectKind },
  { name: 'subject', get: (f) => f.subject },
  { name: 'message', get: (f) => f.message },
  { name: 'firstSeen', get: (f) => f.firstSeen },
  { name: 'lastSeen', get: (f) => f.lastSeen },
  { name: 'waiverUntil', get: (f) => f.waiver?.until ?? null },
  { name: 'waiverApprover', get: (f) => f.waiver?.approver ?? null },
  { name: 'waiverReason', get: (f) => f.waiver?.reason ?? null },
];

const EXPORT_PAGE = 1_000;
const CsvBody = Type.String({ description: 'text/csv when format=csv' });
const Params = Type.Object({ findingId: Id }, { additionalProperties: false });

/** Who acts: the label an admin gave the token (one token per person), else its number. */
export function actorOf(s: Services, request: FastifyRequest): Actor {
  const p = principalOf(request);
  const label = s.tokens.get(p.tokenId)?.label.trim() ?? '';
  const name = label && label !== 'system' ? label : `token #${p.tokenId}${label ? ` (${label})` : ''}`;
  return { name, tokenId: p.tokenId };
}

function detail(s: Services, scope: Scope, id: number) {
  const stored = s.findings.get(scope, id);
  const finding = stored && s.findings.view(stored.rowId);
  if (!finding) throw new ApiError('OM_ERR_FINDING_NOT_FOUND');
  const eff = s.policies.effective(scope.operatorId);
  const rule = eff?.ok ? eff.policy.rules.find((r) => r.id === finding.rule) : undefined;
  return {
    finding,
    history: s.findings.history(finding.id),
    rule: rule
      ? { title: rule.title, pack: rule.pack, overriddenBy: rule.overriddenBy, sources: rule.sources }
      : null,
  };
}

export const findingRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const s = app.services;

  app.get(
    '/findings',
    {
      config: { auth: ['analyst'] },
      schema: {
        summary: "Your operator's findings: filters, keyset pages (pass page.next as cursor), CSV",
        querystring: FindingQuery,
        response: { 200: Type.Union([FindingPage, CsvBody]), ...errors(400) },
      },
    },
    async (req, reply) => {
      const scope = analystScope(req);
      s.triage.expireDue(s.now());
      const q = req.query;
      if (q.format === 'csv') {
        const { cursor: _c, ...rest } = q;
        return sendCsv(
          reply,
          'findings',
          csvPages(COLUMNS, (cursor) => s.findings.list(scope, { ...rest, cursor }, EXPORT_PAGE)),
        );
      }
      const limit = q.limit ?? 100;
      const page = s.findings.list(scope, q, limit);
      return { items: page.items, page: { next: page.next, limit } };
    },
  );

  app.get(
    '/findings/:findingId',
    {
      config: { auth: ['analyst'] },
      schema: {
        summary: "One finding: its facts, every status change with who and when, the rule's sources",
        params: Params,
        response: { 200: FindingDetail, ...errors(400, 404) },
      },
    },
    async (req) => {
      const scope = analystScope(req);
      s.triage.expireDue(s.now());
      return detail(s, scope, req.params.findingId);
    },
  );

  app.post(
    '/findings/:findingId/triage',
    {
      config: { auth: ['analyst'] },
      schema: {
        summary:
          'Acknowledge, resolve, reopen, or waive (reason, approver, until) a finding; recorded with who and when',
        params: Params,
        body: TriageBody,
        response: { 200: FindingDetail, ...errors(400, 404, 409) },
      },
    },
    async (req) => {
      const scope = analystScope(req);
      s.triage.expireDue(s.now());
      s.triage.apply(scope, req.params.findingId, req.body, actorOf(s, req), s.now());
      return detail(s, scope, req.params.findingId);
    },
  );
};
