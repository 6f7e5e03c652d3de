import type Database from 'better-sqlite3';
import { STEP_OF } from '../../../shared/domain/workflow.js';
import type { EventStatus, Urgency } from '../../../shared/contracts/events.js';
import type { StepLimits, TimeLimit, TimeLimitUnit } from '../../../shared/contracts/catalog.js';

/**
 * Migration 4, the closed loop: a versioned catalog (drafts approved by someone other than
 * their author), the case timeline, workflow columns on events, settings, team membership.
 *
 * `events` is rebuilt (SQLite cannot drop its foreign key to the old `catalog_items`), so this
 * migration runs with foreign keys off, as SQLite's documented table-rebuild procedure asks,
 * and checks them before it commits. Existing data is carried over: the old catalog becomes
 * version 1 (active), existing cases keep their state and get a step and a closing deadline.
 */
export const CLOSED_LOOP_SQL = `
  CREATE TABLE catalog_versions (
    version         INTEGER PRIMARY KEY CHECK (version > 0),
    status          TEXT NOT NULL CHECK (status IN ('draft','active','superseded','rejected')),
    note            TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    created_by      TEXT,              -- user id; NULL = the system (seed or migration)
    created_by_name TEXT NOT NULL,
    decided_at      TEXT,
    decided_by      TEXT,
    decided_by_name TEXT,
    decision_reason TEXT,
    activated_at    TEXT,
    referrals       TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(referrals))
  ) STRICT;
  CREATE UNIQUE INDEX catalog_versions_one_active ON catalog_versions(status) WHERE status = 'active';

  CREATE TABLE catalog_version_items (
    version INTEGER NOT NULL REFERENCES catalog_versions(version),
    code    TEXT NOT NULL,
    sort    INTEGER NOT NULL,
    item    TEXT NOT NULL CHECK (json_valid(item)),  -- CatalogItemInput as JSON
    PRIMARY KEY (version, code)
  ) STRICT;

  CREATE TABLE events_new (
    id                   TEXT PRIMARY KEY,
    seq                  INTEGER NOT NULL,
    item_code            TEXT NOT NULL,
    item_name            TEXT NOT NULL,
    category             TEXT NOT NULL,
    catalog_version      INTEGER NOT NULL,
    description          TEXT NOT NULL,
    source               TEXT NOT NULL,
    urgency              TEXT NOT NULL CHECK (urgency IN ('P0','P1','P2','P3')),
    status               TEXT NOT NULL,
    lon                  REAL NOT NULL,
    lat                  REAL NOT NULL,
    address_code         TEXT,
    address              TEXT NOT NULL,
    micro_grid_id        TEXT NOT NULL REFERENCES regions(id),
    grid_id              TEXT NOT NULL REFERENCES regions(id),
    village_id           TEXT NOT NULL REFERENCES regions(id),
    town_id              TEXT NOT NULL REFERENCES regions(id),
    reporter_name        TEXT NOT NULL,
    reporter_phone       TEXT NOT NULL,
    reporter_user_id     TEXT,
    reported_at          TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    -- the current step and its clock
    step                 TEXT CHECK (step IS NULL OR step IN ('file','dispatch','handle','verify')),
    step_started_at      TEXT,
    warn_at              TEXT,
    deadline_at          TEXT,
    deadline_state       TEXT NOT NULL DEFAULT 'ok' CHECK (deadline_state IN ('ok','warning','overdue')),
    due_at               TEXT,            -- closing deadline (应结案时间), moved by extensions
    filed_at             TEXT,
    dispatched_at        TEXT,
    handled_at           TEXT,
    verified_at          TEXT,
    closed_at            TEXT,
    team_id              TEXT REFERENCES teams(id),
    auto_dispatched      INTEGER NOT NULL DEFAULT 0 CHECK (auto_dispatched IN (0,1)),
    self_handled         INTEGER NOT NULL DEFAULT 0 CHECK (self_handled IN (0,1)),
    supervised           INTEGER NOT NULL DEFAULT 0 CHECK (supervised IN (0,1)),
    handler_user_id      TEXT,
    verifier_user_id     TEXT,
    rework_count         INTEGER NOT NULL DEFAULT 0,
    extension_count      INTEGER NOT NULL DEFAULT 0,
    extension_request    TEXT CHECK (extension_request IS NULL OR json_valid(extension_request)),
    extension_requester  TEXT,
    result               TEXT,
    refusal              TEXT CHECK (refusal IS NULL OR json_valid(refusal)),
    duplicate_candidates TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(duplicate_candidates)),
    master_id            TEXT REFERENCES events(id),
    master_status        TEXT
  ) STRICT;

  -- one timeline entry per change of a case (same seq as the live feed)
  CREATE TABLE event_actions (
    seq         INTEGER PRIMARY KEY REFERENCES event_changes(seq),
    event_id    TEXT NOT NULL REFERENCES events(id),
    action      TEXT NOT NULL,
    from_status TEXT,
    to_status   TEXT NOT NULL,
    at          TEXT NOT NULL,
    user_id     TEXT,
    username    TEXT,
    display_name TEXT,
    role        TEXT,
    team_id     TEXT,
    auto        INTEGER NOT NULL DEFAULT 0 CHECK (auto IN (0,1)),
    note        TEXT,
    position    TEXT CHECK (position IS NULL OR json_valid(position)),
    attachments TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(attachments)),
    details     TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(details))
  ) STRICT;
  CREATE INDEX event_actions_event ON event_actions(event_id, seq);
  CREATE INDEX event_actions_user ON event_actions(user_id, action);

  -- configuration edited through the API (working calendar, duplicate rule), audited
  CREATE TABLE settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL CHECK (json_valid(value)),
    updated_at TEXT NOT NULL,
    updated_by TEXT
  ) STRICT;

  ALTER TABLE users ADD COLUMN team_id TEXT REFERENCES teams(id);
  ALTER TABLE teams ADD COLUMN position_at TEXT;
`;

const AFTER_COPY_SQL = `
  DROP TABLE events;
  ALTER TABLE events_new RENAME TO events;
  CREATE INDEX events_reported ON events(reported_at);
  CREATE INDEX events_status ON events(status, reported_at);
  CREATE INDEX events_town ON events(town_id, reported_at);
  CREATE INDEX events_due ON events(due_at);
  CREATE INDEX events_item ON events(item_code, reported_at);
  CREATE INDEX events_team ON events(team_id, status);
  CREATE INDEX events_master ON events(master_id);
  CREATE INDEX events_deadline ON events(deadline_at) WHERE deadline_at IS NOT NULL;
  DROP TABLE catalog_items;
`;

interface OldItem {
  code: string;
  name: string;
  name_en: string;
  category: string;
  category_name: string;
  category_name_en: string;
  department: string;
  team_type: string;
  default_urgency: Urgency;
  self_handle: number;
  handle_limit: number;
  handle_unit: TimeLimitUnit;
  sort: number;
}

/**
 * The tier limits of the other steps as this migration gave them to the old items. A released
 * migration must write the same rows forever, so these are its own copy, frozen; today's
 * defaults for new items are modules/catalog/tier-defaults.ts.
 */
const MIGRATED_TIER_LIMITS: Readonly<Record<Urgency, Omit<StepLimits, 'handle'>>> = {
  P0: { file: { value: 10, unit: 'minutes' }, dispatch: { value: 10, unit: 'minutes' }, verify: { value: 60, unit: 'minutes' } },
  P1: { file: { value: 30, unit: 'minutes' }, dispatch: { value: 30, unit: 'minutes' }, verify: { value: 120, unit: 'minutes' } },
  P2: { file: { value: 0.5, unit: 'work_hours' }, dispatch: { value: 1, unit: 'work_hours' }, verify: { value: 1, unit: 'work_days' } },
  P3: { file: { value: 1, unit: 'work_days' }, dispatch: { value: 1, unit: 'work_days' }, verify: { value: 2, unit: 'work_days' } },
};
const migratedLimits = (urgency: Urgency, handle: TimeLimit): StepLimits => ({ ...MIGRATED_TIER_LIMITS[urgency], handle });

export function migrateClosedLoop(db: Database.Database): void {
  db.exec(CLOSED_LOOP_SQL);
  const items = db.prepare('SELECT * FROM catalog_items ORDER BY sort, code').all() as OldItem[];
  if (items.length > 0) {
    const at = new Date().toISOString();
    db.prepare(
      "INSERT INTO catalog_versions (version, status, note, created_at, created_by, created_by_name, decided_at, decided_by_name, activated_at) VALUES (1, 'active', ?, ?, NULL, 'system', ?, 'system', ?)",
    ).run('迁移自第一版事项清单 / migrated from the first catalog', at, at, at);
    const insert = db.prepare('INSERT INTO catalog_version_items (version, code, sort, item) VALUES (1, ?, ?, ?)');
    for (const r of items) {
      const handle = { value: r.handle_limit, unit: r.handle_unit };
      insert.run(
        r.code,
        r.sort,
        JSON.stringify({
          code: r.code,
          name: r.name,
          nameEn: r.name_en,
          category: r.category,
          categoryName: r.category_name,
          categoryNameEn: r.category_name_en,
          department: r.department,
          teamType: r.team_type,
          urgencies: [r.default_urgency],
          defaultUrgency: r.default_urgency,
          limits: { [r.default_urgency]: migratedLimits(r.default_urgency, handle) },
          selfHandle: r.self_handle === 1,
          verificationRequired: true,
          autoDispatch: null,
        }),
      );
    }
  }
  db.exec(`
    INSERT INTO events_new (id, seq, item_code, item_name, category, catalog_version, description, source, urgency, status,
      lon, lat, address_code, address, micro_grid_id, grid_id, village_id, town_id, reporter_name, reporter_phone,
      reported_at, updated_at, step_started_at, deadline_at, due_at, closed_at)
    SELECT e.id, e.seq, e.item_code, c.name, c.category, 1, e.description, e.source, e.urgency, e.status,
      e.lon, e.lat, e.address_code, e.address, e.micro_grid_id, e.grid_id, e.village_id, e.town_id, e.reporter_name, e.reporter_phone,
      e.reported_at, e.updated_at, e.updated_at, e.deadline_at, e.deadline_at, e.closed_at
    FROM events e JOIN catalog_items c ON c.code = e.item_code;
  `);
  const setStep = db.prepare('UPDATE events_new SET step = ? WHERE status = ?');
  for (const [status, step] of Object.entries(STEP_OF) as Array<[EventStatus, string | null]>) setStep.run(step, status);
  db.exec(AFTER_COPY_SQL);
}
