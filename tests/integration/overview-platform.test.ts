import { beforeAll, describe, expect, it } from 'vitest';
import type { KpiCounts, KpiResponse } from '../../shared/contracts/kpi.js';
import type { OverviewResponse } from '../../shared/contracts/overview.js';
import { computeKpis } from '../../shared/domain/kpi.js';
import type { Store } from '../../server/src/db/store.js';
import { api, cleanupAfterAll, startTestServer, type TestServer } from './harness.js';
import { SMALL_PLATFORM, seedPlatform } from './platform-fixture.js';
import { TestClock } from './workflow-driver.js';

const { later, tempDir } = cleanupAfterAll();

/** The seeded day before the platform's "as of" (2026-11-20, China time): cases reported, closed and overdue. */
const DAY = '2026-11-19';
/** The server's clock: noon of the as-of day, fixed (the state figures are read at it). */
const NOW = new Date('2026-11-20T12:00:00+08:00');

const ZERO: KpiCounts = { accepted: 0, filed: 0, dispatched: 0, due: 0, closed: 0, closedOnTime: 0, rework: 0, extended: 0 };
const add = (a: KpiCounts, b: KpiCounts): KpiCounts => Object.fromEntries(Object.keys(a).map((k) => [k, a[k as keyof KpiCounts] + b[k as keyof KpiCounts]])) as unknown as KpiCounts;

async function platform(options: typeof SMALL_PLATFORM): Promise<TestServer> {
  const dataDir = seedPlatform(tempDir(), options);
  const server = await startTestServer({ dataDir, clock: new TestClock(NOW.getTime()) });
  later(() => server.stop());
  return server;
}

/** The units' figures counted here, in SQL written for this test: reported and closed during DAY, overdue at NOW, per county or city. */
async function countedUnits(store: Store, level: 'county' | 'city'): Promise<Map<string, { name: string; reported: number; closed: number; overdueNow: number }>> {
  const unit = level === 'county' ? 'c' : 'y';
  const from = new Date(`${DAY}T00:00:00+08:00`).toISOString();
  const to = new Date(new Date(`${DAY}T00:00:00+08:00`).getTime() + 86_400_000).toISOString();
  const rows = await store.all<{ id: string; name: string; reported: number; closed: number; overdue: number }>(
    `SELECT ${unit}.id AS id, ${unit}.name AS name,
            SUM(CASE WHEN e.reported_at >= ? AND e.reported_at < ? THEN 1 ELSE 0 END) AS reported,
            SUM(CASE WHEN e.closed_at >= ? AND e.closed_at < ? THEN 1 ELSE 0 END) AS closed,
            SUM(CASE WHEN e.closed_at IS NULL AND e.status NOT IN ('closed', 'not_admitted', 'merged') AND e.deadline_at IS NOT NULL AND (e.deadline_at <= ? OR e.deadline_state = 'overdue') THEN 1 ELSE 0 END) AS overdue
       FROM events e JOIN regions t ON t.id = e.town_id JOIN regions c ON c.id = t.parent_id LEFT JOIN regions y ON y.id = c.parent_id
      GROUP BY ${unit}.id, ${unit}.name`,
    from,
    to,
    from,
    to,
    NOW.toISOString(),
  );
  return new Map(rows.map((r) => [r.id, { name: r.name, reported: r.reported, closed: r.closed, overdueNow: r.overdue }]));
}

/** The on-time rate of each unit from `GET /api/v1/kpis?groupBy=town`, its towns' counts summed. */
async function kpiRates(server: TestServer, townUnit: (townId: string) => string): Promise<Map<string, number | null>> {
  const res = await api<KpiResponse>(server.url, `/api/v1/kpis?from=${DAY}&to=${DAY}&groupBy=town`);
  expect(res.status).toBe(200);
  const sums = new Map<string, KpiCounts>();
  for (const g of res.body.groups) sums.set(townUnit(g.key), add(sums.get(townUnit(g.key)) ?? ZERO, g.counts));
  return new Map([...sums].map(([id, counts]) => [id, computeKpis(counts).onTimeClosureRate]));
}

describe('the wall’s ranking on a city platform', () => {
  let server: TestServer;
  let body: OverviewResponse;
  beforeAll(async () => {
    server = await platform(SMALL_PLATFORM);
    const res = await api<OverviewResponse>(server.url, `/api/v1/overview?date=${DAY}`);
    expect(res.status).toBe(200);
    body = res.body;
  });

  it('ranks the city’s counties with each county’s figures counted over its towns', async () => {
    expect(body.unitLevel).toBe('county');
    const counted = await countedUnits(server.store, 'county');
    expect(body.units.map((u) => u.unitId).sort()).toEqual([...counted.keys()].sort());
    for (const u of body.units) {
      const c = counted.get(u.unitId)!;
      expect({ name: u.name, level: u.level, reported: u.reported, closed: u.closed, overdueNow: u.overdueNow }, u.unitId).toEqual({ ...c, level: 'county' });
    }
    // the day has cases in every column somewhere: the comparison says something
    expect(body.units.reduce((n, u) => n + u.reported, 0)).toBeGreaterThan(0);
    expect(body.units.reduce((n, u) => n + u.closed, 0)).toBeGreaterThan(0);
    expect(body.units.reduce((n, u) => n + u.overdueNow, 0)).toBeGreaterThan(0);
    expect(body.units.some((u) => u.onTimeRate !== null)).toBe(true);
  });

  it('gives each county the on-time rate of its towns’ counts summed, and ranks as the KPI groups do', async () => {
    const countyOf = new Map((await server.store.all<{ id: string; parent_id: string }>("SELECT id, parent_id FROM regions WHERE level = 'town'")).map((r) => [r.id, r.parent_id]));
    const rates = await kpiRates(server, (town) => countyOf.get(town)!);
    for (const u of body.units) expect(u.onTimeRate, u.unitId).toBe(rates.get(u.unitId) ?? null);
    // best first: rates never rise down the list, nothing due (null) last, equal rates share a rank
    const order = body.units.map((u) => u.onTimeRate ?? -1);
    expect(order).toEqual([...order].sort((a, b) => b - a));
    expect(body.units[0]!.rank).toBe(1);
    for (let i = 1; i < body.units.length; i++) expect(body.units[i]!.rank).toBeGreaterThanOrEqual(body.units[i - 1]!.rank);
  });

  it('keeps the towns for older clients, and ranks no units for one town', async () => {
    expect(body.towns.length).toBe((await server.store.get<{ n: number }>("SELECT COUNT(*) AS n FROM regions WHERE level = 'town'"))!.n);
    const town = body.towns[0]!.townId;
    const one = await api<OverviewResponse>(server.url, `/api/v1/overview?date=${DAY}&town=${town}`);
    expect(one.status).toBe(200);
    expect(one.body).toMatchObject({ unitLevel: null, units: [] });
  });
});

describe('the wall’s ranking on a province of two cities', () => {
  it('ranks the cities, each over its counties’ towns', async () => {
    const server = await platform({ ...SMALL_PLATFORM, cities: 2, counties: 4 });
    const res = await api<OverviewResponse>(server.url, `/api/v1/overview?date=${DAY}`);
    expect(res.status).toBe(200);
    expect(res.body.unitLevel).toBe('city');
    const counted = await countedUnits(server.store, 'city');
    expect(res.body.units.map((u) => [u.unitId, u.level]).sort()).toEqual([...counted.keys()].sort().map((id) => [id, 'city']));
    for (const u of res.body.units) expect({ reported: u.reported, closed: u.closed, overdueNow: u.overdueNow }, u.unitId).toEqual({ reported: counted.get(u.unitId)!.reported, closed: counted.get(u.unitId)!.closed, overdueNow: counted.get(u.unitId)!.overdueNow });
    const cityOf = new Map(
      (await server.store.all<{ id: string; city: string }>("SELECT t.id AS id, c.parent_id AS city FROM regions t JOIN regions c ON c.id = t.parent_id WHERE t.level = 'town'")).map((r) => [r.id, r.city]),
    );
    const rates = await kpiRates(server, (town) => cityOf.get(town)!);
    for (const u of res.body.units) expect(u.onTimeRate, u.unitId).toBe(rates.get(u.unitId) ?? null);
  });
});
