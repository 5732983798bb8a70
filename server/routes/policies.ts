// Admin routes for policies: an operator's policy configuration (packs, home country, OT networks,
// its own policy file as YAML text, size-capped and checked with every problem reported), and full
// evaluations (started after a change, or on request; progress).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ApiError } from '../errors.js';
import { errors, Id } from '../schemas/common.js';
import { PolicyConfig, PolicyConfigBody } from '../schemas/findings.js';
import type { Services } from '../services.js';
import { actorOf } from './findings.js';

const OperatorParams = Type.Object({ operatorId: Id }, { additionalProperties: false });
const Status = Type.Object(
  {
    running: Type.Boolean(),
    pending: Type.Array(Id),
    devices: Type.Integer(),
    opened: Type.Integer(),
    reopened: Type.Integer(),
    resolved: Type.Integer(),
    startedAt: Type.Union([Type.String(), Type.Null()]),
    finishedAt: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);

function view(s: Services, operatorId: number) {
  const op = s.tenancy.operator(operatorId);
  if (!op) throw new ApiError('OM_ERR_TENANT_NOT_FOUND', ['operator']);
  const c = s.policies.config(operatorId, op.country);
  const eff = s.policies.effective(operatorId)!;
  return {
    operatorId,
    configured: c.configured,
    packs: c.packs,
    homeCountry: c.homeCountry,
    otNetworks: c.otNetworks,
    policy: c.policyText,
    updatedAt: c.configured ? c.updatedAt : null,
    updatedBy: c.configured ? c.updatedBy : null,
    effective: eff.ok
      ? {
          sources: eff.policy.sources,
          homeCountry: eff.homeCountry,
          rules: eff.policy.rules.map((r) => ({
            id: r.id,
            subject: r.subject,
            severity: r.severity,
            title: r.title,
            enabled: r.enabled,
            pack: r.pack,
            overriddenBy: r.overriddenBy,
          })),
          problems: [],
          evaluatedWith: s.meta.get(`findings.evaluated.${operatorId}`) ?? null,
        }
      : {
          sources: [],
          homeCountry: c.homeCountry ?? op.country,
          rules: [],
          problems: eff.problems,
          evaluatedWith: s.meta.get(`findings.evaluated.${operatorId}`) ?? null,
        },
  };
}

export const policyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const s = app.services;

  app.get(
    '/operators/:operatorId/policy',
    {
      config: { auth: ['admin'] },
      schema: {
        summary:
          "An operator's policy: configuration, the rules in effect, and problems if it no longer loads",
        params: OperatorParams,
        response: { 200: PolicyConfig, ...errors(400, 404) },
      },
    },
    async (req) => view(s, req.params.operatorId),
  );

  app.put(
    '/operators/:operatorId/policy',
    {
      // The policy file travels as JSON text: escaping can double its size.
      bodyLimit: s.limits.policyBytes * 2 + 16 * 1024,
      config: { auth: ['admin'] },
      schema: {
        summary:
          "Set an operator's packs, home country, OT networks and policy file (YAML text); every problem is reported",
        params: OperatorParams,
        body: PolicyConfigBody,
        response: { 200: PolicyConfig, ...errors(400, 404, 413, 415) },
      },
    },
    async (req) => {
      const { operatorId } = req.params;
      if (!s.tenancy.operator(operatorId)) throw new ApiError('OM_ERR_TENANT_NOT_FOUND', ['operator']);
      const checked = s.policies.check(req.body);
      s.policies.save(operatorId, {
        ...checked,
        homeCountry: req.body.homeCountry ?? null,
        updatedAt: s.now().toISOString(),
        updatedBy: actorOf(s, req).name,
      });
      req.log.info({ operatorId, packs: checked.packs }, 'policy changed');
      // Every finding of the operator is decided again in the background (GET /v1/admin/evaluate).
      void s.evaluations.request([operatorId]);
      return view(s, operatorId);
    },
  );

  app.post(
    '/admin/evaluate',
    {
      config: { auth: ['admin'] },
      schema: {
        summary: "Evaluate every operator's findings again, in the background",
        response: { 202: Status, ...errors() },
      },
    },
    async (_req, reply) => {
      void s.evaluations.request(s.tenancy.operators().map((o) => o.id));
      return reply.code(202).send(s.evaluations.status());
    },
  );

  app.get(
    '/admin/evaluate',
    {
      config: { auth: ['admin'] },
      schema: {
        summary: 'Progress of the current or last full evaluation',
        response: { 200: Status, ...errors() },
      },
    },
    async () => s.evaluations.status(),
  );
};
