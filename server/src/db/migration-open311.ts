/**
 * Public requests (Open311 GeoReport v2 and the resident page `/report`) and the account the
 * anonymous resident channel acts as.
 *
 * `public_requests`: one tracking token per accepted request. The token is a read-only key to the
 * public status of one report (which holds nothing personal), so it is stored as issued: a retry
 * of the same request must answer the same token. `client_data` keeps what an Open311 client sent
 * beyond the case itself (account_id, email, device_id, media_url, attributes) for the staff; it
 * is never shown publicly.
 *
 * The built-in account `builtin-public-reports` (integration role, the whole county): the resident page
 * has no login, yet every case, photo upload and audit record needs a user. It can never log in
 * (its password hash verifies nothing) and is disabled, so no session or API key of it opens
 * anything; intake and uploads act as it in-process.
 *
 * IF NOT EXISTS / OR IGNORE: a database set back to an older version to test a migration keeps them.
 */
export const PUBLIC_ACCOUNT_ID = 'builtin-public-reports';

export const OPEN311_MIGRATION_SQL = `
  CREATE TABLE IF NOT EXISTS public_requests (
    token       TEXT PRIMARY KEY,
    event_id    TEXT NOT NULL UNIQUE REFERENCES events(id),
    channel     TEXT NOT NULL CHECK (channel IN ('open311','resident')),
    api_key_id  TEXT,
    client_data TEXT NOT NULL DEFAULT '{}',
    created_at  TEXT NOT NULL
  ) STRICT;

  -- The public list (GET /open311/v2/requests) reads residents' reports by the time they came in.
  CREATE INDEX IF NOT EXISTS events_source_reported ON events(source, reported_at);

  -- The servicerequestupdates extension reads the change log by time (start_date … end_date).
  CREATE INDEX IF NOT EXISTS event_changes_at ON event_changes(at);

  INSERT OR IGNORE INTO users (id, username, display_name, password_hash, password_changed_at, roles, scope_towns, disabled, demo, created_at, updated_at)
  VALUES ('${PUBLIC_ACCOUNT_ID}', '${PUBLIC_ACCOUNT_ID}', '群众自助上报（内置账号）', '!no-login', strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), '["integration"]', NULL, 1, 0,
          strftime('%Y-%m-%dT%H:%M:%fZ', 'now'), strftime('%Y-%m-%dT%H:%M:%fZ', 'now'));
`;
