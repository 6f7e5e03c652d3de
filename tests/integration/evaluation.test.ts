import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError } from '../../shared/contracts/errors.js';
import type { GridWorkerResponse, KpiCounts, KpiResponse } from '../../shared/contracts/kpi.js';
import { TEAM_TYPE_LABELS } from '../../shared/domain/labels.js';
import { api } from './harness.js';
import { buildAnalysisCounty, type AnalysisCounty } from './analysis-county.js';

/**
 * Evaluation (督导考评): the KPI route's town filter and team-type grouping, the grid workers'
 * evaluation and the XLSX export, on the constructed cases of analysis-county.ts and on the
 * seeded history, each figure checked against the test's own SQL through the server's store
 * (SQLite or PostgreSQL).
 */

let k: AnalysisCounty;
const P = { from: '2027-12-30', to: '2028-01-02' };
const q = (extra: Record<string, string> = {}) => new URLSearchParams({ ...P, ...extra }).toString();
/** The seeded history's days (SMALL_COUNTY: two days before 2026-11-20). */
const SEEDED = { from: '2026-11-18', to: '2026-11-19' };
/** The workers serving in a period beginning on `from` (those who left before are not counted; the demo has leavers). */
const serving = (from: string, w = 'w') => `(${w}.left_on IS NULL OR ${w}.left_on >= '${from}')`;

beforeAll(async () => {
  k = await buildAnalysisCounty();
}, 120_000);
afterAll(async () => {
  await k?.server.stop();
});

const get = async <T>(path: string, user = 'demo-dispatcher') => {
  const who = await k.login(user);
  return api<T & ApiError>(k.server.url, path, { token: who.token });
};
const dayStart = (day: string, plus = 0) => new Date(Date.parse(`${day}T00:00:00+08:00`) + plus * 86_400_000).toISOString();

/** The KPI counts of domain.md §5 by the test's own SQL, for the cases matching `where`. */
async function kpiCounts(period: { from: string; to: string }, where = '1 = 1', args: unknown[] = []): Promise<KpiCounts> {
  const [from, to] = [dayStart(period.from), dayStart(period.to, 1)];
  // each condition holds the period's two placeholders (from, to), the `where`'s args follow
  const acc = "status <> 'not_admitted' AND reported_at >= ? AND reported_at < ?";
  const due = "status NOT IN ('rejected','void','merged','not_admitted') AND due_at >= ? AND due_at < ?";
  const n = async (cond: string) => (await k.server.store.get<{ n: number }>(`SELECT COUNT(*) AS n FROM events WHERE (${cond}) AND ${where}`, from, to, ...args))!.n;
  return {
    accepted: await n(acc),
    filed: await n(`${acc} AND filed_at IS NOT NULL`),
    dispatched: await n(`${acc} AND dispatched_at IS NOT NULL`),
    due: await n(due),
    closed: await n(`${due} AND status = 'closed'`),
    closedOnTime: await n(`${due} AND status = 'closed' AND closed_at <= due_at`),
    rework: await n(`${due} AND rework_count > 0`),
    extended: await n(`${due} AND extension_count > 0`),
  };
}

describe('GET /api/v1/kpis with a town', () => {
  it('covers that town only; its grids add up to it (the drill-down)', async () => {
    const town = await get<KpiResponse>(`/api/v1/kpis?${q({ town: k.towns[0] })}`);
    expect(town.status, JSON.stringify(town.body)).toBe(200);
    expect(town.body.total.counts).toEqual(await kpiCounts(P, 'town_id = ?', [k.towns[0]]));
    expect(town.body.total.counts.accepted).toBe(4); // a, b, c, v
    const byTown = await get<KpiResponse>(`/api/v1/kpis?${q({ groupBy: 'town' })}`);
    expect(byTown.body.groups.find((g) => g.key === k.towns[0])!.counts).toEqual(town.body.total.counts);

    const grids = await get<KpiResponse>(`/api/v1/kpis?${q({ town: k.towns[0], groupBy: 'grid' })}`);
    expect(grids.body.groups.map((g) => g.key)).toEqual([k.grids.G1]);
    expect(grids.body.groups[0]!.counts).toEqual(await kpiCounts(P, 'grid_id = ?', [k.grids.G1]));
    const villages = await get<KpiResponse>(`/api/v1/kpis?${q({ town: k.towns[1], groupBy: 'village' })}`);
    expect(villages.body.total.counts).toEqual(await kpiCounts(P, 'town_id = ?', [k.towns[1]]));
  });

  it('drills down over the seeded history too: each grid of a town as the database counts it', async () => {
    const res = await get<KpiResponse>(`/api/v1/kpis?${new URLSearchParams({ ...SEEDED, town: k.towns[1], groupBy: 'grid' })}`);
    expect(res.body.groups.length).toBeGreaterThan(1);
    for (const g of res.body.groups) expect(g.counts, g.name).toEqual(await kpiCounts(SEEDED, 'grid_id = ?', [g.key]));
    expect(res.body.groups.every((g) => g.name.split(' › ').length === 3)).toBe(true);
    expect(res.body.total.counts).toEqual(await kpiCounts(SEEDED, 'town_id = ?', [k.towns[1]]));
  });

  it('keeps the query without a town exactly as before', async () => {
    const res = await get<KpiResponse>(`/api/v1/kpis?${q()}`);
    expect(Object.keys(res.body).sort()).toEqual(['autoDispatch', 'from', 'groupBy', 'groups', 'to', 'total']);
    expect(res.body).toMatchObject({ from: dayStart(P.from), to: dayStart(P.to, 1), groupBy: null, groups: [] });
    expect(res.body.total.counts).toEqual(await kpiCounts(P));
  });
});

describe('GET /api/v1/kpis?groupBy=teamType', () => {
  it('groups by the dispatched team\'s type, named by the label table; never dispatched under "not dispatched"', async () => {
    const res = await get<KpiResponse>(`/api/v1/kpis?${new URLSearchParams({ ...SEEDED, groupBy: 'teamType' })}`);
    expect(res.status).toBe(200);
    const types = await k.server.store.all<{ type: keyof typeof TEAM_TYPE_LABELS }>('SELECT DISTINCT t.type FROM events e JOIN teams t ON t.id = e.team_id');
    expect(types.length).toBeGreaterThan(1);
    for (const g of res.body.groups) {
      if (g.key === '') {
        expect(g.name).toBe('未派遣');
        expect(g.counts).toEqual(await kpiCounts(SEEDED, 'team_id IS NULL'));
      } else {
        expect(g.name).toBe(TEAM_TYPE_LABELS[g.key as keyof typeof TEAM_TYPE_LABELS]['zh-CN']);
        expect(g.counts, g.key).toEqual(await kpiCounts(SEEDED, '(SELECT type FROM teams WHERE id = team_id) = ?', [g.key]));
      }
    }
    const ranks = res.body.groups.map((g) => g.rank);
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    // the constructed period: `a` went to a team of the item's type; the rest were never dispatched
    const mine = await get<KpiResponse>(`/api/v1/kpis?${q({ groupBy: 'teamType' })}`);
    expect(mine.body.groups.map((g) => [g.key, g.counts.accepted])).toEqual([
      [k.items.X.teamType, 1],
      ['', 5],
    ]);
  });
});

describe('GET /api/v1/kpis/grid-workers', () => {
  it('finds each worker\'s own reports by their phone and normalises them per 100 households of their grid', async () => {
    const res = await get<GridWorkerResponse>(`/api/v1/kpis/grid-workers?${q()}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const workers = (await k.server.store.get<{ n: number }>(`SELECT COUNT(*) AS n FROM workers w WHERE ${serving(P.from)}`))!;
    expect(await k.server.store.get('SELECT COUNT(*) AS n FROM workers')).not.toEqual(workers);
    expect(res.body.workers.length).toBe(workers.n);
    const households = async (grid: string) =>
      (await k.server.store.get<{ n: number }>('SELECT COUNT(*) AS n FROM households h JOIN regions m ON m.id = h.micro_grid_id WHERE m.parent_id = ?', grid))!.n;
    const w = res.body.workers.find((x) => x.id === k.worker.id)!;
    const hh = await households(k.worker.gridId);
    expect(hh).toBeGreaterThan(0);
    // a, b, c (c fixed on the spot); the voided and refused hotline reports are not the worker's
    expect(w).toMatchObject({ rank: 1, name: k.worker.name, gridId: k.grids.G1, households: hh, reported: 3, selfHandled: 1, per100Households: Math.round((3 / hh) * 10_000) / 100 });
    expect(w.gridWorkers).toBe((await k.server.store.get<{ n: number }>(`SELECT COUNT(*) AS n FROM workers w WHERE grid_id = ? AND ${serving(P.from)}`, k.grids.G1))!.n);
    // the grid's closed-loop figures are those of GET /kpis per grid
    const grids = await get<KpiResponse>(`/api/v1/kpis?${q({ groupBy: 'grid' })}`);
    expect(w.grid.counts).toEqual(grids.body.groups.find((g) => g.key === k.grids.G1)!.counts);
    expect(res.body.workers.filter((x) => x.reported > 0).map((x) => x.id)).toEqual([k.worker.id]);
  });

  it('counts the seeded history\'s patrol reports worker by worker, ranks them and splits full-time from part-time', async () => {
    const res = await get<GridWorkerResponse>(`/api/v1/kpis/grid-workers?${new URLSearchParams(SEEDED)}`);
    const mine = new Map(
      (
        await k.server.store.all<{ id: string; reported: number; self_handled: number }>(
          `SELECT w.id, COUNT(e.id) AS reported, COALESCE(SUM(e.self_handled), 0) AS self_handled FROM workers w
             LEFT JOIN events e ON e.reporter_phone = w.phone AND e.source = 'grid_patrol' AND e.reported_at >= ? AND e.reported_at < ?
            WHERE ${serving(SEEDED.from)}
            GROUP BY w.id`,
          dayStart(SEEDED.from),
          dayStart(SEEDED.to, 1),
        )
      ).map((r) => [r.id, r]),
    );
    expect(res.body.workers.reduce((s, w) => s + w.reported, 0)).toBeGreaterThan(5);
    for (const w of res.body.workers) expect([w.id, w.reported, w.selfHandled]).toEqual([w.id, mine.get(w.id)!.reported, mine.get(w.id)!.self_handled]);
    // ranked by reports per 100 households, then reports; equal figures share a rank
    const rows = res.body.workers;
    rows.forEach((w, i) => {
      const prev = rows[i - 1];
      if (!prev) return expect(w.rank).toBe(1);
      expect((prev.per100Households ?? -1) >= (w.per100Households ?? -1)).toBe(true);
      const tie = prev.per100Households === w.per100Households && prev.reported === w.reported;
      expect(w.rank).toBe(tie ? prev.rank : i + 1);
    });
    const split = await k.server.store.all<{ employment: string; workers: number }>(`SELECT employment, COUNT(*) AS workers FROM workers w WHERE ${serving(SEEDED.from)} GROUP BY employment ORDER BY employment`);
    expect(res.body.employment.map((e) => [e.employment, e.workers])).toEqual(split.map((s) => [s.employment, s.workers]));
    for (const e of res.body.employment) {
      const of = rows.filter((w) => w.employment === e.employment);
      const reported = of.reduce((s, w) => s + w.reported, 0);
      const households = of.reduce((s, w) => s + w.households, 0);
      expect(e).toEqual({
        employment: e.employment,
        workers: of.length,
        reported,
        selfHandled: of.reduce((s, w) => s + w.selfHandled, 0),
        households,
        per100Households: Math.round((reported / households) * 10_000) / 100,
        perWorker: Math.round((reported / of.length) * 100) / 100,
      });
    }
  });

  it('lists a town user\'s workers only, and a town asked for', async () => {
    const inTown = async (town: string) =>
      (await k.server.store.get<{ n: number }>(`SELECT COUNT(*) AS n FROM workers w JOIN regions g ON g.id = w.grid_id JOIN regions v ON v.id = g.parent_id WHERE v.parent_id = ? AND ${serving(P.from)}`, town))!.n;
    const own = await get<GridWorkerResponse>(`/api/v1/kpis/grid-workers?${q()}`, 'demo-town-dispatcher');
    expect(own.body.workers.length).toBe(await inTown(k.towns[0]));
    expect(new Set(own.body.workers.map((w) => w.townId))).toEqual(new Set([k.towns[0]]));
    const other = await get<GridWorkerResponse>(`/api/v1/kpis/grid-workers?${q({ town: k.towns[1] })}`);
    expect([other.body.town, other.body.workers.length]).toEqual([k.towns[1], await inTown(k.towns[1])]);
  });
});

describe('GET /api/v1/kpis/export.xlsx', () => {
  const download = async (query: string, user = 'demo-lead') => {
    const who = await k.login(user);
    const res = await fetch(new URL(`/api/v1/kpis/export.xlsx?${query}`, k.server.url), { headers: { authorization: `Bearer ${who.token}` } });
    const body = Buffer.from(await res.arrayBuffer());
    return { res, body };
  };
  const read = async (body: Buffer) => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(body as unknown as ArrayBuffer);
    return wb;
  };

  it('exports the ranked table with numeric cells, percentages, Chinese frozen headers and widths; audited', async () => {
    const query = new URLSearchParams({ ...SEEDED, groupBy: 'town' }).toString();
    const json = (await get<KpiResponse>(`/api/v1/kpis?${query}`, 'demo-lead')).body;
    const { res, body } = await download(query);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="kpi-town-2026-11-18-2026-11-19.xlsx"');
    const wb = await read(body);
    expect(wb.worksheets.map((s) => s.name)).toEqual(['按镇街考评', '说明']);
    const ws = wb.getWorksheet('按镇街考评')!;
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1, xSplit: 2 });
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual(['排名', '镇街', '受理（件）', '立案（件）', '派遣（件）', '应结案（件）', '结案（件）', '按期结案（件）', '返工（件）', '延期（件）', '立案率（%）', '派遣率（%）', '结案率（%）', '按期结案率（%）', '返工率（%）', '延期率（%）']);
    expect(ws.getColumn(2).width).toBeGreaterThanOrEqual(20);
    json.groups.forEach((g, i) => {
      const row = ws.getRow(i + 2);
      expect(row.getCell(1).value).toBe(g.rank);
      expect(row.getCell(2).value).toBe(g.name);
      expect(row.getCell(3).value).toBe(g.counts.accepted);
      expect(row.getCell(7).value).toBe(g.counts.closed);
      const onTime = row.getCell(14);
      expect(onTime.value).toBe(g.kpis.onTimeClosureRate === null ? null : g.kpis.onTimeClosureRate / 100);
      expect(onTime.numFmt).toBe('0.00%');
      expect(typeof row.getCell(3).value).toBe('number');
    });
    const total = ws.getRow(json.groups.length + 2);
    expect([total.getCell(2).value, total.getCell(3).value]).toEqual(['合计', json.total.counts.accepted]);
    expect(String(wb.getWorksheet('说明')!.getCell('B2').value)).toContain('2026-11-18 00:00 至 2026-11-20 00:00');
    const audit = (await k.server.store.get<{ username: string; result: string; object_id: string; details: string }>(
      "SELECT username, result, object_id, details FROM audit_log WHERE action = 'kpi:export' ORDER BY seq DESC LIMIT 1",
    ))!;
    expect({ ...audit, details: JSON.parse(audit.details) }).toEqual({
      username: 'demo-lead',
      result: 'success',
      object_id: 'town',
      details: { from: dayStart(SEEDED.from), to: dayStart(SEEDED.to, 1), town: null, groupBy: 'town', rows: json.groups.length },
    });
  });

  it('lists the cases of no team last and unranked in a team-type table', async () => {
    const query = new URLSearchParams({ ...SEEDED, groupBy: 'teamType' }).toString();
    const json = (await get<KpiResponse>(`/api/v1/kpis?${query}`, 'demo-lead')).body;
    const ws = (await read((await download(query)).body)).getWorksheet('按力量类型考评')!;
    const typed = json.groups.filter((g) => g.key !== '');
    const none = json.groups.find((g) => g.key === '')!;
    expect(ws.rowCount).toBe(json.groups.length + 2);
    expect((ws.getRow(2).values as unknown[]).slice(1, 3)).toEqual([1, typed[0]!.name]);
    const last = ws.getRow(json.groups.length + 1);
    expect([last.getCell(1).value, last.getCell(2).value, last.getCell(3).value]).toEqual([null, '未派遣', none.counts.accepted]);
  });

  it('exports the grid workers\' table and the full-time/part-time split', async () => {
    const query = new URLSearchParams({ ...SEEDED, town: k.towns[0] }).toString();
    const json = (await get<GridWorkerResponse>(`/api/v1/kpis/grid-workers?${query}`, 'demo-lead')).body;
    const { res, body } = await download(`${query}&groupBy=gridWorker`);
    expect(res.status).toBe(200);
    const wb = await read(body);
    expect(wb.worksheets.map((s) => s.name)).toEqual(['网格员考评', '专兼职对比', '说明']);
    const ws = wb.getWorksheet('网格员考评')!;
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.rowCount).toBe(json.workers.length + 1);
    json.workers.forEach((w, i) => {
      const row = ws.getRow(i + 2);
      expect([row.getCell(1).value, row.getCell(2).value, row.getCell(3).value, row.getCell(4).value, row.getCell(6).value, row.getCell(8).value, row.getCell(10).value]).toEqual([
        w.rank,
        w.name,
        w.id,
        w.employment === 'full_time' ? '专职' : '兼职',
        w.households,
        w.reported,
        w.per100Households,
      ]);
    });
    const split = wb.getWorksheet('专兼职对比')!;
    expect(json.employment.map((_e, i) => (split.getRow(i + 2).values as unknown[]).slice(1))).toEqual(
      json.employment.map((e) => [e.employment === 'full_time' ? '专职' : '兼职', e.workers, e.reported, e.selfHandled, e.households, e.per100Households, e.perWorker]),
    );
    expect(String(wb.getWorksheet('说明')!.getCell('B3').value)).not.toBe('');
  });

  it('is refused as the other figures are: roles, town scope, bad queries', async () => {
    for (const user of ['demo-field', 'demo-sysadmin']) {
      expect((await download(q(), user)).res.status, user).toBe(403);
      expect((await get(`/api/v1/kpis/grid-workers?${q()}`, user)).status, user).toBe(403);
    }
    const other = await download(q({ town: k.towns[1] }), 'demo-town-dispatcher');
    expect(other.res.status).toBe(403);
    const fields = async (path: string) => {
      const res = await get(path);
      expect(res.status, path).toBe(400);
      return res.body.error.fields!.map((f) => `${f.field}:${f.code}`);
    };
    expect(await fields(`/api/v1/kpis?${q({ groupBy: 'gridWorker' })}`)).toEqual(['groupBy:not_allowed']);
    expect(await fields(`/api/v1/kpis/export.xlsx?${q({ groupBy: 'province' })}`)).toEqual(['groupBy:not_allowed']);
    expect(await fields(`/api/v1/kpis/grid-workers?${q({ groupBy: 'town' })}`)).toEqual(['groupBy:unknown_field']);
    expect(await fields(`/api/v1/kpis?${q({ town: 'abc' })}`)).toEqual(['town:bad_format']);
    expect(await fields(`/api/v1/kpis?${q({ town: '999999999' })}`)).toEqual(['town:unknown_town']);
    expect(await fields(`/api/v1/kpis/grid-workers?from=2028-01-02&to=2028-01-01`)).toEqual(['to:not_after_from']);
  });
});
