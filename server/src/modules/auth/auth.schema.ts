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
