// Admin routes for operators, sites and agents (with their enrollment tokens).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { principalOf } from '../auth/guard.js';
import { ApiError } from '../errors.js';
import { errors, Id } from '../schemas/common.js';
import {
  Agent,
  AgentCreate,
  AgentSettings,
  IssuedSecret,
  Operator,
  OperatorCreate,
  Site,
  SiteCreate,
} from '../schemas/tenancy.js';
import { canonicalCidrs } from './cidrs.js';

const OperatorParams = Type.Object({ operatorId: Id }, { additionalProperties: false });
const SiteParams = Type.Object({ siteId: Id }, { additionalProperties: false });
const AgentParams = Type.Object({ agentId: Id }, { additionalProperties: false });
const EnrolledAgent = Type.Object(
  { agent: Agent, enrollment: IssuedSecret },
  { additionalProperties: false },
);

export const tenancyRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { tenancy, tokens, now, limits } = app.services;

  const issueEnrollment = (agent: { id: number; siteId: number; operatorId: number }) => {
    const at = now();
    const expiresAt = new Date(at.getTime() + limits.enrollmentHours * 3_600_000).toISOString();
    const { id, token } = tokens.issue(
      { role: 'enroll', agentId: agent.id, siteId: agent.siteId, operatorId: agent.operatorId, expiresAt },
      at.toISOString(),
    );
    return { tokenId: id, token, expiresAt };
  };

  app.post(
    '/operators',
    {
      config: { auth: ['admin'] },
      schema: {
        summary: 'Create an operator',
        body: OperatorCreate,
        response: { 201: Operator, ...errors(400, 409) },
      },
    },
    async (req, reply) =>
      reply
        .code(201)
        .send(tenancy.createOperator(req.body.name, req.body.sector, req.body.country, now().toISOString())),
  );

  app.get(
    '/operators',
    {
      config: { auth: ['admin'] },
      schema: { summary: 'List operators', response: { 200: Type.Array(Operator), ...errors() } },
    },
    async () => tenancy.operators(),
  );

  app.get(
    '/operators/:operatorId',
    {
      config: { auth: ['admin'] },
      schema: { params: OperatorParams, response: { 200: Operator, ...errors(400, 404) } },
    },
    async (req) => tenancy.operator(req.params.operatorId) ?? notFound('operator'),
  );

  app.post(
    '/operators/:operatorId/sites',
    {
      config: { auth: ['admin'] },
      schema: {
        summary: 'Create a site of an operator',
        params: OperatorParams,
        body: SiteCreate,
        response: { 201: Site, ...errors(400, 404, 409) },
      },
    },
    async (req, reply) => {
      if (!tenancy.operator(req.params.operatorId)) notFound('operator');
      const homeNet = canonicalCidrs(req.body.homeNet ?? []);
      return reply
        .code(201)
        .send(tenancy.createSite(req.params.operatorId, req.body.name, homeNet, now().toISOString()));
    },
  );

  app.get(
    '/sites',
    {
      config: { auth: ['admin', 'analyst'] },
      schema: {
        summary: "Sites: all (admin) or your operator's (analyst)",
        response: { 200: Type.Array(Site), ...errors() },
      },
    },
    async (req) => {
      const p = principalOf(req);
      return p.role === 'admin' ? tenancy.sites(null) : tenancy.sites(p.operatorId, p.siteId);
    },
  );

  app.post(
    '/sites/:siteId/agents',
    {
      config: { auth: ['admin'] },
      schema: {
        summary: 'Register an agent at a site; returns its one-time enrollment token',
        params: SiteParams,
        body: AgentCreate,
        response: { 201: EnrolledAgent, ...errors(400, 404, 409) },
      },
    },
    async (req, reply) => {
      if (!tenancy.site(req.params.siteId)) notFound('site');
      const agent = tenancy.createAgent(
        req.params.siteId,
        req.body.name,
        req.body.settings,
        now().toISOString(),
      );
      return reply.code(201).send({ agent, enrollment: issueEnrollment(agent) });
    },
  );

  app.get(
    '/agents',
    {
      config: { auth: ['admin'] },
      schema: { summary: 'List agents', response: { 200: Type.Array(Agent), ...errors() } },
    },
    async () => tenancy.agents(),
  );

  app.get(
    '/agents/:agentId',
    {
      config: { auth: ['admin'] },
      schema: { params: AgentParams, response: { 200: Agent, ...errors(400, 404) } },
    },
    async (req) => tenancy.agent(req.params.agentId) ?? notFound('agent'),
  );

  app.put(
    '/agents/:agentId/settings',
    {
      config: { auth: ['admin'] },
      schema: {
        summary: "Change an agent's upload and heartbeat settings",
        params: AgentParams,
        body: AgentSettings,
        response: { 200: Agent, ...errors(400, 404) },
      },
    },
    async (req) => {
      if (!tenancy.agent(req.params.agentId)) notFound('agent');
      tenancy.updateSettings(req.params.agentId, req.body);
      return tenancy.agent(req.params.agentId)!;
    },
  );

  app.post(
    '/agents/:agentId/enrollment',
    {
      config: { auth: ['admin'] },
      schema: {
        summary:
          'A new enrollment token for an agent (re-install); its old agent tokens stop working on enrollment',
        params: AgentParams,
        response: { 201: IssuedSecret, ...errors(400, 404) },
      },
    },
    async (req, reply) => {
      const agent = tenancy.agent(req.params.agentId) ?? notFound('agent');
      return reply.code(201).send(issueEnrollment(agent));
    },
  );
};

function notFound(what: string): never {
  throw new ApiError('OM_ERR_TENANT_NOT_FOUND', [what]);
}
