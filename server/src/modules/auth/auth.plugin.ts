import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Permission } from '../../../../shared/contracts/auth.js';
import { ApiHttpError } from '../../http/errors.js';
import { refuseUpload } from '../../http/request-body.js';
import { who, type AccessVerdict, type AuthService, type Principal, type RequestContext } from './auth.service.js';
import type { AuditActor } from '../audit/audit.contract.js';
import type { DenialLog } from './denial-log.js';

/** Every API route says who may call it: a permission, or `public` (health, login). */
export type RouteAccess = { permission: Permission } | { public: true };

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyRequest {
    principal: Principal | null;
    /** The access check of this request, made once when it arrives (before the rate limit). */
    access: AccessVerdict | null;
  }
}

/**
 * Who is asking, for the audit trail. A request made with an API key names the key in `client`,
 * so every record of what a key did is attributable to that key, not only to its account.
 */
export const requestContext = (req: FastifyRequest, principal: Principal | null = req.principal): RequestContext => {
  const agent = typeof req.headers['user-agent'] === 'string' ? req.headers['user-agent'].slice(0, 200) : null;
  const keyId = principal?.apiKeyId ?? null;
  return { sourceIp: req.ip ?? null, client: keyId ? `api-key ${keyId}${agent ? ` ${agent}` : ''}` : agent };
};

/** The requester as the audit trail names them: who (from the verified principal) and from where. */
export const auditActor = (req: FastifyRequest): AuditActor => ({ ...who(req.principal), ...requestContext(req) });

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
 * The rate-limit bucket of a request: its verified session or API key, and otherwise its source
 * address. A token that does not verify (junk, expired, revoked) buys no bucket of its own.
 */
export function rateLimitKey(req: FastifyRequest): string {
  const principal = req.access?.principal ?? null;
  if (principal?.session) return `session:${principal.session.id}`;
  if (principal?.apiKeyId) return `key:${principal.apiKeyId}`;
  return `address:${req.ip}`;
}

/** The error a refused access check answers, the same on every channel. */
export function accessError(verdict: Extract<AccessVerdict, { ok: false }>): ApiHttpError {
  switch (verdict.code) {
    case 'unauthenticated':
      return new ApiHttpError(401, 'unauthenticated', 'error.unauthenticated');
    case 'forbidden':
      return new ApiHttpError(403, 'forbidden', 'error.forbidden', [], verdict.params, verdict.params);
    case 'password_expired':
      return new ApiHttpError(403, 'password_expired', 'error.password_expired');
    case 'role_conflict':
      return new ApiHttpError(403, 'role_conflict', 'error.account_role_conflict', [], {}, verdict.params);
  }
}

/**
 * The access check of an upload, made before its body is read (the one check of every channel,
 * made as the request arrived; the shared hook checks again after parsing): a refusal is audited
 * through the denial log and answered at once. The principal allowed.
 *
 * It reads the verdict installAuth's onRequest hook took as the request arrived (an app-level
 * hook, so it runs before a route's own onRequest, where uploads call this). Were it missing, the
 * upload is refused (500) rather than let through unchecked: the check itself is an awaited read.
 */
export function uploadAccess(req: FastifyRequest, reply: FastifyReply, deps: { auth: AuthService; denials: DenialLog }, permission: Permission): Principal {
  const verdict = req.access;
  if (!verdict) throw new Error(`uploadAccess(${permission}): the access check of installAuth has not run for ${req.method} ${req.routeOptions.url ?? req.url}`);
  if (!verdict.ok) {
    void deps.denials.deny(accessDenial(verdict, { objectType: 'route', objectId: `POST ${req.routeOptions.url}` }, requestContext(req, verdict.principal)));
    refuseUpload(reply, accessError(verdict));
  }
  return verdict.principal;
}

/** The audit record of a refused access check on `object` (a route, a socket command). */
export function accessDenial(verdict: Extract<AccessVerdict, { ok: false }>, object: { objectType: string; objectId: string }, ctx: RequestContext) {
  return { ...(verdict.principal ? who(verdict.principal) : {}), action: 'access:denied' as const, result: 'denied' as const, reason: verdict.reason, ...object, ...ctx };
}

/**
 * Authorization in one place: a route without an `access` rule fails at start-up, so no
 * endpoint is open by accident. Each API request is checked once as it arrives (so the rate
 * limiter can key on a verified session), and refused before its handler runs: 401 without a
 * live session, 403 without the permission, with an expired password or with roles that break
 * the separation rules. Refusals are audited through the denial log, which counts repeats.
 */
export function installAuth(app: FastifyInstance, deps: { auth: AuthService; denials: DenialLog }): void {
  app.decorateRequest('principal', null);
  app.decorateRequest('access', null);
  app.addHook('onRoute', (route) => {
    if (!route.url.startsWith('/api/')) return;
    if (!route.config?.access) throw new Error(`route ${String(route.method)} ${route.url} has no access rule`);
  });
  app.addHook('onRequest', async (req) => {
    const access = req.routeOptions.config?.access;
    if (!access || 'public' in access) return;
    req.access = await deps.auth.authorize(credentialsOf(req), access.permission);
  });
  app.addHook('preHandler', async (req) => {
    const access = req.routeOptions.config?.access;
    if (!access || 'public' in access) return;
    const verdict = req.access ?? (await deps.auth.authorize(credentialsOf(req), access.permission));
    if (!verdict.ok) {
      await deps.denials.deny(accessDenial(verdict, { objectType: 'route', objectId: `${req.method} ${req.routeOptions.url ?? req.url}` }, requestContext(req, verdict.principal)));
      throw accessError(verdict);
    }
    req.principal = verdict.principal;
  });
}
