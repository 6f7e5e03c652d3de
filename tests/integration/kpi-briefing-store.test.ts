import { describe, expect, it } from 'vitest';
import type { Scope } from '../../shared/contracts/auth.js';
import { openDatabase, type Db } from '../../server/src/db/connection.js';
import { Store } from '../../server/src/db/store.js';
import { BriefingRepo } from '../../server/src/modules/briefing/briefing.repo.js';
import { BriefingService } from '../../server/src/modules/briefing/briefing.service.js';
import type { DemoOptions } from '../../server/src/modules/demo/demo-options.js';
import { seedDemo } from '../../server/src/modules/demo/seed.js';
import { KpiRepo, type KpiSqlGroup } from '../../server/src/modules/kpi/kpi.repo.js';
import { rollUpTowns } from '../../server/src/modules/kpi/kpi.service.js';
import { OverviewRepo } from '../../server/src/modules/overview/overview.repo.js';
import { RegionIndex, type IndexedRegion } from '../../server/src/modules/regions/region-index.js';
import { SettingsRepo } from '../../server/src/modules/settings/settings.repo.js';
import { cleanupAfterAll, SMALL_COUNTY } from './harness.js';
import { SMALL_PLATFORM } from './platform-fixture.js';
import { postgresCopy, usePostgres } from './postgres.js';

/**
 * The KPI, wall (overview) and briefing repositories answer the same on both dialects: a seeded
 * platform (a city, three counties) and a seeded county are copied from SQLite to PostgreSQL with
 * copySqliteToPostgres, and every method is called on both with the scopes the routes pass (the
 * whole platform, no town, one town, a county's towns, the city's towns), every grouping, and
 * periods of whole China days, a shift's hours, a week, one reaching past the seed's last day
 * and one with no case at all. China-day bucketing (date(t, '+8 hours') against to_char), counts
 * of conditions (SUM/TOTAL against COUNT(*) FILTER), flags, JSON reads and the orders are what
 * differ between the dialects; every answer must be equal, row for row and in the same order.
 */

const pg = usePostgres();
const { tempDir, later } = cleanupAfterAll();

const iso = (s: string) => new Date(s);
/** [from, to) of China days, as the routes compute them (00:00 China time is 16:00Z the day before). */
const chinaDays = (first: string, lastExclusive: string) => ({ from: iso(`${first}T00:00:00+08:00`), to: iso(`${lastExclusive}T00:00:00+08:00`) });

/** The seeds' history ends at asOf 2026-11-20 00:00 China time, two days long. */
const PERIODS: Array<{ name: string; from: Date; to: Date }> = [
  { name: 'day 11-18', ...chinaDays('2026-11-18', '2026-11-19') },
  { name: 'day 11-19', ...chinaDays('2026-11-19', '2026-11-20') },
  { name: 'day shift 11-19 08:30–17:30', from: iso('2026-11-19T08:30:00+08:00'), to: iso('2026-11-19T17:30:00+08:00') },
  { name: 'night shift 11-18 17:30 – 11-19 08:30', from: iso('2026-11-18T17:30:00+08:00'), to: iso('2026-11-19T08:30:00+08:00') },
  { name: 'week to 11-20', ...chinaDays('2026-11-13', '2026-11-20') },
  { name: 'past the seed (due dates after asOf)', ...chinaDays('2026-11-17', '2026-11-27') },
  { name: 'no case at all', ...chinaDays('2025-06-01', '2025-06-02') },
];
/** The instants a standing figure is read at: mid-history, the seed's end, after every deadline. */
const INSTANTS = [iso('2026-11-19T12:00:00+08:00'), iso('2026-11-20T00:00:00+08:00'), iso('2026-11-20T09:15:00+08:00'), iso('2027-02-01T00:00:00+08:00')];
const SQL_GROUPS: Array<KpiSqlGroup | null> = [null, 'town', 'village', 'grid', 'team', 'worker', 'teamType'];

interface Pair {
  db: Db;
  lite: Store;
  post: Store;
  regions: RegionIndex;
  /** name → towns (null: the whole platform), as the routes pass them. */
  scopes: Array<[string, string[] | null]>;
}

async function seededPair(options: DemoOptions, name: string): Promise<Pair> {
  const db = openDatabase(`${tempDir()}/${name}.sqlite`);
  later(() => db.close());
  seedDemo(db, options);
  const lite = Store.onSqlite(db);
  const post = await postgresCopy(pg.cluster, db, later);
  const regions = new RegionIndex(
    db.prepare(`SELECT id, code, name, level, parent_id AS parentId FROM regions WHERE level IN ('province', 'city', 'county', 'town') ORDER BY code`).all() as IndexedRegion[],
  );
  const towns = db.prepare("SELECT id FROM regions WHERE level = 'town' ORDER BY code").all().map((r) => (r as { id: string }).id);
  const uppers = db.prepare("SELECT id, level FROM regions WHERE level IN ('city', 'county') ORDER BY code").all() as Array<{ id: string; level: string }>;
  const scopes: Array<[string, string[] | null]> = [
    ['whole platform', null],
    ['no town', []],
    ['one town', [towns[0]!]],
    ['two towns', [towns[1]!, towns[towns.length - 1]!]],
    ...uppers.map((u): [string, string[]] => [`area ${u.level} ${u.id}`, regions.townsUnder(u.id)]),
  ];
  return { db, lite, post, regions, scopes };
}

/** Calls `read` on both stores and expects the same answer; returns it (the SQLite one). */
async function same<T>(what: string, read: (store: Store) => Promise<T>, pair: Pair): Promise<T> {
  const fromSqlite = await read(pair.lite);
  const fromPostgres = await read(pair.post);
  expect(fromPostgres, what).toEqual(fromSqlite);
  return fromSqlite;
}

/** Counts answers that were not empty: the fixture must give the comparisons something to compare. */
function nonEmpty(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  if (value && typeof value === 'object') return Object.values(value).some((v) => (typeof v === 'number' ? v > 0 : nonEmpty(v)));
  return typeof value === 'number' ? value > 0 : Boolean(value);
}

async function kpiParity(pair: Pair): Promise<{ compared: number; filled: number }> {
  let compared = 0;
  let filled = 0;
  const check = async <T>(what: string, read: (repo: KpiRepo) => Promise<T>) => {
    const value = await same(what, (s) => read(new KpiRepo(s)), pair);
    compared += 1;
    if (nonEmpty(value)) filled += 1;
    return value;
  };
  for (const p of PERIODS) {
    for (const [scopeName, towns] of pair.scopes) {
      for (const groupBy of SQL_GROUPS) await check(`kpi counts ${p.name} / ${scopeName} / ${groupBy}`, (r) => r.counts(p, towns, groupBy));
      // groupBy=county and city: the town rows rolled up through the region tree, as kpi.routes.ts does
      for (const level of ['county', 'city'] as const) {
        const areaOf = (town: string) => {
          const id = level === 'county' ? pair.regions.countyOf(town) : pair.regions.cityOf(town);
          const region = id === null ? undefined : pair.regions.get(id);
          return region ? { id: region.id, name: region.name } : null;
        };
        await check(`kpi counts ${p.name} / ${scopeName} / ${level}`, async (r) => rollUpTowns(await r.counts(p, towns, 'town'), areaOf));
      }
      await check(`grid workers ${p.name} / ${scopeName}`, (r) => r.gridWorkers(p, towns));
    }
  }
  return { compared, filled };
}

async function overviewParity(pair: Pair): Promise<{ compared: number; filled: number }> {
  let compared = 0;
  let filled = 0;
  const check = async <T>(what: string, read: (repo: OverviewRepo) => Promise<T>) => {
    const value = await same(what, (s) => read(new OverviewRepo(s)), pair);
    compared += 1;
    if (nonEmpty(value)) filled += 1;
    return value;
  };
  for (const [scopeName, towns] of pair.scopes) {
    await check(`teams / ${scopeName}`, (r) => r.teams(towns));
    for (const now of INSTANTS) await check(`state ${now.toISOString()} / ${scopeName}`, (r) => r.state(now, towns));
    for (const p of PERIODS) {
      await check(`flows ${p.name} / ${scopeName}`, (r) => r.flows(p, towns));
      await check(`reported per day ${p.name} / ${scopeName}`, (r) => r.perDay('reported_at', p, towns));
      await check(`closed per day ${p.name} / ${scopeName}`, (r) => r.perDay('closed_at', p, towns));
      await check(`categories ${p.name} / ${scopeName}`, (r) => r.categories(p, towns));
      for (const now of INSTANTS) await check(`towns ${p.name} ${now.toISOString()} / ${scopeName}`, (r) => r.towns(p, now, towns));
    }
  }
  await check('units', (r) => r.units());
  const town = pair.scopes.find(([n]) => n === 'one town')![1]![0]!;
  for (const id of [town, 'no-such-town', pair.regions.root()!.id]) await check(`has town ${id}`, (r) => r.hasTown(id));
  return { compared, filled };
}

async function briefingParity(pair: Pair): Promise<{ compared: number; filled: number; steps: number }> {
  let compared = 0;
  let filled = 0;
  let steps = 0;
  const check = async <T>(what: string, read: (repo: BriefingRepo) => Promise<T>) => {
    const value = await same(what, (s) => read(new BriefingRepo(s)), pair);
    compared += 1;
    if (nonEmpty(value)) filled += 1;
    return value;
  };
  const uppers = pair.db.prepare("SELECT id FROM regions WHERE level IN ('city', 'county') ORDER BY code").all().map((r) => (r as { id: string }).id);
  for (const [scopeName, towns] of pair.scopes) {
    await check(`towns / ${scopeName}`, (r) => r.towns(towns));
    await check(`areas / ${scopeName}`, (r) => r.areas([...(towns ?? []), ...uppers]));
    for (const asOf of INSTANTS) await check(`standing ${asOf.toISOString()} / ${scopeName}`, (r) => r.standing(asOf.toISOString(), towns));
    for (const period of PERIODS) {
      const p = { from: period.from.toISOString(), to: period.to.toISOString() };
      // asOf is the period's end, or an earlier now (BriefingService asOfOf)
      for (const asOf of [p.to, '2026-11-19T12:00:00.000Z']) {
        const pa = { ...p, asOf };
        const what = `${period.name} as of ${asOf} / ${scopeName}`;
        await check(`map events ${what}`, (r) => r.mapEvents(pa, towns));
        await check(`reported cases ${what}`, (r) => r.reportedCases(pa, towns));
        for (const limit of [10, 3]) await check(`top items ${limit} ${what}`, (r) => r.topItems(pa, towns, limit));
        const notable = await check(`notable ${what}`, (r) => r.notable(pa, towns, 12));
        for (const n of notable.slice(0, 4)) {
          const timeline = await check(`steps ${n.id} ${asOf}`, (r) => r.steps(n.id, asOf));
          steps += timeline.length;
        }
      }
      await check(`activity ${period.name} / ${scopeName}`, (r) => r.activity(p, towns));
      for (const limit of [10, 2]) await check(`hot spots ${limit} ${period.name} / ${scopeName}`, (r) => r.hotSpots(p, towns, limit));
      await check(`teams ${period.name} / ${scopeName}`, (r) => r.teams(p, towns));
    }
  }
  await check('areas of none', (r) => r.areas([]));
  await check('steps of no case', (r) => r.steps('no-such-case', '2027-01-01T00:00:00.000Z'));
  return { compared, filled, steps };
}

/** The whole briefing (JSON figures, map, XLSX lists) as the routes and the automatic briefing build it, on both stores. */
async function serviceParity(pair: Pair): Promise<number> {
  const settings = new SettingsRepo(pair.lite);
  const service = (s: Store) => new BriefingService({ repo: new BriefingRepo(s), kpis: new KpiRepo(s), regions: pair.regions, settings });
  const county = pair.scopes.find(([n]) => n.startsWith('area county'))?.[1] ?? pair.scopes.find(([n]) => n === 'two towns')![1]!;
  const scopes: Scope[] = [{ kind: 'county' }, { kind: 'towns', towns: county, counties: [], areas: [] }];
  const now = iso('2026-11-20T09:15:00+08:00');
  let compared = 0;
  for (const scope of scopes) {
    for (const period of [PERIODS[2]!, PERIODS[3]!, PERIODS[1]!, PERIODS[6]!]) {
      const what = `${period.name} / ${scope.kind}`;
      const built = await same(`build ${what}`, (s) => service(s).build(period, scope, now), pair);
      await same(`map data ${what}`, (s) => service(s).mapData(period, scope, now), pair);
      await same(`reported cases ${what}`, (s) => service(s).reportedCases(period, scope, now, false), pair);
      await same(`open cases ${what}`, (s) => service(s).openCases(period, scope, now), pair);
      expect(built.byArea.length).toBeGreaterThan(0);
      compared += 4;
    }
  }
  return compared;
}

describe('KPI, overview and briefing repositories on SQLite and PostgreSQL', () => {
  for (const [fixture, options] of [
    ['a city platform (SMALL_PLATFORM)', SMALL_PLATFORM],
    ['a county (SMALL_COUNTY)', SMALL_COUNTY],
  ] as const) {
    it(`answers the same from both stores: ${fixture}`, async () => {
      const pair = await seededPair(options, fixture.includes('city') ? 'platform' : 'county');
      const kpis = await kpiParity(pair);
      const overview = await overviewParity(pair);
      const briefing = await briefingParity(pair);
      const service = await serviceParity(pair);
      // every comparison ran, and most had rows to compare (the empty period and scope give none)
      expect(kpis.compared).toBe(PERIODS.length * pair.scopes.length * (SQL_GROUPS.length + 3));
      expect(kpis.filled / kpis.compared).toBeGreaterThan(0.5);
      expect(overview.filled / overview.compared).toBeGreaterThan(0.5);
      expect(briefing.filled / briefing.compared).toBeGreaterThan(0.4);
      expect(briefing.steps).toBeGreaterThan(0);
      expect(service).toBe(32);
    }, 600_000);
  }
});
