/**
 * The case reads after migration 22 (市级交办: the assignment is LEFT JOINed on its primary key in
 * every read of a case), against the same reads without that join, measured in the same run on
 * the same database file:
 *   get:  one case by id (the detail panel, every appendChange's snapshot);
 *   page: the newest 100 cases (GET /api/v1/events, a console's first load);
 *   all:  every open case (the live queue's snapshot).
 * The baseline is the events repository's own SELECT with the assignment's columns and join cut
 * out (the statement as it was before the migration), run on the raw better-sqlite3 connection; the
 * repository reads through the async store (issue 15), so its figures include the store's cost.
 * Prints medians and ratios, never pass/fail.
 *
 * Run: npx tsx bench/event-select.ts [--data DIR] [--days 30] [--runs 200] [--assigned 50]
 * Without --data a county (the paper's size, `--days` of history) is seeded into a temp folder;
 * `--assigned` cases get an assignment row, so the join finds some.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { databaseFile } from '../server/src/config.js';
import { openDatabase } from '../server/src/db/connection.js';
import { DEFAULT_DEMO_OPTIONS } from '../server/src/modules/demo/demo-options.js';
import { isSeeded, seedDemo } from '../server/src/modules/demo/seed.js';
import { Store } from '../server/src/db/store.js';
import { EventsRepo } from '../server/src/modules/events/events.repo.js';
import { OPEN_STATUSES } from '../shared/contracts/events.js';

const { values } = parseArgs({
  options: { data: { type: 'string' }, days: { type: 'string', default: '30' }, runs: { type: 'string', default: '200' }, assigned: { type: 'string', default: '50' } },
});
const RUNS = Number(values.runs);
const temp = values.data ? null : mkdtempSync(join(tmpdir(), 'gc-bench-select-'));
const db = openDatabase(databaseFile(values.data ?? temp!));
if (!isSeeded(db)) {
  process.stdout.write(`seeding a county with ${values.days} days of history…\n`);
  seedDemo(db, { ...DEFAULT_DEMO_OPTIONS, days: Number(values.days), asOf: new Date('2026-11-02T00:00:00+08:00') });
}
const county = db.prepare("SELECT id FROM regions WHERE level = 'county' LIMIT 1").pluck().get() as string;
const ids = db.prepare('SELECT id FROM events ORDER BY reported_at DESC').pluck().all() as string[];
const assign = db.prepare(
  `INSERT OR IGNORE INTO event_assignments (event_id, by_region_id, by_region_name, county_id, by_user_name, assigned_at, due_at) VALUES (?, ?, 'bench', ?, 'bench', ?, ?)`,
);
const at = new Date().toISOString();
for (const id of ids.slice(0, Number(values.assigned))) assign.run(id, county, county, at, at);

/** Medians of two reads timed in turn, run by run, so a busy machine slows both alike. */
const medians = async (a: () => unknown, b: () => unknown): Promise<[number, number]> => {
  for (let i = 0; i < 5; i++) {
    await a();
    await b();
  }
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    let t0 = performance.now();
    await a();
    ta.push(performance.now() - t0);
    t0 = performance.now();
    await b();
    tb.push(performance.now() - t0);
  }
  const mid = (xs: number[]) => xs.sort((x, y) => x - y)[Math.floor(xs.length / 2)]!;
  return [mid(ta), mid(tb)];
};

const idOrder = (c: string, dir: string) => `substr(${c}, 1, 10) ${dir}, length(${c}) ${dir}, ${c} ${dir}`;
const BEFORE = `SELECT e.*, t.name AS team_name,
  COALESCE((SELECT json_group_array(m.id) FROM (SELECT id FROM events WHERE master_id = e.id ORDER BY ${idOrder('id', 'ASC')}) m), '[]') AS merged_ids
  FROM events e LEFT JOIN teams t ON t.id = e.team_id`;
const statuses = [...OPEN_STATUSES];
const open = statuses.map(() => '?').join(',');
// the repository's list statements as they were: a count, then the page (the same shape and parameters)
const list = (where: string, args: unknown[], limit: number) => {
  db.prepare(`SELECT COUNT(*) AS n FROM events e ${where}`).get(...args);
  return db.prepare(`${BEFORE} ${where} ORDER BY e.reported_at DESC, ${idOrder('e.id', 'DESC')} LIMIT ? OFFSET ?`).all(...args, limit, 0);
};
const before = {
  get: (id: string) => db.prepare(`${BEFORE} WHERE e.id = ?`).get(id),
  page: () => list('', [], 100),
  all: () => list(`WHERE e.status IN (${open})`, statuses, 100_000),
};
const repo = new EventsRepo(Store.onSqlite(db));
let n = 0;
const sample = () => ids[(n++ * 7919) % ids.length]!;

process.stdout.write(`${ids.length} cases, ${Math.min(ids.length, Number(values.assigned))} assigned; ${RUNS} runs each, in turn (median)\n`);
const rows: Array<[string, number, number]> = [
  ['get', ...(await medians(() => before.get(sample()), () => repo.get(sample())))],
  ['page', ...(await medians(() => before.page(), () => repo.list({ page: 1, pageSize: 100 })))],
  ['all open', ...(await medians(() => before.all(), () => repo.list({ status: statuses, page: 1, pageSize: 100_000 })))],
];
for (const [name, raw, now] of rows) process.stdout.write(`${name.padEnd(9)} before ${raw.toFixed(3)} ms · now ${now.toFixed(3)} ms · ×${(now / raw).toFixed(2)}\n`);
db.close();
if (temp) rmSync(temp, { recursive: true, force: true });
