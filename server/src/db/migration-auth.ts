import type Database from 'better-sqlite3';

/** Users, sessions and API keys. Appended to MIGRATIONS as one version. */
export const AUTH_MIGRATION_SQL = `
  CREATE TABLE users (
    id                  TEXT PRIMARY KEY,
    username            TEXT NOT NULL UNIQUE COLLATE NOCASE,
    display_name        TEXT NOT NULL,
    password_hash       TEXT NOT NULL,
    password_changed_at TEXT NOT NULL,
    roles               TEXT NOT NULL,            -- JSON array of roles
    scope_towns         TEXT,                     -- JSON array of town ids; NULL = the county
    disabled            INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0,1)),
    failed_attempts     INTEGER NOT NULL DEFAULT 0,
    locked_until        TEXT,
    totp_secret         TEXT,
    demo                INTEGER NOT NULL DEFAULT 0 CHECK (demo IN (0,1)),
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
  ) STRICT;

  CREATE TABLE password_history (
    user_id       TEXT NOT NULL REFERENCES users(id),
    password_hash TEXT NOT NULL,
    changed_at    TEXT NOT NULL
  ) STRICT;
  CREATE INDEX password_history_user ON password_history(user_id, changed_at);

  -- a session is known by the SHA-256 of its token; the token itself is never stored
  CREATE TABLE sessions (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id),
    created_at   TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at   TEXT NOT NULL,
    revoked_at   TEXT,
    revoke_reason TEXT,
    source_ip    TEXT,
    client       TEXT
  ) STRICT;
  CREATE INDEX sessions_user ON sessions(user_id, revoked_at);

  CREATE TABLE api_keys (
    id         TEXT PRIMARY KEY,                 -- SHA-256 of the key
    user_id    TEXT NOT NULL REFERENCES users(id),
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    revoked_at TEXT
  ) STRICT;
`;

/**
 * API keys bound to what they were issued for: the roles and scope of their user at issue time
 * (a key whose user's roles or scope changed no longer opens anything), an optional expiry, a
 * public id to list and revoke them by, who issued them and when they were last used.
 * Keys issued before this migration are bound to their user's roles and scope of today.
 */
export const API_KEY_BINDING_MIGRATION_SQL = `
  ALTER TABLE api_keys ADD COLUMN key_id TEXT;
  ALTER TABLE api_keys ADD COLUMN roles TEXT;
  ALTER TABLE api_keys ADD COLUMN scope_towns TEXT;
  ALTER TABLE api_keys ADD COLUMN expires_at TEXT;
  ALTER TABLE api_keys ADD COLUMN revoke_reason TEXT;
  ALTER TABLE api_keys ADD COLUMN last_used_at TEXT;
  ALTER TABLE api_keys ADD COLUMN created_by TEXT;
  UPDATE api_keys SET
    key_id = 'ak_' || substr(id, 1, 16),
    roles = (SELECT u.roles FROM users u WHERE u.id = api_keys.user_id),
    scope_towns = (SELECT u.scope_towns FROM users u WHERE u.id = api_keys.user_id);
  CREATE UNIQUE INDEX api_keys_key_id ON api_keys(key_id);
  CREATE INDEX api_keys_user ON api_keys(user_id, revoked_at);
`;

/**
 * An API key bound to one intake channel (多网合一: each channel its own key), so a leaked
 * camera-gateway key cannot post hotline cases. NULL: an integration key for no intake channel
 * (a vehicle-tracking gateway), which the channel routes refuse.
 */
export function addApiKeyChannel(db: Database.Database): void {
  // only where it is missing: a database set back to an older version (migration tests) keeps it
  const columns = db.prepare("SELECT name FROM pragma_table_info('api_keys')").all() as Array<{ name: string }>;
  if (columns.some((c) => c.name === 'channel')) return;
  db.exec("ALTER TABLE api_keys ADD COLUMN channel TEXT CHECK (channel IN ('open311', 'video', 'hotline', 'miniprogram'))");
}
