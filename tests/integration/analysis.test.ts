import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AgendaResponse, HotSpotsResponse, HoursResponse, MixResponse, TrendResponse } from '../../shared/contracts/analysis.js';
import type { ApiError } from '../../shared/contracts/errors.js';
import { SOURCE_LABELS } from '../../shared/domain/labels.js';
import { api } from './harness.js';
import { buildAnalysisCounty, china, type AnalysisCounty } from './analysis-county.js';

/**
 * The analysis figures (分析研判) checked on the constructed cases of analysis-county.ts: by hand
 * (the table there), and against counts the test makes itself with SQL through the server's store
 * (SQLite or PostgreSQL), with day bounds computed here in China time (not with the database's date functions).
 */

let k: AnalysisCounty;
const P = 'from=2027-12-30&to=2028-01-02';

beforeAll(async () => {
  k = await buildAnalysisCounty();
}, 120_000);
afterAll(async () => {
  await k?.server.stop();
});

const get = async <T>(path: string, user = 'demo-dispatcher', lang?: string) => {
  const who = await k.login(user);
  return api<T & ApiError>(k.server.url, path, { token: who.token, ...(lang ? { headers: { 'accept-language': lang } } : {}) });
};

/** The instant a China day starts, as stored (ISO UTC with milliseconds). */
const dayStart = (day: string, plus = 0) => new Date(Date.parse(`${day}T00:00:00+08:00`) + plus * 86_400_000).toISOString();

/** Cases whose `column` falls in the China days [from, to], counted by the test's own SQL. */
async function countIn(column: 'reported_at' | 'filed_at' | 'dispatched_at' | 'closed_at', from: string, to: string, where = '1 = 1', args: unknown[] = []): Promise<number> {
  const admitted = column === 'reported_at' ? " AND status <> 'not_admitted'" : '';
  const row = await k.server.store.get<{ n: number }>(`SELECT COUNT(*) AS n FROM events WHERE ${column} >= ? AND ${column} < ?${admitted} AND ${where}`, dayStart(from), dayStart(to, 1), ...args);
  return row!.n;
}
const flowsIn = async (from: string, to: string, where = '1 = 1', args: unknown[] = []) => ({
  reported: await countIn('reported_at', from, to, where, args),
  filed: await countIn('filed_at', from, to, where, args),
  dispatched: await countIn('dispatched_at', from, to, where, args),
  closed: await countIn('closed_at', from, to, where, args),
});
const ids = (...names: string[]) => names.map((n) => k.cases.get(n)!.id);

describe('the constructed cases', () => {
  it('stand as the table says', () => {
    const status = Object.fromEntries([...k.cases].map(([n, e]) => [n, e.status]));
    expect(status).toMatchObject({ y3: 'closed', a: 'dispatched', c: 'closed', d: 'reported', v: 'void', n: 'not_admitted' });
    expect(k.cases.get('c')!.reportedAt).toBe('2027-12-31T16:30:00.000Z');
    expect([k.cases.get('c')!.microGridId, k.cases.get('a')!.microGridId, k.cases.get('d')!.microGridId]).toEqual([k.microGrids.M1b, k.microGrids.M1a, k.microGrids.M2]);
  });
});

describe('GET /api/v1/analysis/trend', () => {
  it('counts each China day of the period, a night after midnight on its own day', async () => {
    const res = await get<TrendResponse>(`/api/v1/analysis/trend?${P}&unit=day`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ from: '2027-12-30', to: '2028-01-02', town: null, unit: 'day' });
    const days = ['2027-12-30', '2027-12-31', '2028-01-01', '2028-01-02'];
    expect(res.body.buckets.map((b) => [b.from, b.to, b.partial])).toEqual(days.map((d) => [d, d, false]));
    // a; b; c (00:30 China, 31 Dec UTC) and d; e and the voided v (an admitted report); n is no case
    expect(res.body.buckets.map((b) => b.counts)).toEqual([
      { reported: 1, filed: 1, dispatched: 1, closed: 0 },
      { reported: 1, filed: 0, dispatched: 0, closed: 0 },
      { reported: 2, filed: 1, dispatched: 1, closed: 1 },
      { reported: 2, filed: 0, dispatched: 0, closed: 0 },
    ]);
    for (const b of res.body.buckets) {
      expect(b.counts, b.from).toEqual(await flowsIn(b.from, b.to));
      expect(b.yoy.counts, `${b.from} yoy`).toEqual(await flowsIn(b.yoy.from, b.yoy.to));
      expect(b.pop.counts, `${b.from} pop`).toEqual(await flowsIn(b.pop.from, b.pop.to));
    }
    expect(res.body.total).toEqual({ reported: 6, filed: 2, dispatched: 2, closed: 1 });
    expect(res.body.total).toEqual(await flowsIn('2027-12-30', '2028-01-02'));
  });

  it('compares the period with the same days a year before (同比) and the four days before it (环比)', async () => {
    const res = await get<TrendResponse>(`/api/v1/analysis/trend?${P}`);
    expect(res.body.unit).toBe('day');
    // a year before: y1, y2, y3 (y3 self-handled: filed, dispatched and closed at once)
    expect(res.body.yoy).toEqual({
      from: '2026-12-30',
      to: '2027-01-02',
      counts: { reported: 3, filed: 1, dispatched: 1, closed: 1 },
      change: { reported: 100, filed: 100, dispatched: 100, closed: 0 },
    });
    // the four days before: p1, p2
    expect(res.body.pop).toEqual({
      from: '2027-12-26',
      to: '2027-12-29',
      counts: { reported: 2, filed: 0, dispatched: 0, closed: 0 },
      change: { reported: 200, filed: null, dispatched: null, closed: null },
    });
    // 1 January: c and d against y3 a year before (+100 %), and b the day before (+100 %)
    const jan1 = res.body.buckets[2]!;
    expect(jan1.yoy).toMatchObject({ from: '2027-01-01', to: '2027-01-01', counts: { reported: 1 }, change: { reported: 100, closed: 0 } });
    expect(jan1.pop).toMatchObject({ from: '2027-12-31', to: '2027-12-31', counts: { reported: 1 }, change: { reported: 100, closed: null } });
  });

  it('groups by calendar month across the year boundary, with 同比 and 环比 per month', async () => {
    const res = await get<TrendResponse>('/api/v1/analysis/trend?from=2027-12-01&to=2028-01-31&unit=month');
    expect(res.status).toBe(200);
    const [dec, jan] = res.body.buckets as [TrendResponse['buckets'][number], TrendResponse['buckets'][number]];
    expect([dec.from, dec.to, dec.partial, jan.from, jan.to, jan.partial]).toEqual(['2027-12-01', '2027-12-31', false, '2028-01-01', '2028-01-31', false]);
    // December: p1, p2, a, b; a year before y1, y2; November before it: nothing
    expect(dec.counts.reported).toBe(4);
    expect(dec.yoy).toMatchObject({ from: '2026-12-01', to: '2026-12-31', counts: { reported: 2 }, change: { reported: 100 } });
    expect(dec.pop).toMatchObject({ from: '2027-11-01', to: '2027-11-30', counts: { reported: 0 }, change: { reported: null } });
    // January: c, d, e, v; a year before y3; December before it
    expect(jan.counts.reported).toBe(4);
    expect(jan.yoy).toMatchObject({ from: '2027-01-01', to: '2027-01-31', counts: { reported: 1, closed: 1 }, change: { reported: 300, closed: 0 } });
    expect(jan.pop).toMatchObject({ from: '2027-12-01', to: '2027-12-31', counts: { reported: 4 }, change: { reported: 0 } });
    for (const b of res.body.buckets) expect(b.counts).toEqual(await flowsIn(b.from, b.to));
  });

  it('cuts weeks (Monday to Sunday) at the period ends and compares a cut week with as many days before it', async () => {
    const res = await get<TrendResponse>(`/api/v1/analysis/trend?from=2027-12-28&to=2028-01-03&unit=week`);
    expect(res.body.buckets.map((b) => [b.from, b.to, b.partial, b.counts.reported, b.pop.from, b.pop.to, b.pop.counts.reported])).toEqual([
      ['2027-12-28', '2028-01-02', true, 7, '2027-12-22', '2027-12-27', 1],
      ['2028-01-03', '2028-01-03', true, 0, '2028-01-02', '2028-01-02', 2],
    ]);
  });

  it('covers a town alone, and only the caller\'s towns', async () => {
    const t0 = await get<TrendResponse>(`/api/v1/analysis/trend?${P}&town=${k.towns[0]}`);
    expect(t0.body.total).toEqual(await flowsIn('2027-12-30', '2028-01-02', 'town_id = ?', [k.towns[0]]));
    expect(t0.body.total.reported).toBe(4); // a, b, c, v
    const townUser = await get<TrendResponse>(`/api/v1/analysis/trend?${P}`, 'demo-town-dispatcher');
    expect(townUser.body.total).toEqual(t0.body.total);
    expect(townUser.body.yoy.counts).toEqual(await flowsIn('2026-12-30', '2027-01-02', 'town_id = ?', [k.towns[0]]));
  });

  it('defaults to the 30 days ending today on the server\'s clock', async () => {
    const res = await get<TrendResponse>('/api/v1/analysis/trend');
    expect([res.body.from, res.body.to, res.body.buckets.length]).toEqual(['2027-12-04', '2028-01-02', 30]);
  });
});

describe('GET /api/v1/analysis/hours', () => {
  it('places each case on its China weekday and hour (0 = Monday)', async () => {
    const res = await get<HoursResponse>(`/api/v1/analysis/hours?${P}`);
    expect(res.status).toBe(200);
    const cells = res.body.counts.flatMap((row, w) => row.flatMap((n, h) => (n ? [[w, h, n]] : [])));
    // a Thu 10 h; b Fri 23 h; c Sat 0 h; d Sat 7 h; e Sun 12 h; v Sun 12 h
    expect(cells).toEqual([
      [3, 10, 1],
      [4, 23, 1],
      [5, 0, 1],
      [5, 7, 1],
      [6, 12, 2],
    ]);
    expect(res.body.peak).toEqual({ weekday: 6, hour: 12, count: 2 });
    // the same from the stored rows, read by the test in China time
    const rows = await k.server.store.all<{ reported_at: string }>("SELECT reported_at FROM events WHERE reported_at >= ? AND reported_at < ? AND status <> 'not_admitted'", dayStart('2027-12-30'), dayStart('2028-01-02', 1));
    const mine = Array.from({ length: 7 }, () => new Array<number>(24).fill(0));
    for (const r of rows) {
      const local = new Date(Date.parse(r.reported_at) + 8 * 3_600_000);
      mine[(local.getUTCDay() + 6) % 7]![local.getUTCHours()]!++;
    }
    expect(res.body.counts).toEqual(mine);
    expect(res.body.total).toBe(rows.length);
  });
});

describe('GET /api/v1/analysis/mix', () => {
  it('splits the period by category and channel, named in the request\'s language', async () => {
    const res = await get<MixResponse>(`/api/v1/analysis/mix?${P}`);
    expect(res.status).toBe(200);
    expect(res.body.total).toBe(6);
    const byCategory = await k.server.store.all(
      "SELECT category AS key, COUNT(*) AS count FROM events WHERE reported_at >= ? AND reported_at < ? AND status <> 'not_admitted' GROUP BY category ORDER BY count DESC, category",
      dayStart('2027-12-30'),
      dayStart('2028-01-02', 1),
    );
    expect(res.body.categories.map((c) => ({ key: c.key, count: c.count }))).toEqual(byCategory);
    expect(res.body.categories.find((c) => c.key === k.items.X.category)).toEqual({ key: k.items.X.category, name: k.items.X.categoryName, count: 4, share: 66.67 });
    expect(res.body.sources).toEqual([
      { key: 'grid_patrol', name: '网格员巡查', count: 3, share: 50 },
      { key: 'hotline_12345', name: '12345 热线', count: 2, share: 33.33 },
      { key: 'citizen_app', name: '群众上报', count: 1, share: 16.67 },
    ]);
    const en = await get<MixResponse>(`/api/v1/analysis/mix?${P}`, 'demo-dispatcher', 'en');
    expect(en.body.sources[0]!.name).toBe(SOURCE_LABELS.grid_patrol.en);
    expect(en.body.categories.find((c) => c.key === k.items.Y.category)!.name).toBe(k.items.Y.categoryNameEn);
  });
});

describe('GET /api/v1/analysis/hot-spots', () => {
  it('ranks grids where the same item recurred, with micro-grids, cases, place and bounds; voided and refused reports are no recurrence', async () => {
    const res = await get<HotSpotsResponse>(`/api/v1/analysis/hot-spots?${P}`);
    expect(res.status).toBe(200);
    expect([res.body.min, res.body.total, res.body.cases]).toEqual([2, 2, 5]);
    const [g1, g2] = res.body.hotSpots as [HotSpotsResponse['hotSpots'][number], HotSpotsResponse['hotSpots'][number]];
    expect(g1).toMatchObject({ rank: 1, gridId: k.grids.G1, itemCode: k.items.X.code, count: 3, open: 2, caseIds: ids('c', 'b', 'a') });
    expect(g1.microGrids).toEqual([{ id: k.microGrids.M1a, name: expect.any(String), count: 2 }]);
    expect(g2).toMatchObject({ rank: 2, gridId: k.grids.G2, itemCode: k.items.Y.code, count: 2, open: 2, caseIds: ids('e', 'd'), firstAt: k.cases.get('d')!.reportedAt, lastAt: k.cases.get('e')!.reportedAt });
    expect(g2.microGrids).toEqual([{ id: k.microGrids.M2, name: expect.any(String), count: 2 }]);
    // the place, as the map and the search box know it
    const grid = (await k.server.store.get<Record<string, string & number>>(
      `SELECT g.name, v.name AS village, t.id AS town_id, t.name AS town, g.label_lon, g.label_lat, g.min_lon, g.min_lat, g.max_lon, g.max_lat
         FROM regions g JOIN regions v ON v.id = g.parent_id JOIN regions t ON t.id = v.parent_id WHERE g.id = ?`,
      k.grids.G1,
    ))!;
    expect(g1.placeName).toBe(`${grid.town} › ${grid.village} › ${grid.name}`);
    expect(g1.place).toEqual({ id: k.grids.G1, level: 'grid', kind: 'grid', name: grid.name, path: `${grid.town} › ${grid.village}`, townId: grid.town_id, bbox: [grid.min_lon, grid.min_lat, grid.max_lon, grid.max_lat] });
    expect(g1.centroid).toEqual([grid.label_lon, grid.label_lat]);
    expect(g1.points).toEqual(['c', 'b', 'a'].map((n) => [k.cases.get(n)!.location.lon, k.cases.get(n)!.location.lat]));
    // the test's own count of (grid, item) recurrences
    const mine = await k.server.store.all(
      `SELECT grid_id, item_code, COUNT(*) AS n FROM events WHERE reported_at >= ? AND reported_at < ? AND status NOT IN ('not_admitted', 'merged', 'void')
        GROUP BY grid_id, item_code HAVING COUNT(*) >= 2 ORDER BY n DESC, grid_id, item_code`,
      dayStart('2027-12-30'),
      dayStart('2028-01-02', 1),
    );
    expect(res.body.hotSpots.map((h) => ({ grid_id: h.gridId, item_code: h.itemCode, n: h.count }))).toEqual(mine);
  });

  it('takes a higher threshold and a limit; a town user sees only their towns', async () => {
    expect((await get<HotSpotsResponse>(`/api/v1/analysis/hot-spots?${P}&min=3`)).body.hotSpots.map((h) => h.gridId)).toEqual([k.grids.G1]);
    const one = await get<HotSpotsResponse>(`/api/v1/analysis/hot-spots?${P}&limit=1`);
    expect([one.body.total, one.body.hotSpots.length]).toEqual([2, 1]);
    const town = await get<HotSpotsResponse>(`/api/v1/analysis/hot-spots?${P}`, 'demo-town-dispatcher');
    expect(town.body.hotSpots.map((h) => h.gridId)).toEqual([k.grids.G1]);
  });
});

describe('GET /api/v1/analysis/agenda', () => {
  it('lists the week\'s hot spots, the day\'s repeats, the overdue and supervised cases', async () => {
    const res = await get<AgendaResponse>('/api/v1/analysis/agenda?date=2028-01-02');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const body = res.body;
    expect(body).toMatchObject({ date: '2028-01-02', town: null, generatedAt: china('2028-01-02 18:00').toISOString(), hotSpotWindow: { from: '2027-12-27', to: '2028-01-02' }, repeatWindowDays: 30 });
    // the week: G1/X p2, a, b, c; G2/Y p1, d, e (e on the day)
    expect(body.hotSpots.map((h) => [h.gridId, h.count, h.onDate])).toEqual([
      [k.grids.G1, 4, 0],
      [k.grids.G2, 3, 1],
    ]);
    // e repeats d and p1 at M2 (y2 lies a year back); the voided v is none
    expect(body.repeats.map((r) => [r.id, r.earlierIds, r.reopenedAfterClose])).toEqual([[k.cases.get('e')!.id, ids('d', 'p1'), 0]]);
    const supervised = await k.server.store.all<{ id: string }>(
      `SELECT id FROM events WHERE status IN ('reported','filed','dispatched','accepted','in_progress','handled','verified') AND supervised = 1 ORDER BY reported_at, id`,
    );
    expect(body.supervised.map((c) => c.id)).toEqual(supervised.map((r) => r.id));
    expect(body.supervised.map((c) => c.id)).toContain(k.cases.get('d')!.id);
    expect(body.supervised.find((c) => c.id === k.cases.get('d')!.id)).toMatchObject({ supervised: true, status: 'reported', itemCode: k.items.Y.code, placeName: expect.stringContaining(' › ') });
    const overdue = await k.server.store.all<{ id: string }>(
      `SELECT id FROM events WHERE status IN ('reported','filed','dispatched','accepted','in_progress','handled','verified') AND (deadline_state = 'overdue' OR deadline_at <= ?) ORDER BY id`,
      china('2028-01-02 18:00').toISOString(),
    );
    expect(body.overdue.map((c) => c.id).sort()).toEqual(overdue.map((r) => r.id));
    expect(body.overdue.length).toBeGreaterThan(0);
    for (const c of body.overdue) expect(c.lateMinutes, c.id).toBe(Math.floor((Date.parse(body.generatedAt) - Date.parse(c.deadlineAt!)) / 60_000));
    expect(body.summary).toEqual({ reported: 2, closed: 0, hotSpots: 2, repeats: 1, overdue: overdue.length, supervised: supervised.length });
  });

  it('is limited to a town, named', async () => {
    const res = await get<AgendaResponse>(`/api/v1/analysis/agenda?date=2028-01-02&town=${k.towns[1]}`);
    expect(res.body.town).toEqual({ id: k.towns[1], name: expect.any(String) });
    expect(res.body.hotSpots.map((h) => h.gridId)).toEqual([k.grids.G2]);
    expect(res.body.overdue.every((c) => !ids('a', 'b').includes(c.id))).toBe(true);
  });
});

describe('access and bad queries', () => {
  const ROUTES = ['trend', 'mix', 'hours', 'hot-spots', 'agenda'];

  it('is for the roles that read figures: not a field worker, not a system administrator', async () => {
    for (const route of ROUTES) {
      for (const user of ['demo-dispatcher', 'demo-duty', 'demo-lead', 'demo-wall']) expect((await get(`/api/v1/analysis/${route}`, user)).status, `${route} ${user}`).toBe(200);
      for (const user of ['demo-field', 'demo-sysadmin']) {
        const res = await get(`/api/v1/analysis/${route}`, user);
        expect([res.status, res.body.error.code], `${route} ${user}`).toEqual([403, 'forbidden']);
      }
    }
  });

  it('refuses another town to a town user, audited', async () => {
    for (const route of ROUTES) {
      const res = await get(`/api/v1/analysis/${route}?town=${k.towns[1]}`, 'demo-town-dispatcher');
      expect([res.status, res.body.error.code, res.body.error.fields?.[0]?.field], route).toEqual([403, 'out_of_scope', 'town']);
    }
    const denied = (await k.server.store.get<{ n: number }>("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'access:denied' AND reason = 'out_of_scope' AND object_id = ? AND username = 'demo-town-dispatcher'", k.towns[1]))!;
    expect(denied.n).toBe(ROUTES.length);
  });

  it('answers 400 naming each bad field, in both languages', async () => {
    const fields = async (query: string, route = 'trend') => {
      const res = await get(`/api/v1/analysis/${route}?${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error.code).toBe('invalid_query');
      return res.body.error.fields!.map((f) => `${f.field}:${f.code}`).sort();
    };
    expect(await fields('from=2028-13-01')).toEqual(['from:bad_format']);
    expect(await fields('from=2028-01-02T00:00:00Z')).toEqual(['from:bad_format']);
    expect(await fields('from=2028-01-02&to=2028-01-01')).toEqual(['to:before_from']);
    expect(await fields('from=2026-01-01&to=2028-01-01')).toEqual(['from:too_many_days']);
    expect(await fields('unit=year')).toEqual(['unit:not_allowed']);
    expect(await fields('groupBy=town')).toEqual(['groupBy:unknown_field']);
    expect(await fields('town=999999999')).toEqual(['town:unknown_town']);
    expect(await fields('town=abc')).toEqual(['town:bad_format']);
    expect(await fields('min=1', 'hot-spots')).toEqual(['min:too_small']);
    expect(await fields('limit=0&min=x', 'hot-spots')).toEqual(['limit:too_small', 'min:bad_format']);
    expect(await fields('date=2028-02-30', 'agenda')).toEqual(['date:bad_format']);
    expect(await fields('from=2028-01-01', 'agenda')).toEqual(['from:unknown_field']);
    const en = await get('/api/v1/analysis/trend?from=2028-01-02&to=2028-01-01', 'demo-dispatcher', 'en');
    expect(en.body.error.fields![0]!.message).toBe('must not be before from');
  });
});
