import { createHash, randomBytes, randomUUID } from 'node:crypto';
import * as OTPAuth from 'otpauth';
import type { Db } from '../../db/connection.js';
import { inTransaction } from '../../db/connection.js';
import type { Clock } from '../../core/clock.js';
import { ApiHttpError } from '../../http/errors.js';
import type { LoginRequest, LoginResponse, Role, Scope, SessionUser } from '../../../../shared/contracts/auth.js';
import { checkPasswordPolicy, hashPassword, PASSWORD_POLICIES, timingDummyHash, verifyPassword, type PasswordProfile } from './password.js';
import type { SessionRecord, UserRecord, UsersRepo } from './users.repo.js';
import type { AuditEntry } from '../audit/audit.contract.js';
import type { AuditRepo } from '../audit/audit.repo.js';

export interface AuthConfig {
  passwordProfile: PasswordProfile;
  maxFailedAttempts: number;
  lockoutMinutes: number;
  idleTimeoutMinutes: number;
  sessionLifetimeHours: number;
}

export const DEFAULT_AUTH_CONFIG: AuthConfig = {
  passwordProfile: 'dengbao',
  maxFailedAttempts: 5,
  lockoutMinutes: 10,
  idleTimeoutMinutes: 30,
  sessionLifetimeHours: 12,
};

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
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Town names for display, resolved by the caller. */
export type TownNames = (ids: string[]) => string[];

export class AuthService {
  /** Listeners told when sessions end, so sockets can be dropped at once. */
  private readonly revokedListeners = new Set<(sessionIds: string[], reason: 'logout' | 'disabled') => void>();

  constructor(
    private readonly deps: { db: Db; users: UsersRepo; audit: AuditSink; clock: Clock; config: AuthConfig; townNames: TownNames; demo: boolean },
  ) {}

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
      scopeNames: user.scope.kind === 'county' ? [] : this.deps.townNames(user.scope.towns),
      teamId: user.teamId,
    };
  }

  /**
   * Password login. Failures count per account; at `maxFailedAttempts` the account locks for
   * `lockoutMinutes`, and while locked even the right password is refused. Unknown users cost
   * the same time as known ones, and both answer the same way.
   */
  async login(req: LoginRequest, ctx: RequestContext): Promise<LoginResponse> {
    const { users, audit, clock, config, db } = this.deps;
    const user = users.byUsername(req.username);
    const passwordOk = await verifyPassword(user?.passwordHash ?? (await timingDummyHash()), req.password);
    const now = clock.now();
    const at = now.toISOString();
    const base = { userId: user?.id ?? null, username: user?.username ?? req.username, role: user?.roles.join(',') ?? null, action: 'auth:login' as const, sourceIp: ctx.sourceIp, client: ctx.client };

    // Failures are committed (count, lock, audit record) before the refusal is thrown, so a
    // refused login still leaves its trace.
    const outcome = inTransaction(db, (): { error: ApiHttpError } | { response: LoginResponse } => {
      if (!user) {
        audit.append({ ...base, result: 'failure', reason: 'unknown_user' });
        return { error: new ApiHttpError(401, 'invalid_credentials', 'error.invalid_credentials') };
      }
      // re-read inside the transaction: concurrent attempts must not share a count
      const fresh = users.byId(user.id)!;
      if (fresh.lockedUntil && fresh.lockedUntil > at) {
        audit.append({ ...base, result: 'denied', reason: 'locked' });
        return { error: new ApiHttpError(423, 'account_locked', 'error.account_locked', [], { until: fresh.lockedUntil }) };
      }
      if (fresh.disabled) {
        audit.append({ ...base, result: 'denied', reason: 'disabled' });
        return { error: new ApiHttpError(403, 'account_disabled', 'error.account_disabled') };
      }
      let secondFactorOk = true;
      if (fresh.totpSecret && passwordOk) {
        if (!req.totp) {
          audit.append({ ...base, result: 'failure', reason: 'totp_required' });
          return { error: new ApiHttpError(401, 'totp_required', 'error.totp_required', [{ field: 'totp', code: 'required' }]) };
        }
        const totp = new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(fresh.totpSecret), digits: 6, period: 30 });
        secondFactorOk = totp.validate({ token: req.totp, timestamp: now.getTime(), window: 1 }) !== null;
      }
      if (!passwordOk || !secondFactorOk) {
        const failures = (fresh.lockedUntil && fresh.lockedUntil <= at ? 0 : fresh.failedAttempts) + 1;
        const locks = failures >= config.maxFailedAttempts;
        const lockedUntil = locks ? new Date(now.getTime() + config.lockoutMinutes * 60_000).toISOString() : null;
        users.recordFailure(fresh.id, failures, lockedUntil, at);
        audit.append({ ...base, result: 'failure', reason: passwordOk ? 'bad_totp' : 'bad_password', details: { failures, locked: locks } });
        return {
          error: locks
            ? new ApiHttpError(423, 'account_locked', 'error.account_locked', [], { until: lockedUntil })
            : new ApiHttpError(401, 'invalid_credentials', 'error.invalid_credentials_left', [], { left: config.maxFailedAttempts - failures }),
        };
      }

      users.clearFailures(fresh.id, at);
      const token = randomBytes(32).toString('base64url');
      const expiresAt = new Date(now.getTime() + config.sessionLifetimeHours * 3600_000).toISOString();
      const sessionId = sha256(token);
      users.insertSession({ id: sessionId, userId: fresh.id, at, expiresAt, sourceIp: ctx.sourceIp, client: ctx.client });
      audit.append({ ...base, result: 'success', objectType: 'session', objectId: sessionId.slice(0, 16) });
      const mustChangePassword = this.passwordExpired(fresh, now);
      return {
        response: { token, expiresAt, idleTimeoutSeconds: config.idleTimeoutMinutes * 60, user: this.sessionUser(fresh), mustChangePassword, demo: this.deps.demo },
      };
    });
    if ('error' in outcome) throw outcome.error;
    return outcome.response;
  }

  /**
   * The principal behind a bearer token or API key, or null when there is none or it has
   * ended (revoked, idle too long, past its lifetime, user disabled). Touches the session at
   * most once a minute so reads do not turn into a write each.
   */
  authenticate(credential: { token?: string; apiKey?: string }, touch = true): Principal | null {
    const { users, clock, config } = this.deps;
    if (credential.apiKey) {
      const userId = users.apiKeyUser(sha256(credential.apiKey));
      const user = userId ? users.byId(userId) : null;
      return user && !user.disabled ? { user, session: null, apiKey: true, mustChangePassword: false } : null;
    }
    if (!credential.token) return null;
    const session = users.session(sha256(credential.token));
    if (!session || session.revokedAt) return null;
    const now = clock.now();
    const user = users.byId(session.userId);
    if (!user || user.disabled) return null;
    if (Date.parse(session.expiresAt) <= now.getTime()) return null;
    const idleMs = config.idleTimeoutMinutes * 60_000;
    // A wall display is a device with nobody at the keyboard: only its lifetime applies.
    if (!user.roles.includes('wall') && now.getTime() - Date.parse(session.lastSeenAt) > idleMs) return null;
    if (touch && now.getTime() - Date.parse(session.lastSeenAt) > 60_000) users.touchSession(session.id, now.toISOString());
    return { user, session, apiKey: false, mustChangePassword: this.passwordExpired(user, now) };
  }

  logout(principal: Principal, ctx: RequestContext): void {
    if (!principal.session) return;
    const at = this.deps.clock.now().toISOString();
    inTransaction(this.deps.db, () => {
      this.deps.users.revokeSession(principal.session!.id, 'logout', at);
      this.deps.audit.append({ ...who(principal), action: 'auth:logout', result: 'success', objectType: 'session', objectId: principal.session!.id.slice(0, 16), ...ctx });
    });
    this.emitRevoked([principal.session.id], 'logout');
  }

  /** Disables a user: ends every session and socket of theirs. */
  setDisabled(actor: Principal | null, userId: string, disabled: boolean, ctx: RequestContext): void {
    const at = this.deps.clock.now().toISOString();
    let revoked: string[] = [];
    inTransaction(this.deps.db, () => {
      this.deps.users.setDisabled(userId, disabled, at);
      if (disabled) revoked = this.deps.users.revokeUserSessions(userId, 'disabled', at);
      this.deps.audit.append({ ...who(actor), action: disabled ? 'user:disable' : 'user:enable', objectType: 'user', objectId: userId, result: 'success', ...ctx });
    });
    if (revoked.length) this.emitRevoked(revoked, 'disabled');
  }

  /**
   * The user changes their own password: the current one must be right, the new one must pass
   * the policy and (dengbao) differ from the last `historyDepth` ones. Other sessions end.
   */
  async changePassword(principal: Principal, currentPassword: string, newPassword: string, ctx: RequestContext): Promise<void> {
    const { users, audit, config, clock, db } = this.deps;
    const user = users.byId(principal.user.id)!;
    const base = { ...who(principal), ...ctx, action: 'auth:password_change' as const };
    if (!(await verifyPassword(user.passwordHash, currentPassword))) {
      audit.record({ ...base, result: 'failure', reason: 'bad_password' });
      throw new ApiHttpError(400, 'invalid_body', 'error.invalid_body', [{ field: 'currentPassword', code: 'wrong_password' }]);
    }
    const problems = checkPasswordPolicy(config.passwordProfile, newPassword, user.username).map((p) => p.code);
    const policy = PASSWORD_POLICIES[config.passwordProfile];
    for (const old of users.passwordHistory(user.id, Math.max(1, policy.historyDepth))) {
      if (await verifyPassword(old, newPassword)) {
        problems.push('reused' as never);
        break;
      }
    }
    if (problems.length) {
      audit.record({ ...base, result: 'failure', reason: problems.join(',') });
      throw new ApiHttpError(400, 'invalid_body', 'error.invalid_body', problems.map((code) => ({ field: 'newPassword', code: `password_${code}` })));
    }
    const hash = await hashPassword(newPassword);
    const at = clock.now().toISOString();
    let revoked: string[] = [];
    inTransaction(db, () => {
      users.setPassword(user.id, hash, at);
      // other sessions end; this one goes on
      revoked = users.revokeUserSessions(user.id, 'password_change', at, principal.session?.id ?? null);
      audit.append({ ...base, result: 'success', objectType: 'user', objectId: user.id });
    });
    if (revoked.length) this.emitRevoked(revoked, 'logout');
  }

  /**
   * Changes a user's roles and scope. Their sessions end, so no socket keeps rooms or rights
   * of the old roles; they log in again with the new ones.
   */
  changeRoles(actor: Principal | null, userId: string, roles: Role[], scope: Scope, ctx: RequestContext): void {
    const before = this.deps.users.byId(userId)!;
    const at = this.deps.clock.now().toISOString();
    let revoked: string[] = [];
    inTransaction(this.deps.db, () => {
      this.deps.users.setRoles(userId, roles, scope, at);
      revoked = this.deps.users.revokeUserSessions(userId, 'role_change', at);
      this.deps.audit.append({
        ...who(actor),
        ...ctx,
        action: 'user:role_change',
        result: 'success',
        objectType: 'user',
        objectId: userId,
        details: { from: { roles: before.roles, scope: before.scope }, to: { roles, scope } },
      });
    });
    if (revoked.length) this.emitRevoked(revoked, 'disabled');
  }

  /**
   * Issues an API key for an integration client (a user with the `integration` role); the
   * key is returned once and stored only as its SHA-256.
   */
  createApiKey(actor: Principal | null, userId: string, name: string, ctx: RequestContext): string {
    const user = this.deps.users.byId(userId)!;
    if (!user.roles.includes('integration')) throw new Error('API keys are for users with the integration role');
    const key = `gck_${randomBytes(32).toString('base64url')}`;
    inTransaction(this.deps.db, () => {
      this.deps.users.insertApiKey({ id: sha256(key), userId, name, at: this.deps.clock.now().toISOString() });
      this.deps.audit.append({ ...who(actor), ...ctx, action: 'user:update', result: 'success', objectType: 'user', objectId: userId, details: { apiKey: name } });
    });
    return key;
  }

  /** Enrols (or replaces) a TOTP second factor; returns the otpauth:// URI, shown once. */
  enrollTotp(actor: Principal | null, userId: string, ctx: RequestContext): string {
    const user = this.deps.users.byId(userId)!;
    const secret = new OTPAuth.Secret({ size: 20 });
    const uri = new OTPAuth.TOTP({ issuer: 'GridCommand', label: user.username, secret, digits: 6, period: 30 }).toString();
    inTransaction(this.deps.db, () => {
      this.deps.users.setTotpSecret(userId, secret.base32, this.deps.clock.now().toISOString());
      this.deps.audit.append({ ...who(actor), ...ctx, action: 'user:update', result: 'success', objectType: 'user', objectId: userId, details: { totp: 'enrolled' } });
    });
    return uri;
  }

  /** Creates a user after checking the password policy; used by the admin CLI and demo seeding. */
  async createUser(
    actor: Principal | null,
    input: { username: string; displayName: string; password: string; roles: Role[]; scope: Scope; demo?: boolean; teamId?: string | null },
    ctx: RequestContext,
  ): Promise<UserRecord> {
    const problems = checkPasswordPolicy(this.deps.config.passwordProfile, input.password, input.username);
    if (problems.length) throw new PasswordPolicyError(problems.map((p) => p.code));
    const passwordHash = await hashPassword(input.password);
    const at = this.deps.clock.now().toISOString();
    const id = randomUUID();
    inTransaction(this.deps.db, () => {
      this.deps.users.insert({ id, username: input.username, displayName: input.displayName, passwordHash, roles: input.roles, scope: input.scope, demo: input.demo ?? false, teamId: input.teamId ?? null, at });
      this.deps.audit.append({
        ...who(actor),
        action: 'user:create',
        objectType: 'user',
        objectId: id,
        result: 'success',
        details: { username: input.username, roles: input.roles, scope: input.scope, ...(input.teamId ? { teamId: input.teamId } : {}) },
        ...ctx,
      });
    });
    return this.deps.users.byId(id)!;
  }

  private emitRevoked(ids: string[], reason: 'logout' | 'disabled') {
    for (const l of this.revokedListeners) l(ids, reason);
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
