import { createHash, randomBytes, randomUUID } from 'node:crypto';
import * as OTPAuth from 'otpauth';
import type { Store } from '../../db/store.js';
import type { Clock } from '../../core/clock.js';
import { ApiHttpError } from '../../http/errors.js';
import { ADMIN_ROLES, rolesAllow, roleConflict, type IntakeChannel, type LoginRequest, type LoginResponse, type Permission, type Role, type RoleConflict, type Scope, type SessionUser } from '../../../../shared/contracts/auth.js';
import type { UpperRegionLevel } from '../../../../shared/contracts/regions.js';
import type { AuthConfig } from '../../config.js';
import { checkPasswordPolicy, hashPassword, PASSWORD_POLICIES, timingDummyHash, verifyPassword } from './password.js';
import { BUILTIN_ACCOUNT_PREFIX, type ApiKeyRecord, type SessionRecord, type UserRecord, type UsersRepo } from './users.repo.js';
import { LoginThrottle } from './login-throttle.js';
import type { AuditEntry } from '../audit/audit.contract.js';
import type { AuditRepo } from '../audit/audit.repo.js';

// Callers that build an AuthService (tests, tools) find its defaults beside it.
export { DEFAULT_AUTH_CONFIG } from '../../config.js';

/** Who is asking, for the audit trail. */
export interface RequestContext {
  sourceIp: string | null;
  client: string | null;
}

/** `append` writes inside the caller's transaction; `record` in a transaction of its own. */
export type AuditSink = Pick<AuditRepo, 'append' | 'record'>;

export interface Principal {
  user: UserRecord;
  session: SessionRecord | null;
  /** The password is past its maximum age: only `session:own` routes (change it, log out). */
  mustChangePassword: boolean;
  /** Set when the principal is an integration client using an API key. */
  apiKey: boolean;
  /** The public id of that key (`ak_…`), for the audit trail. */
  apiKeyId: string | null;
  /** The intake channel that key may post to (null: none, or not a key). */
  apiKeyChannel: IntakeChannel | null;
}

/**
 * The outcome of the one access check that every channel applies (REST, the socket handshake,
 * every socket command): a principal allowed this permission now, or why not.
 */
export type AccessVerdict =
  | { ok: true; principal: Principal }
  | { ok: false; status: 401 | 403; code: 'unauthenticated' | 'forbidden' | 'password_expired' | 'role_conflict'; reason: string; principal: Principal | null; params: Record<string, unknown> };

/** A problem with a stored account that the separation rules forbid (reported at start-up, by audit:verify and to the security administrator). */
export interface AccountProblem {
  userId: string;
  username: string;
  roles: Role[];
  problem: RoleConflict | 'field_worker_without_team';
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Names of granted areas (towns, counties, a city), for display. */
export type AreaNames = (ids: string[]) => string[];

export class AuthService {
  /** Listeners told when sessions end, so sockets can be dropped at once. */
  private readonly revokedListeners = new Set<(sessionIds: string[], reason: 'logout' | 'disabled') => void>();
  private readonly throttle: LoginThrottle;

  constructor(
    private readonly deps: { store: Store; users: UsersRepo; audit: AuditSink; clock: Clock; config: AuthConfig; areaNames: AreaNames; platformLevel: () => UpperRegionLevel; demo: boolean },
  ) {
    this.throttle = new LoginThrottle(deps.config.loginThrottle);
  }

  /** dengbao: a password older than the policy's maximum age must be changed (demo users excepted). */
  private passwordExpired(user: UserRecord, now: Date): boolean {
    const { maxAgeDays } = PASSWORD_POLICIES[this.deps.config.passwordProfile];
    return maxAgeDays !== null && !user.demo && now.getTime() - Date.parse(user.passwordChangedAt) > maxAgeDays * 86_400_000;
  }

  onSessionsRevoked(listener: (sessionIds: string[], reason: 'logout' | 'disabled') => void): () => void {
    this.revokedListeners.add(listener);
    return () => this.revokedListeners.delete(listener);
  }

  sessionUser(user: UserRecord): SessionUser {
    return {
      id: user.id,
      username: user.username,
      displayName: user.displayName,
      roles: user.roles,
      scope: user.scope,
      scopeNames: user.scope.kind === 'county' ? [] : this.deps.areaNames(user.scope.areas),
      platformLevel: this.deps.platformLevel(),
      teamId: user.teamId,
    };
  }

  /**
   * Password login. To a caller who has not shown the right password, every refusal looks the
   * same (401 "wrong username or password"): unknown user, wrong password, locked or disabled
   * account, and unknown users cost the same time; the audit trail keeps the true reason. Only
   * after the right password does the answer say the account is locked, disabled, needs its
   * second factor or breaks the separation rules. Failures count per account (at
   * `maxFailedAttempts` it locks for `lockoutMinutes`, refusing even the right password) and per
   * address and username (429 once either has failed too often).
   */
  async login(req: LoginRequest, ctx: RequestContext): Promise<LoginResponse> {
    const { users, audit, clock, config, store } = this.deps;
    const started = clock.now();
    const throttled = this.throttle.check(ctx.sourceIp, req.username, started.getTime());
    if (!throttled.ok) {
      await audit.record({ username: req.username, action: 'auth:login', result: 'denied', reason: `throttled_${throttled.by}`, sourceIp: ctx.sourceIp, client: ctx.client });
      throw new ApiHttpError(429, 'rate_limited', 'error.rate_limited', [], { after: `${Math.ceil(throttled.retryAfterMs / 60_000)} min` });
    }
    const user = await users.byUsername(req.username);
    const passwordOk = await verifyPassword(user?.passwordHash ?? (await timingDummyHash()), req.password);
    const now = clock.now();
    const at = now.toISOString();
    const base = { userId: user?.id ?? null, username: user?.username ?? req.username, role: user?.roles.join(',') ?? null, action: 'auth:login' as const, sourceIp: ctx.sourceIp, client: ctx.client };
    const wrong = () => new ApiHttpError(401, 'invalid_credentials', 'error.invalid_credentials');

    // Failures are committed (count, lock, audit record) before the refusal is thrown, so a
    // refused login still leaves its trace. The audit records are appended by the synchronous
    // AuditRepo, which joins this transaction on SQLite (it moves to the store with the write path).
    const outcome = await store.inTransaction(async (): Promise<{ error: ApiHttpError; counts: boolean } | { response: LoginResponse }> => {
      if (!user) {
        await audit.append({ ...base, result: 'failure', reason: 'unknown_user' });
        return { error: wrong(), counts: true };
      }
      // re-read inside the transaction (its row locked on PostgreSQL): concurrent attempts must not share a count
      const fresh = (await users.byIdForUpdate(user.id))!;
      const locked = fresh.lockedUntil !== null && fresh.lockedUntil > at;
      if (!passwordOk) {
        if (locked || fresh.disabled) {
          await audit.append({ ...base, result: 'denied', reason: `${locked ? 'locked' : 'disabled'},bad_password` });
          return { error: wrong(), counts: true };
        }
        const failures = (fresh.lockedUntil && fresh.lockedUntil <= at ? 0 : fresh.failedAttempts) + 1;
        const locks = failures >= config.maxFailedAttempts;
        const lockedUntil = locks ? new Date(now.getTime() + config.lockoutMinutes * 60_000).toISOString() : null;
        await users.recordFailure(fresh.id, failures, lockedUntil, at);
        await audit.append({ ...base, result: 'failure', reason: 'bad_password', details: { failures, locked: locks } });
        return { error: wrong(), counts: true };
      }
      // The caller knows the password: from here on, the answer may say what is wrong.
      if (locked) {
        await audit.append({ ...base, result: 'denied', reason: 'locked' });
        return { error: new ApiHttpError(423, 'account_locked', 'error.account_locked', [], { until: fresh.lockedUntil }), counts: false };
      }
      if (fresh.disabled) {
        await audit.append({ ...base, result: 'denied', reason: 'disabled' });
        return { error: new ApiHttpError(403, 'account_disabled', 'error.account_disabled'), counts: false };
      }
      const conflict = roleConflict(fresh.roles);
      if (conflict) {
        await audit.append({ ...base, result: 'denied', reason: `role_conflict:${conflict}` });
        return { error: new ApiHttpError(403, 'role_conflict', 'error.account_role_conflict', [], {}, { conflict }), counts: false };
      }
      if (fresh.totpSecret) {
        if (!req.totp) {
          await audit.append({ ...base, result: 'failure', reason: 'totp_required' });
          return { error: new ApiHttpError(401, 'totp_required', 'error.totp_required', [{ field: 'totp', code: 'required' }]), counts: false };
        }
        const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(fresh.totpSecret), digits: 6, period: 30 });
        if (totp.validate({ token: req.totp, timestamp: now.getTime(), window: 1 }) === null) {
          const failures = fresh.failedAttempts + 1;
          const locks = failures >= config.maxFailedAttempts;
          const lockedUntil = locks ? new Date(now.getTime() + config.lockoutMinutes * 60_000).toISOString() : null;
          await users.recordFailure(fresh.id, failures, lockedUntil, at);
          await audit.append({ ...base, result: 'failure', reason: 'bad_totp', details: { failures, locked: locks } });
          return { error: new ApiHttpError(401, 'totp_invalid', 'error.totp_invalid', [{ field: 'totp', code: 'invalid' }]), counts: true };
        }
      }

      await users.clearFailures(fresh.id, at);
      const token = randomBytes(32).toString('base64url');
      const expiresAt = new Date(now.getTime() + config.sessionLifetimeHours * 3600_000).toISOString();
      const sessionId = sha256(token);
      await users.insertSession({ id: sessionId, userId: fresh.id, at, expiresAt, sourceIp: ctx.sourceIp, client: ctx.client });
      await audit.append({ ...base, result: 'success', objectType: 'session', objectId: sessionId.slice(0, 16) });
      const mustChangePassword = this.passwordExpired(fresh, now);
      return {
        response: { token, expiresAt, idleTimeoutSeconds: config.idleTimeoutMinutes * 60, user: this.sessionUser(fresh), mustChangePassword, demo: this.deps.demo },
      };
    });
    if ('error' in outcome) {
      if (outcome.counts) this.throttle.fail(ctx.sourceIp, req.username, now.getTime());
      throw outcome.error;
    }
    this.throttle.succeed(req.username);
    return outcome.response;
  }

  /**
   * The principal behind a bearer token or API key, or null when there is none or it has
   * ended (revoked, idle too long, past its lifetime, user disabled; for a key: revoked,
   * expired, or its user's roles or scope are no longer those it was issued for). Touches the
   * session or key at most once a minute so reads do not turn into a write each.
   */
  async authenticate(credential: { token?: string; apiKey?: string }, touch = true): Promise<Principal | null> {
    const { users, clock, config, store } = this.deps;
    const now = clock.now();
    if (credential.apiKey) {
      const key = await users.apiKey(sha256(credential.apiKey));
      if (!key || key.revokedAt) return null;
      if (key.expiresAt !== null && Date.parse(key.expiresAt) <= now.getTime()) return null;
      const user = await users.byId(key.userId);
      if (!user || user.disabled) return null;
      // Bound to what it was issued for: any change of its user's roles or scope ends it.
      if (!sameGrant(key, user)) {
        await store.inTransaction(async () => {
          if (await users.revokeApiKey(key.keyId, 'grant_changed', now.toISOString())) {
            await this.deps.audit.append({ action: 'apikey:revoke', result: 'success', username: 'system', objectType: 'api_key', objectId: key.keyId, reason: 'grant_changed', details: { userId: user.id } });
          }
        });
        return null;
      }
      if (touch && (key.lastUsedAt === null || now.getTime() - Date.parse(key.lastUsedAt) > 60_000)) await users.touchApiKey(key.keyId, now.toISOString());
      return { user, session: null, apiKey: true, apiKeyId: key.keyId, apiKeyChannel: key.channel, mustChangePassword: false };
    }
    if (!credential.token) return null;
    // one read: every request and socket command makes it, so it costs one round trip
    const found = await users.sessionWithUser(sha256(credential.token));
    if (!found || found.session.revokedAt) return null;
    const { session, user } = found;
    if (user.disabled) return null;
    if (Date.parse(session.expiresAt) <= now.getTime()) return null;
    const idleMs = config.idleTimeoutMinutes * 60_000;
    // A wall display is a device with nobody at the keyboard: only its lifetime applies.
    if (!user.roles.includes('wall') && now.getTime() - Date.parse(session.lastSeenAt) > idleMs) return null;
    if (touch && now.getTime() - Date.parse(session.lastSeenAt) > 60_000) await users.touchSession(session.id, now.toISOString());
    return { user, session, apiKey: false, apiKeyId: null, apiKeyChannel: null, mustChangePassword: this.passwordExpired(user, now) };
  }

  /**
   * The one access check of every channel: a live principal (`authenticate`), holding
   * `permission`, whose password has not expired (then only `session:own` is open) and whose
   * roles keep the separation rules. `sessionOnly` refuses API keys (the live feed is for people
   * and devices with sessions). The caller audits a refusal and maps it to its channel.
   */
  async authorize(credential: { token?: string; apiKey?: string }, permission: Permission, opts: { touch?: boolean; sessionOnly?: boolean } = {}): Promise<AccessVerdict> {
    const principal = await this.authenticate(opts.sessionOnly ? { token: credential.token } : credential, opts.touch ?? true);
    if (!principal) return { ok: false, status: 401, code: 'unauthenticated', reason: 'unauthenticated', principal: null, params: {} };
    const conflict = roleConflict(principal.user.roles);
    if (conflict) return { ok: false, status: 403, code: 'role_conflict', reason: `role_conflict:${conflict}`, principal, params: { conflict } };
    if (!rolesAllow(principal.user.roles, permission)) return { ok: false, status: 403, code: 'forbidden', reason: `missing ${permission}`, principal, params: { permission } };
    if (principal.mustChangePassword && permission !== 'session:own') return { ok: false, status: 403, code: 'password_expired', reason: 'password_expired', principal, params: {} };
    return { ok: true, principal };
  }

  async logout(principal: Principal, ctx: RequestContext): Promise<void> {
    if (!principal.session) return;
    const at = this.deps.clock.now().toISOString();
    await this.deps.store.inTransaction(async () => {
      await this.deps.users.revokeSession(principal.session!.id, 'logout', at);
      await this.deps.audit.append({ ...who(principal), action: 'auth:logout', result: 'success', objectType: 'session', objectId: principal.session!.id.slice(0, 16), ...ctx });
    });
    this.emitRevoked([principal.session.id], 'logout');
  }

  /** Disables a user: ends every session, socket and API key of theirs. Nobody disables themselves. */
  async setDisabled(actor: Principal | null, userId: string, disabled: boolean, ctx: RequestContext): Promise<void> {
    const action = disabled ? 'user:disable' : 'user:enable';
    await this.guardBuiltIn(actor, action, userId, ctx);
    if (actor && actor.user.id === userId) throw await this.refusal(actor, action, 'user', userId, 'own_account', ctx, new ApiHttpError(403, 'own_account', 'error.own_account'));
    const at = this.deps.clock.now().toISOString();
    let revoked: string[] = [];
    await this.deps.store.inTransaction(async () => {
      await this.deps.users.setDisabled(userId, disabled, at);
      if (disabled) revoked = await this.deps.users.revokeUserSessions(userId, 'disabled', at);
      await this.deps.audit.append({ ...who(actor), action, objectType: 'user', objectId: userId, result: 'success', ...ctx });
    });
    if (revoked.length) this.emitRevoked(revoked, 'disabled');
  }

  /**
   * The user changes their own password: the current one must be right, the new one must pass
   * the policy and (dengbao) differ from the last `historyDepth` ones. Other sessions end. A wrong
   * current password counts toward the lockout like a failed login; when it locks the account,
   * every session of the account ends, this one too.
   */
  async changePassword(principal: Principal, currentPassword: string, newPassword: string, ctx: RequestContext): Promise<void> {
    const { users, audit, config, clock, store } = this.deps;
    const user = (await users.byId(principal.user.id))!;
    const base = { ...who(principal), ...ctx, action: 'auth:password_change' as const };
    if (!(await verifyPassword(user.passwordHash, currentPassword))) {
      const now = clock.now();
      const at = now.toISOString();
      let revoked: string[] = [];
      const locks = await store.inTransaction(async () => {
        const fresh = (await users.byIdForUpdate(user.id))!;
        const failures = (fresh.lockedUntil && fresh.lockedUntil <= at ? 0 : fresh.failedAttempts) + 1;
        const locking = failures >= config.maxFailedAttempts;
        const lockedUntil = locking ? new Date(now.getTime() + config.lockoutMinutes * 60_000).toISOString() : null;
        await users.recordFailure(fresh.id, failures, lockedUntil, at);
        if (locking) revoked = await users.revokeUserSessions(fresh.id, 'locked', at);
        await audit.append({ ...base, result: 'failure', reason: 'bad_password', details: { failures, locked: locking } });
        return locking ? lockedUntil : null;
      });
      if (revoked.length) this.emitRevoked(revoked, 'disabled');
      if (locks) throw new ApiHttpError(423, 'account_locked', 'error.account_locked', [], { until: locks });
      throw new ApiHttpError(400, 'invalid_body', 'error.invalid_body', [{ field: 'currentPassword', code: 'wrong_password' }]);
    }
    const problems = checkPasswordPolicy(config.passwordProfile, newPassword, user.username).map((p) => p.code);
    const policy = PASSWORD_POLICIES[config.passwordProfile];
    for (const old of await users.passwordHistory(user.id, Math.max(1, policy.historyDepth))) {
      if (await verifyPassword(old, newPassword)) {
        problems.push('reused' as never);
        break;
      }
    }
    if (problems.length) {
      await audit.record({ ...base, result: 'failure', reason: problems.join(',') });
      throw new ApiHttpError(400, 'invalid_body', 'error.invalid_body', problems.map((code) => ({ field: 'newPassword', code: `password_${code}` })));
    }
    const hash = await hashPassword(newPassword);
    const at = clock.now().toISOString();
    let revoked: string[] = [];
    await store.inTransaction(async () => {
      await users.setPassword(user.id, hash, at);
      await users.clearFailures(user.id, at);
      // other sessions end; this one goes on
      revoked = await users.revokeUserSessions(user.id, 'password_change', at, principal.session?.id ?? null);
      await audit.append({ ...base, result: 'success', objectType: 'user', objectId: user.id });
    });
    if (revoked.length) this.emitRevoked(revoked, 'logout');
  }

  /**
   * Checks roles (and team) that someone wants to give an account, refusing with 403 (audited)
   * what the separation rules forbid: administrator roles combined with anything, device roles
   * not alone, one's own account, a field worker without a team; and, from the security
   * administrator over REST (`actor` not null), any administrator role at all — those accounts
   * are made on the server host with `npm run admin`, so no administrator can mint a second
   * account holding another administrator's powers.
   */
  private async checkGrant(actor: Principal | null, action: 'user:create' | 'user:role_change', target: UserRecord | null, roles: Role[], teamId: string | null, ctx: RequestContext): Promise<void> {
    const objectId = target?.id ?? null;
    const refuse = (reason: string, err: ApiHttpError): Promise<ApiHttpError> => this.refusal(actor, action, 'user', objectId, reason, ctx, err, { roles });
    if (actor && target && actor.user.id === target.id) throw await refuse('own_account', new ApiHttpError(403, 'own_account', 'error.own_account'));
    const conflict = roleConflict(roles);
    if (conflict) throw await refuse(`role_conflict:${conflict}`, new ApiHttpError(403, 'role_conflict', `error.role_conflict.${conflict}`, [{ field: 'roles', code: conflict }], {}, { conflict }));
    const adminInvolved = roles.some((r) => ADMIN_ROLES.includes(r)) || (target?.roles.some((r) => ADMIN_ROLES.includes(r)) ?? false);
    if (actor && adminInvolved) throw await refuse('admin_role_host_only', new ApiHttpError(403, 'admin_role_host_only', 'error.admin_role_host_only', [{ field: 'roles', code: 'admin_role_host_only' }]));
    if (roles.includes('field_worker')) {
      if (teamId === null) throw await refuse('field_worker_without_team', new ApiHttpError(403, 'team_required', 'error.team_required', [{ field: 'teamId', code: 'required' }]));
      if (!(await this.deps.users.teamExists(teamId!))) {
        throw new ApiHttpError(400, 'invalid_body', 'error.invalid_body', [{ field: 'teamId', code: 'unknown_team' }]);
      }
    }
  }

  /**
   * Changes a user's roles, scope and team. Their sessions end, so no socket keeps rooms or
   * rights of the old roles, and so do their API keys, which were bound to the old grant.
   */
  async changeRoles(actor: Principal | null, userId: string, change: { roles: Role[]; scope: Scope; teamId?: string | null }, ctx: RequestContext): Promise<void> {
    await this.guardBuiltIn(actor, 'user:role_change', userId, ctx);
    const before = (await this.deps.users.byId(userId))!;
    const teamId = change.teamId === undefined ? before.teamId : change.teamId;
    await this.checkGrant(actor, 'user:role_change', before, change.roles, teamId, ctx);
    const at = this.deps.clock.now().toISOString();
    let revoked: string[] = [];
    await this.deps.store.inTransaction(async () => {
      await this.deps.users.setRoles(userId, change.roles, change.scope, at);
      if (teamId !== before.teamId) await this.deps.users.setTeam(userId, teamId, at);
      revoked = await this.deps.users.revokeUserSessions(userId, 'role_change', at);
      const keys = await this.deps.users.revokeUserApiKeys(userId, 'grant_changed', at);
      await this.deps.audit.append({
        ...who(actor),
        ...ctx,
        action: 'user:role_change',
        result: 'success',
        objectType: 'user',
        objectId: userId,
        details: {
          from: { roles: before.roles, scope: before.scope, teamId: before.teamId },
          to: { roles: change.roles, scope: change.scope, teamId },
          ...(keys.length ? { apiKeysRevoked: keys } : {}),
        },
      });
    });
    if (revoked.length) this.emitRevoked(revoked, 'disabled');
  }

  /**
   * Issues an API key for an integration client (a user with the `integration` role), bound to
   * the user's roles and scope of now and, optionally, an expiry. The key is returned once and
   * stored only as its SHA-256.
   */
  async createApiKey(
    actor: Principal | null,
    userId: string,
    opts: { name: string; expiresAt?: string | null; channel?: IntakeChannel | null; secret?: string },
    ctx: RequestContext,
  ): Promise<{ key: string; record: ApiKeyRecord }> {
    await this.guardBuiltIn(actor, 'apikey:create', userId, ctx);
    const user = (await this.deps.users.byId(userId))!;
    if (!user.roles.includes('integration')) {
      throw await this.refusal(actor, 'apikey:create', 'user', userId, 'not_integration', ctx, new ApiHttpError(403, 'not_integration', 'error.apikey_not_integration', [], { username: user.username }));
    }
    const now = this.deps.clock.now();
    if (opts.expiresAt && Date.parse(opts.expiresAt) <= now.getTime()) {
      throw new ApiHttpError(400, 'invalid_body', 'error.invalid_body', [{ field: 'expiresAt', code: 'not_in_future' }]);
    }
    // `secret`: the demo seeder's documented demo keys only (demo mode); otherwise 256 random bits
    const key = opts.secret ?? `gck_${randomBytes(32).toString('base64url')}`;
    const channel = opts.channel ?? null;
    const keyId = `ak_${randomBytes(8).toString('hex')}`;
    const expiresAt = opts.expiresAt ? new Date(opts.expiresAt).toISOString() : null;
    await this.deps.store.inTransaction(async () => {
      await this.deps.users.insertApiKey({ id: sha256(key), keyId, userId, name: opts.name, roles: user.roles, scope: user.scope, channel, expiresAt, createdBy: actor?.user.id ?? null, at: now.toISOString() });
      await this.deps.audit.append({
        ...who(actor),
        ...ctx,
        action: 'apikey:create',
        result: 'success',
        objectType: 'api_key',
        objectId: keyId,
        details: { userId, username: user.username, name: opts.name, roles: user.roles, scope: user.scope, channel, expiresAt },
      });
    });
    return { key, record: (await this.deps.users.apiKeyById(keyId))! };
  }

  /** Revokes a key by its public id (404 when unknown; revoking twice changes nothing). */
  async revokeApiKey(actor: Principal | null, keyId: string, reason: string, ctx: RequestContext): Promise<ApiKeyRecord> {
    const key = await this.deps.users.apiKeyById(keyId);
    if (!key) throw new ApiHttpError(404, 'not_found', 'error.not_found', [], { what: keyId });
    if (key.revokedAt) return key;
    await this.deps.store.inTransaction(async () => {
      await this.deps.users.revokeApiKey(keyId, reason, this.deps.clock.now().toISOString());
      await this.deps.audit.append({ ...who(actor), ...ctx, action: 'apikey:revoke', result: 'success', objectType: 'api_key', objectId: keyId, reason, details: { userId: key.userId } });
    });
    return (await this.deps.users.apiKeyById(keyId))!;
  }

  /** Enrols (or replaces) a TOTP second factor; returns the otpauth:// URI, shown once. */
  async enrollTotp(actor: Principal | null, userId: string, ctx: RequestContext): Promise<string> {
    await this.guardBuiltIn(actor, 'user:update', userId, ctx);
    const user = (await this.deps.users.byId(userId))!;
    const secret = new OTPAuth.Secret({ size: 20 });
    const uri = new OTPAuth.TOTP({ issuer: 'GridCommand', label: user.username, secret, digits: 6, period: 30 }).toString();
    await this.deps.store.inTransaction(async () => {
      await this.deps.users.setTotpSecret(userId, secret.base32, this.deps.clock.now().toISOString());
      await this.deps.audit.append({ ...who(actor), ...ctx, action: 'user:update', result: 'success', objectType: 'user', objectId: userId, details: { totp: 'enrolled' } });
    });
    return uri;
  }

  /**
   * Creates a user after checking the separation rules and the password policy; used by the
   * REST API, the admin CLI and demo seeding. Two creations of one username at once: the
   * database's unique index decides, and the loser gets `UsernameTakenError`.
   */
  async createUser(
    actor: Principal | null,
    input: { username: string; displayName: string; password: string; roles: Role[]; scope: Scope; demo?: boolean; teamId?: string | null },
    ctx: RequestContext,
  ): Promise<UserRecord> {
    await this.checkGrant(actor, 'user:create', null, input.roles, input.teamId ?? null, ctx);
    const problems = checkPasswordPolicy(this.deps.config.passwordProfile, input.password, input.username);
    if (problems.length) throw new PasswordPolicyError(problems.map((p) => p.code));
    if (await this.deps.users.byUsername(input.username)) throw new UsernameTakenError(input.username);
    const passwordHash = await hashPassword(input.password);
    const at = this.deps.clock.now().toISOString();
    const id = randomUUID();
    try {
      await this.deps.store.inTransaction(async () => {
        await this.deps.users.insert({ id, username: input.username, displayName: input.displayName, passwordHash, roles: input.roles, scope: input.scope, demo: input.demo ?? false, teamId: input.teamId ?? null, at });
        await this.deps.audit.append({
          ...who(actor),
          action: 'user:create',
          objectType: 'user',
          objectId: id,
          result: 'success',
          details: { username: input.username, roles: input.roles, scope: input.scope, ...(input.teamId ? { teamId: input.teamId } : {}) },
          ...ctx,
        });
      });
    } catch (err) {
      // the username was free when checked, but another creation committed it during the hash
      if (isUniqueViolation(err, 'users', 'username')) throw new UsernameTakenError(input.username);
      throw err;
    }
    return (await this.deps.users.byId(id))!;
  }

  /**
   * Stored accounts that break the separation rules (made before the rules, or by editing the
   * database): reported at start-up, by `npm run audit:verify` and to the security administrator.
   * Such an account cannot log in or use a session until fixed with `npm run admin -- set-roles`.
   */
  async accountProblems(): Promise<AccountProblem[]> {
    return accountProblemsOf(await this.deps.users.list());
  }

  /** Audits a refused administration step and throws its error. */
  /** Built-in accounts act in-process only: nobody enables, re-roles, enrols or keys them. */
  private async guardBuiltIn(actor: Principal | null, action: AuditEntry['action'], userId: string, ctx: RequestContext): Promise<void> {
    if (userId.startsWith(BUILTIN_ACCOUNT_PREFIX)) throw await this.refusal(actor, action, 'user', userId, 'builtin_account', ctx, new ApiHttpError(403, 'builtin_account', 'error.builtin_account'));
  }

  /** Audits a refusal (denied) and gives back the error to throw. */
  private async refusal(
    actor: Principal | null,
    action: AuditEntry['action'],
    objectType: string,
    objectId: string | null,
    reason: string,
    ctx: RequestContext,
    err: ApiHttpError,
    details?: Record<string, unknown>,
  ): Promise<ApiHttpError> {
    await this.deps.audit.record({ ...who(actor), ...ctx, action, result: 'denied', reason, objectType, objectId, ...(details ? { details } : {}) });
    return err;
  }

  private emitRevoked(ids: string[], reason: 'logout' | 'disabled') {
    for (const l of this.revokedListeners) l(ids, reason);
  }
}

/** The stored accounts that break the separation rules, or field workers without a team. */
export function accountProblemsOf(users: readonly UserRecord[]): AccountProblem[] {
  return users.flatMap((u): AccountProblem[] => {
    const conflict = roleConflict(u.roles);
    if (conflict) return [{ userId: u.id, username: u.username, roles: u.roles, problem: conflict }];
    if (u.roles.includes('field_worker') && u.teamId === null) return [{ userId: u.id, username: u.username, roles: u.roles, problem: 'field_worker_without_team' }];
    return [];
  });
}

/** A key opens something only while its user holds exactly the roles and scope it was issued for. */
function sameGrant(key: ApiKeyRecord, user: UserRecord): boolean {
  const areas = (s: Scope) => (s.kind === 'county' ? '*' : [...s.areas].sort().join(','));
  return [...key.roles].sort().join(',') === [...user.roles].sort().join(',') && areas(key.scope) === areas(user.scope);
}

/** A unique index refused `table.column`: SQLite's constraint error, or PostgreSQL's 23505 naming the key. */
function isUniqueViolation(err: unknown, table: string, column: string): boolean {
  if (!(err instanceof Error)) return false;
  const { code, table: pgTable, detail } = err as { code?: string; table?: string; detail?: string };
  if (code === 'SQLITE_CONSTRAINT_UNIQUE') return err.message.includes(`${table}.${column}`);
  return code === '23505' && pgTable === table && (detail ?? '').startsWith(`Key (${column})=`);
}

export class UsernameTakenError extends Error {
  constructor(readonly username: string) {
    super(`a user named ${username} already exists`);
  }
}

export class PasswordPolicyError extends Error {
  constructor(readonly problems: string[]) {
    super(`password refused by the policy: ${problems.join(', ')}`);
  }
}

/** The audit fields naming an actor (null for the system itself, e.g. the admin CLI). */
export function who(p: Principal | null): Pick<AuditEntry, 'userId' | 'username' | 'role'> {
  return p ? { userId: p.user.id, username: p.user.username, role: p.user.roles.join(',') } : { userId: null, username: 'system', role: null };
}
