import type Database from 'better-sqlite3';
import { ADDRESSES_MIGRATION_SQL } from './migration-addresses.js';
import { ALERTS_CLEARING_SQL } from './migration-alerts.js';
import { addAssignments } from './migration-assignments.js';
import { addApiKeyChannel, API_KEY_BINDING_MIGRATION_SQL, AUTH_MIGRATION_SQL } from './migration-auth.js';
import { migrateClosedLoop } from './migration-closed-loop.js';
import { CHANNELS_MIGRATION_SQL } from './migration-channels.js';
import { OPEN311_MIGRATION_SQL } from './migration-open311.js';
import { HOTLINE_IMPORT_MIGRATION_SQL } from './migration-hotline-import.js';
import { SEARCH_MIGRATION_SQL } from './migration-search.js';
import { addWorkforce } from './migration-workforce.js';

/**
 * Schema migrations, applied in order inside one transaction each; `PRAGMA user_version`
 * records the last one applied. Append new migrations; never edit a released one.
 */
export interface Migration {
  version: number;
  name: string;
  /** Plain SQL, or a function for migrations that carry data over. */
  sql?: string;
  up?: (db: Database.Database) => void;
  /**
   * Rebuilds a table: run with foreign keys off (SQLite's documented procedure), checking
   * them before commit.
   */
  rebuildsTables?: boolean;
}

export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    name: 'county, people, catalog, events and the change log',
    sql: `
      CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
      ) STRICT;

      -- county, towns, villages, grids and micro-grids; geometry is a GeoJSON Polygon
      CREATE TABLE regions (
        id         TEXT PRIMARY KEY,
        level      TEXT NOT NULL CHECK (level IN ('county','town','village','grid','microgrid')),
        kind       TEXT NOT NULL,
        code       TEXT NOT NULL UNIQUE,
        name       TEXT NOT NULL,
        parent_id  TEXT REFERENCES regions(id),
        geometry   TEXT NOT NULL,
        label_lon  REAL NOT NULL,
        label_lat  REAL NOT NULL,
        min_lon    REAL NOT NULL,
        min_lat    REAL NOT NULL,
        max_lon    REAL NOT NULL,
        max_lat    REAL NOT NULL,
        area_km2   REAL NOT NULL
      ) STRICT;
      CREATE INDEX regions_level ON regions(level, code);
      CREATE INDEX regions_parent ON regions(parent_id);

      -- households and their unified address (统一地址)
      CREATE TABLE households (
        address_code  TEXT PRIMARY KEY,
        micro_grid_id TEXT NOT NULL REFERENCES regions(id),
        address       TEXT NOT NULL,
        head_name     TEXT NOT NULL,
        members       INTEGER NOT NULL,
        lon           REAL NOT NULL,
        lat           REAL NOT NULL
      ) STRICT;
      CREATE INDEX households_micro_grid ON households(micro_grid_id);

      -- grid workers (网格员)
      CREATE TABLE workers (
        id          TEXT PRIMARY KEY,
        name        TEXT NOT NULL,
        gender      TEXT NOT NULL CHECK (gender IN ('F','M')),
        birth_year  INTEGER NOT NULL,
        education   TEXT NOT NULL,
        phone       TEXT NOT NULL,
        employment  TEXT NOT NULL CHECK (employment IN ('full_time','part_time')),
        grid_id     TEXT NOT NULL REFERENCES regions(id)
      ) STRICT;
      CREATE INDEX workers_grid ON workers(grid_id);

      -- "5包1": five people per micro-grid
      CREATE TABLE micro_grid_roster (
        micro_grid_id TEXT NOT NULL REFERENCES regions(id),
        role          TEXT NOT NULL CHECK (role IN ('town_cadre','medical_worker','community_police','unit_leader','unit_assistant')),
        person_id     TEXT NOT NULL,
        name          TEXT NOT NULL,
        phone         TEXT NOT NULL,
        PRIMARY KEY (micro_grid_id, role)
      ) STRICT;

      -- field teams ("hands", 手脚)
      CREATE TABLE teams (
        id             TEXT PRIMARY KEY,
        type           TEXT NOT NULL,
        name           TEXT NOT NULL,
        home_region_id TEXT NOT NULL REFERENCES regions(id),
        members        INTEGER NOT NULL,
        leader_name    TEXT NOT NULL,
        leader_phone   TEXT NOT NULL,
        status         TEXT NOT NULL,
        lon            REAL NOT NULL,
        lat            REAL NOT NULL
      ) STRICT;
      CREATE INDEX teams_home ON teams(home_region_id);

      -- admitted items (入格事项); the closed-loop issue adds versions
      CREATE TABLE catalog_items (
        code             TEXT PRIMARY KEY,
        name             TEXT NOT NULL,
        name_en          TEXT NOT NULL,
        category         TEXT NOT NULL,
        category_name    TEXT NOT NULL,
        category_name_en TEXT NOT NULL,
        department       TEXT NOT NULL,
        team_type        TEXT NOT NULL,
        default_urgency  TEXT NOT NULL CHECK (default_urgency IN ('P0','P1','P2','P3')),
        self_handle      INTEGER NOT NULL CHECK (self_handle IN (0,1)),
        handle_limit     INTEGER NOT NULL,
        handle_unit      TEXT NOT NULL CHECK (handle_unit IN ('minutes','work_hours','work_days','days')),
        sort             INTEGER NOT NULL
      ) STRICT;

      CREATE TABLE events (
        id             TEXT PRIMARY KEY,
        seq            INTEGER NOT NULL,
        item_code      TEXT NOT NULL REFERENCES catalog_items(code),
        description    TEXT NOT NULL,
        source         TEXT NOT NULL,
        urgency        TEXT NOT NULL CHECK (urgency IN ('P0','P1','P2','P3')),
        status         TEXT NOT NULL,
        lon            REAL NOT NULL,
        lat            REAL NOT NULL,
        address_code   TEXT,
        address        TEXT NOT NULL,
        micro_grid_id  TEXT NOT NULL REFERENCES regions(id),
        grid_id        TEXT NOT NULL REFERENCES regions(id),
        village_id     TEXT NOT NULL REFERENCES regions(id),
        town_id        TEXT NOT NULL REFERENCES regions(id),
        reporter_name  TEXT NOT NULL,
        reporter_phone TEXT NOT NULL,
        reported_at    TEXT NOT NULL,
        updated_at     TEXT NOT NULL,
        deadline_at    TEXT,
        closed_at      TEXT
      ) STRICT;
      CREATE INDEX events_reported ON events(reported_at);
      CREATE INDEX events_status ON events(status, reported_at);
      CREATE INDEX events_town ON events(town_id, reported_at);

      -- every committed change, numbered without gaps; the replay source for sockets
      CREATE TABLE event_changes (
        seq      INTEGER PRIMARY KEY,
        event_id TEXT NOT NULL REFERENCES events(id),
        kind     TEXT NOT NULL,
        at       TEXT NOT NULL,
        snapshot TEXT NOT NULL
      ) STRICT;
      CREATE INDEX event_changes_event ON event_changes(event_id, seq);

      CREATE TABLE idempotency_keys (
        key          TEXT PRIMARY KEY,
        request_hash TEXT NOT NULL,
        event_id     TEXT NOT NULL REFERENCES events(id),
        created_at   TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 2,
    name: 'audit trail',
    sql: `
      -- The audit trail (安全审计, GB/T 22239-2019 level 3): one record per security-relevant
      -- action, hash-chained in seq order. The application never updates or deletes a record;
      -- the triggers below make the database refuse it too. Retention purging, if ever needed,
      -- is a separate archived and audited procedure (server/src/modules/audit/README.md).
      CREATE TABLE audit_log (
        seq         INTEGER PRIMARY KEY CHECK (seq > 0),
        at          TEXT NOT NULL CHECK (at GLOB '[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].[0-9][0-9][0-9]Z'),
        user_id     TEXT,
        username    TEXT,
        role        TEXT,
        action      TEXT NOT NULL,
        object_type TEXT,
        object_id   TEXT,
        result      TEXT NOT NULL CHECK (result IN ('success','failure','denied')),
        reason      TEXT,
        source_ip   TEXT,
        client      TEXT,
        details     TEXT CHECK (details IS NULL OR json_valid(details)),
        prev_hash   TEXT NOT NULL CHECK (length(prev_hash) = 64),
        hash        TEXT NOT NULL CHECK (length(hash) = 64)
      ) STRICT;
      CREATE INDEX audit_log_at ON audit_log(at);
      CREATE INDEX audit_log_user_id ON audit_log(user_id, seq);
      CREATE INDEX audit_log_username ON audit_log(username, seq);
      CREATE INDEX audit_log_action ON audit_log(action, seq);
      CREATE INDEX audit_log_object ON audit_log(object_id, seq);

      CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
      BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
      -- A new record must extend the chain: the next seq, linked to the last hash. This also
      -- stops INSERT OR REPLACE, whose implicit delete does not fire the delete trigger.
      CREATE TRIGGER audit_log_chain BEFORE INSERT ON audit_log
      WHEN NEW.seq IS NOT (SELECT COALESCE(MAX(seq), 0) + 1 FROM audit_log)
        OR NEW.prev_hash IS NOT COALESCE((SELECT hash FROM audit_log WHERE seq = NEW.seq - 1), '${'0'.repeat(64)}')
      BEGIN SELECT RAISE(ABORT, 'audit_log: a record must extend the chain'); END;
    `,
  },
  {
    version: 3,
    name: 'users, sessions and API keys',
    sql: AUTH_MIGRATION_SQL,
  },
  {
    version: 4,
    name: 'closed loop: catalog versions, case timeline, workflow columns, settings, team members',
    up: migrateClosedLoop,
    rebuildsTables: true,
  },
  {
    version: 5,
    name: 'team positions (trails), team activity, alerts',
    sql: `
      -- every position a field device reported, WGS84; the trail of a team
      CREATE TABLE team_positions (
        id          INTEGER PRIMARY KEY,
        team_id     TEXT NOT NULL REFERENCES teams(id),
        lon         REAL NOT NULL CHECK (lon BETWEEN -180 AND 180),
        lat         REAL NOT NULL CHECK (lat BETWEEN -90 AND 90),
        accuracy    REAL CHECK (accuracy IS NULL OR accuracy >= 0),
        at          TEXT NOT NULL,            -- when the device took it
        received_at TEXT NOT NULL,            -- when the server stored it
        user_id     TEXT                      -- who reported it
      ) STRICT;
      CREATE INDEX team_positions_team_at ON team_positions(team_id, at);

      -- the last time the team acted on a case or set its status (with position_at: "last seen")
      ALTER TABLE teams ADD COLUMN active_at TEXT;

      -- alerts: raised once by the server, open until a person acknowledges them
      CREATE TABLE alerts (
        id             INTEGER PRIMARY KEY,
        kind           TEXT NOT NULL CHECK (kind IN ('urgent_event','overdue','task_returned','team_silent')),
        severity       TEXT NOT NULL CHECK (severity IN ('critical','warning')),
        event_id       TEXT REFERENCES events(id),
        team_id        TEXT REFERENCES teams(id),
        town_id        TEXT REFERENCES regions(id),
        raised_at      TEXT NOT NULL,
        message_params TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(message_params)),
        acked_at       TEXT,
        acked_by       TEXT REFERENCES users(id),
        ack_note       TEXT,
        CHECK ((acked_at IS NULL) = (acked_by IS NULL))
      ) STRICT;
      CREATE INDEX alerts_open ON alerts(raised_at) WHERE acked_at IS NULL;
      CREATE INDEX alerts_town ON alerts(town_id, raised_at);
      CREATE INDEX alerts_team ON alerts(team_id, kind, raised_at);
      CREATE INDEX alerts_event ON alerts(event_id, kind);
    `,
  },
  {
    version: 6,
    name: 'photo attachments and idempotent case actions',
    sql: `
      -- Uploaded photos. The bytes live on disk, content-addressed under
      -- <data>/attachments/<sha256[0:2]>/<sha256> (the original as uploaded) with a
      -- metadata-free thumbnail beside it; a row per upload says who uploaded what, when.
      CREATE TABLE attachments (
        id           TEXT PRIMARY KEY,
        sha256       TEXT NOT NULL CHECK (length(sha256) = 64),
        type         TEXT NOT NULL CHECK (type IN ('image/jpeg','image/png','image/webp')),
        size         INTEGER NOT NULL CHECK (size > 0),
        name         TEXT NOT NULL,
        width        INTEGER NOT NULL CHECK (width > 0),
        height       INTEGER NOT NULL CHECK (height > 0),
        created_at   TEXT NOT NULL,
        created_by   TEXT NOT NULL REFERENCES users(id),
        thumb_sha256 TEXT NOT NULL CHECK (length(thumb_sha256) = 64)
      ) STRICT;
      CREATE INDEX attachments_creator ON attachments(created_by, sha256);

      -- Which change of which case references an attachment: reading a photo follows reading a case.
      CREATE TABLE event_attachments (
        attachment_id TEXT NOT NULL REFERENCES attachments(id),
        event_id      TEXT NOT NULL REFERENCES events(id),
        seq           INTEGER NOT NULL REFERENCES event_changes(seq),
        PRIMARY KEY (attachment_id, event_id, seq)
      ) STRICT;
      CREATE INDEX event_attachments_event ON event_attachments(event_id, attachment_id);

      -- Idempotency-Key of POST /api/v1/events/{id}/actions: a retry gets the first answer.
      CREATE TABLE action_idempotency (
        key          TEXT PRIMARY KEY,
        request_hash TEXT NOT NULL,
        event_id     TEXT NOT NULL REFERENCES events(id),
        user_id      TEXT NOT NULL,
        seq          INTEGER NOT NULL REFERENCES event_changes(seq),
        response     TEXT NOT NULL CHECK (json_valid(response)),
        created_at   TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 7,
    name: 'event ids from a per-day counter',
    sql: `
      -- The number of the last case id given on each China day (events.repo.ts nextId). Ids were
      -- taken as the string maximum + 1, which stops at 9,999 a day: EV…10000 sorts before EV…9999,
      -- so the 10,001st intake got EV…10000 again. Seeded with each day's numeric maximum, so an
      -- EV…10000 already stored counts.
      CREATE TABLE event_id_counters (
        day  TEXT PRIMARY KEY CHECK (day GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]'),
        last INTEGER NOT NULL CHECK (last >= 0)
      ) STRICT;
      INSERT INTO event_id_counters (day, last)
        SELECT substr(id, 3, 8), MAX(CAST(substr(id, 11) AS INTEGER)) FROM events
        WHERE id GLOB 'EV[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9]*'
        GROUP BY substr(id, 3, 8);
    `,
  },
  {
    version: 8,
    name: 'API keys bound to the roles and scope they were issued for, with expiry',
    sql: API_KEY_BINDING_MIGRATION_SQL,
  },
  {
    version: 9,
    name: 'a case merged into another town keeps its master status, not the master result text',
    sql: `
      -- A town's readers of a merged case must not read the other town's outcome through it
      -- (workflow.service.ts masterResultFor). Cases merged before copied the master's result
      -- onto the child, its master-updated entries and its change snapshots: clear those copies
      -- where the master lies in another town. The master keeps its result.
      UPDATE events SET result = NULL
       WHERE master_id IS NOT NULL AND result IS NOT NULL
         AND town_id <> (SELECT m.town_id FROM events m WHERE m.id = events.master_id);
      UPDATE event_actions SET details = json_set(details, '$.result', NULL)
       WHERE action = 'master-updated' AND json_extract(details, '$.result') IS NOT NULL
         AND (SELECT c.town_id FROM events c WHERE c.id = event_actions.event_id)
             <> (SELECT m.town_id FROM events m WHERE m.id = json_extract(event_actions.details, '$.masterId'));
      UPDATE event_changes SET snapshot = json_set(snapshot, '$.result', NULL)
       WHERE json_extract(snapshot, '$.masterId') IS NOT NULL AND json_extract(snapshot, '$.result') IS NOT NULL
         AND json_extract(snapshot, '$.townId') <> (SELECT m.town_id FROM events m WHERE m.id = json_extract(event_changes.snapshot, '$.masterId'));
    `,
  },
  {
    version: 10,
    name: 'alerts that clear themselves: cause keys, near-deadline kind, notice severity',
    sql: ALERTS_CLEARING_SQL,
    rebuildsTables: true,
  },
  {
    version: 11,
    name: 'find anything: reporter phones by their last digits',
    sql: SEARCH_MIGRATION_SQL,
  },
  {
    version: 12,
    name: 'analysis: cases by the time they were filed, dispatched and closed',
    sql: `
      -- The analysis trends count a day's filings, dispatches and closings whenever the case was
      -- reported (modules/analysis): each a range scan of its own time. Partial (most cases wait
      -- for some step) and with the town, so a town's figures are read from the index alone.
      -- IF NOT EXISTS: a database set back to an older version to test a migration keeps them.
      CREATE INDEX IF NOT EXISTS events_filed ON events(filed_at, town_id) WHERE filed_at IS NOT NULL;
      CREATE INDEX IF NOT EXISTS events_dispatched ON events(dispatched_at, town_id) WHERE dispatched_at IS NOT NULL;
      CREATE INDEX IF NOT EXISTS events_closed ON events(closed_at, town_id) WHERE closed_at IS NOT NULL;
    `,
  },
  {
    version: 13,
    name: 'API keys bound to one intake channel',
    up: addApiKeyChannel,
  },
  {
    version: 14,
    name: 'public requests (Open311, the resident page): tracking tokens and the public account',
    sql: OPEN311_MIGRATION_SQL,
  },
  {
    version: 15,
    name: 'channel adapters: cameras, alert-type and hotline-category mappings, channel receipts, the triage queue',
    sql: CHANNELS_MIGRATION_SQL,
  },
  {
    version: 16,
    name: 'unified address search: households by any part of their address (FTS5 trigram)',
    sql: ADDRESSES_MIGRATION_SQL,
  },
  {
    version: 19,
    name: 'hotline bulk import: each import and its per-row report',
    sql: HOTLINE_IMPORT_MIGRATION_SQL,
  },
  {
    version: 20,
    name: 'duplicate detection reads only the open cases of an item near the new one',
    // By item and latitude band, and by item and micro-grid: the duplicate prefilter
    // (EventsRepo.openOfItemSince) looks up a few rows instead of every case of the item in the
    // window, which on a night of hundreds of reports of one item made each intake slower than the last.
    sql: `
      CREATE INDEX IF NOT EXISTS events_item_lat ON events(item_code, lat);
      CREATE INDEX IF NOT EXISTS events_item_micro_grid ON events(item_code, micro_grid_id);
    `,
  },
  {
    version: 21,
    name: 'regions above the county: province and city levels',
    up: widenRegionLevels,
    rebuildsTables: true,
  },
  {
    version: 22,
    name: '市级交办: cases a city assigns down to a county, their outcome, alerts to the city',
    up: addAssignments,
    rebuildsTables: true,
  },
  {
    version: 23,
    name: 'several server nodes: the lease of the node that runs the timed duties',
    // modules/system/node-duties.ts: one row per lease; a node holds it until expires_at unless it
    // renews it first. Times are ISO text from the server's clock, compared as text. IF NOT EXISTS:
    // a database set back to an older version runs it again.
    sql: `
      CREATE TABLE IF NOT EXISTS node_leases (
        name        TEXT PRIMARY KEY,
        holder      TEXT NOT NULL,
        acquired_at TEXT NOT NULL,
        renewed_at  TEXT NOT NULL,
        expires_at  TEXT NOT NULL
      );
    `,
  },
  {
    version: 24,
    name: 'a county server forwards its cases to the city: where each county stands, and its case ids',
    // modules/forwarding: one row per county that forwards (its region id), with the last of its
    // change seqs the city applied; each forwarded case's county id and the city's own id for it.
    sql: `
      CREATE TABLE IF NOT EXISTS forward_sources (
        source_id  TEXT PRIMARY KEY REFERENCES regions(id),
        last_seq   INTEGER NOT NULL CHECK (last_seq >= 0),
        updated_at TEXT NOT NULL
      );
      CREATE TABLE IF NOT EXISTS forwarded_events (
        source_id       TEXT NOT NULL REFERENCES forward_sources(source_id),
        source_event_id TEXT NOT NULL,
        event_id        TEXT NOT NULL UNIQUE REFERENCES events(id),
        PRIMARY KEY (source_id, source_event_id)
      );
    `,
  },
  {
    version: 25,
    name: 'the grid workforce (队伍建设): worker records, micro-grids served, patrol positions by worker; grid deliberation days (网格议事日)',
    up: addWorkforce,
  },
];

/**
 * Migration 21: regions.level admits 'province' and 'city'. SQLite cannot alter a CHECK, so the
 * table is rebuilt (its documented procedure): the new table is the old one's own CREATE with
 * the widened CHECK, so every column, default and foreign key is kept, and the indexes and
 * triggers of `regions` are re-created from their stored SQL after the rename.
 */
function widenRegionLevels(db: Database.Database): void {
  const table = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'regions'").pluck().get() as string;
  const narrow = "CHECK (level IN ('county','town','village','grid','microgrid'))";
  const wide = "CHECK (level IN ('province','city','county','town','village','grid','microgrid'))";
  // A database set back to an older version to test a migration already has the wide CHECK.
  if (table.includes(wide)) return;
  if (!table.includes(narrow)) throw new Error('migration 21: regions.level has an unexpected CHECK');
  const dependants = db
    .prepare("SELECT sql FROM sqlite_schema WHERE tbl_name = 'regions' AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type, name")
    .pluck()
    .all() as string[];
  const created = table
    .replace(narrow, wide)
    .replace(/^CREATE TABLE "?regions"?/, 'CREATE TABLE regions_new');
  db.exec(created);
  db.exec('INSERT INTO regions_new SELECT * FROM regions');
  db.exec('DROP TABLE regions');
  // Legacy rename: triggers of other tables name `regions` in their bodies, which a modern
  // rename would try to parse while the table is missing.
  const legacy = db.pragma('legacy_alter_table', { simple: true }) as number;
  db.pragma('legacy_alter_table = ON');
  try {
    db.exec('ALTER TABLE regions_new RENAME TO regions');
  } finally {
    db.pragma(`legacy_alter_table = ${legacy ? 'ON' : 'OFF'}`);
  }
  for (const sql of dependants) db.exec(sql);
}
