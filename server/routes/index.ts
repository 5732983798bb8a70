// The collector's routes, in one list. A new area (findings, waivers, reports) adds its plugin
// here; every route declares its roles (config.auth) and a response schema per status code.
import type { FastifyInstance } from 'fastify';
import { adminRoutes } from './admin.js';
import { agentRoutes } from './agent.js';
import { findingRoutes } from './findings.js';
import { inventoryRoutes } from './inventory.js';
import { policyRoutes } from './policies.js';
import { reportRoutes } from './reports.js';
import { summaryRoutes } from './summary.js';
import { systemRoutes } from './system.js';
import { tenancyRoutes } from './tenancy.js';
import { tokenRoutes } from './tokens.js';

export async function registerRoutes(app: FastifyInstance): Promise<void> {
  await app.register(systemRoutes);
  await app.register(tenancyRoutes, { prefix: '/v1' });
  await app.register(tokenRoutes, { prefix: '/v1' });
  await app.register(agentRoutes, { prefix: '/v1' });
  await app.register(inventoryRoutes, { prefix: '/v1' });
  await app.register(summaryRoutes, { prefix: '/v1' });
  await app.register(adminRoutes, { prefix: '/v1' });
  await app.register(findingRoutes, { prefix: '/v1' });
  await app.register(policyRoutes, { prefix: '/v1' });
  await app.register(reportRoutes, { prefix: '/v1' });
}
