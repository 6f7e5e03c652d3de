import type { Store } from '../../db/store.js';
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

/**
 * Accounts, sessions, password history and API keys, on the async Store (docs/POSTGRES.md): the
 * same SQL on both dialects. `username` is case-insensitive on both (SQLite `COLLATE NOCASE`,
 * PostgreSQL citext). A revocation is one `UPDATE … RETURNING`, so the ids it reports (whose live
 * sockets end) are exactly the rows it revoked, also while another node writes.
 */
export class UsersRepo {
  /** `regions` expands a stored scope's areas into the towns they hold (read at every load, so a boundary import applies at once). */
  constructor(
    readonly store: Store,
    private readonly regions: Pick<RegionIndex, 'scopeOf'>,
  ) {}

  /** The scope of granted areas (null: the whole platform), as an account holding them sees it. */
  readonly scopeOf = (areas: string[] | null): Scope => this.regions.scopeOf(areas);

  /** People's and devices' accounts: built-in ones (BUILTIN_ACCOUNT_PREFIX) are not counted. */
  async count(): Promise<number> {
    return (await this.store.get<{ n: number }>(`SELECT COUNT(*) AS n FROM users WHERE id NOT LIKE '${BUILTIN_ACCOUNT_PREFIX}%'`))!.n;
  }

  async byUsername(username: string): Promise<UserRecord | null> {
    const row = await this.store.get<UserRow>('SELECT * FROM users WHERE username = ?', username);
    return row ? toUser(row, this.scopeOf) : null;
  }

  async byId(id: string): Promise<UserRecord | null> {
    const row = await this.store.get<UserRow>('SELECT * FROM users WHERE id = ?', id);
    return row ? toUser(row, this.scopeOf) : null;
  }

  /**
   * The user, read to be changed in the current transaction (its failure count): on PostgreSQL the
   * row stays locked until the transaction ends (`FOR UPDATE`), so two logins failing at once
   * count twice; SQLite's write transaction (BEGIN IMMEDIATE) already holds the whole database.
   */
  async byIdForUpdate(id: string): Promise<UserRecord | null> {
    const row = await this.store.get<UserRow>(`SELECT * FROM users WHERE id = ?${this.store.dialect === 'postgres' ? ' FOR UPDATE' : ''}`, id);
    return row ? toUser(row, this.scopeOf) : null;
  }

  async insert(u: { id: string; username: string; displayName: string; passwordHash: string; roles: Role[]; scope: Scope; demo: boolean; teamId?: string | null; at: string }): Promise<void> {
    await this.store.run(
      `INSERT INTO users (id, username, display_name, password_hash, password_changed_at, roles, scope_towns, demo, team_id, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      u.id, u.username, u.displayName, u.passwordHash, u.at, JSON.stringify(u.roles), scopeColumn(u.scope), u.demo ? 1 : 0, u.teamId ?? null, u.at, u.at,
    );
    await this.store.run('INSERT INTO password_history (user_id, password_hash, changed_at) VALUES (?, ?, ?)', u.id, u.passwordHash, u.at);
  }

  async recordFailure(id: string, failedAttempts: number, lockedUntil: string | null, at: string): Promise<void> {
    await this.store.run('UPDATE users SET failed_attempts = ?, locked_until = ?, updated_at = ? WHERE id = ?', failedAttempts, lockedUntil, at, id);
  }

  async clearFailures(id: string, at: string): Promise<void> {
    await this.store.run('UPDATE users SET failed_attempts = 0, locked_until = NULL, updated_at = ? WHERE id = ?', at, id);
  }

  async setRoles(id: string, roles: Role[], scope: Scope, at: string): Promise<void> {
    await this.store.run('UPDATE users SET roles = ?, scope_towns = ?, updated_at = ? WHERE id = ?', JSON.stringify(roles), scopeColumn(scope), at, id);
  }

  async setTeam(id: string, teamId: string | null, at: string): Promise<void> {
    await this.store.run('UPDATE users SET team_id = ?, updated_at = ? WHERE id = ?', teamId, at, id);
  }

  /** Whether a field team exists (a user may only join one that does). */
  async teamExists(teamId: string): Promise<boolean> {
    return (await this.store.get('SELECT 1 AS one FROM teams WHERE id = ?', teamId)) !== undefined;
  }

  async setTotpSecret(id: string, secret: string | null, at: string): Promise<void> {
    await this.store.run('UPDATE users SET totp_secret = ?, updated_at = ? WHERE id = ?', secret, at, id);
  }

  /** Every account an administrator manages (not the built-in ones), by username (case-insensitive on both stores; the id breaks no tie, usernames are unique). */
  async list(): Promise<UserRecord[]> {
    return (await this.store.all<UserRow>(`SELECT * FROM users WHERE id NOT LIKE '${BUILTIN_ACCOUNT_PREFIX}%' ORDER BY username`)).map((r) => toUser(r, this.scopeOf));
  }

  async setDisabled(id: string, disabled: boolean, at: string): Promise<void> {
    await this.store.run('UPDATE users SET disabled = ?, updated_at = ? WHERE id = ?', disabled ? 1 : 0, at, id);
  }

  async passwordHistory(id: string, depth: number): Promise<string[]> {
    return (await this.store.all<{ password_hash: string }>('SELECT password_hash FROM password_history WHERE user_id = ? ORDER BY changed_at DESC, password_hash LIMIT ?', id, depth)).map(
      (r) => r.password_hash,
    );
  }

  async setPassword(id: string, passwordHash: string, at: string): Promise<void> {
    await this.store.run('UPDATE users SET password_hash = ?, password_changed_at = ?, updated_at = ? WHERE id = ?', passwordHash, at, at, id);
    await this.store.run('INSERT INTO password_history (user_id, password_hash, changed_at) VALUES (?, ?, ?)', id, passwordHash, at);
  }

  async insertSession(s: { id: string; userId: string; at: string; expiresAt: string; sourceIp: string | null; client: string | null }): Promise<void> {
    await this.store.run(
      'INSERT INTO sessions (id, user_id, created_at, last_seen_at, expires_at, source_ip, client) VALUES (?, ?, ?, ?, ?, ?, ?)',
      s.id, s.userId, s.at, s.at, s.expiresAt, s.sourceIp, s.client,
    );
  }

  async session(id: string): Promise<SessionRecord | null> {
    const r = await this.store.get<{ id: string; user_id: string; created_at: string; last_seen_at: string; expires_at: string; revoked_at: string | null }>(
      'SELECT id, user_id, created_at, last_seen_at, expires_at, revoked_at FROM sessions WHERE id = ?',
      id,
    );
    return r ? { id: r.id, userId: r.user_id, createdAt: r.created_at, lastSeenAt: r.last_seen_at, expiresAt: r.expires_at, revokedAt: r.revoked_at } : null;
  }

  /**
   * A session and its user in one read (the check of every request and socket command: one
   * round trip, and the two rows of one snapshot); null when there is no such session.
   */
  async sessionWithUser(id: string): Promise<{ session: SessionRecord; user: UserRecord } | null> {
    const r = await this.store.get<UserRow & { s_id: string; s_created_at: string; s_last_seen_at: string; s_expires_at: string; s_revoked_at: string | null }>(
      `SELECT s.id AS s_id, s.created_at AS s_created_at, s.last_seen_at AS s_last_seen_at, s.expires_at AS s_expires_at, s.revoked_at AS s_revoked_at, u.*
       FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.id = ?`,
      id,
    );
    if (!r) return null;
    const { s_id, s_created_at, s_last_seen_at, s_expires_at, s_revoked_at, ...user } = r;
    return {
      session: { id: s_id, userId: user.id, createdAt: s_created_at, lastSeenAt: s_last_seen_at, expiresAt: s_expires_at, revokedAt: s_revoked_at },
      user: toUser(user, this.scopeOf),
    };
  }

  async touchSession(id: string, at: string): Promise<void> {
    await this.store.run('UPDATE sessions SET last_seen_at = ? WHERE id = ?', at, id);
  }

  async revokeSession(id: string, reason: string, at: string): Promise<void> {
    await this.store.run('UPDATE sessions SET revoked_at = ?, revoke_reason = ? WHERE id = ? AND revoked_at IS NULL', at, reason, id);
  }

  /** Revokes every live session of a user (but `keep`); returns their ids (sorted). */
  async revokeUserSessions(userId: string, reason: string, at: string, keep: string | null = null): Promise<string[]> {
    const rows = await this.store.all<{ id: string }>(
      'UPDATE sessions SET revoked_at = ?, revoke_reason = ? WHERE user_id = ? AND revoked_at IS NULL AND id IS DISTINCT FROM ? RETURNING id',
      at, reason, userId, keep,
    );
    return rows.map((r) => r.id).sort();
  }

  /** A key by the SHA-256 of its secret, revoked or not. */
  async apiKey(keyHash: string): Promise<ApiKeyRecord | null> {
    const r = await this.store.get<ApiKeyRow>(`SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE id = ?`, keyHash);
    return r ? toApiKey(r, this.scopeOf) : null;
  }

  async apiKeyById(keyId: string): Promise<ApiKeyRecord | null> {
    const r = await this.store.get<ApiKeyRow>(`SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE key_id = ?`, keyId);
    return r ? toApiKey(r, this.scopeOf) : null;
  }

  /** Every key (of one user), newest first; never the secret, which is not stored. */
  async listApiKeys(userId?: string): Promise<ApiKeyRecord[]> {
    const rows =
      userId === undefined
        ? await this.store.all<ApiKeyRow>(`SELECT ${API_KEY_COLUMNS} FROM api_keys ORDER BY created_at DESC, key_id`)
        : await this.store.all<ApiKeyRow>(`SELECT ${API_KEY_COLUMNS} FROM api_keys WHERE user_id = ? ORDER BY created_at DESC, key_id`, userId);
    return rows.map((r) => toApiKey(r, this.scopeOf));
  }

  async insertApiKey(k: {
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
  }): Promise<void> {
    await this.store.run(
      'INSERT INTO api_keys (id, key_id, user_id, name, roles, scope_towns, channel, expires_at, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
      k.id, k.keyId, k.userId, k.name, JSON.stringify(k.roles), scopeColumn(k.scope), k.channel, k.expiresAt, k.createdBy, k.at,
    );
  }

  /** Revokes one key; false when it was already revoked or does not exist. */
  async revokeApiKey(keyId: string, reason: string, at: string): Promise<boolean> {
    return (await this.store.run('UPDATE api_keys SET revoked_at = ?, revoke_reason = ? WHERE key_id = ? AND revoked_at IS NULL', at, reason, keyId)).changes === 1;
  }

  /** Revokes every live key of a user; returns their public ids (sorted). */
  async revokeUserApiKeys(userId: string, reason: string, at: string): Promise<string[]> {
    const rows = await this.store.all<{ key_id: string }>('UPDATE api_keys SET revoked_at = ?, revoke_reason = ? WHERE user_id = ? AND revoked_at IS NULL RETURNING key_id', at, reason, userId);
    return rows.map((r) => r.key_id).sort();
  }

  async touchApiKey(keyId: string, at: string): Promise<void> {
    await this.store.run('UPDATE api_keys SET last_used_at = ? WHERE key_id = ?', at, keyId);
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
