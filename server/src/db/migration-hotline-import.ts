/**
 * Migration 19, bulk import of the 12345 hotline's cases: one row per import (and per preview),
 * so the report of any earlier import can be read again and an import the server did not finish
 * shows as interrupted. The cases themselves are written by the one intake, never here; the
 * per-row report is kept whole as JSON (a typhoon day's few thousand rows are a few hundred KB).
 */
export const HOTLINE_IMPORT_MIGRATION_SQL = `
  -- IF NOT EXISTS: a database set back to an earlier version (tests of older migrations) runs it again unchanged
  CREATE TABLE IF NOT EXISTS hotline_imports (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    mode          TEXT NOT NULL CHECK (mode IN ('file','row')),
    dry_run       INTEGER NOT NULL CHECK (dry_run IN (0,1)),
    status        TEXT NOT NULL CHECK (status IN ('running','preview','written','refused','partial','interrupted')),
    file          TEXT NOT NULL,
    user_id       TEXT NOT NULL,
    display_name  TEXT NOT NULL,
    started_at    TEXT NOT NULL,
    finished_at   TEXT,
    totals        TEXT NOT NULL,
    rows          TEXT NOT NULL
  ) STRICT;
  CREATE INDEX IF NOT EXISTS hotline_imports_started ON hotline_imports(started_at);
`;
