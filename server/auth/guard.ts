// Authentication and authorisation, before any body is read (onRequest): the route's allowed
// roles come from its config; a route that declares none is refused when registered (fail closed).
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { ApiError } from '../errors.js';
import type { Scope } from '../repos/scope.js';
import { bearer, looksLikeToken, type Principal, type Role } from './tokens.js';

/** Roles that may read the OpenAPI document (routes added by @fastify/swagger-ui). */
const DOCS_ROLES: readonly Role[] = ['admin', 'analyst', 'regulator'];

/** Checks each route as it is registered: declared roles and a response schema per status. */
export function checkRoute(route: RouteOptions): void {
  const config = (route.config ?? {}) as { auth?: unknown };
  if (route.url.startsWith('/docs')) {
    if (config.auth === undefined)
      route.config = { ...route.config, auth: DOCS_ROLES } as RouteOptions['config'];
    return;
  }
  if (config.auth === undefined) throw new Error(`route ${route.method} ${route.url} declares no auth roles`);
  if (!route.schema?.response)
    throw new Error(`route ${route.method} ${route.url} declares no response schemas`);
}

export function installAuth(app: FastifyInstance): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    const auth = request.routeOptions.config.auth;
    // The not-found handler has no auth config: it answers 404 and reads nothing.
    if (auth === 'public' || auth === undefined) return;
    const token = bearer(request.headers.authorization);
    if (token === null) throw new ApiError('OM_ERR_AUTH_MISSING');
    const { tokens, now, uploads } = app.services;
    const principal = looksLikeToken(token) ? tokens.verify(token, now()) : null;
    if (!principal) throw new ApiError('OM_ERR_AUTH_INVALID');
    if (!auth.includes(principal.role))
      throw new ApiError('OM_ERR_AUTH_FORBIDDEN', [`role ${principal.role}`]);
    request.principal = principal;
    if (request.routeOptions.config.rateLimit === 'agent') {
      const wait = uploads.take(`agent:${principal.agentId}`, now().getTime());
      if (wait > 0) throw new ApiError('OM_ERR_REQ_RATE_LIMITED', [], { 'retry-after': String(wait) });
    }
  });
}

/** The verified principal of a route that declared roles (never null there). */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new Error('principalOf on a public route');
  return request.principal;
}

/** The operator (and site) an analyst reads. */
export function analystScope(request: FastifyRequest): Scope {
  const p = principalOf(request);
  if (p.role !== 'analyst' || p.operatorId === null) throw new ApiError('OM_ERR_AUTH_FORBIDDEN');
  return { operatorId: p.operatorId, siteId: p.siteId };
}

/** The agent, site and operator behind an agent token. */
export function agentOf(request: FastifyRequest): { agentId: number; siteId: number } {
  const p = principalOf(request);
  if (p.agentId === null || p.siteId === null) throw new ApiError('OM_ERR_AUTH_FORBIDDEN');
  return { agentId: p.agentId, siteId: p.siteId };
}
