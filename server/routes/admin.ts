// Admin route for re-identification: re-decide every stored device's identity with the running
// signatures (also done at start when they changed). Runs in the background; GET reports progress.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { errors } from '../schemas/common.js';

const Status = Type.Object(
  {
    running: Type.Boolean(),
    signatures: Type.String(),
    scanned: Type.Integer(),
    changed: Type.Integer(),
    startedAt: Type.Union([Type.String(), Type.Null()]),
    finishedAt: Type.Union([Type.String(), Type.Null()]),
  },
  { additionalProperties: false },
);

export const adminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { reidentifier } = app.services;

  app.post(
    '/admin/reidentify',
    {
      config: { auth: ['admin'] },
      schema: { summary: 'Start re-identifying stored devices', response: { 202: Status, ...errors() } },
    },
    async (_req, reply) => {
      void reidentifier.start();
      return reply.code(202).send(reidentifier.status());
    },
  );

  app.get(
    '/admin/reidentify',
    {
      config: { auth: ['admin'] },
      schema: {
        summary: 'Progress of the current or last re-identification',
        response: { 200: Status, ...errors() },
      },
    },
    async () => reidentifier.status(),
  );
};
