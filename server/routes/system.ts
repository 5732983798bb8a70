// Health (the one public route) and Prometheus metrics (admin or a dedicated metrics token).
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errors } from '../schemas/common.js';

export const systemRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/healthz',
    {
      config: { auth: 'public' },
      schema: {
        summary: 'Liveness and database check; the only route without a token',
        response: {
          200: Type.Object({ status: Type.Literal('ok') }),
          503: Type.Object({ status: Type.String() }),
        },
      },
    },
    async (_req, reply) => {
      try {
        app.services.db.prepare('SELECT 1').get();
        return { status: 'ok' as const };
      } catch {
        return reply.code(503).send({ status: 'database unavailable' });
      }
    },
  );

  app.get(
    '/metrics',
    {
      config: { auth: ['admin', 'metrics'] },
      schema: {
        summary: 'Prometheus text exposition',
        response: { 200: Type.String(), ...errors() },
      },
    },
    async (_req, reply) =>
      reply.type('text/plain; version=0.0.4; charset=utf-8').send(app.services.metrics.render()),
  );
};
