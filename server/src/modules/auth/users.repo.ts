import type { Db } from '../../db/connection.js';
import type { IntakeChannel, Role, Scope } from '../../../../shared/contracts/auth.js';
import type { RegionIndex } from '../regions/region-index.js';

/**
 * Ids of built-in accounts, which act in-process only (the public channel's
 * `builtin-public-reports`, migration 14): disabled, without a password, and never listed,
 * enabled, re-roled, enrolled or given a key (AuthService refuses it).
 */
export const BUILTIN_ACCOUNT_PREFIX = 'builtin-';

interface UserRow {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  password_changed_at: string;
  roles: string;
  scope_towns: string | null;
  disabled: number;
  failed_attempts: number;
  locked_until: string | null;
  totp_secret: string | null;
  demo: number;
  team_id: string | null;
}

export interface UserRecord {
  id: string;
  username: string;
  displayName: string;
  passwordHash: string;
  passwordChangedAt: string;
  roles: Role[];
  scope: Scope;
  disabled: boolean;
  failedAttempts: number;
  lockedUntil: string | null;
  totpSecret: string | null;
  demo: boolean;
  /** The field team the user belongs to (处置力量成员), if any. */
  teamId: string | null;
}

/** A scope as stored: the granted areas (town, county or city ids), NULL for the whole platform. */
const scopeColumn = (scope: Scope): string | null => (scope.kind === 'county' ? null : JSON.stringify(scope.areas));
const storedAreas = (column: string | null): string[] | null => (column === null ? null : (JSON.parse(column) as string[]));

const toUser = (r: UserRow, scopeOf: (areas: string[] | null) => Scope): UserRecord => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  passwordHash: r.password_hash,
  passwordChangedAt: r.password_changed_at,
  roles: JSON.parse(r.roles) as Role[],
  scope: scopeOf(storedAreas(r.scope_towns)),
  disabled: r.disabled === 1,
  failedAttempts: r.failed_attempts,
  lockedUntil: r.locked_until,
  totpSecret: r.totp_secret,
  demo: r.demo === 1,
  teamId: r.team_id,
});

export interface SessionRecord {
  id: string;
  userId: string;
  createdAt: string;
  lastSeenAt: string;
  expiresAt: string;
  revokedAt: string | null;
}

export class UsersRepo {
  /** `regions` expands a stored scope's areas into the towns they hold (read at every load, so a boundary import applies at once). */
  constructor(
    private readonly db: Db,
    private readonly regions: Pick<RegionIndex, 'scopeOf'>,
  ) {}

  /** The scope of granted areas (null: the whole platform), as an account holding them sees it. */
  readonly scopeOf = (areas: string[] | null): Scope => this.regions.scopeOf(areas);

  /** People's and devices' accounts: built-in ones (BUILTIN_ACCOUNT_PREFIX) are not counted. */
  count(): number {
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM users WHERE id NOT LIKE '${BUILTIN_ACCOUNT_PREFIX}%'`).get() as { n: number }).n;
  }

  byUsername(username: string): UserRecord | null {
    const row = this.db.prepare('SELECT * FROM users WHERE username = ?').get(username) as UserRow | undefined;
    return row ? toUser(row, this.scopeOf) : null;
  }

  byId(id: string): UserRecord | null {
    const row = this.db.prepare('SELECT * FROM users WHERE id = ?').get(id) as UserRow | undefined;
    return row ? toUser(row, this.scopeOf) : null;
  }

  insert(u: { id: string; username: string; displayName: string; passwordHash: string; roles: Role[]; scope: Scope; demo: boolean; teamId?: string | null; at: string }): void {
    this.db
      .prepare(
        `INSERT INTO users (id, username, display_name, password_hash, password_changed_at, roles, scope_towns, demo, team_id, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(u.id, u.username, u.displayName, u.passwordHash, u.at, JSON.stringify(u.roles), scopeColumn(u.scope), u.demo ? 1 : 0, u.teamId ?? null, u.at, u.at);
    this.db.prepare('INSERT INTO password_history (user_id, password_hash, changed_at) VALUES (?, ?, ?)').run(u.id, u.passwordHash, u.at);
  }

  recordFailure(id: string, failedAttempts: number, lockedUntil: string | null, at: string): void {
    this.db.prepare('UPDATE users SET failed_attempts = ?, locked_until = ?, updated_at = ? WHERE id = ?').run(failedAttempts, lockedUntil, at, id);
  }

  clearFailures(id: string, at: string): void {
    this.db.prepare('UPDATE users SET failed_attempts = 0, locked_until = NULL, updated_at = ? WHERE id = ?').run(at, id);
  }

  setRoles(id: string, roles: Role[], scope: Scope, at: string): void {
    this.db
      .prepare('UPDATE users SET roles = ?, scope_towns = ?, updated_at = ? WHERE id = ?')
      .run(JSON.stringify(roles), scopeColumn(scope), at, id);
  }

  setTeam(id: string, teamId: string | null, at: string): void {
    this.db.prepare('UPDATE users SET team_id = ?, updated_at = ? WHERE id = ?').run(teamId, at, id);
  }

  /** Whether a field team exists (a user may only join one that does). */
  teamExists(teamId: string): boolean {
    return this.db.prepare('SELECT 1 FROM teams WHERE id = ?').get(teamId) !== undefined;
  }

  setTotpSecret(id: string, secret: string | null, at: string): void {
    this.db.prepare('UPDATE users SET totp_secret = ?, updated_at = ? WHERE id = ?').run(secret, at, id);
  }

  /** Every account an administrator manages (not the built-in ones). */
  list(): UserRecord[] {
    return (this.db.prepare(`SELECT * FROM users WHERE id NOT LIKE '${BUILTIN_ACCOUNT_PREFIX}%' ORDER BY username`).all() as UserRow[]).map((r) => toUser(r, this.scopeOf));
  }

  setDisabled(id: string, disabled: boolean, at: string): void {
    this.db.prepare('UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?').run(disabled ? 1 : 0, at, id);
  }

  passwordHistory(id: string, depth: number): string[] {
    return (this.db.prepare('SELECT password_hash FROM password_history WHERE user_id = ? ORDER BY changed_at DESC LIMIT ?').all(id, depth) as Array<{ password_hash: string }>).map(
      (r) => r.password_hash,
    );
  }

  setPassword(id: string, passwordHash: string, at: string): void {
    this.db.prepare('UPDATE users SET password_hash = ?, password_changed_at = ?, updated_at = ? WHERE id = ?').run(passwordHash, at, at, id);
    this.db.prepare('INSERT INTO password_history (user_id, password_hash, changed_at) VALUES (?, ?, ?)').run(id, passwordHash, at);
  }

  insertSession(s: { id: string; userId: string; at: string; expiresAt: string; sourceIp: string | null; client: string | null }): void {
    this.db
      .prepare('INSERT INTO sessions (id, user_id, created_at, last_seen_at, expires_at, source_ip, client) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(s.id, s.userId, s.at, s.at, s.expiresAt, s.sourceIp, s.client);
  }

  session(id: string): SessionRecord | null {
    const r = this.db.prepare('SELECT id, user_id, created_at, last_seen_at, expires_at, revoked_at FROM sessions WHERE id = ?').get(id) as
      | { id: string; user_id: string; created_at: string; last_seen_at: string; expires_at: string; revoked_at: string | null }
      | undefined;
    return r ? { id: r.id, userId: r.user_id, createdAt: r.created_at, lastSeenAt: r.last_seen_at, expiresAt: r.expires_at, revokedAt: r.revoked_at } : null;
  }

  touchSession(id: string, at: string): void {
    this.db.prepare('UPDATE sessions SET last_seen_at = ? WHERE id = ?').run(at, id);
  }

  revokeSession(id: string, reason: string, at: string): void {
    this.db.prepare('UPDATE sessions SET revoked_at = ?, revoke_reason = ? WHERE id = ? AND revoked_at IS NULL').run(at, reason, id);
  }

  /** Revokes every live session of a user (but `keep`); returns their ids. */
  revokeUserSessions(userId: string, reason: string, at: string, keep: string | null = null): string[] {
    const ids = (this.db.prepare('SELECT id FROM sessions WHERE user_id = ? AND revoked_at IS NULL AND id IS NOT ?').all(userId, keep) as Array<{ id: string }>).map(
      (r) => r.id,
    );
    this.db.prepare('UPDATE sessions SET revoked_at = ?, revoke_reason = ? WHERE user_id = ? AND revoked_at IS NULL AND id IS NOT ?').run(at, reason, userId, keep);
    return ids;
  }

  /** A key by the SHA-256 of its secret, revoked or not. */
  apiKey(keyHash: string): ApiKeyRecord | null {
    const r = this.db.prepare(`SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE id = ?`).get(keyHash) as ApiKeyRow | undefined;
    return r ? toApiKey(r, this.scopeOf) : null;
  }

  apiKeyById(keyId: string): ApiKeyRecord | null {
    const r = this.db.prepare(`SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE key_id = ?`).get(keyId) as ApiKeyRow | undefined;
    return r ? toApiKey(r, this.scopeOf) : null;
  }

  /** Every key (of one user), newest first; never the secret, which is not stored. */
  listApiKeys(userId?: string): ApiKeyRecord[] {
    const rows = (userId === undefined
      ? this.db.prepare(`SELECT ${API_KEY_COLUMNS} FROM api_keys ORDER BY created_at DESC, key_id`).all()
      : this.db.prepare(`SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE user_id = ? ORDER BY created_at DESC, key_id`).all(userId)) as ApiKeyRow[];
    return rows.map((r) => toApiKey(r, this.scopeOf));
  }

  insertApiKey(k: {
    id: string;
    keyId: string;
    userId: string;
    name: string;
    roles: Role[];
    scope: Scope;
    channel: IntakeChannel | null;
    expiresAt: string | null;
    createdBy: string | null;
    at: string;
  }): void {
    this.db
      .prepare('INSERT INTO api_keys (id, key_id, user_id, name, roles, scope_towns, channel, expires_at, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
      .run(k.id, k.keyId, k.userId, k.name, JSON.stringify(k.roles), scopeColumn(k.scope), k.channel, k.expiresAt, k.createdBy, k.at);
  }

  /** Revokes one key; false when it was already revoked or does not exist. */
  revokeApiKey(keyId: string, reason: string, at: string): boolean {
    return this.db.prepare('UPDATE api_keys SET revoked_at = ?, revoke_reason = ? WHERE key_id = ? AND revoked_at IS NULL').run(at, reason, keyId).changes === 1;
  }

  /** Revokes every live key of a user; returns their public ids. */
  revokeUserApiKeys(userId: string, reason: string, at: string): string[] {
    const ids = (this.db.prepare('SELECT key_id FROM api_keys WHERE user_id = ? AND revoked_at IS NULL').all(userId) as Array<{ key_id: string }>).map((r) => r.key_id);
    this.db.prepare('UPDATE api_keys SET revoked_at = ?, revoke_reason = ? WHERE user_id = ? AND revoked_at IS NULL').run(at, reason, userId);
    return ids;
  }

  touchApiKey(keyId: string, at: string): void {
    this.db.prepare('UPDATE api_keys SET last_used_at = ? WHERE key_id = ?').run(at, keyId);
  }
}

interface ApiKeyRow {
  key_id: string;
  user_id: string;
  name: string;
  roles: string;
  scope_towns: string | null;
  created_at: string;
  created_by: string | null;
  expires_at: string | null;
  revoked_at: string | null;
  revoke_reason: string | null;
  last_used_at: string | null;
  channel: IntakeChannel | null;
}

const API_KEY_COLUMNS = 'key_id, user_id, name, roles, scope_towns, channel, created_at, created_by, expires_at, revoked_at, revoke_reason, last_used_at';

/** An integration client's key as stored: what it was issued for, never its secret. */
export interface ApiKeyRecord {
  keyId: string;
  userId: string;
  name: string;
  /** The roles and scope of its user when it was issued; the key opens nothing once they differ. */
  roles: Role[];
  scope: Scope;
  /** The one intake channel it may post to; null: none. */
  channel: IntakeChannel | null;
  createdAt: string;
  createdBy: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
  revokeReason: string | null;
  lastUsedAt: string | null;
}

const toApiKey = (r: ApiKeyRow, scopeOf: (areas: string[] | null) => Scope): ApiKeyRecord => ({
  keyId: r.key_id,
  userId: r.user_id,
  name: r.name,
  roles: JSON.parse(r.roles) as Role[],
  scope: scopeOf(storedAreas(r.scope_towns)),
  channel: r.channel,
  createdAt: r.created_at,
  createdBy: r.created_by,
  expiresAt: r.expires_at,
  revokedAt: r.revoked_at,
  revokeReason: r.revoke_reason,
  lastUsedAt: r.last_used_at,
});
