import type { FastifyInstance, FastifyRequest } from 'fastify';
import { changePasswordSchema, loginRequestSchema, type LoginResponse, type SessionUser } from '../../../../shared/contracts/auth.js';
import { parseOr400 } from '../../http/errors.js';
import { jsonSchema } from '../../http/openapi.js';
import { requestContext } from './auth.plugin.js';
import type { AuthService } from './auth.service.js';

/** Requests to log in (or change a password) per window, counted per source address whatever credentials they carry. */
export interface LoginRateLimit {
  max: number;
  timeWindow: string;
  keyGenerator: (req: FastifyRequest) => string;
}

export function registerAuthRoutes(app: FastifyInstance, auth: AuthService, loginRateLimit: LoginRateLimit): void {
  app.post(
    '/api/v1/auth/login',
    {
      config: { access: { public: true }, rateLimit: loginRateLimit },
      schema: {
        tags: ['auth'],
        summary: 'Log in with username and password (and a TOTP code where enrolled); answers a session token',
        body: jsonSchema(loginRequestSchema),
      },
    },
    async (req): Promise<LoginResponse> => auth.login(parseOr400(loginRequestSchema, req.body, 'body'), requestContext(req)),
  );

  app.post(
    '/api/v1/auth/logout',
    { config: { access: { permission: 'session:own' } }, schema: { tags: ['auth'], summary: 'End this session (and its sockets)' } },
    async (req, reply) => {
      await auth.logout(req.principal!, requestContext(req));
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/v1/auth/change-password',
    {
      config: { access: { permission: 'session:own' }, rateLimit: loginRateLimit },
      schema: { tags: ['auth'], summary: 'Change one\'s own password (other sessions end)', body: jsonSchema(changePasswordSchema) },
    },
    async (req, reply) => {
      const body = parseOr400(changePasswordSchema, req.body, 'body');
      await auth.changePassword(req.principal!, body.currentPassword, body.newPassword, requestContext(req));
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/v1/auth/me',
    { config: { access: { permission: 'session:own' } }, schema: { tags: ['auth'], summary: 'Who this session belongs to' } },
    async (req): Promise<SessionUser> => auth.sessionUser(req.principal!.user),
  );
}
