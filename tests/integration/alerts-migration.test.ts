import { afterAll, expect, it } from 'vitest';
import { databaseFile } from '../../server/src/config.js';
import { migrate, openDatabase } from '../../server/src/db/connection.js';
import { seedDemo } from '../../server/src/modules/demo/seed.js';
import { SMALL_COUNTY, tempDataDir } from './harness.js';

const data = tempDataDir();
afterAll(() => data.remove());

// The alerts table as migration 5 made it, before alerts cleared themselves.
const VERSION_9_ALERTS = `
  DROP TABLE alerts;
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
  PRAGMA user_version = 9;
`;

it('migration 10 keeps every alert, gives each cause one key, and clears the silences raised under the old rule', () => {
  const db = openDatabase(databaseFile(data.dir));
  seedDemo(db, SMALL_COUNTY);
  db.exec(VERSION_9_ALERTS);
  const { id: eventId, town_id: townId } = db.prepare('SELECT id, town_id FROM events ORDER BY id LIMIT 1').get() as { id: string; town_id: string };
  const teamId = (db.prepare('SELECT id FROM teams ORDER BY id LIMIT 1').get() as { id: string }).id;
  const userId = 'U-migration';
  db.prepare("INSERT INTO users (id, username, display_name, password_hash, password_changed_at, roles, created_at, updated_at) VALUES (?, 'm', 'M', 'x', '2026-11-01T00:00:00.000Z', '[\"dispatcher\"]', '2026-11-01T00:00:00.000Z', '2026-11-01T00:00:00.000Z')").run(userId);
  const insert = db.prepare('INSERT INTO alerts (kind, severity, event_id, team_id, town_id, raised_at, message_params, acked_at, acked_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const overdue = JSON.stringify({ step: 'file', deadlineAt: '2026-11-19T02:00:00.000Z' });
  const silent = JSON.stringify({ lastSeenAt: '2026-11-19T01:00:00.000Z', minutes: 30 });
  insert.run('urgent_event', 'critical', eventId, null, townId, '2026-11-19T01:00:00.000Z', '{}', null, null);
  insert.run('overdue', 'warning', eventId, null, townId, '2026-11-19T02:00:00.000Z', overdue, null, null);
  // the same step's overdue twice (no rule kept it unique before)
  insert.run('overdue', 'warning', eventId, null, townId, '2026-11-19T02:00:01.000Z', overdue, null, null);
  insert.run('task_returned', 'warning', eventId, teamId, townId, '2026-11-19T03:00:00.000Z', '{}', null, null);
  insert.run('team_silent', 'warning', eventId, teamId, townId, '2026-11-19T04:00:00.000Z', silent, null, null);
  // acknowledged: it is history, not cleared
  insert.run('team_silent', 'warning', eventId, teamId, townId, '2026-11-19T05:00:00.000Z', JSON.stringify({ lastSeenAt: null }), '2026-11-19T05:10:00.000Z', userId);

  migrate(db);

  expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(10);
  const rows = db.prepare('SELECT kind, cause_key, acked_at, cleared_at, cleared_reason FROM alerts ORDER BY id').all() as Array<Record<string, string | null>>;
  expect(rows.map((r) => [r.kind, r.cause_key])).toEqual([
    ['urgent_event', `urgent_event:${eventId}`],
    ['overdue', `overdue:${eventId}:file:2026-11-19T02:00:00.000Z`],
    ['overdue', null],
    ['task_returned', null],
    ['team_silent', `team_silent:${teamId}:2026-11-19T01:00:00.000Z`],
    ['team_silent', null],
  ]);
  expect(rows.filter((r) => r.cleared_reason !== null).map((r) => [r.kind, r.cleared_reason])).toEqual([['team_silent', 'rule_changed']]);
  expect(rows[4]!.cleared_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  // the new kinds and severity are accepted, and a cause is stored once
  const next = db.prepare("INSERT INTO alerts (kind, severity, raised_at, cause_key) VALUES ('near_deadline', 'notice', '2026-11-20T00:00:00.000Z', ?) ON CONFLICT (cause_key) WHERE cause_key IS NOT NULL DO NOTHING");
  expect(next.run(`urgent_event:${eventId}`).changes).toBe(0);
  expect(next.run('near_deadline:x').changes).toBe(1);
  db.close();
});
