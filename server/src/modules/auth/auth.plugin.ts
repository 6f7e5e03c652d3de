import type { FastifyInstance, FastifyRequest } from 'fastify';
import { rolesAllow, type Permission } from '../../../../shared/contracts/auth.js';
import { ApiHttpError } from '../../http/errors.js';
import { who, type AuditSink, type AuthService, type Principal, type RequestContext } from './auth.service.js';

/** Every API route says who may call it: a permission, or `public` (health, login). */
export type RouteAccess = { permission: Permission } | { public: true };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

export const requestContext = (req: FastifyRequest): RequestContext => ({
  sourceIp: req.ip ?? null,
  client: typeof req.headers['user-agent'] === 'string' ? req.headers['user-agent'].slice(0, 200) : null,
});

/** Bearer token from `Authorization`, or an integration client's `X-API-Key`. */
export function credentialsOf(req: FastifyRequest): { token?: string; apiKey?: string } {
  const auth = req.headers.authorization;
  const apiKey = req.headers['x-api-key'];
  return {
    token: typeof auth === 'string' && /^Bearer [A-Za-z0-9_-]{20,200}$/.test(auth) ? auth.slice(7) : undefined,
    apiKey: typeof apiKey === 'string' && apiKey.length <= 200 ? apiKey : undefined,
  };
}

/**
 * Authorization in one place: a route without an `access` rule fails at start-up, so no
 * endpoint is open by accident; a request without a live session gets 401, one without the
 * permission 403, and both are audited.
 */
export function installAuth(app: FastifyInstance, deps: { auth: AuthService; audit: AuditSink }): void {
  app.decorateRequest('principal', null);
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) return;
    if (!route.config?.access) throw new Error(`route ${String(route.method)} ${route.url} has no access rule`);
  });
  app.addHook('preHandler', async (req) => {
    const access = req.routeOptions.config?.access;
    if (!access || 'public' in access) return;
    const principal = deps.auth.authenticate(credentialsOf(req));
    const object = { objectType: 'route', objectId: `${req.method} ${req.routeOptions.url ?? req.url}` };
    if (!principal) {
      deps.audit.record({ action: 'access:denied', result: 'denied', reason: 'unauthenticated', ...object, ...requestContext(req) });
      throw new ApiHttpError(401, 'unauthenticated', 'error.unauthenticated');
    }
    if (!rolesAllow(principal.user.roles, access.permission)) {
      deps.audit.record({ ...who(principal), action: 'access:denied', result: 'denied', reason: `missing ${access.permission}`, ...object, ...requestContext(req) });
      throw new ApiHttpError(403, 'forbidden', 'error.forbidden', [], { permission: access.permission });
    }
    if (principal.mustChangePassword && access.permission !== 'session:own') {
      throw new ApiHttpError(403, 'password_expired', 'error.password_expired');
    }
    req.principal = principal;
  });
}
