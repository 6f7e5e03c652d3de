import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AgendaResponse } from '../../shared/contracts/analysis.js';
import type { BriefingCounts, BriefingResponse } from '../../shared/contracts/briefing.js';
import type { KpiCounts } from '../../shared/contracts/kpi.js';
import { computeKpis } from '../../shared/domain/kpi.js';
import { api, cleanupAfterAll, DEMO_PASSWORD, loginAs, startTestServer, type TestServer } from './harness.js';
import { seedPlatform } from './platform-fixture.js';
import { columnOf, valueOf } from './store-rows.js';
import { TestClock } from './workflow-driver.js';

const { later, tempDir } = cleanupAfterAll();

/** The platform's last seeded day (its "as of" is 2026-11-20, China time), read at noon of the next. */
const PERIOD = 'from=2026-11-19&to=2026-11-19';
const NOW = new Date('2026-11-20T12:00:00+08:00');

const sum = <T extends object>(rows: T[]): T =>
  rows.reduce((s, r) => Object.fromEntries(Object.keys(r).map((k) => [k, (s[k as keyof T] as number) + (r[k as keyof T] as number)])) as T);

let server: TestServer;
let city: { id: string; name: string };
let counties: Array<{ id: string; name: string }>;
const tokens = new Map<string, string>();

const get = async <T>(path: string, user = 'demo-lead') => {
  const res = await api<T>(server.url, path, { token: tokens.get(user) });
  expect(res.status, path).toBe(200);
  return res.body;
};
const download = async (path: string, user = 'demo-lead') => {
  const res = await fetch(new URL(path, server.url), { headers: { authorization: `Bearer ${tokens.get(user)}` } });
  expect(res.status, path).toBe(200);
  return Buffer.from(await res.arrayBuffer());
};

beforeAll(async () => {
  const dataDir = seedPlatform(tempDir());
  server = await startTestServer({ dataDir, clock: new TestClock(NOW.getTime()), config: { briefingDir: join(dataDir, 'briefings') } });
  later(() => server.stop());
  city = (await server.store.get<{ id: string; name: string }>("SELECT id, name FROM regions WHERE level = 'city'"))!;
  counties = await server.store.all<{ id: string; name: string }>("SELECT id, name FROM regions WHERE level = 'county' ORDER BY code");
  // a shift lead of each county, granted the county as an area
  for (const [i, c] of counties.entries()) {
    await server.handles.auth.createUser(
      null,
      { username: `county-lead-${i}`, displayName: `县带班领导${i}`, password: DEMO_PASSWORD, roles: ['shift_lead'], scope: server.handles.users.scopeOf([c.id]) },
      { sourceIp: null, client: 'test' },
    );
    tokens.set(`county-lead-${i}`, await loginAs(server.url, `county-lead-${i}`));
  }
  tokens.set('demo-lead', await loginAs(server.url, 'demo-lead'));
});

describe('the shift briefing on a city platform', () => {
  it('is named after the city and ranks its counties, each with the figures its own county lead’s briefing has', async () => {
    const b = await get<BriefingResponse>(`/api/v1/briefings?${PERIOD}`);
    expect(b.area).toEqual({ id: city.id, name: city.name, level: 'city' });
    expect(b.areaLevel).toBe('county');
    expect(b.byArea.map((a) => [a.id, a.name])).toEqual(counties.map((c) => [c.id, c.name]));
    for (const [i, c] of counties.entries()) {
      const own = await get<BriefingResponse>(`/api/v1/briefings?${PERIOD}`, `county-lead-${i}`);
      // a county lead's briefing is their county's, ranking its towns
      expect(own.area).toEqual({ id: c.id, name: c.name, level: 'county' });
      expect(own.areaLevel).toBe('town');
      expect(own.byArea.length).toBeGreaterThan(1);
      const row = b.byArea.find((a) => a.id === c.id)!;
      expect({ counts: row.counts, kpiCounts: row.kpiCounts, kpis: row.kpis }, c.name).toEqual({ counts: own.counts, kpiCounts: own.kpiCounts, kpis: own.kpis });
    }
    // the counties add up to the city, and the day has something in it
    expect(sum(b.byArea.map((a) => a.counts))).toEqual<BriefingCounts>(b.counts);
    expect(sum(b.byArea.map((a) => a.kpiCounts))).toEqual<KpiCounts>(b.kpiCounts);
    expect(b.kpis).toEqual(computeKpis(b.kpiCounts));
    expect(b.counts.reported).toBeGreaterThan(0);
  });

  it('exports the counties: the XLSX sheet and title, the CSV rows, the map’s county outlines', async () => {
    const b = await get<BriefingResponse>(`/api/v1/briefings?${PERIOD}`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await download(`/api/v1/briefings/export.xlsx?${PERIOD}`)) as unknown as ArrayBuffer);
    expect(wb.getWorksheet('摘要')!.getRow(1).getCell(1).value).toBe(`${city.name}社会治理综合指挥中心 交班简报`);
    const sheet = wb.getWorksheet('各县（市、区）指标')!;
    expect(sheet.getRow(1).getCell(1).value).toBe('县（市、区）');
    expect(sheet.rowCount).toBe(counties.length + 2);
    for (const [i, a] of b.byArea.entries()) expect([sheet.getRow(i + 2).getCell(1).value, sheet.getRow(i + 2).getCell(2).value]).toEqual([a.name, a.counts.reported]);
    expect(wb.getWorksheet('各镇街指标')).toBeUndefined();

    const csv = (await download(`/api/v1/briefings/export.csv?${PERIOD}`)).subarray(3).toString('utf8').trim().split('\r\n').map((l) => l.split(','));
    expect(csv[0]!.slice(0, 2)).toEqual(['范围', '县（市、区）编码']);
    expect(csv.slice(2).map((r) => [r[0], r[1], r[5]])).toEqual(b.byArea.map((a) => [a.name, a.id, String(a.counts.reported)]));

    const svg = (await download(`/api/v1/briefings/map.svg?${PERIOD}`)).toString('utf8');
    expect([...svg.matchAll(/data-county="(\d+)"/g)].map((m) => m[1])).toEqual(counties.map((c) => c.id));
    expect(svg).not.toMatch(/data-town=/);
    for (const c of counties) expect(svg).toContain(`>${c.name}</text>`);
  });

  it('draws a county lead’s map as its towns, with the city’s other towns faintly around them', async () => {
    const svg = (await download(`/api/v1/briefings/map.svg?${PERIOD}`, 'county-lead-0')).toString('utf8');
    const towns = await columnOf<string>(server.store, "SELECT id FROM regions WHERE level = 'town' AND parent_id = ? ORDER BY code", counties[0]!.id);
    expect([...svg.matchAll(/data-town="(\d+)"/g)].map((m) => m[1])).toEqual(towns);
    expect(svg).not.toMatch(/data-county=/);
    const all = await valueOf<number>(server.store, "SELECT COUNT(*) AS n FROM regions WHERE level = 'town'");
    const around = /<g data-layer="around"[^>]*>([\s\S]*?)<\/g>/.exec(svg)![1]!;
    expect(around.match(/<path /g)).toHaveLength(all - towns.length);
  });

  it('the automatic briefing at the shift’s end is the whole platform’s, named after the city', async () => {
    // the night shift ended at 08:30: written as the server started, or now
    await server.handles.autoBriefing!.writeDue();
    const json = JSON.parse(readFileSync(join(server.dataDir, 'briefings', '交班简报_20261119_1730-20261120_0830.json'), 'utf8')) as BriefingResponse;
    expect(json.area).toEqual({ id: city.id, name: city.name, level: 'city' });
    expect(json.byArea.map((a) => a.id)).toEqual(counties.map((c) => c.id));
  });

  it('titles the daily meeting’s agenda after the city, or a county lead’s county', async () => {
    expect((await get<AgendaResponse>('/api/v1/analysis/agenda?date=2026-11-19')).area).toEqual({ id: city.id, name: city.name });
    expect((await get<AgendaResponse>('/api/v1/analysis/agenda?date=2026-11-19', 'county-lead-1')).area).toEqual(counties[1]);
  });
});

describe('the shift briefing on a county server', () => {
  it('is still T县’s, ranking its towns', async () => {
    const county = await startTestServer({ clock: new TestClock(NOW.getTime()) });
    later(() => county.stop());
    const res = await api<BriefingResponse>(county.url, `/api/v1/briefings?${PERIOD}`);
    expect(res.status).toBe(200);
    expect(res.body.area).toMatchObject({ name: 'T县', level: 'county' });
    expect(res.body.areaLevel).toBe('town');
    const towns = await columnOf(county.store, "SELECT id FROM regions WHERE level = 'town' ORDER BY code");
    expect(res.body.byArea.map((a) => a.id)).toEqual(towns);
  });
});
