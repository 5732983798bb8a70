// Admin routes for API tokens: create (the secret is in the answer, once), list, revoke.
// Agent tokens are made by enrollment (routes/agent.ts), not here.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ApiError } from '../errors.js';
import { Empty, errors, Id } from '../schemas/common.js';
import { IssuedSecret, TokenCreate, TokenInfo } from '../schemas/tenancy.js';
import type { Services } from '../services.js';

const TokenParams = Type.Object({ tokenId: Id }, { additionalProperties: false });

/** The scope each role takes; anything else is refused rather than ignored. */
function checkScope(body: TokenCreate, s: Services): void {
  const invalid = (why: string) => new ApiError('OM_ERR_TENANT_INVALID', [why]);
  const { role, operatorId, siteId, sector } = body;
  if (role === 'admin' || role === 'metrics') {
    if (operatorId !== undefined || siteId !== undefined || sector !== undefined)
      throw invalid(`${role} tokens take no operatorId, siteId or sector`);
    return;
  }
  if (role === 'analyst') {
    if (operatorId === undefined) throw invalid('analyst tokens need an operatorId');
    if (sector !== undefined) throw invalid('analyst tokens take no sector');
  }
  if (role === 'regulator') {
    if ((operatorId === undefined) === (sector === undefined))
      throw invalid('regulator tokens need exactly one of operatorId or sector');
    if (siteId !== undefined) throw invalid('regulator tokens take no siteId');
  }
  if (operatorId !== undefined && !s.tenancy.operator(operatorId))
    throw new ApiError('OM_ERR_TENANT_NOT_FOUND', ['operator']);
  if (siteId !== undefined && s.tenancy.site(siteId)?.operatorId !== operatorId)
    throw new ApiError('OM_ERR_TENANT_NOT_FOUND', ['site of that operator']);
}

export const tokenRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const s = app.services;

  app.post(
    '/tokens',
    {
      config: { auth: ['admin'] },
      schema: {
        summary: 'Create an admin, analyst, regulator or metrics token (shown once)',
        body: TokenCreate,
        response: { 201: IssuedSecret, ...errors(400, 404) },
      },
    },
    async (req, reply) => {
      checkScope(req.body, s);
      const at = s.now();
      const expiresAt =
        req.body.expiresInDays === undefined
          ? null
          : new Date(at.getTime() + req.body.expiresInDays * 86_400_000).toISOString();
      const { id, token } = s.tokens.issue(
        {
          role: req.body.role,
          operatorId: req.body.operatorId ?? null,
          siteId: req.body.siteId ?? null,
          sector: req.body.sector ?? null,
          label: req.body.label ?? '',
          expiresAt,
        },
        at.toISOString(),
      );
      return reply.code(201).send({ tokenId: id, token, expiresAt });
    },
  );

  app.get(
    '/tokens',
    {
      config: { auth: ['admin'] },
      schema: {
        summary: 'List tokens (hints only, never secrets)',
        response: { 200: Type.Array(TokenInfo), ...errors() },
      },
    },
    async () => s.tokens.list(),
  );

  app.delete(
    '/tokens/:tokenId',
    {
      config: { auth: ['admin'] },
      schema: {
        summary: 'Revoke a token',
        params: TokenParams,
        response: { 204: Empty, ...errors(400, 404) },
      },
    },
    async (req, reply) => {
      if (!s.tokens.revoke(req.params.tokenId, s.now().toISOString())) {
        throw new ApiError('OM_ERR_TENANT_NOT_FOUND', ['token (or already revoked)']);
      }
      return reply.code(204).send(null);
    },
  );
};
