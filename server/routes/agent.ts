// Agent routes: enrollment (enrollment token → agent token), batch upload, heartbeat, own config.
// An agent acts on its own site only: the site comes from its token, never from the request.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { AgentConfig, Batch, BatchAck } from '../../core/wire.js';
import { agentOf, principalOf } from '../auth/guard.js';
import { ApiError } from '../errors.js';
import { errors, Id, IsoTime } from '../schemas/common.js';
import { Heartbeat } from '../schemas/tenancy.js';
import { heardFrom } from '../services.js';

const Enrolled = Type.Object(
  { agentId: Id, siteId: Id, token: Type.String({ description: 'the agent token, shown once' }) },
  { additionalProperties: false },
);
const EnrollBody = Type.Object(
  {
    hostname: Type.Optional(Type.String({ maxLength: 255 })),
    version: Type.Optional(Type.String({ maxLength: 64 })),
  },
  { additionalProperties: false },
);

export const agentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const s = app.services;

  app.post(
    '/enroll',
    {
      config: { auth: ['enroll'] },
      schema: {
        summary: 'Trade a one-time enrollment token for the agent token',
        body: EnrollBody,
        response: { 201: Enrolled, ...errors(400) },
      },
    },
    async (req, reply) => {
      const p = principalOf(req);
      const agent = p.agentId === null ? undefined : s.tenancy.agent(p.agentId);
      if (!agent) throw new ApiError('OM_ERR_ENROLL_USED');
      const now = s.now().toISOString();
      const issued = s.db.transaction(() => {
        // Single use: the revoke succeeds for exactly one request, even under a race.
        if (!s.tokens.revoke(p.tokenId, now)) return null;
        s.tokens.revokeAgentTokens(agent.id, now);
        s.tenancy.markEnrolled(agent.id, now);
        return s.tokens.issue(
          {
            role: 'agent',
            agentId: agent.id,
            siteId: agent.siteId,
            operatorId: agent.operatorId,
            label: req.body.hostname ?? '',
          },
          now,
        );
      })();
      if (!issued) throw new ApiError('OM_ERR_ENROLL_USED');
      req.log.info({ agentId: agent.id }, 'agent enrolled');
      return reply.code(201).send({ agentId: agent.id, siteId: agent.siteId, token: issued.token });
    },
  );

  app.post(
    '/ingest',
    {
      bodyLimit: s.limits.ingestBytes,
      config: { auth: ['agent'], rateLimit: 'agent' },
      schema: {
        summary: 'Upload a batch (JSON, gzip accepted); a repeated batchId is acknowledged and ignored',
        body: Batch,
        response: { 200: BatchAck, ...errors(400, 413, 415, 429) },
      },
    },
    async (req) => {
      const { agentId, siteId } = agentOf(req);
      if (req.body.agentId !== agentId) {
        s.metrics.batches.inc({ result: 'rejected' });
        throw new ApiError('OM_ERR_INGEST_AGENT_MISMATCH', [`token is agent ${agentId}`]);
      }
      const site = s.tenancy.site(siteId);
      if (!site) throw new ApiError('OM_ERR_TENANT_NOT_FOUND', ['site']);
      let result: Awaited<ReturnType<typeof s.ingestQueue.submit>>;
      try {
        // Acknowledged once committed, with the batches that arrived alongside it (and the agent's
        // activity: the queue records it in the same transaction).
        result = await s.ingestQueue.submit(
          { agentId, siteId, operatorId: site.operatorId },
          req.body,
          s.now(),
        );
      } catch (err) {
        s.metrics.batches.inc({ result: 'rejected' });
        throw err;
      }
      s.metrics.batches.inc({ result: result.ack.duplicate ? 'duplicate' : 'accepted' });
      s.metrics.rows.inc({}, result.rows);
      return result.ack;
    },
  );

  app.post(
    '/heartbeat',
    {
      config: { auth: ['agent'] },
      schema: {
        summary: 'Agent liveness and health',
        body: Heartbeat,
        response: {
          200: Type.Object({ serverTime: IsoTime }, { additionalProperties: false }),
          ...errors(400),
        },
      },
    },
    async (req) => {
      const { agentId } = agentOf(req);
      const now = s.now().toISOString();
      s.tenancy.recordHeartbeat(agentId, req.body, now);
      heardFrom(s.tenancy, s.activity, agentId, s.now());
      return { serverTime: now };
    },
  );

  app.get(
    '/agent/config',
    {
      config: { auth: ['agent'] },
      schema: {
        summary: "The calling agent's settings and its site's home networks",
        response: { 200: AgentConfig, ...errors() },
      },
    },
    async (req) => {
      const { agentId, siteId } = agentOf(req);
      const agent = s.tenancy.agent(agentId);
      const site = s.tenancy.site(siteId);
      if (!agent || !site) throw new ApiError('OM_ERR_TENANT_NOT_FOUND', ['agent']);
      return { agentId, siteId, homeNet: site.homeNet, ...agent.settings };
    },
  );
};
