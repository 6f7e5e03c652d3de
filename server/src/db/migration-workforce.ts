import type Database from 'better-sqlite3';

/**
 * Migration 25 (issue 16): the grid workforce (队伍建设) and the grid deliberation day (网格议事日).
 *
 * - `workers` gains what a worker's record holds beyond the roster import's columns: pay grade
 *   (1–5, the career path of several grades), status (active, on leave, left) with start and
 *   leaving dates (turnover), the team they work in, and the field account they sign in with
 *   (`user_id`: how positions and self-reports are tied to the worker; at most one worker per account).
 * - `worker_micro_grids`: the micro-grids a worker serves (a grid's micro-grids shared out among its workers).
 * - `team_positions.worker_id`: the worker whose device reported the position (stamped when it is
 *   stored, from the reporting account's worker), so patrol time, distance and coverage are read per worker.
 * - `deliberation_meetings` / `deliberation_tasks`: a grid's deliberation day and its follow-up
 *   tasks, each of which is a case in the closed loop (`event_id`).
 * - `training_courses` (by the paper's six subjects), `training_sessions` (online or offline, the
 *   county's or a town's), `training_attendance` (hours per worker), `worker_certificates`.
 * - the assessment (德能勤绩): `assessment_periods` (quarterly by default, with the weights),
 *   `assessment_reviews` (德 and 能 scored by a reviewer with a comment), `assessment_results`
 *   (勤 and 绩 computed from the activity and frozen with their figures when the period closes;
 *   totals, ranks, grades), `assessment_decisions` (the reward list 以奖代补 and the exit-review list,
 *   each proposed by one person and decided by another with a reason).
 *
 * The PostgreSQL twin is version 25 of POSTGRES_MIGRATIONS (postgres-schema.ts).
 */
const WORKFORCE_TABLES_SQL = `
  CREATE UNIQUE INDEX IF NOT EXISTS workers_user ON workers(user_id) WHERE user_id IS NOT NULL;

  CREATE TABLE IF NOT EXISTS worker_micro_grids (
    worker_id     TEXT NOT NULL REFERENCES workers(id),
    micro_grid_id TEXT NOT NULL REFERENCES regions(id),
    PRIMARY KEY (worker_id, micro_grid_id)
  ) STRICT;
  CREATE INDEX IF NOT EXISTS worker_micro_grids_micro ON worker_micro_grids(micro_grid_id);

  CREATE INDEX IF NOT EXISTS team_positions_worker_at ON team_positions(worker_id, at) WHERE worker_id IS NOT NULL;

  CREATE TABLE IF NOT EXISTS deliberation_meetings (
    id           TEXT PRIMARY KEY,
    grid_id      TEXT NOT NULL REFERENCES regions(id),
    town_id      TEXT NOT NULL REFERENCES regions(id),
    held_on      TEXT NOT NULL,             -- YYYY-MM-DD, the day of the meeting
    place        TEXT NOT NULL,
    host         TEXT NOT NULL,
    participants TEXT NOT NULL,             -- JSON: [{ name, role }]
    agenda       TEXT NOT NULL,             -- JSON: [{ title, source, ref }]
    decisions    TEXT NOT NULL,             -- JSON: [text]
    notice       TEXT,                      -- the public notice for residents; NULL until published
    published_at TEXT,
    created_by   TEXT NOT NULL REFERENCES users(id),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    CHECK ((notice IS NULL) = (published_at IS NULL))
  ) STRICT;
  CREATE INDEX IF NOT EXISTS deliberation_meetings_grid ON deliberation_meetings(grid_id, held_on);
  CREATE INDEX IF NOT EXISTS deliberation_meetings_town ON deliberation_meetings(town_id, held_on);

  CREATE TABLE IF NOT EXISTS deliberation_tasks (
    meeting_id TEXT NOT NULL REFERENCES deliberation_meetings(id),
    seq        INTEGER NOT NULL CHECK (seq >= 1),
    title      TEXT NOT NULL,
    event_id   TEXT NOT NULL UNIQUE REFERENCES events(id),
    created_at TEXT NOT NULL,
    PRIMARY KEY (meeting_id, seq)
  ) STRICT;

  CREATE TABLE IF NOT EXISTS training_courses (
    id         TEXT PRIMARY KEY,
    subject    TEXT NOT NULL CHECK (subject IN ('party_building','policy_law','business','ethics','system_operation','general_quality')),
    title      TEXT NOT NULL,
    hours      REAL NOT NULL CHECK (hours > 0 AND hours <= 100),
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL
  ) STRICT;

  CREATE TABLE IF NOT EXISTS training_sessions (
    id         TEXT PRIMARY KEY,
    course_id  TEXT NOT NULL REFERENCES training_courses(id),
    mode       TEXT NOT NULL CHECK (mode IN ('online','offline')),
    town_id    TEXT REFERENCES regions(id),    -- the town that holds it; NULL: the county's
    held_on    TEXT NOT NULL,                  -- YYYY-MM-DD
    place      TEXT NOT NULL,
    trainer    TEXT NOT NULL,
    hours      REAL NOT NULL CHECK (hours > 0 AND hours <= 100),
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX IF NOT EXISTS training_sessions_held ON training_sessions(held_on);

  CREATE TABLE IF NOT EXISTS training_attendance (
    session_id  TEXT NOT NULL REFERENCES training_sessions(id),
    worker_id   TEXT NOT NULL REFERENCES workers(id),
    hours       REAL NOT NULL CHECK (hours >= 0 AND hours <= 100),
    passed      INTEGER CHECK (passed IS NULL OR passed IN (0,1)),
    recorded_by TEXT NOT NULL REFERENCES users(id),
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (session_id, worker_id)
  ) STRICT;
  CREATE INDEX IF NOT EXISTS training_attendance_worker ON training_attendance(worker_id);

  CREATE TABLE IF NOT EXISTS worker_certificates (
    id         TEXT PRIMARY KEY,
    worker_id  TEXT NOT NULL REFERENCES workers(id),
    title      TEXT NOT NULL,
    number     TEXT NOT NULL,
    issued_on  TEXT NOT NULL,                  -- YYYY-MM-DD
    session_id TEXT REFERENCES training_sessions(id),
    created_by TEXT NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL
  ) STRICT;
  CREATE INDEX IF NOT EXISTS worker_certificates_worker ON worker_certificates(worker_id);

  CREATE TABLE IF NOT EXISTS assessment_periods (
    id          TEXT PRIMARY KEY,              -- e.g. 2026-Q4
    starts_on   TEXT NOT NULL,                 -- YYYY-MM-DD, first day
    ends_on     TEXT NOT NULL,                 -- YYYY-MM-DD, last day
    status      TEXT NOT NULL CHECK (status IN ('open','closed')),
    weights     TEXT NOT NULL,                 -- JSON: { de, neng, qin, ji } in percent, summing to 100
    created_by  TEXT NOT NULL REFERENCES users(id),
    created_at  TEXT NOT NULL,
    closed_by   TEXT REFERENCES users(id),
    closed_at   TEXT,
    CHECK (starts_on <= ends_on),
    CHECK ((status = 'closed') = (closed_at IS NOT NULL))
  ) STRICT;

  CREATE TABLE IF NOT EXISTS assessment_reviews (
    period_id    TEXT NOT NULL REFERENCES assessment_periods(id),
    worker_id    TEXT NOT NULL REFERENCES workers(id),
    de           REAL NOT NULL CHECK (de BETWEEN 0 AND 100),
    neng         REAL NOT NULL CHECK (neng BETWEEN 0 AND 100),
    comment      TEXT NOT NULL,
    reviewer_id  TEXT NOT NULL REFERENCES users(id),
    reviewed_at  TEXT NOT NULL,
    PRIMARY KEY (period_id, worker_id)
  ) STRICT;

  CREATE TABLE IF NOT EXISTS assessment_results (
    period_id   TEXT NOT NULL REFERENCES assessment_periods(id),
    worker_id   TEXT NOT NULL REFERENCES workers(id),
    town_id     TEXT NOT NULL REFERENCES regions(id),
    qin         REAL NOT NULL,
    ji          REAL NOT NULL,
    de          REAL,
    neng        REAL,
    total       REAL,
    rank_town   INTEGER,
    rank_county INTEGER,
    rating      TEXT CHECK (rating IS NULL OR rating IN ('excellent','good','pass','fail')),
    figures     TEXT NOT NULL,                 -- JSON: the activity figures 勤 and 绩 were computed from
    PRIMARY KEY (period_id, worker_id)
  ) STRICT;

  CREATE TABLE IF NOT EXISTS assessment_decisions (
    period_id   TEXT NOT NULL REFERENCES assessment_periods(id),
    worker_id   TEXT NOT NULL REFERENCES workers(id),
    list        TEXT NOT NULL CHECK (list IN ('reward','exit_review')),
    proposed_by TEXT NOT NULL REFERENCES users(id),
    proposed_at TEXT NOT NULL,
    proposal    TEXT NOT NULL,                 -- why it is proposed
    decided_by  TEXT REFERENCES users(id),
    decided_at  TEXT,
    decision    TEXT CHECK (decision IS NULL OR decision IN ('approved','rejected')),
    reason      TEXT,
    PRIMARY KEY (period_id, worker_id, list),
    CHECK ((decided_at IS NULL) = (decision IS NULL) AND (decided_at IS NULL) = (reason IS NULL) AND (decided_at IS NULL) = (decided_by IS NULL)),
    CHECK (decided_by IS NULL OR decided_by <> proposed_by)
  ) STRICT;
`;

/** The columns migration 25 adds to existing tables: [table, column, statement]. */
const ADDED_COLUMNS: ReadonlyArray<readonly [string, string, string]> = [
  ['workers', 'grade', "ALTER TABLE workers ADD COLUMN grade INTEGER NOT NULL DEFAULT 1 CHECK (grade BETWEEN 1 AND 5);"],
  ['workers', 'status', "ALTER TABLE workers ADD COLUMN status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active','on_leave','left'));"],
  ['workers', 'started_on', "ALTER TABLE workers ADD COLUMN started_on TEXT;"],
  ['workers', 'left_on', "ALTER TABLE workers ADD COLUMN left_on TEXT;"],
  ['workers', 'team_id', "ALTER TABLE workers ADD COLUMN team_id TEXT REFERENCES teams(id);"],
  ['workers', 'user_id', "ALTER TABLE workers ADD COLUMN user_id TEXT REFERENCES users(id);"],
  ['workers', 'updated_at', "ALTER TABLE workers ADD COLUMN updated_at TEXT;"],
  ['team_positions', 'worker_id', "ALTER TABLE team_positions ADD COLUMN worker_id TEXT REFERENCES workers(id);"],
];

/**
 * Applies migration 25. Idempotent, as the migrations before it are: a database set back to an
 * older version to test a migration (regions-migration.test.ts) already has these columns and
 * tables, and SQLite has no ADD COLUMN IF NOT EXISTS.
 */
export function addWorkforce(db: Database.Database): void {
  for (const [table, column, statement] of ADDED_COLUMNS) {
    const has = db.prepare('SELECT 1 FROM pragma_table_info(?) WHERE name = ?').get(table, column);
    if (!has) db.exec(statement);
  }
  db.exec(WORKFORCE_TABLES_SQL);
}
