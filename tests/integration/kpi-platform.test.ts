import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiError } from '../../shared/contracts/errors.js';
import type { GridWorkerResponse, KpiCounts, KpiResponse } from '../../shared/contracts/kpi.js';
import { computeKpis } from '../../shared/domain/kpi.js';
import { api, cleanupAfterAll, DEMO_PASSWORD, loginAs, startTestServer, type TestServer } from './harness.js';
import { seedPlatform } from './platform-fixture.js';
import { columnOf, valueOf } from './store-rows.js';
import { TestClock } from './workflow-driver.js';

const { later, tempDir } = cleanupAfterAll();

/** The platform's two seeded days (its "as of" is 2026-11-20, China time). */
const PERIOD = 'from=2026-11-18&to=2026-11-19';
const NOW = new Date('2026-11-20T12:00:00+08:00');
const ZERO: KpiCounts = { accepted: 0, filed: 0, dispatched: 0, due: 0, closed: 0, closedOnTime: 0, rework: 0, extended: 0 };
const add = (a: KpiCounts, b: KpiCounts): KpiCounts => Object.fromEntries(Object.keys(a).map((k) => [k, a[k as keyof KpiCounts] + b[k as keyof KpiCounts]])) as unknown as KpiCounts;

let server: TestServer;
/** county id → its towns, read from the regions table's parents (what the test trusts). */
let countyTowns: Map<string, string[]>;
let counties: Array<{ id: string; name: string }>;
const tokens = new Map<string, string>();

const kpis = (query: string, user = 'demo-lead', lang?: string) =>
  api<KpiResponse & ApiError>(server.url, `/api/v1/kpis?${query}`, { token: tokens.get(user), ...(lang ? { headers: { 'accept-language': lang } } : {}) });

/** The towns' rows of `GET /api/v1/kpis?groupBy=town` summed per county of the regions table. */
function summedPerCounty(towns: KpiResponse): Map<string, KpiCounts> {
  const sums = new Map<string, KpiCounts>();
  for (const g of towns.groups) {
    const county = [...countyTowns].find(([, ts]) => ts.includes(g.key))![0];
    sums.set(county, add(sums.get(county) ?? ZERO, g.counts));
  }
  return sums;
}

beforeAll(async () => {
  const dataDir = seedPlatform(tempDir());
  server = await startTestServer({ dataDir, clock: new TestClock(NOW.getTime()) });
  later(() => server.stop());
  counties = await server.store.all<{ id: string; name: string }>("SELECT id, name FROM regions WHERE level = 'county' ORDER BY code");
  countyTowns = new Map();
  for (const c of counties) countyTowns.set(c.id, await columnOf<string>(server.store, "SELECT id FROM regions WHERE level = 'town' AND parent_id = ? ORDER BY code", c.id));
  // a shift lead of the first county only, granted the county as an area
  const { auth, users } = server.handles;
  await auth.createUser(
    null,
    { username: 'county-lead', displayName: '县带班领导', password: DEMO_PASSWORD, roles: ['shift_lead'], scope: users.scopeOf([counties[0]!.id]) },
    { sourceIp: null, client: 'test' },
  );
  for (const u of ['demo-lead', 'county-lead', 'demo-town-dispatcher']) tokens.set(u, await loginAs(server.url, u));
});

describe('KPIs per county on a city platform', () => {
  it('gives each county the sum of its towns, with rates computed over the sum, and the same total', async () => {
    const [byCounty, byTown] = [await kpis(`${PERIOD}&groupBy=county`), await kpis(`${PERIOD}&groupBy=town`)];
    expect([byCounty.status, byTown.status]).toEqual([200, 200]);
    expect(byCounty.body.groupBy).toBe('county');
    const expected = summedPerCounty(byTown.body);
    expect(byCounty.body.groups.map((g) => g.key).sort()).toEqual(counties.map((c) => c.id));
    for (const g of byCounty.body.groups) {
      expect(g.name).toBe(counties.find((c) => c.id === g.key)!.name);
      expect(g.counts, g.name).toEqual(expected.get(g.key));
      expect(g.kpis, g.name).toEqual(computeKpis(g.counts));
    }
    expect(byCounty.body.total).toEqual(byTown.body.total);
    expect(byCounty.body.autoDispatch).toEqual(byTown.body.autoDispatch);
    // ranked as every grouping is: by on-time closure rate
    expect(byCounty.body.groups.map((g) => g.rank)).toEqual([...byCounty.body.groups.map((g) => g.rank)].sort((a, b) => a - b));
    // the period has cases in each county: the sums are of something
    expect(byCounty.body.groups.every((g) => g.counts.accepted > 0 && g.counts.due > 0)).toBe(true);
  });

  it('drills down from a county to its towns with `area`, each town as in the whole list and the total the county’s row', async () => {
    const [byCounty, byTown] = [await kpis(`${PERIOD}&groupBy=county`), await kpis(`${PERIOD}&groupBy=town`)];
    const county = counties[1]!;
    const drilled = await kpis(`${PERIOD}&groupBy=town&area=${county.id}`);
    expect(drilled.status).toBe(200);
    expect(drilled.body.groups.map((g) => g.key).sort()).toEqual(countyTowns.get(county.id));
    for (const g of drilled.body.groups) expect(g.counts).toEqual(byTown.body.groups.find((x) => x.key === g.key)!.counts);
    expect(drilled.body.total.counts).toEqual(byCounty.body.groups.find((g) => g.key === county.id)!.counts);
    // the city as an area is the whole platform
    const city = await valueOf<string>(server.store, "SELECT id FROM regions WHERE level = 'city'");
    expect((await kpis(`${PERIOD}&groupBy=county&area=${city}`)).body.groups).toEqual(byCounty.body.groups);
    // the grid workers follow the same area
    const workers = await api<GridWorkerResponse>(server.url, `/api/v1/kpis/grid-workers?${PERIOD}&area=${county.id}`, { token: tokens.get('demo-lead') });
    expect(workers.status).toBe(200);
    expect(workers.body.workers.length).toBeGreaterThan(0);
    expect(workers.body.workers.every((w) => countyTowns.get(county.id)!.includes(w.townId))).toBe(true);
  });

  it('exports the counties’ table as XLSX: its own sheet, the county column, each county’s counts, audited with the area', async () => {
    const byCounty = await kpis(`${PERIOD}&groupBy=county`);
    const res = await fetch(new URL(`/api/v1/kpis/export.xlsx?${PERIOD}&groupBy=county`, server.url), { headers: { authorization: `Bearer ${tokens.get('demo-lead')}` } });
    expect(res.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const sheet = wb.getWorksheet('按县（市、区）考评')!;
    expect(sheet).toBeDefined();
    expect(sheet.getRow(1).getCell(2).value).toBe('县（市、区）');
    expect(sheet.rowCount).toBe(byCounty.body.groups.length + 2);
    for (const [i, g] of byCounty.body.groups.entries()) {
      const row = sheet.getRow(i + 2);
      expect([row.getCell(2).value, row.getCell(3).value]).toEqual([g.name, g.counts.accepted]);
    }
    // named after the city, the platform's root
    const city = await valueOf<string>(server.store, "SELECT name FROM regions WHERE level = 'city'");
    expect(wb.getWorksheet('说明')!.getRow(1).getCell(2).value).toBe(`${city}按县（市、区）考评`);

    const drilled = await fetch(new URL(`/api/v1/kpis/export.xlsx?${PERIOD}&groupBy=town&area=${counties[0]!.id}`, server.url), { headers: { authorization: `Bearer ${tokens.get('demo-lead')}` } });
    expect(drilled.status).toBe(200);
    const audit = await valueOf<string>(server.store, "SELECT details FROM audit_log WHERE action = 'kpi:export' ORDER BY seq DESC LIMIT 1");
    expect(JSON.parse(audit)).toMatchObject({ area: counties[0]!.id, groupBy: 'town' });
  });

  it('keeps a county user to their county: one county row, their county’s towns, and a refusal for another county', async () => {
    const mine = counties[0]!;
    const byCounty = await kpis(`${PERIOD}&groupBy=county`, 'county-lead');
    expect(byCounty.status).toBe(200);
    expect(byCounty.body.groups.map((g) => g.key)).toEqual([mine.id]);
    expect((await kpis(`${PERIOD}&groupBy=town&area=${mine.id}`, 'county-lead')).body.groups.map((g) => g.key).sort()).toEqual(countyTowns.get(mine.id));

    const other = await kpis(`${PERIOD}&groupBy=town&area=${counties[1]!.id}`, 'county-lead');
    expect(other.status).toBe(403);
    expect(other.body.error).toMatchObject({ code: 'out_of_scope', fields: [{ field: 'area', code: 'out_of_scope' }] });
    const denial = await valueOf(server.store, "SELECT object_id FROM audit_log WHERE action = 'access:denied' ORDER BY seq DESC LIMIT 1");
    expect(denial).toBe(counties[1]!.id);
    // a county of no platform is refused the same way, so a county user learns nothing of other ids
    expect((await kpis(`${PERIOD}&area=339999`, 'county-lead')).status).toBe(403);
  });
});

describe('KPI groupings and areas a platform has not got', () => {
  it('refuses the cities of a city platform, an unknown area, and `area` with `town`: 400 naming the field, in both languages', async () => {
    const city = await kpis(`${PERIOD}&groupBy=city`);
    expect(city.status).toBe(400);
    expect(city.body.error.fields).toEqual([{ field: 'groupBy', code: 'no_city_level', message: expect.stringContaining('市') }]);
    const en = await kpis(`${PERIOD}&groupBy=city`, 'demo-lead', 'en');
    expect(en.body.error.fields![0]!.message).toMatch(/city/);
    expect((await api(server.url, `/api/v1/kpis/export.xlsx?${PERIOD}&groupBy=city`, { token: tokens.get('demo-lead') })).status).toBe(400);

    const unknown = await kpis(`${PERIOD}&area=339999`);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.fields).toEqual([{ field: 'area', code: 'unknown_area', message: expect.any(String) }]);
    const both = await kpis(`${PERIOD}&area=${counties[0]!.id}&town=${countyTowns.get(counties[0]!.id)![0]}`);
    expect(both.status).toBe(400);
    expect(both.body.error.fields![0]).toMatchObject({ field: 'area', code: 'area_with_town' });
  });

  it('refuses the counties of a county server (the default T县), which keeps its towns', async () => {
    const county = await startTestServer({ clock: new TestClock(NOW.getTime()) });
    later(() => county.stop());
    const res = await api<ApiError>(county.url, `/api/v1/kpis?${PERIOD}&groupBy=county`, { headers: { 'accept-language': 'en' } });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual([{ field: 'groupBy', code: 'no_county_level', message: expect.stringMatching(/county/) }]);
    const zh = await api<ApiError>(county.url, `/api/v1/kpis?${PERIOD}&groupBy=county`);
    expect(zh.body.error.fields![0]!.message).toMatch(/县/);
    expect((await api(county.url, `/api/v1/kpis?${PERIOD}&groupBy=town`)).status).toBe(200);
  });
});
