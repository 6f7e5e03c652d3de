import type Database from 'better-sqlite3';

/**
 * Migration 22, 市级交办: a city assigns a case down to a county, and the county's outcome is
 * reported back up.
 *
 * The assignment is its own table, one row per assigned case, rather than columns of `events`:
 * a platform assigns a handful of cases a day among hundreds reported, so ten mostly-NULL columns
 * on every case row (the table every list, replay and KPI reads) would be paid for by all of them;
 * the case's SELECT reads it with one primary-key lookup, and the city's list reads it by its own
 * index without touching the other cases. The city's name is kept as it assigned the case (the
 * 交办单 names its issuer), the user who did it and the county it went to.
 *
 * Alerts gain the kind `assignment_reported` (a CHECK, so the table is rebuilt, as migration 21
 * rebuilt `regions`) and `region_id`: an alert addressed to a region above the towns (the city
 * that assigned the case), seen by the consoles whose scope holds that region, not by the towns'.
 */
export function addAssignments(db: Database.Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS event_assignments (
      event_id       TEXT PRIMARY KEY REFERENCES events(id),
      by_region_id   TEXT NOT NULL REFERENCES regions(id),
      by_region_name TEXT NOT NULL,
      county_id      TEXT NOT NULL REFERENCES regions(id),
      -- who assigned it: an account, or (a seeded history's staff) a name alone
      by_user_id     TEXT REFERENCES users(id),
      by_user_name   TEXT NOT NULL,
      assigned_at    TEXT NOT NULL,
      due_at         TEXT NOT NULL,
      note           TEXT,
      -- the county's outcome, once the case finished: {"status","text"}
      reported_at    TEXT,
      outcome        TEXT CHECK (outcome IS NULL OR json_valid(outcome)),
      CHECK ((reported_at IS NULL) = (outcome IS NULL))
    ) STRICT;
    CREATE INDEX IF NOT EXISTS event_assignments_by_region ON event_assignments(by_region_id, assigned_at);
  `);

  const columns = db.prepare("SELECT name FROM pragma_table_info('alerts')").pluck().all() as string[];
  if (!columns.includes('region_id')) db.exec('ALTER TABLE alerts ADD COLUMN region_id TEXT REFERENCES regions(id)');

  const table = db.prepare("SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'alerts'").pluck().get() as string;
  const narrow = "'task_returned','team_silent'))";
  const wide = "'task_returned','team_silent','assignment_reported'))";
  // A database set back to an older version to test a migration already has the wide CHECK.
  if (table.includes(wide)) return;
  if (!table.includes(narrow)) throw new Error('migration 22: alerts.kind has an unexpected CHECK');
  const dependants = db
    .prepare("SELECT sql FROM sqlite_schema WHERE tbl_name = 'alerts' AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type, name")
    .pluck()
    .all() as string[];
  db.exec(table.replace(narrow, wide).replace(/^CREATE TABLE "?alerts"?/, 'CREATE TABLE alerts_new'));
  db.exec('INSERT INTO alerts_new SELECT * FROM alerts');
  db.exec('DROP TABLE alerts');
  db.exec('ALTER TABLE alerts_new RENAME TO alerts');
  for (const sql of dependants) db.exec(sql);
  db.exec('CREATE INDEX IF NOT EXISTS alerts_region ON alerts(region_id, raised_at) WHERE region_id IS NOT NULL');
}
