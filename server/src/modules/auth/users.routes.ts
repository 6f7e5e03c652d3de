import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  createApiKeySchema,
  createUserSchema,
  revokeApiKeySchema,
  updateUserRolesSchema,
  type ApiKeyCreated,
  type ApiKeySummary,
  type Scope,
  type UserListResponse,
  type UserSummary,
} from '../../../../shared/contracts/auth.js';
import type { GrantableArea, UserFormOptions } from '../../../../shared/contracts/user-admin.js';
import type { PasswordProfile } from '../../config.js';
import type { Clock } from '../../core/clock.js';
import { ApiHttpError, parseOr400 } from '../../http/errors.js';
import { jsonSchema } from '../../http/openapi.js';
import type { IndexedRegion, RegionIndex } from '../regions/region-index.js';
import { requestContext } from './auth.plugin.js';
import { PasswordPolicyError, UsernameTakenError, type AccountProblem, type AuthService } from './auth.service.js';
import { PASSWORD_POLICIES, PASSWORD_RULES } from './password.js';
import type { ApiKeyRecord, UserRecord, UsersRepo } from './users.repo.js';

const idParams = z.object({ id: z.string().uuid() }).strict();
const keyParams = z.object({ keyId: z.string().regex(/^ak_[0-9a-f]{16}$/) }).strict();

const summary = (u: UserRecord, problem: AccountProblem['problem'] | null): UserSummary => ({
  id: u.id,
  username: u.username,
  displayName: u.displayName,
  roles: u.roles,
  scope: u.scope,
  disabled: u.disabled,
  lockedUntil: u.lockedUntil,
  totpEnrolled: u.totpSecret !== null,
  passwordChangedAt: u.passwordChangedAt,
  teamId: u.teamId,
  problem,
});

/** The areas a user may be granted, from the platform's top region down to the towns. */
function grantableAreas(regions: Pick<RegionIndex, 'root' | 'under'>): Pick<UserFormOptions, 'root' | 'areas' | 'towns'> {
  const top = regions.root();
  if (!top) return { root: null, areas: [], towns: [] };
  const area = (r: IndexedRegion): GrantableArea => ({ id: r.id, name: r.name, level: r.level, parentId: r.parentId });
  const between = top.level === 'province' ? [...regions.under(top.id, 'city'), ...regions.under(top.id, 'county')] : top.level === 'city' ? regions.under(top.id, 'county') : [];
  return { root: area(top), areas: between.map(area), towns: regions.under(top.id, 'town').map(area) };
}

/** User administration: the security administrator's work (三权分立), every change audited. */
export function registerUserRoutes(
  app: FastifyInstance,
  deps: {
    auth: AuthService;
    users: UsersRepo;
    /** What a granted area is and holds (towns, counties, a city), and the areas to offer. */
    regions: Pick<RegionIndex, 'unknownAreas' | 'scopeOf' | 'root' | 'under'>;
    clock: Clock;
    passwordProfile: PasswordProfile;
    /** The teams a user may be given (the composition root reads them from their module). */
    choices: () => Promise<Pick<UserFormOptions, 'teams'>>;
  },
): void {
  const access = { access: { permission: 'users:manage' as const } };
  const userOr404 = async (id: string) => {
    const user = await deps.users.byId(id);
    if (!user) throw new ApiHttpError(404, 'not_found', 'error.not_found', [], { what: id });
    return user;
  };
  /** `towns` grants areas: town, county or city ids (none, or the platform's root: all of it). */
  const scopeOf = (towns: string[] | undefined): Scope => {
    const unknown = deps.regions.unknownAreas(towns ?? []);
    if (unknown.length) throw new ApiHttpError(400, 'invalid_body', 'error.invalid_body', unknown.map(() => ({ field: 'towns', code: 'not_allowed' })));
    return deps.regions.scopeOf(towns?.length ? towns : null);
  };
  const keySummary = async (k: ApiKeyRecord): Promise<ApiKeySummary> => {
    const expired = k.expiresAt !== null && Date.parse(k.expiresAt) <= deps.clock.now().getTime();
    const { createdBy: _by, ...rest } = k;
    return { ...rest, username: (await deps.users.byId(k.userId))?.username ?? k.userId, state: k.revokedAt ? 'revoked' : expired ? 'expired' : 'active' };
  };
  /** Summaries of keys, one after another (their owners are awaited reads). */
  const keySummaries = async (keys: ApiKeyRecord[]): Promise<ApiKeySummary[]> => {
    const items: ApiKeySummary[] = [];
    for (const k of keys) items.push(await keySummary(k));
    return items;
  };

  app.get(
    '/api/v1/users',
    { config: access, schema: { tags: ['users'], summary: 'All users, and the accounts that break the separation rules (security administrator)' } },
    async (): Promise<UserListResponse> => {
      const problems = await deps.auth.accountProblems();
      const problemOf = new Map(problems.map((p) => [p.userId, p.problem]));
      return { items: (await deps.users.list()).map((u) => summary(u, problemOf.get(u.id) ?? null)), problems };
    },
  );

  app.get(
    '/api/v1/users/form-options',
    {
      config: access,
      schema: {
        tags: ['users'],
        summary: 'What the user forms choose from: the areas (the platform, its cities and counties, the towns), teams, and the password policy in force (security administrator)',
      },
    },
    async (): Promise<UserFormOptions> => ({
      ...grantableAreas(deps.regions),
      ...(await deps.choices()),
      passwordPolicy: { profile: deps.passwordProfile, ...PASSWORD_RULES[deps.passwordProfile], maxAgeDays: PASSWORD_POLICIES[deps.passwordProfile].maxAgeDays, historyDepth: PASSWORD_POLICIES[deps.passwordProfile].historyDepth },
    }),
  );

  app.post(
    '/api/v1/users',
    {
      config: access,
      schema: {
        tags: ['users'],
        summary: 'Create a user (not an administrator: those are made with npm run admin)',
        description:
          'Refused with 403 (audited): roles that one account may not hold together (`role_conflict`: two administrator roles, an administrator with an operational role, a wall or integration role with another), any administrator role (`admin_role_host_only`), a field worker without `teamId` (`team_required`). A username taken, also by a creation running at the same moment: 400 with `username: taken`.',
        body: jsonSchema(createUserSchema),
      },
    },
    async (req, reply) => {
      const body = parseOr400(createUserSchema, req.body, 'body');
      const { towns, teamId, ...rest } = body;
      try {
        const user = await deps.auth.createUser(req.principal, { ...rest, scope: scopeOf(towns), teamId: teamId ?? null }, requestContext(req));
        return reply.status(201).send(summary(user, null));
      } catch (err) {
        if (err instanceof PasswordPolicyError) {
          throw new ApiHttpError(400, 'invalid_body', 'error.invalid_body', err.problems.map((code) => ({ field: 'password', code: `password_${code}` })));
        }
        if (err instanceof UsernameTakenError) throw new ApiHttpError(400, 'invalid_body', 'error.invalid_body', [{ field: 'username', code: 'taken' }]);
        throw err;
      }
    },
  );

  for (const [verb, disabled] of [['disable', true], ['enable', false]] as const) {
    app.post(
      `/api/v1/users/:id/${verb}`,
      {
        config: access,
        schema: { tags: ['users'], summary: `${verb} a user${disabled ? ' (ends all their sessions and sockets)' : ''}; never one's own account`, params: jsonSchema(idParams) },
      },
      async (req, reply) => {
        const { id } = parseOr400(idParams, req.params, 'params');
        await userOr404(id);
        await deps.auth.setDisabled(req.principal, id, disabled, requestContext(req));
        return reply.status(204).send();
      },
    );
  }

  app.post(
    '/api/v1/users/:id/roles',
    {
      config: access,
      schema: {
        tags: ['users'],
        summary: "Change a user's roles, scope and team (ends their sessions and revokes their API keys)",
        description: 'Same refusals as creating a user, and `own_account` (403) for one’s own account; an administrator account is changed only with npm run admin.',
        params: jsonSchema(idParams),
        body: jsonSchema(updateUserRolesSchema),
      },
    },
    async (req, reply) => {
      const { id } = parseOr400(idParams, req.params, 'params');
      const body = parseOr400(updateUserRolesSchema, req.body, 'body');
      await userOr404(id);
      await deps.auth.changeRoles(req.principal, id, { roles: body.roles, scope: scopeOf(body.towns), teamId: body.teamId }, requestContext(req));
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/v1/users/:id/totp',
    { config: access, schema: { tags: ['users'], summary: 'Enrol a TOTP second factor; answers the otpauth:// URI once', params: jsonSchema(idParams) } },
    async (req) => {
      const { id } = parseOr400(idParams, req.params, 'params');
      await userOr404(id);
      return { otpauthUri: await deps.auth.enrollTotp(req.principal, id, requestContext(req)) };
    },
  );

  app.get(
    '/api/v1/api-keys',
    { config: access, schema: { tags: ['users'], summary: 'Every API key of every integration client, newest first (never a secret)' } },
    async () => ({ items: await keySummaries(await deps.users.listApiKeys()) }),
  );

  app.get(
    '/api/v1/users/:id/api-keys',
    { config: access, schema: { tags: ['users'], summary: "A user's API keys, newest first", params: jsonSchema(idParams) } },
    async (req) => {
      const { id } = parseOr400(idParams, req.params, 'params');
      await userOr404(id);
      return { items: await keySummaries(await deps.users.listApiKeys(id)) };
    },
  );

  app.post(
    '/api/v1/users/:id/api-keys',
    {
      config: access,
      schema: {
        tags: ['users'],
        summary: 'Issue an API key to an integration account; the secret is answered this once',
        description: 'The key is bound to the account’s roles and scope of now: any change of them revokes it. Optional `expiresAt`.',
        params: jsonSchema(idParams),
        body: jsonSchema(createApiKeySchema),
      },
    },
    async (req, reply): Promise<ApiKeyCreated> => {
      const { id } = parseOr400(idParams, req.params, 'params');
      const body = parseOr400(createApiKeySchema, req.body, 'body');
      await userOr404(id);
      const { key, record } = await deps.auth.createApiKey(req.principal, id, { name: body.name, expiresAt: body.expiresAt ?? null, channel: body.channel ?? null }, requestContext(req));
      void reply.status(201);
      return { key, apiKey: await keySummary(record) };
    },
  );

  app.post(
    '/api/v1/api-keys/:keyId/revoke',
    { config: access, schema: { tags: ['users'], summary: 'Revoke an API key at once', params: jsonSchema(keyParams), body: jsonSchema(revokeApiKeySchema) } },
    async (req): Promise<ApiKeySummary> => {
      const { keyId } = parseOr400(keyParams, req.params, 'params');
      const body = parseOr400(revokeApiKeySchema, req.body ?? {}, 'body');
      return keySummary(await deps.auth.revokeApiKey(req.principal, keyId, body.reason ?? 'revoked by the security administrator', requestContext(req)));
    },
  );
}
