import { PHONE_DIGITS_SQL } from './migration-search.js';
import { PUBLIC_ACCOUNT_ID } from './migration-open311.js';
import type { Store } from './store.js';

/**
 * The PostgreSQL schema (issue 15 part 3, docs/POSTGRES.md).
 *
 * SQLite reaches its schema through MIGRATIONS (migrations.ts), versions 1–21 with table rebuilds,
 * legacy renames and back-fills that only an old SQLite file needs. PostgreSQL starts at a
 * baseline instead: one script that creates what a fresh SQLite database holds at version 21,
 * recorded in `schema_version`. tests/integration/pg-schema-agreement.test.ts builds both fresh and
 * compares them column by column, index by index.
 *
 * Migration 22 on — both sides, same version, same name:
 *  1. append the SQLite migration to MIGRATIONS (migrations.ts) as today;
 *  2. append its twin to POSTGRES_MIGRATIONS below: PostgreSQL SQL (or an async `up` over the
 *     store) that makes the same change; no table rebuild is needed there (`ALTER TABLE … ALTER
 *     COLUMN / ADD CONSTRAINT`, and DDL is transactional);
 *  3. run the agreement test: it fails while the two schemas or their versions differ.
 * The baseline is never edited for a new version (a deployed PostgreSQL database is past it).
 * Migration 22 (市级交办) is the first with both sides.
 *
 * Types, by REPORT §1 of the spike: TEXT stays text (timestamps are ISO text, as on SQLite, so
 * row mapping code does not change); INTEGER is bigint (SQLite's integers are 64-bit), 0/1 flags
 * included; REAL is double precision; a column SQLite checks with json_valid is `json` (not
 * jsonb, which reorders keys and would change the audit chain's and snapshots' text), the other
 * JSON-holding TEXT columns stay text as on SQLite; an INTEGER PRIMARY KEY the application leaves
 * to the database (team_positions, alerts, hotline_imports) is an identity column, one the
 * application numbers itself (change seqs, audit seqs, catalog versions, address ids) a plain
 * bigint key; `COLLATE NOCASE` is citext. The FTS5 trigram index of the address search is a
 * pg_trgm GIN index on the same `address_search` table, queried with LIKE '%…%'. The database
 * must use the C.UTF-8 locale (checked below): pg_trgm drops every Chinese character under
 * LC_CTYPE=C, and C.UTF-8 orders text by code point, as SQLite does.
 */

/** The SQLite version the baseline matches. */
export const POSTGRES_BASELINE_VERSION = 21;

/** The phone-tail expression of migration 11 on PostgreSQL: its substr(…, -4) is the whole string there. */
export const PHONE_TAIL_SQL_POSTGRES = `right(${PHONE_DIGITS_SQL}, 4)`;

const ZERO_HASH = '0'.repeat(64);

/** The town above a micro-grid (micro-grid → grid → village → town), as in migration-addresses.ts. */
const TOWN_OF = (microGridId: string) =>
  `(SELECT v.parent_id FROM regions m JOIN regions g ON g.id = m.parent_id JOIN regions v ON v.id = g.parent_id WHERE m.id = ${microGridId})`;

/** Now as the application writes timestamps (toISOString): UTC, milliseconds, Z. */
const NOW_ISO = `to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const BASELINE_SQL = `
  CREATE EXTENSION IF NOT EXISTS pg_trgm;
  CREATE EXTENSION IF NOT EXISTS citext;

  -- the applied versions (SQLite keeps one number in PRAGMA user_version)
  CREATE TABLE schema_version (
    version    bigint PRIMARY KEY,
    name       text NOT NULL,
    applied_at text NOT NULL
  );

  CREATE TABLE meta (
    key   text PRIMARY KEY,
    value text NOT NULL
  );

  CREATE TABLE regions (
    id        text PRIMARY KEY,
    level     text NOT NULL CHECK (level IN ('province','city','county','town','village','grid','microgrid')),
    kind      text NOT NULL,
    code      text NOT NULL UNIQUE,
    name      text NOT NULL,
    parent_id text REFERENCES regions(id),
    geometry  text NOT NULL,
    label_lon double precision NOT NULL,
    label_lat double precision NOT NULL,
    min_lon   double precision NOT NULL,
    min_lat   double precision NOT NULL,
    max_lon   double precision NOT NULL,
    max_lat   double precision NOT NULL,
    area_km2  double precision NOT NULL
  );
  CREATE INDEX regions_level ON regions(level, code);
  CREATE INDEX regions_parent ON regions(parent_id);

  CREATE TABLE households (
    address_code  text PRIMARY KEY,
    micro_grid_id text NOT NULL REFERENCES regions(id),
    address       text NOT NULL,
    head_name     text NOT NULL,
    members       bigint NOT NULL,
    lon           double precision NOT NULL,
    lat           double precision NOT NULL
  );
  CREATE INDEX households_micro_grid ON households(micro_grid_id);

  CREATE TABLE workers (
    id         text PRIMARY KEY,
    name       text NOT NULL,
    gender     text NOT NULL CHECK (gender IN ('F','M')),
    birth_year bigint NOT NULL,
    education  text NOT NULL,
    phone      text NOT NULL,
    employment text NOT NULL CHECK (employment IN ('full_time','part_time')),
    grid_id    text NOT NULL REFERENCES regions(id)
  );
  CREATE INDEX workers_grid ON workers(grid_id);

  CREATE TABLE micro_grid_roster (
    micro_grid_id text NOT NULL REFERENCES regions(id),
    role          text NOT NULL CHECK (role IN ('town_cadre','medical_worker','community_police','unit_leader','unit_assistant')),
    person_id     text NOT NULL,
    name          text NOT NULL,
    phone         text NOT NULL,
    PRIMARY KEY (micro_grid_id, role)
  );

  CREATE TABLE teams (
    id             text PRIMARY KEY,
    type           text NOT NULL,
    name           text NOT NULL,
    home_region_id text NOT NULL REFERENCES regions(id),
    members        bigint NOT NULL,
    leader_name    text NOT NULL,
    leader_phone   text NOT NULL,
    status         text NOT NULL,
    lon            double precision NOT NULL,
    lat            double precision NOT NULL,
    position_at    text,
    active_at      text
  );
  CREATE INDEX teams_home ON teams(home_region_id);

  CREATE TABLE users (
    id                  text PRIMARY KEY,
    username            citext NOT NULL UNIQUE,
    display_name        text NOT NULL,
    password_hash       text NOT NULL,
    password_changed_at text NOT NULL,
    roles               text NOT NULL,
    scope_towns         text,
    disabled            bigint NOT NULL DEFAULT 0 CHECK (disabled IN (0,1)),
    failed_attempts     bigint NOT NULL DEFAULT 0,
    locked_until        text,
    totp_secret         text,
    demo                bigint NOT NULL DEFAULT 0 CHECK (demo IN (0,1)),
    created_at          text NOT NULL,
    updated_at          text NOT NULL,
    team_id             text REFERENCES teams(id)
  );

  CREATE TABLE password_history (
    user_id       text NOT NULL REFERENCES users(id),
    password_hash text NOT NULL,
    changed_at    text NOT NULL
  );
  CREATE INDEX password_history_user ON password_history(user_id, changed_at);

  CREATE TABLE sessions (
    id            text PRIMARY KEY,
    user_id       text NOT NULL REFERENCES users(id),
    created_at    text NOT NULL,
    last_seen_at  text NOT NULL,
    expires_at    text NOT NULL,
    revoked_at    text,
    revoke_reason text,
    source_ip     text,
    client        text
  );
  CREATE INDEX sessions_user ON sessions(user_id, revoked_at);

  CREATE TABLE api_keys (
    id            text PRIMARY KEY,
    user_id       text NOT NULL REFERENCES users(id),
    name          text NOT NULL,
    created_at    text NOT NULL,
    revoked_at    text,
    key_id        text,
    roles         text,
    scope_towns   text,
    expires_at    text,
    revoke_reason text,
    last_used_at  text,
    created_by    text,
    channel       text CHECK (channel IN ('open311', 'video', 'hotline', 'miniprogram'))
  );
  CREATE UNIQUE INDEX api_keys_key_id ON api_keys(key_id);
  CREATE INDEX api_keys_user ON api_keys(user_id, revoked_at);

  CREATE TABLE catalog_versions (
    version         bigint PRIMARY KEY CHECK (version > 0),
    status          text NOT NULL CHECK (status IN ('draft','active','superseded','rejected')),
    note            text NOT NULL,
    created_at      text NOT NULL,
    created_by      text,
    created_by_name text NOT NULL,
    decided_at      text,
    decided_by      text,
    decided_by_name text,
    decision_reason text,
    activated_at    text,
    referrals       json NOT NULL DEFAULT '[]'
  );
  CREATE UNIQUE INDEX catalog_versions_one_active ON catalog_versions(status) WHERE status = 'active';

  CREATE TABLE catalog_version_items (
    version bigint NOT NULL REFERENCES catalog_versions(version),
    code    text NOT NULL,
    sort    bigint NOT NULL,
    item    json NOT NULL,
    PRIMARY KEY (version, code)
  );

  CREATE TABLE events (
    id                   text PRIMARY KEY,
    seq                  bigint NOT NULL,
    item_code            text NOT NULL,
    item_name            text NOT NULL,
    category             text NOT NULL,
    catalog_version      bigint NOT NULL,
    description          text NOT NULL,
    source               text NOT NULL,
    urgency              text NOT NULL CHECK (urgency IN ('P0','P1','P2','P3')),
    status               text NOT NULL,
    lon                  double precision NOT NULL,
    lat                  double precision NOT NULL,
    address_code         text,
    address              text NOT NULL,
    micro_grid_id        text NOT NULL REFERENCES regions(id),
    grid_id              text NOT NULL REFERENCES regions(id),
    village_id           text NOT NULL REFERENCES regions(id),
    town_id              text NOT NULL REFERENCES regions(id),
    reporter_name        text NOT NULL,
    reporter_phone       text NOT NULL,
    reporter_user_id     text,
    reported_at          text NOT NULL,
    updated_at           text NOT NULL,
    step                 text CHECK (step IS NULL OR step IN ('file','dispatch','handle','verify')),
    step_started_at      text,
    warn_at              text,
    deadline_at          text,
    deadline_state       text NOT NULL DEFAULT 'ok' CHECK (deadline_state IN ('ok','warning','overdue')),
    due_at               text,
    filed_at             text,
    dispatched_at        text,
    handled_at           text,
    verified_at          text,
    closed_at            text,
    team_id              text REFERENCES teams(id),
    auto_dispatched      bigint NOT NULL DEFAULT 0 CHECK (auto_dispatched IN (0,1)),
    self_handled         bigint NOT NULL DEFAULT 0 CHECK (self_handled IN (0,1)),
    supervised           bigint NOT NULL DEFAULT 0 CHECK (supervised IN (0,1)),
    handler_user_id      text,
    verifier_user_id     text,
    rework_count         bigint NOT NULL DEFAULT 0,
    extension_count      bigint NOT NULL DEFAULT 0,
    extension_request    json,
    extension_requester  text,
    result               text,
    refusal              json,
    duplicate_candidates json NOT NULL DEFAULT '[]',
    master_id            text REFERENCES events(id),
    master_status        text
  );
  CREATE INDEX events_reported ON events(reported_at);
  CREATE INDEX events_status ON events(status, reported_at);
  CREATE INDEX events_town ON events(town_id, reported_at);
  CREATE INDEX events_due ON events(due_at);
  CREATE INDEX events_item ON events(item_code, reported_at);
  CREATE INDEX events_team ON events(team_id, status);
  CREATE INDEX events_master ON events(master_id);
  CREATE INDEX events_deadline ON events(deadline_at) WHERE deadline_at IS NOT NULL;
  CREATE INDEX events_reporter_phone_tail ON events(${PHONE_TAIL_SQL_POSTGRES});
  CREATE INDEX events_filed ON events(filed_at, town_id) WHERE filed_at IS NOT NULL;
  CREATE INDEX events_dispatched ON events(dispatched_at, town_id) WHERE dispatched_at IS NOT NULL;
  CREATE INDEX events_closed ON events(closed_at, town_id) WHERE closed_at IS NOT NULL;
  CREATE INDEX events_source_reported ON events(source, reported_at);
  CREATE INDEX events_address_code ON events(address_code) WHERE address_code IS NOT NULL;
  CREATE INDEX events_item_lat ON events(item_code, lat);
  CREATE INDEX events_item_micro_grid ON events(item_code, micro_grid_id);

  CREATE TABLE event_changes (
    seq      bigint PRIMARY KEY,
    event_id text NOT NULL REFERENCES events(id),
    kind     text NOT NULL,
    at       text NOT NULL,
    snapshot text NOT NULL
  );
  CREATE INDEX event_changes_event ON event_changes(event_id, seq);
  CREATE INDEX event_changes_at ON event_changes(at);

  CREATE TABLE idempotency_keys (
    key          text PRIMARY KEY,
    request_hash text NOT NULL,
    event_id     text NOT NULL REFERENCES events(id),
    created_at   text NOT NULL
  );

  CREATE TABLE event_actions (
    seq          bigint PRIMARY KEY REFERENCES event_changes(seq),
    event_id     text NOT NULL REFERENCES events(id),
    action       text NOT NULL,
    from_status  text,
    to_status    text NOT NULL,
    at           text NOT NULL,
    user_id      text,
    username     text,
    display_name text,
    role         text,
    team_id      text,
    auto         bigint NOT NULL DEFAULT 0 CHECK (auto IN (0,1)),
    note         text,
    position     json,
    attachments  json NOT NULL DEFAULT '[]',
    details      json NOT NULL DEFAULT '{}'
  );
  CREATE INDEX event_actions_event ON event_actions(event_id, seq);
  CREATE INDEX event_actions_user ON event_actions(user_id, action);

  CREATE TABLE settings (
    key        text PRIMARY KEY,
    value      json NOT NULL,
    updated_at text NOT NULL,
    updated_by text
  );

  -- The audit trail (GB/T 22239-2019 level 3), append-only and hash-chained as on SQLite (migration 2).
  CREATE TABLE audit_log (
    seq         bigint PRIMARY KEY CHECK (seq > 0),
    at          text NOT NULL CHECK (at ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{3}Z$'),
    user_id     text,
    username    text,
    role        text,
    action      text NOT NULL,
    object_type text,
    object_id   text,
    result      text NOT NULL CHECK (result IN ('success','failure','denied')),
    reason      text,
    source_ip   text,
    client      text,
    details     json,
    prev_hash   text NOT NULL CHECK (length(prev_hash) = 64),
    hash        text NOT NULL CHECK (length(hash) = 64)
  );
  CREATE INDEX audit_log_at ON audit_log(at);
  CREATE INDEX audit_log_user_id ON audit_log(user_id, seq);
  CREATE INDEX audit_log_username ON audit_log(username, seq);
  CREATE INDEX audit_log_action ON audit_log(action, seq);
  CREATE INDEX audit_log_object ON audit_log(object_id, seq);

  CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
  END $$;
  CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
  CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
  -- TRUNCATE fires no row trigger: SQLite has no TRUNCATE, PostgreSQL needs its own refusal
  CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();
  -- A new record must extend the chain: the next seq, linked to the last hash. ON CONFLICT DO
  -- UPDATE takes the update path and meets audit_log_no_update.
  CREATE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    IF NEW.seq IS DISTINCT FROM (SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_log)
       OR NEW.prev_hash IS DISTINCT FROM COALESCE((SELECT hash FROM audit_log WHERE seq = NEW.seq - 1), '${ZERO_HASH}') THEN
      RAISE EXCEPTION 'audit_log: a record must extend the chain';
    END IF;
    RETURN NEW;
  END $$;
  CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_log_chain();

  CREATE TABLE team_positions (
    id          bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    team_id     text NOT NULL REFERENCES teams(id),
    lon         double precision NOT NULL CHECK (lon BETWEEN -180 AND 180),
    lat         double precision NOT NULL CHECK (lat BETWEEN -90 AND 90),
    accuracy    double precision CHECK (accuracy IS NULL OR accuracy >= 0),
    at          text NOT NULL,
    received_at text NOT NULL,
    user_id     text
  );
  CREATE INDEX team_positions_team_at ON team_positions(team_id, at);

  CREATE TABLE alerts (
    id             bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    kind           text NOT NULL CHECK (kind IN ('urgent_event','near_deadline','overdue','task_returned','team_silent')),
    severity       text NOT NULL CHECK (severity IN ('critical','warning','notice')),
    event_id       text REFERENCES events(id),
    team_id        text REFERENCES teams(id),
    town_id        text REFERENCES regions(id),
    raised_at      text NOT NULL,
    message_params json NOT NULL DEFAULT '{}',
    cause_key      text,
    acked_at       text,
    acked_by       text REFERENCES users(id),
    ack_note       text,
    cleared_at     text,
    cleared_reason text CHECK (cleared_reason IN (
      'case_closed','case_voided','case_merged','case_rejected','case_not_admitted','accepted',
      'step_moved','extended','now_overdue','dispatched','team_seen','team_free','rule_changed')),
    CHECK ((acked_at IS NULL) = (acked_by IS NULL)),
    CHECK ((cleared_at IS NULL) = (cleared_reason IS NULL))
  );
  CREATE UNIQUE INDEX alerts_cause ON alerts(cause_key) WHERE cause_key IS NOT NULL;
  CREATE INDEX alerts_open ON alerts(raised_at) WHERE acked_at IS NULL AND cleared_at IS NULL;
  CREATE INDEX alerts_town ON alerts(town_id, raised_at);
  CREATE INDEX alerts_team ON alerts(team_id, kind, raised_at);
  CREATE INDEX alerts_event ON alerts(event_id, kind);

  CREATE TABLE attachments (
    id           text PRIMARY KEY,
    sha256       text NOT NULL CHECK (length(sha256) = 64),
    type         text NOT NULL CHECK (type IN ('image/jpeg','image/png','image/webp')),
    size         bigint NOT NULL CHECK (size > 0),
    name         text NOT NULL,
    width        bigint NOT NULL CHECK (width > 0),
    height       bigint NOT NULL CHECK (height > 0),
    created_at   text NOT NULL,
    created_by   text NOT NULL REFERENCES users(id),
    thumb_sha256 text NOT NULL CHECK (length(thumb_sha256) = 64)
  );
  CREATE INDEX attachments_creator ON attachments(created_by, sha256);

  CREATE TABLE event_attachments (
    attachment_id text NOT NULL REFERENCES attachments(id),
    event_id      text NOT NULL REFERENCES events(id),
    seq           bigint NOT NULL REFERENCES event_changes(seq),
    PRIMARY KEY (attachment_id, event_id, seq)
  );
  CREATE INDEX event_attachments_event ON event_attachments(event_id, attachment_id);

  CREATE TABLE action_idempotency (
    key          text PRIMARY KEY,
    request_hash text NOT NULL,
    event_id     text NOT NULL REFERENCES events(id),
    user_id      text NOT NULL,
    seq          bigint NOT NULL REFERENCES event_changes(seq),
    response     json NOT NULL,
    created_at   text NOT NULL
  );

  CREATE TABLE event_id_counters (
    day  text PRIMARY KEY CHECK (day ~ '^[0-9]{8}$'),
    last bigint NOT NULL CHECK (last >= 0)
  );

  CREATE TABLE public_requests (
    token       text PRIMARY KEY,
    event_id    text NOT NULL UNIQUE REFERENCES events(id),
    channel     text NOT NULL CHECK (channel IN ('open311','resident')),
    api_key_id  text,
    client_data text NOT NULL DEFAULT '{}',
    created_at  text NOT NULL
  );

  CREATE TABLE cameras (
    id            text PRIMARY KEY,
    name          text NOT NULL,
    lon           double precision NOT NULL,
    lat           double precision NOT NULL,
    micro_grid_id text NOT NULL REFERENCES regions(id),
    created_at    text NOT NULL
  );

  CREATE TABLE video_alert_mappings (
    alert_type     text PRIMARY KEY,
    item_code      text NOT NULL,
    urgency        text CHECK (urgency IN ('P0','P1','P2','P3')),
    min_confidence double precision NOT NULL CHECK (min_confidence BETWEEN 0 AND 1),
    label          text NOT NULL,
    updated_at     text NOT NULL
  );

  CREATE TABLE hotline_category_mappings (
    category_text text PRIMARY KEY,
    item_code     text NOT NULL,
    urgency       text CHECK (urgency IN ('P0','P1','P2','P3')),
    updated_at    text NOT NULL
  );

  CREATE TABLE triage_items (
    id              text PRIMARY KEY,
    channel         text NOT NULL,
    channel_id      text NOT NULL,
    status          text NOT NULL CHECK (status IN ('pending','resolved','dismissed')),
    reasons         text NOT NULL,
    suggestions     text NOT NULL,
    body            text NOT NULL,
    item_text       text NOT NULL,
    description     text NOT NULL,
    address         text,
    caller_name     text,
    caller_phone    text,
    lon             double precision,
    lat             double precision,
    address_code    text,
    town_id         text,
    reporter_id     text NOT NULL,
    received_at     text NOT NULL,
    event_id        text REFERENCES events(id),
    decided_at      text,
    decided_by      text,
    decided_by_name text,
    dismiss_reason  text,
    UNIQUE (channel, channel_id)
  );
  CREATE INDEX triage_items_status ON triage_items(status, received_at);

  CREATE TABLE channel_receipts (
    channel      text NOT NULL,
    channel_id   text NOT NULL,
    request_hash text NOT NULL,
    event_id     text REFERENCES events(id),
    triage_id    text REFERENCES triage_items(id),
    created_at   text NOT NULL,
    PRIMARY KEY (channel, channel_id)
  );
  CREATE INDEX channel_receipts_event ON channel_receipts(event_id) WHERE event_id IS NOT NULL;

  -- Unified address search (migration 16). The id is the rank (the address's length in the high
  -- 32 bits, a running number below), kept by the triggers; the text index is pg_trgm's instead
  -- of FTS5's trigram table, and serves the same LIKE '%…%' (one- and two-character terms scan
  -- in id order, as on SQLite).
  CREATE TABLE address_search (
    id      bigint PRIMARY KEY,
    code    text NOT NULL UNIQUE,
    address text NOT NULL,
    town_id text
  );
  CREATE INDEX address_search_town ON address_search(town_id);
  CREATE INDEX address_search_trgm ON address_search USING gin (address gin_trgm_ops);

  -- households → address_search. Like SQLite's triggers, the next running number of a length is
  -- read as MAX + 1: one writer of households at a time (the seeder, the GIS and roster import).
  CREATE FUNCTION address_search_add(p_code text, p_address text, p_micro_grid_id text) RETURNS void LANGUAGE sql AS $$
    INSERT INTO address_search (id, code, address, town_id) VALUES (
      COALESCE((SELECT max(id) FROM address_search
                 WHERE id >= (length(p_address)::bigint << 32) AND id < ((length(p_address)::bigint + 1) << 32)),
               length(p_address)::bigint << 32) + 1,
      p_code, p_address, ${TOWN_OF('p_micro_grid_id')});
  $$;
  CREATE FUNCTION households_address_insert() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    PERFORM address_search_add(NEW.address_code, NEW.address, NEW.micro_grid_id);
    RETURN NULL;
  END $$;
  CREATE TRIGGER households_address_insert AFTER INSERT ON households FOR EACH ROW EXECUTE FUNCTION households_address_insert();
  CREATE FUNCTION households_address_delete() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    DELETE FROM address_search WHERE code = OLD.address_code;
    RETURN NULL;
  END $$;
  CREATE TRIGGER households_address_delete AFTER DELETE ON households FOR EACH ROW EXECUTE FUNCTION households_address_delete();
  CREATE FUNCTION households_address_update() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    DELETE FROM address_search WHERE code = OLD.address_code;
    PERFORM address_search_add(NEW.address_code, NEW.address, NEW.micro_grid_id);
    RETURN NULL;
  END $$;
  CREATE TRIGGER households_address_update AFTER UPDATE OF address_code, address ON households FOR EACH ROW EXECUTE FUNCTION households_address_update();
  CREATE FUNCTION households_address_town() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    UPDATE address_search SET town_id = ${TOWN_OF('NEW.micro_grid_id')} WHERE code = NEW.address_code;
    RETURN NULL;
  END $$;
  CREATE TRIGGER households_address_town AFTER UPDATE OF micro_grid_id ON households FOR EACH ROW EXECUTE FUNCTION households_address_town();
  -- a micro-grid, grid or village moved under another parent (a GIS import): its households' town
  CREATE FUNCTION regions_address_town() RETURNS trigger LANGUAGE plpgsql AS $$
  BEGIN
    UPDATE address_search
       SET town_id = (SELECT ${TOWN_OF('h.micro_grid_id')} FROM households h WHERE h.address_code = address_search.code)
     WHERE code IN (
       SELECT address_code FROM households WHERE micro_grid_id IN (
         SELECT NEW.id WHERE NEW.level = 'microgrid'
         UNION ALL SELECT id FROM regions WHERE parent_id = NEW.id AND NEW.level = 'grid'
         UNION ALL SELECT m.id FROM regions g JOIN regions m ON m.parent_id = g.id WHERE g.parent_id = NEW.id AND NEW.level = 'village'));
    RETURN NULL;
  END $$;
  CREATE TRIGGER regions_address_town AFTER UPDATE OF parent_id ON regions FOR EACH ROW
    WHEN (OLD.parent_id IS DISTINCT FROM NEW.parent_id) EXECUTE FUNCTION regions_address_town();

  CREATE TABLE hotline_imports (
    id           bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
    mode         text NOT NULL CHECK (mode IN ('file','row')),
    dry_run      bigint NOT NULL CHECK (dry_run IN (0,1)),
    status       text NOT NULL CHECK (status IN ('running','preview','written','refused','partial','interrupted')),
    file         text NOT NULL,
    user_id      text NOT NULL,
    display_name text NOT NULL,
    started_at   text NOT NULL,
    finished_at  text,
    totals       text NOT NULL,
    rows         text NOT NULL
  );
  CREATE INDEX hotline_imports_started ON hotline_imports(started_at);

  -- the built-in account of the resident page (migration 14, migration-open311.ts)
  INSERT INTO users (id, username, display_name, password_hash, password_changed_at, roles, scope_towns, disabled, demo, created_at, updated_at)
  VALUES ('${PUBLIC_ACCOUNT_ID}', '${PUBLIC_ACCOUNT_ID}', '群众自助上报（内置账号）', '!no-login', ${NOW_ISO}, '["integration"]', NULL, 1, 0, ${NOW_ISO}, ${NOW_ISO});
`;

/** A PostgreSQL migration after the baseline: the twin of the SQLite migration of the same version. */
export interface PostgresMigration {
  version: number;
  name: string;
  sql?: string;
  up?: (store: Store) => Promise<void>;
}

/** Versions after POSTGRES_BASELINE_VERSION, in order; see the header for how to add one. */
export const POSTGRES_MIGRATIONS: PostgresMigration[] = [
  {
    version: 22,
    name: '市级交办: cases a city assigns down to a county, their outcome, alerts to the city',
    // migration-assignments.ts; alerts.kind's CHECK is altered in place (SQLite rebuilds the table)
    sql: `
      CREATE TABLE event_assignments (
        event_id       text PRIMARY KEY REFERENCES events(id),
        by_region_id   text NOT NULL REFERENCES regions(id),
        by_region_name text NOT NULL,
        county_id      text NOT NULL REFERENCES regions(id),
        by_user_id     text REFERENCES users(id),
        by_user_name   text NOT NULL,
        assigned_at    text NOT NULL,
        due_at         text NOT NULL,
        note           text,
        reported_at    text,
        outcome        json,
        CHECK ((reported_at IS NULL) = (outcome IS NULL))
      );
      CREATE INDEX event_assignments_by_region ON event_assignments(by_region_id, assigned_at);

      ALTER TABLE alerts ADD COLUMN region_id text REFERENCES regions(id);
      ALTER TABLE alerts DROP CONSTRAINT alerts_kind_check,
        ADD CONSTRAINT alerts_kind_check CHECK (kind IN ('urgent_event','near_deadline','overdue','task_returned','team_silent','assignment_reported'));
      CREATE INDEX alerts_region ON alerts(region_id, raised_at) WHERE region_id IS NOT NULL;
    `,
  },
  {
    version: 23,
    name: 'several server nodes: the lease of the node that runs the timed duties',
    sql: `
      CREATE TABLE node_leases (
        name        text PRIMARY KEY,
        holder      text NOT NULL,
        acquired_at text NOT NULL,
        renewed_at  text NOT NULL,
        expires_at  text NOT NULL
      );
    `,
  },
  {
    version: 24,
    name: 'a county server forwards its cases to the city: where each county stands, and its case ids',
    sql: `
      CREATE TABLE forward_sources (
        source_id  text PRIMARY KEY REFERENCES regions(id),
        last_seq   bigint NOT NULL CHECK (last_seq >= 0),
        updated_at text NOT NULL
      );
      CREATE TABLE forwarded_events (
        source_id       text NOT NULL REFERENCES forward_sources(source_id),
        source_event_id text NOT NULL,
        event_id        text NOT NULL UNIQUE REFERENCES events(id),
        PRIMARY KEY (source_id, source_event_id)
      );
    `,
  },
  {
    version: 25,
    name: 'the grid workforce (队伍建设): worker records, micro-grids served, patrol positions by worker; grid deliberation days (网格议事日)',
    // migration-workforce.ts
    sql: `
      ALTER TABLE workers ADD COLUMN grade bigint NOT NULL DEFAULT 1 CHECK (grade BETWEEN 1 AND 5);
      ALTER TABLE workers ADD COLUMN status text NOT NULL DEFAULT 'active' CHECK (status IN ('active','on_leave','left'));
      ALTER TABLE workers ADD COLUMN started_on text;
      ALTER TABLE workers ADD COLUMN left_on text;
      ALTER TABLE workers ADD COLUMN team_id text REFERENCES teams(id);
      ALTER TABLE workers ADD COLUMN user_id text REFERENCES users(id);
      ALTER TABLE workers ADD COLUMN updated_at text;
      CREATE UNIQUE INDEX workers_user ON workers(user_id) WHERE user_id IS NOT NULL;

      CREATE TABLE worker_micro_grids (
        worker_id     text NOT NULL REFERENCES workers(id),
        micro_grid_id text NOT NULL REFERENCES regions(id),
        PRIMARY KEY (worker_id, micro_grid_id)
      );
      CREATE INDEX worker_micro_grids_micro ON worker_micro_grids(micro_grid_id);

      ALTER TABLE team_positions ADD COLUMN worker_id text REFERENCES workers(id);
      CREATE INDEX team_positions_worker_at ON team_positions(worker_id, at) WHERE worker_id IS NOT NULL;

      CREATE TABLE deliberation_meetings (
        id           text PRIMARY KEY,
        grid_id      text NOT NULL REFERENCES regions(id),
        town_id      text NOT NULL REFERENCES regions(id),
        held_on      text NOT NULL,
        place        text NOT NULL,
        host         text NOT NULL,
        participants text NOT NULL,
        agenda       text NOT NULL,
        decisions    text NOT NULL,
        notice       text,
        published_at text,
        created_by   text NOT NULL REFERENCES users(id),
        created_at   text NOT NULL,
        updated_at   text NOT NULL,
        CHECK ((notice IS NULL) = (published_at IS NULL))
      );
      CREATE INDEX deliberation_meetings_grid ON deliberation_meetings(grid_id, held_on);
      CREATE INDEX deliberation_meetings_town ON deliberation_meetings(town_id, held_on);

      CREATE TABLE deliberation_tasks (
        meeting_id text NOT NULL REFERENCES deliberation_meetings(id),
        seq        bigint NOT NULL CHECK (seq >= 1),
        title      text NOT NULL,
        event_id   text NOT NULL UNIQUE REFERENCES events(id),
        created_at text NOT NULL,
        PRIMARY KEY (meeting_id, seq)
      );
      CREATE TABLE training_courses (
        id         text PRIMARY KEY,
        subject    text NOT NULL CHECK (subject IN ('party_building','policy_law','business','ethics','system_operation','general_quality')),
        title      text NOT NULL,
        hours      double precision NOT NULL CHECK (hours > 0 AND hours <= 100),
        created_by text NOT NULL REFERENCES users(id),
        created_at text NOT NULL
      );

      CREATE TABLE training_sessions (
        id         text PRIMARY KEY,
        course_id  text NOT NULL REFERENCES training_courses(id),
        mode       text NOT NULL CHECK (mode IN ('online','offline')),
        town_id    text REFERENCES regions(id),
        held_on    text NOT NULL,
        place      text NOT NULL,
        trainer    text NOT NULL,
        hours      double precision NOT NULL CHECK (hours > 0 AND hours <= 100),
        created_by text NOT NULL REFERENCES users(id),
        created_at text NOT NULL
      );
      CREATE INDEX training_sessions_held ON training_sessions(held_on);

      CREATE TABLE training_attendance (
        session_id  text NOT NULL REFERENCES training_sessions(id),
        worker_id   text NOT NULL REFERENCES workers(id),
        hours       double precision NOT NULL CHECK (hours >= 0 AND hours <= 100),
        passed      bigint CHECK (passed IS NULL OR passed IN (0,1)),
        recorded_by text NOT NULL REFERENCES users(id),
        recorded_at text NOT NULL,
        PRIMARY KEY (session_id, worker_id)
      );
      CREATE INDEX training_attendance_worker ON training_attendance(worker_id);

      CREATE TABLE worker_certificates (
        id         text PRIMARY KEY,
        worker_id  text NOT NULL REFERENCES workers(id),
        title      text NOT NULL,
        number     text NOT NULL,
        issued_on  text NOT NULL,
        session_id text REFERENCES training_sessions(id),
        created_by text NOT NULL REFERENCES users(id),
        created_at text NOT NULL
      );
      CREATE INDEX worker_certificates_worker ON worker_certificates(worker_id);
      CREATE TABLE assessment_periods (
        id          text PRIMARY KEY,
        starts_on   text NOT NULL,
        ends_on     text NOT NULL,
        status      text NOT NULL CHECK (status IN ('open','closed')),
        weights     text NOT NULL,
        created_by  text NOT NULL REFERENCES users(id),
        created_at  text NOT NULL,
        closed_by   text REFERENCES users(id),
        closed_at   text,
        CHECK (starts_on <= ends_on),
        CHECK ((status = 'closed') = (closed_at IS NOT NULL))
      );

      CREATE TABLE assessment_reviews (
        period_id    text NOT NULL REFERENCES assessment_periods(id),
        worker_id    text NOT NULL REFERENCES workers(id),
        de           double precision NOT NULL CHECK (de BETWEEN 0 AND 100),
        neng         double precision NOT NULL CHECK (neng BETWEEN 0 AND 100),
        comment      text NOT NULL,
        reviewer_id  text NOT NULL REFERENCES users(id),
        reviewed_at  text NOT NULL,
        PRIMARY KEY (period_id, worker_id)
      );

      CREATE TABLE assessment_results (
        period_id   text NOT NULL REFERENCES assessment_periods(id),
        worker_id   text NOT NULL REFERENCES workers(id),
        town_id     text NOT NULL REFERENCES regions(id),
        qin         double precision NOT NULL,
        ji          double precision NOT NULL,
        de          double precision,
        neng        double precision,
        total       double precision,
        rank_town   bigint,
        rank_county bigint,
        rating      text CHECK (rating IS NULL OR rating IN ('excellent','good','pass','fail')),
        figures     text NOT NULL,
        PRIMARY KEY (period_id, worker_id)
      );

      CREATE TABLE assessment_decisions (
        period_id   text NOT NULL REFERENCES assessment_periods(id),
        worker_id   text NOT NULL REFERENCES workers(id),
        list        text NOT NULL CHECK (list IN ('reward','exit_review')),
        proposed_by text NOT NULL REFERENCES users(id),
        proposed_at text NOT NULL,
        proposal    text NOT NULL,
        decided_by  text REFERENCES users(id),
        decided_at  text,
        decision    text CHECK (decision IS NULL OR decision IN ('approved','rejected')),
        reason      text,
        PRIMARY KEY (period_id, worker_id, list),
        CHECK ((decided_at IS NULL) = (decision IS NULL) AND (decided_at IS NULL) = (reason IS NULL) AND (decided_at IS NULL) = (decided_by IS NULL)),
        CHECK (decided_by IS NULL OR decided_by <> proposed_by)
      );
    `,
  },
];

/** The last version this code brings a PostgreSQL database to. */
export const POSTGRES_SCHEMA_VERSION = POSTGRES_MIGRATIONS.at(-1)?.version ?? POSTGRES_BASELINE_VERSION;

/** One key for every node's migration: two nodes started together apply the schema once. */
const MIGRATION_LOCK_KEY = 0x6772_6964; // 'grid'

/** Locales under which a database orders and indexes text as the server expects (see the header). */
const BYTE_ORDER_COLLATIONS = new Set(['C', 'POSIX', 'C.UTF-8', 'C.utf8']);
const UTF8_CTYPES = new Set(['C.UTF-8', 'C.utf8']);

async function checkLocale(store: Store): Promise<void> {
  const db = await store.get<{ encoding: string; collate: string; ctype: string }>(
    'SELECT pg_encoding_to_char(encoding) AS encoding, datcollate AS collate, datctype AS ctype FROM pg_database WHERE datname = current_database()',
  );
  if (!db || db.encoding !== 'UTF8' || !BYTE_ORDER_COLLATIONS.has(db.collate) || !UTF8_CTYPES.has(db.ctype)) {
    throw new Error(
      `PostgreSQL database has encoding ${db?.encoding}, LC_COLLATE ${db?.collate}, LC_CTYPE ${db?.ctype}; GridCommand needs UTF8 with C.UTF-8 ` +
        "(address search drops Chinese characters otherwise, and text must sort by code point): CREATE DATABASE … TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8', or initdb --locale=C.UTF-8",
    );
  }
}

/** The version recorded in `schema_version`, or null where the table does not exist. */
export async function postgresSchemaVersion(store: Store): Promise<number | null> {
  const table = await store.get<{ name: string | null }>("SELECT to_regclass('schema_version')::text AS name");
  if (!table?.name) return null;
  const row = await store.get<{ version: number | null }>('SELECT MAX(version) AS version FROM schema_version');
  return row?.version ?? null;
}

/**
 * Brings a PostgreSQL database up to POSTGRES_SCHEMA_VERSION in one transaction: the baseline on
 * an empty database, then each later migration; a no-op on a current one. Refuses a database that
 * has tables but no schema_version (not GridCommand's, or not empty), and one at a later version
 * than this code knows (a newer server migrated it). Returns the version.
 */
export async function migratePostgres(store: Store): Promise<number> {
  if (store.dialect !== 'postgres') throw new Error('migratePostgres: the store is not PostgreSQL (SQLite migrates in openDatabase)');
  await checkLocale(store);
  return store.inTransaction(async () => {
    await store.get('SELECT pg_advisory_xact_lock(?)', MIGRATION_LOCK_KEY);
    let current = await postgresSchemaVersion(store);
    if (current === null) {
      const other = await store.get<{ n: number }>("SELECT COUNT(*) AS n FROM pg_tables WHERE schemaname = current_schema()");
      if ((other?.n ?? 0) > 0) throw new Error('migratePostgres: the database has tables but no schema_version: give GridCommand an empty database');
      await store.exec(BASELINE_SQL);
      await store.run('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)', POSTGRES_BASELINE_VERSION, 'baseline: the SQLite schema at version 21', new Date().toISOString());
      current = POSTGRES_BASELINE_VERSION;
    }
    if (current > POSTGRES_SCHEMA_VERSION) {
      throw new Error(`migratePostgres: the database is at version ${current}, newer than this server's ${POSTGRES_SCHEMA_VERSION}`);
    }
    for (const m of POSTGRES_MIGRATIONS) {
      if (m.version <= current) continue;
      if (m.sql) await store.exec(m.sql);
      await m.up?.(store);
      await store.run('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)', m.version, m.name, new Date().toISOString());
      current = m.version;
    }
    return current;
  });
}
