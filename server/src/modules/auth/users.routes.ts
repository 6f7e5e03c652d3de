import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { createUserSchema, updateUserRolesSchema, type UserSummary } from '../../../../shared/contracts/auth.js';
import { ApiHttpError, parseOr400 } from '../../http/errors.js';
import { jsonSchema } from '../../http/openapi.js';
import { requestContext } from './auth.plugin.js';
import { PasswordPolicyError, type AuthService } from './auth.service.js';
import type { UserRecord, UsersRepo } from './users.repo.js';

const idParams = z.object({ id: z.string().uuid() }).strict();

const summary = (u: UserRecord): UserSummary => ({
  id: u.id,
  username: u.username,
  displayName: u.displayName,
  roles: u.roles,
  scope: u.scope,
  disabled: u.disabled,
  lockedUntil: u.lockedUntil,
  totpEnrolled: u.totpSecret !== null,
  passwordChangedAt: u.passwordChangedAt,
});

/** User administration: the security administrator's work (三权分立), every change audited. */
export function registerUserRoutes(app: FastifyInstance, deps: { auth: AuthService; users: UsersRepo; townIds: Set<string> }): void {
  const access = { access: { permission: 'users:manage' as const } };
  const userOr404 = (id: string) => {
    const user = deps.users.byId(id);
    if (!user) throw new ApiHttpError(404, 'not_found', 'error.not_found', [], { what: id });
    return user;
  };

  app.get('/api/v1/users', { config: access, schema: { tags: ['users'], summary: 'All users (security administrator)' } }, async () => ({
    items: deps.users.list().map(summary),
  }));

  app.post('/api/v1/users', { config: access, schema: { tags: ['users'], summary: 'Create a user', body: jsonSchema(createUserSchema) } }, async (req, reply) => {
    const body = parseOr400(createUserSchema, req.body, 'body');
    const unknown = (body.towns ?? []).filter((t) => !deps.townIds.has(t));
    if (unknown.length) throw new ApiHttpError(400, 'invalid_body', 'error.invalid_body', unknown.map(() => ({ field: 'towns', code: 'not_allowed' })));
    if (deps.users.byUsername(body.username)) throw new ApiHttpError(400, 'invalid_body', 'error.invalid_body', [{ field: 'username', code: 'taken' }]);
    try {
      const user = await deps.auth.createUser(
        req.principal,
        { ...body, scope: body.towns?.length ? { kind: 'towns', towns: body.towns } : { kind: 'county' } },
        requestContext(req),
      );
      return reply.status(201).send(summary(user));
    } catch (err) {
      if (err instanceof PasswordPolicyError) {
        throw new ApiHttpError(400, 'invalid_body', 'error.invalid_body', err.problems.map((code) => ({ field: 'password', code: `password_${code}` })));
      }
      throw err;
    }
  });

  for (const [verb, disabled] of [['disable', true], ['enable', false]] as const) {
    app.post(
      `/api/v1/users/:id/${verb}`,
      { config: access, schema: { tags: ['users'], summary: `${verb} a user${disabled ? ' (ends all their sessions and sockets)' : ''}`, params: jsonSchema(idParams) } },
      async (req, reply) => {
        const { id } = parseOr400(idParams, req.params, 'params');
        userOr404(id);
        deps.auth.setDisabled(req.principal, id, disabled, requestContext(req));
        return reply.status(204).send();
      },
    );
  }

  app.post(
    '/api/v1/users/:id/roles',
    {
      config: access,
      schema: { tags: ['users'], summary: "Change a user's roles and scope (ends their sessions)", params: jsonSchema(idParams), body: jsonSchema(updateUserRolesSchema) },
    },
    async (req, reply) => {
      const { id } = parseOr400(idParams, req.params, 'params');
      const body = parseOr400(updateUserRolesSchema, req.body, 'body');
      userOr404(id);
      const unknown = (body.towns ?? []).filter((t) => !deps.townIds.has(t));
      if (unknown.length) throw new ApiHttpError(400, 'invalid_body', 'error.invalid_body', unknown.map(() => ({ field: 'towns', code: 'not_allowed' })));
      deps.auth.changeRoles(req.principal, id, body.roles, body.towns?.length ? { kind: 'towns', towns: body.towns } : { kind: 'county' }, requestContext(req));
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/v1/users/:id/totp',
    { config: access, schema: { tags: ['users'], summary: 'Enrol a TOTP second factor; answers the otpauth:// URI once', params: jsonSchema(idParams) } },
    async (req) => {
      const { id } = parseOr400(idParams, req.params, 'params');
      userOr404(id);
      return { otpauthUri: deps.auth.enrollTotp(req.principal, id, requestContext(req)) };
    },
  );
}
