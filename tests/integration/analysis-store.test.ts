import { describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../server/src/db/connection.js';
import { copySqliteToPostgres } from '../../server/src/db/copy-to-postgres.js';
import { openStore, Store } from '../../server/src/db/store.js';
import type { DemoOptions } from '../../server/src/modules/demo/demo-options.js';
import { seedDemo } from '../../server/src/modules/demo/seed.js';
import { AnalysisRepo } from '../../server/src/modules/analysis/analysis.repo.js';
import { AnalysisService } from '../../server/src/modules/analysis/analysis.service.js';
import type { AnalysisScope, TrendUnit } from '../../shared/contracts/analysis.js';
import { addDays, type DayRange } from '../../shared/domain/calendar-days.js';
import { cleanupAfterAll, SMALL_COUNTY } from './harness.js';
import { SMALL_PLATFORM } from './platform-fixture.js';
import { usePostgres } from './postgres.js';

/**
 * The analysis repository answers the same on both dialects: a county and a city platform are
 * seeded on SQLite (with a few cases added at the edges the SQL cares about: a China midnight to
 * the millisecond, the repeat window's first instant, ties in time, overdue cases without a
 * deadline, merged and voided reports), copied to PostgreSQL with copySqliteToPostgres, and
 * every read made on both stores over several periods and scopes, empty answers included, then
 * the service's figures (trend, mix, hours, hot spots, agenda) compared as the routes give them.
 */

const pg = usePostgres();
const { tempDir, later } = cleanupAfterAll();

type Row = Record<string, unknown>;

/** A copy of case `id` under a new id and seq, with `changes` applied. */
function cloneCase(db: Db, id: string, newId: string, changes: Row): void {
  const row = db.prepare('SELECT * FROM events WHERE id = ?').get(id) as Row;
  const seq = (db.prepare('SELECT MAX(seq) AS s FROM events').get() as { s: number }).s + 1;
  const next: Row = { ...row, ...changes, id: newId, seq };
  const cols = Object.keys(next);
  db.prepare(`INSERT INTO events (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`).run(...cols.map((c) => next[c]));
}

const iso = (at: number) => new Date(at).toISOString();
const DAY = 86_400_000;

/**
 * Cases at the edges, cloned from the seeded ones (their places, items and teams stay valid):
 *  - the last instant of a China day and the first of the next (15:59:59.999Z / 16:00:00.000Z),
 *    for the day and hour buckets, with filing, dispatch and closing on the same edges;
 *  - for the newest case of a micro-grid: one of its item exactly `windowDays` before it (inside
 *    the repeat window), one a millisecond earlier (outside), a voided one, and a merged one;
 *  - two cases at the same instant in the same grid and item (ties broken by id);
 *  - open cases overdue without a deadline, past it, at it exactly, and supervised.
 */
function addEdges(db: Db, windowDays: number): { newest: string; now: Date } {
  const base = db.prepare("SELECT id, reported_at FROM events WHERE status NOT IN ('not_admitted','merged','void') ORDER BY reported_at DESC, id DESC LIMIT 1").get() as { id: string; reported_at: string };
  const open = db.prepare("SELECT id FROM events WHERE status IN ('accepted','filed','dispatched','in_progress') ORDER BY id LIMIT 3").all() as Array<{ id: string }>;
  const t = Date.parse(base.reported_at);
  const midnight = Date.parse(`${new Date(t + 8 * 3_600_000).toISOString().slice(0, 10)}T00:00:00.000+08:00`);
  const closedCols = (at: number) => ({ filed_at: iso(at), dispatched_at: iso(at), closed_at: iso(at), status: 'closed', updated_at: iso(at) });
  cloneCase(db, base.id, 'EVEDGE0001', { reported_at: iso(midnight - 1), ...closedCols(midnight - 1) });
  cloneCase(db, base.id, 'EVEDGE0002', { reported_at: iso(midnight), ...closedCols(midnight) });
  cloneCase(db, base.id, 'EVEDGE0003', { reported_at: iso(t - windowDays * DAY), ...closedCols(t - windowDays * DAY) });
  cloneCase(db, base.id, 'EVEDGE0004', { reported_at: iso(t - windowDays * DAY - 1), ...closedCols(t - windowDays * DAY - 1) });
  cloneCase(db, base.id, 'EVEDGE0005', { reported_at: iso(t - 2 * DAY), status: 'void' });
  cloneCase(db, base.id, 'EVEDGE0006', { reported_at: iso(t - 3 * DAY), status: 'merged', master_id: base.id });
  cloneCase(db, base.id, 'EVEDGE0007', { reported_at: iso(t - DAY), status: 'reported' });
  cloneCase(db, base.id, 'EVEDGE0008', { reported_at: iso(t - DAY), status: 'reported' });
  cloneCase(db, base.id, 'EVEDGE0009', { reported_at: iso(t - 5 * DAY), status: 'not_admitted' });
  const now = new Date(t + 3_600_000);
  cloneCase(db, open[0]!.id, 'EVEDGE0010', { status: 'in_progress', deadline_state: 'overdue', deadline_at: null, supervised: 1 });
  cloneCase(db, open[1]!.id, 'EVEDGE0011', { status: 'dispatched', deadline_state: 'ok', deadline_at: iso(now.getTime() - 60_000) });
  cloneCase(db, open[2]!.id, 'EVEDGE0012', { status: 'filed', deadline_state: 'warning', deadline_at: now.toISOString(), supervised: 1 });
  return { newest: base.id, now };
}

interface Pair {
  db: Db;
  lite: AnalysisRepo;
  pg: AnalysisRepo;
  /** The seeded towns, in code order, with their counties (6-digit code prefix). */
  towns: Array<{ id: string; county: string }>;
  /** The China day of the newest case. */
  lastDay: string;
  /** The newest seeded case, which the edge cases repeat. */
  newest: string;
  /** An hour after the newest seeded case: EVEDGE0011 is a minute past its deadline, EVEDGE0012 at it. */
  now: Date;
}

async function seeded(name: string, options: DemoOptions, windowDays: number): Promise<Pair> {
  const db = openDatabase(`${tempDir()}/${name}.sqlite`);
  later(() => db.close());
  seedDemo(db, options);
  const { newest, now } = addEdges(db, windowDays);
  const postgres = openStore(await pg.cluster.createDatabase());
  later(() => postgres.close());
  await copySqliteToPostgres(db, postgres);
  const towns = (db.prepare("SELECT id, substr(code, 1, 6) AS county FROM regions WHERE level = 'town' ORDER BY code").all() as Array<{ id: string; county: string }>);
  const last = (db.prepare("SELECT MAX(reported_at) AS at FROM events").get() as { at: string }).at;
  const lastDay = new Date(Date.parse(last) + 8 * 3_600_000).toISOString().slice(0, 10);
  return { db, lite: new AnalysisRepo(Store.onSqlite(db)), pg: new AnalysisRepo(postgres), towns, lastDay, newest, now };
}

/** Reads with `read` on both stores, expects the same answer, returns it (SQLite's). */
async function same<T>(pair: Pair, what: string, read: (repo: AnalysisRepo) => Promise<T>): Promise<T> {
  const lite = await read(pair.lite);
  const post = await read(pair.pg);
  expect(post, what).toEqual(lite);
  return lite;
}

const size = (x: unknown): number => (x instanceof Map ? x.size : Array.isArray(x) ? x.length : 0);

/**
 * Every repository read over the periods and scopes given; returns how many reads were not empty
 * and how many were, so the caller can check both kinds were exercised.
 */
async function compareReads(pair: Pair, periods: DayRange[], scopes: Array<readonly string[] | null>, windowDays: number) {
  const tally = { nonEmpty: 0, empty: 0, hotSpotRows: 0, repeatRows: 0, overdueRows: 0, supervisedRows: 0 };
  const count = (x: unknown) => (size(x) > 0 ? (tally.nonEmpty += 1) : (tally.empty += 1));
  count(await same(pair, 'categoryNames', (r) => r.categoryNames()));
  for (const towns of scopes) {
    const label = towns ? `towns ${towns.join(',') || '(none)'}` : 'all';
    for (const period of periods) {
      const at = `${label} ${period.from}…${period.to}`;
      const flows = await same(pair, `dailyFlows ${at}`, (r) => r.dailyFlows([period, { from: addDays(period.from, -365), to: addDays(period.to, -365) }], towns));
      count(flows.reported);
      count(await same(pair, `mix ${at}`, (r) => r.mix(period, towns)));
      count(await same(pair, `hours ${at}`, (r) => r.hours(period, towns)));
      for (const min of [1, 2, 3, 1000]) {
        const rows = await same(pair, `hotSpotCases ${at} min ${min}`, (r) => r.hotSpotCases(period, towns, min));
        count(rows);
        if (min >= 2) tally.hotSpotRows += rows.length;
        const grids = await same(pair, `grids ${at} min ${min}`, (r) => r.grids([...new Set(rows.map((h) => h.grid_id))]));
        count(grids);
        count(await same(pair, `regionNames ${at} min ${min}`, (r) => r.regionNames([...new Set(rows.map((h) => h.micro_grid_id))])));
      }
    }
    for (const days of [0, 1, 2, 3, 7]) {
      const day = addDays(pair.lastDay, -days);
      for (const window of [windowDays, 7, 1]) {
        const rows = await same(pair, `repeats ${label} ${day} window ${window}`, (r) => r.repeats({ from: day, to: day }, window, towns));
        count(rows);
        tally.repeatRows += rows.length;
      }
    }
    for (const now of [pair.now, new Date(pair.now.getTime() - 60_001), new Date('2020-01-01T00:00:00Z'), new Date(pair.now.getTime() + 3 * DAY)]) {
      const rows = await same(pair, `overdue ${label} ${now.toISOString()}`, (r) => r.overdue(now, towns));
      count(rows);
      tally.overdueRows += rows.length;
    }
    const supervised = await same(pair, `supervised ${label}`, (r) => r.supervised(towns));
    count(supervised);
    tally.supervisedRows += supervised.length;
  }
  return tally;
}

/** The service's figures as the routes compute them, on both stores. */
async function compareFigures(pair: Pair, scopes: Array<{ town: string | null; towns: readonly string[] | null }>) {
  const lite = new AnalysisService(pair.lite);
  const post = new AnalysisService(pair.pg);
  const both = async <T>(what: string, f: (s: AnalysisService) => Promise<T>) => expect(await f(post), what).toEqual(await f(lite));
  for (const { town, towns } of scopes) {
    for (const [from, to] of [
      [addDays(pair.lastDay, -6), pair.lastDay],
      [addDays(pair.lastDay, -29), pair.lastDay],
      ['2025-01-01', '2025-01-31'],
    ] as const) {
      const scope: AnalysisScope = { from, to, town };
      for (const unit of ['day', 'week', 'month'] as TrendUnit[]) await both(`trend ${unit} ${from}`, (s) => s.trend(scope, unit, towns));
      await both(`mix zh ${from}`, (s) => s.mix(scope, towns, 'zh-CN'));
      await both(`mix en ${from}`, (s) => s.mix(scope, towns, 'en'));
      await both(`hours ${from}`, (s) => s.hours(scope, towns));
      await both(`hot spots ${from}`, (s) => s.hotSpots(scope, towns, 2, 100));
    }
    for (const days of [0, 1, 5]) {
      const date = addDays(pair.lastDay, -days);
      await both(`agenda ${date}`, (s) => s.agenda(date, { town: null, area: { id: 'x', name: 'x' } }, towns, pair.now));
    }
  }
}

describe('AnalysisRepo on SQLite and PostgreSQL', () => {
  it('reads the same figures of a county from both stores', async () => {
    const windowDays = 30;
    const pair = await seeded('county', { ...SMALL_COUNTY, days: 40 }, windowDays);
    const towns = pair.towns.map((t) => t.id);
    expect(towns.length).toBe(3);
    const periods: DayRange[] = [
      { from: pair.lastDay, to: pair.lastDay },
      { from: addDays(pair.lastDay, -1), to: addDays(pair.lastDay, -1) },
      { from: addDays(pair.lastDay, -6), to: pair.lastDay },
      { from: addDays(pair.lastDay, -29), to: pair.lastDay },
      { from: addDays(pair.lastDay, -60), to: addDays(pair.lastDay, 5) },
      { from: '2025-01-01', to: '2025-01-31' },
    ];
    const tally = await compareReads(pair, periods, [null, [towns[0]!], [towns[1]!, towns[2]!], []], windowDays);
    expect(tally.nonEmpty).toBeGreaterThan(100);
    expect(tally.empty).toBeGreaterThan(20);
    expect(tally.hotSpotRows).toBeGreaterThan(0);
    expect(tally.repeatRows).toBeGreaterThan(0);
    expect(tally.overdueRows).toBeGreaterThan(0);
    expect(tally.supervisedRows).toBeGreaterThan(0);

    // the edges were met (on both stores, compared above)
    const repeat = (await pair.pg.repeats({ from: pair.lastDay, to: pair.lastDay }, windowDays, null)).find((r) => r.id === pair.newest);
    expect(repeat?.earlier).toContain('EVEDGE0003:closed');
    expect(repeat?.earlier).not.toContain('EVEDGE0004');
    expect(repeat?.earlier).not.toMatch(/EVEDGE000[569]/);
    expect(repeat?.earlier.indexOf('EVEDGE0008')).toBeLessThan(repeat!.earlier.indexOf('EVEDGE0007'));
    // China midnight to the millisecond: 23 h of the day before, 0 h of the day
    expect((await pair.pg.hours({ from: pair.lastDay, to: pair.lastDay }, null)).some((r) => r.h === 0)).toBe(true);
    expect((await pair.pg.hours({ from: addDays(pair.lastDay, -1), to: addDays(pair.lastDay, -1) }, null)).some((r) => r.h === 23)).toBe(true);
    const overdue = await pair.pg.overdue(pair.now, null);
    expect(overdue[0]?.id).toBe('EVEDGE0010');
    expect(overdue.map((r) => r.id)).toEqual(expect.arrayContaining(['EVEDGE0011', 'EVEDGE0012']));

    await compareFigures(pair, [
      { town: null, towns: null },
      { town: towns[0]!, towns: [towns[0]!] },
    ]);
  });

  it('reads the same figures of a city platform from both stores, by city, county and town', async () => {
    const windowDays = 30;
    const pair = await seeded('platform', { ...SMALL_PLATFORM, days: 12 }, windowDays);
    const counties = [...new Set(pair.towns.map((t) => t.county))];
    expect(counties.length).toBe(3);
    const county = (c: string) => pair.towns.filter((t) => t.county === c).map((t) => t.id);
    const periods: DayRange[] = [
      { from: pair.lastDay, to: pair.lastDay },
      { from: addDays(pair.lastDay, -6), to: pair.lastDay },
      { from: addDays(pair.lastDay, -14), to: pair.lastDay },
      { from: '2025-06-01', to: '2025-06-07' },
    ];
    const tally = await compareReads(pair, periods, [null, county(counties[0]!), county(counties[2]!), [pair.towns[4]!.id]], windowDays);
    expect(tally.nonEmpty).toBeGreaterThan(50);
    expect(tally.empty).toBeGreaterThan(10);
    expect(tally.hotSpotRows).toBeGreaterThan(0);
    expect(tally.repeatRows).toBeGreaterThan(0);
    await compareFigures(pair, [
      { town: null, towns: null },
      { town: null, towns: county(counties[1]!) },
    ]);
  });
});
