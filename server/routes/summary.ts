// Aggregates: an analyst's summary of its operator (or site); a regulator's summaries of the
// operators it oversees — counts only, never a device or an address.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { analystScope, principalOf } from '../auth/guard.js';
import { ApiError } from '../errors.js';
import { errors } from '../schemas/common.js';
import { Summary } from '../schemas/inventory.js';

export const summaryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const s = app.services;

  app.get(
    '/summary',
    {
      config: { auth: ['analyst'] },
      schema: {
        summary: 'Counts by class × vendor country, watch-listed devices, top foreign destinations',
        response: { 200: Summary, ...errors() },
      },
    },
    async (req) => {
      const scope = analystScope(req);
      const op = s.tenancy.operator(scope.operatorId);
      if (!op) throw new ApiError('OM_ERR_TENANT_NOT_FOUND', ['operator']);
      return s.connections.summary(op, scope.siteId);
    },
  );

  app.get(
    '/regulator/summaries',
    {
      config: { auth: ['regulator'] },
      schema: {
        summary: 'Aggregated summaries of the operators this regulator oversees',
        response: {
          200: Type.Object({ items: Type.Array(Summary) }, { additionalProperties: false }),
          ...errors(),
        },
      },
    },
    async (req) => {
      const p = principalOf(req);
      const ops = s.tenancy.operatorsInScope({ operatorId: p.operatorId, sector: p.sector });
      return { items: ops.map((op) => s.connections.summary(op, null)) };
    },
  );
};
