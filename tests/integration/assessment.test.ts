import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssessmentPeriod, AssessmentResponse, OwnAssessmentResponse } from '../../shared/contracts/assessment.js';
import type { ApiError } from '../../shared/contracts/errors.js';
import type { WorkerActivityResponse, WorkerRecord } from '../../shared/contracts/workforce.js';
import { DEFAULT_WEIGHTS, diligenceOf, performanceOf, rankByTotal, ratingOf, totalOf, workloadReference } from '../../shared/domain/assessment.js';
import type { Clock } from '../../server/src/core/clock.js';
import { DEFAULT_AUTH_CONFIG } from '../../server/src/config.js';
import { api, login, loginAs, startTestServer, type TestServer } from './harness.js';
import { valueOf } from './store-rows.js';

/**
 * The periodic assessment (德能勤绩, issue 16 part 4) through the API, on the seeded small county
 * and a clock of our own: a period over the seeded history, 勤 and 绩 checked against the rules
 * applied here to the activity the workforce API reports for the same days, 德 and 能 scored by
 * the town's grid office, closed by the county's, proposals decided by a second person, and the
 * XLSX read back with the same figures.
 */
const cst = (local: string) => Date.parse(`${local}+08:00`);
let now = cst('2026-11-19T12:00:00');
const clock: Clock = { now: () => new Date(now) };
let server: TestServer;
const tokens = new Map<string, string>();
const USERS = ['demo-gridoffice', 'demo-town-gridoffice', 'demo-dispatcher', 'demo-field', 'demo-lead'] as const;
let firstTown: string;

const as = (user: (typeof USERS)[number]) => ({ token: tokens.get(user)! });
const PERIOD = { startsOn: '2026-11-01', endsOn: '2026-11-19' };
const ID = '2026-1101-1119';
const reviewRows = () => server.store.get<{ n: number }>('SELECT COUNT(*) AS n FROM assessment_reviews').then((r) => Number(r!.n));

beforeAll(async () => {
  server = await startTestServer({
    clock,
    config: { auth: { ...DEFAULT_AUTH_CONFIG, passwordProfile: 'asvs', idleTimeoutMinutes: 60 * 24 * 60, sessionLifetimeHours: 24 * 60 } },
  });
  for (const u of USERS) tokens.set(u, await loginAs(server.url, u));
  firstTown = (await server.store.all<{ id: string }>("SELECT id FROM regions WHERE level = 'town' ORDER BY code"))[0]!.id;
});
afterAll(async () => server?.stop());

describe('assessment (德能勤绩)', () => {
  it('is opened by the county grid office only, never overlapping, with valid weights', async () => {
    const town = await api<ApiError>(server.url, '/api/v1/assessment/periods', { method: 'POST', json: PERIOD, ...as('demo-town-gridoffice') });
    expect(town.status).toBe(403);
    const lead = await api<ApiError>(server.url, '/api/v1/assessment/periods', { method: 'POST', json: PERIOD, ...as('demo-lead') });
    expect(lead.status).toBe(403);
    const weights = await api<ApiError>(server.url, '/api/v1/assessment/periods', { method: 'POST', json: { ...PERIOD, weights: { de: 30, neng: 30, qin: 30, ji: 30 } }, ...as('demo-gridoffice') });
    expect(weights.status).toBe(400);
    expect(weights.body.error.fields?.[0]).toMatchObject({ field: 'weights', code: 'weights_sum' });
    expect(await valueOf(server.store, 'SELECT COUNT(*) AS n FROM assessment_periods')).toBe(0);

    const created = await api<AssessmentPeriod>(server.url, '/api/v1/assessment/periods', { method: 'POST', json: PERIOD, ...as('demo-gridoffice') });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: ID, ...PERIOD, status: 'open', weights: DEFAULT_WEIGHTS });
    expect(created.body.workingDays).toBeGreaterThan(10);
    const again = await api<ApiError>(server.url, '/api/v1/assessment/periods', { method: 'POST', json: { startsOn: '2026-11-10', endsOn: '2026-11-30' }, ...as('demo-gridoffice') });
    expect(again.status).toBe(409);
    expect(again.body.error.fields?.[0]).toMatchObject({ field: 'startsOn', code: 'overlaps' });
  });

  it('computes 勤 and 绩 from the workers\' activity by the documented rules, live while open', async () => {
    // the demo field account's worker patrols a micro-grid they serve for two hours on the morning of the 19th,
    // reporting positions through the field app every 5 minutes
    const field = (await login(server.url, 'demo-field')).body.user;
    const me = await api<WorkerRecord>(server.url, '/api/v1/workforce/me', as('demo-field'));
    expect(me.status).toBe(200);
    const micro = (await api<{ features: Array<{ properties: { id: string; labelLon: number; labelLat: number } }> }>(server.url, '/api/v1/geo/microgrid')).body.features.find((f) => f.properties.id === me.body.microGrids[0]!.id)!.properties;
    for (let m = 0; m <= 120; m += 5) {
      const at = new Date(cst('2026-11-19T08:00:00') + m * 60_000).toISOString();
      const res = await api(server.url, `/api/v1/teams/${field.teamId}/position`, { method: 'POST', json: { lon: micro.labelLon + (m % 2) * 0.0002, lat: micro.labelLat, accuracy: 5, at }, ...as('demo-field') });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
    const res = await api<AssessmentResponse>(server.url, `/api/v1/assessment/periods/${ID}`, as('demo-gridoffice'));
    expect(res.status).toBe(200);
    // the figures run to now while the period is open
    const to = encodeURIComponent(new Date(now).toISOString());
    const act = await api<WorkerActivityResponse>(server.url, `/api/v1/workforce/activity?from=${PERIOD.startsOn}&to=${to}`, as('demo-gridoffice'));
    expect(act.status).toBe(200);
    const byId = new Map(act.body.workers.map((a) => [a.workerId, a]));
    expect(res.body.rows.length).toBeGreaterThan(20);
    const reference = workloadReference(res.body.rows.map((r) => ({ workload: { perHundredHouseholds: null, gridDifficulty: 1, weighted: byId.get(r.workerId)?.workload.weighted ?? null } })));
    let patrolled = 0;
    for (const r of res.body.rows) {
      const a = byId.get(r.workerId);
      expect(a, r.workerId).toBeDefined();
      expect(r.qin, r.workerId).toBe(diligenceOf(a!, res.body.period.workingDays));
      expect(r.ji, r.workerId).toBe(performanceOf(a!, reference));
      expect(r.figures.patrolDays).toBe(a!.patrol.days);
      if (a!.patrol.days > 0) patrolled++;
      expect(r.total).toBeNull();
      expect(r.rating).toBeNull();
    }
    // the patrol shows in 勤: two hours on one of the working days, in one served micro-grid
    const mine = res.body.rows.find((r) => r.workerId === me.body.id)!;
    expect(mine.figures).toMatchObject({ patrolDays: 1, patrolMinutes: 120, microGridsCovered: 1 });
    expect(mine.qin).toBeGreaterThan(0);
    expect(patrolled).toBe(1);
    // a town's grid office sees its town only; other towns are refused
    const town = await api<AssessmentResponse>(server.url, `/api/v1/assessment/periods/${ID}`, as('demo-town-gridoffice'));
    expect(town.body.rows.length).toBeGreaterThan(0);
    expect(town.body.rows.every((r) => r.town.id === firstTown)).toBe(true);
    const other = res.body.rows.find((r) => r.town.id !== firstTown)!.town.id;
    expect((await api(server.url, `/api/v1/assessment/periods/${ID}?town=${other}`, as('demo-town-gridoffice'))).status).toBe(403);
    expect((await api(server.url, `/api/v1/assessment/periods/${ID}`, as('demo-dispatcher'))).status).toBe(403);
    expect((await api(server.url, `/api/v1/assessment/periods/${ID}`, as('demo-field'))).status).toBe(403);
  });

  it('takes 德 and 能 from the town grid office for its own workers only, all or nothing', async () => {
    const all = (await api<AssessmentResponse>(server.url, `/api/v1/assessment/periods/${ID}`, as('demo-gridoffice'))).body.rows;
    const mine = all.filter((r) => r.town.id === firstTown);
    const foreign = all.find((r) => r.town.id !== firstTown)!;
    const score = (i: number) => ({ de: 60 + ((i * 7) % 40), neng: 55 + ((i * 11) % 45) });
    const reviews = mine.map((r, i) => ({ workerId: r.workerId, ...score(i), comment: `评语<${i}>` }));
    const refused = await api<ApiError>(server.url, `/api/v1/assessment/periods/${ID}/reviews`, { method: 'PUT', json: { reviews: [...reviews, { workerId: foreign.workerId, de: 80, neng: 80, comment: '越权' }] }, ...as('demo-town-gridoffice') });
    expect(refused.status).toBe(403);
    expect(refused.body.error.fields).toEqual([expect.objectContaining({ field: `reviews[${reviews.length}].workerId`, code: 'out_of_scope' })]);
    const bad = await api<ApiError>(server.url, `/api/v1/assessment/periods/${ID}/reviews`, { method: 'PUT', json: { reviews: [{ workerId: mine[0]!.workerId, de: 101, neng: 80, comment: 'x' }] }, ...as('demo-town-gridoffice') });
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields?.[0]?.field).toBe('reviews.0.de');
    expect(await reviewRows()).toBe(0);

    const ok = await api<{ saved: number }>(server.url, `/api/v1/assessment/periods/${ID}/reviews`, { method: 'PUT', json: { reviews }, ...as('demo-town-gridoffice') });
    expect(ok.status).toBe(200);
    expect(ok.body.saved).toBe(mine.length);
    expect(await reviewRows()).toBe(mine.length);
    const res = (await api<AssessmentResponse>(server.url, `/api/v1/assessment/periods/${ID}?town=${firstTown}`, as('demo-town-gridoffice'))).body;
    const townRanks = rankByTotal(res.rows);
    for (const r of res.rows) {
      const i = reviews.findIndex((x) => x.workerId === r.workerId);
      expect(r.de).toBe(score(i).de);
      expect(r.comment).toBe(`评语<${i}>`);
      const total = totalOf({ de: r.de, neng: r.neng, qin: r.qin, ji: r.ji }, DEFAULT_WEIGHTS);
      expect(r.total).toBe(total);
      expect(r.rating).toBe(ratingOf(total!));
      expect(r.rankTown).toBe(townRanks.get(r.workerId));
    }
    expect(res.summary.reviewed).toBe(mine.length);
  });

  it('closes after its last day only, and freezes the results', async () => {
    const early = await api<ApiError>(server.url, `/api/v1/assessment/periods/${ID}/close`, { method: 'POST', ...as('demo-gridoffice') });
    expect(early.status).toBe(409);
    expect(early.body.error.code).toBe('assessment_state');
    now = cst('2026-11-20T09:00:00');
    expect((await api(server.url, `/api/v1/assessment/periods/${ID}/close`, { method: 'POST', ...as('demo-town-gridoffice') })).status).toBe(403);
    const before = (await api<AssessmentResponse>(server.url, `/api/v1/assessment/periods/${ID}`, as('demo-gridoffice'))).body;
    const closed = await api<AssessmentPeriod>(server.url, `/api/v1/assessment/periods/${ID}/close`, { method: 'POST', ...as('demo-gridoffice') });
    expect(closed.status).toBe(200);
    expect(closed.body.status).toBe('closed');
    expect(await valueOf(server.store, 'SELECT COUNT(*) AS n FROM assessment_results WHERE period_id = ?', ID)).toBe(before.rows.length);
    // later activity does not move a closed period's figures
    now = cst('2026-12-20T09:00:00');
    const after = (await api<AssessmentResponse>(server.url, `/api/v1/assessment/periods/${ID}`, as('demo-gridoffice'))).body;
    expect(after.rows.map((r) => [r.workerId, r.qin, r.ji, r.total, r.rankCounty, r.rating])).toEqual(before.rows.map((r) => [r.workerId, r.qin, r.ji, r.total, r.rankCounty, r.rating]));
    const late = await api<ApiError>(server.url, `/api/v1/assessment/periods/${ID}/reviews`, { method: 'PUT', json: { reviews: [{ workerId: after.rows[0]!.workerId, de: 90, neng: 90, comment: '迟到' }] }, ...as('demo-town-gridoffice') });
    expect(late.status).toBe(409);
  });

  it('puts a worker on a list only when a second person decides it, with a reason', async () => {
    const res = (await api<AssessmentResponse>(server.url, `/api/v1/assessment/periods/${ID}?town=${firstTown}`, as('demo-town-gridoffice'))).body;
    const best = res.rows.find((r) => r.rankTown === 1)!;
    const proposed = await api(server.url, `/api/v1/assessment/periods/${ID}/proposals`, { method: 'POST', json: { workerId: best.workerId, list: 'reward', proposal: '全镇第一，巡查到位' }, ...as('demo-town-gridoffice') });
    expect(proposed.status).toBe(204);
    const twice = await api(server.url, `/api/v1/assessment/periods/${ID}/proposals`, { method: 'POST', json: { workerId: best.workerId, list: 'reward', proposal: '再次' }, ...as('demo-gridoffice') });
    expect(twice.status).toBe(409);
    const path = `/api/v1/assessment/periods/${ID}/proposals/${best.workerId}/reward/decision`;
    const own = await api<ApiError>(server.url, path, { method: 'POST', json: { decision: 'approved', reason: '同意' }, ...as('demo-town-gridoffice') });
    expect(own.status).toBe(403);
    expect(own.body.error.code).toBe('separation_of_duties');
    const noReason = await api<ApiError>(server.url, path, { method: 'POST', json: { decision: 'approved' }, ...as('demo-gridoffice') });
    expect(noReason.status).toBe(400);
    expect(noReason.body.error.fields?.[0]?.field).toBe('reason');
    expect((await api(server.url, path, { method: 'POST', json: { decision: 'approved', reason: '经县网格办审定同意' }, ...as('demo-gridoffice') })).status).toBe(204);
    expect((await api(server.url, path, { method: 'POST', json: { decision: 'rejected', reason: '改主意' }, ...as('demo-gridoffice') })).status).toBe(409);
    const after = (await api<AssessmentResponse>(server.url, `/api/v1/assessment/periods/${ID}?town=${firstTown}`, as('demo-town-gridoffice'))).body;
    expect(after.rows.find((r) => r.workerId === best.workerId)!.decisions).toEqual([
      expect.objectContaining({ list: 'reward', proposal: '全镇第一，巡查到位', decision: 'approved', reason: '经县网格办审定同意', proposedBy: '演示·乡镇网格办', decidedBy: '演示·县网格办' }),
    ]);
    expect(after.summary.reward).toEqual({ proposed: 1, approved: 1 });
    const audited = await server.store.all<{ action: string; result: string }>("SELECT action, result FROM audit_log WHERE action LIKE 'assessment:%' ORDER BY seq");
    expect(audited.filter((a) => a.action === 'assessment:decide').map((a) => a.result)).toEqual(['denied', 'success', 'failure']);
  });

  it("shows a field worker their own closed results, the lists approved for them, and an open period without a result", async () => {
    const fieldId = (await server.store.get<{ id: string }>("SELECT id FROM users WHERE username = 'demo-field'"))!.id;
    const workerId = (await server.store.get<{ id: string }>('SELECT id FROM workers WHERE user_id = ?', fieldId))!.id;
    // a proposal not yet decided is not shown to the worker
    const proposed = await api(server.url, `/api/v1/assessment/periods/${ID}/proposals`, { method: 'POST', json: { workerId, list: 'exit_review', proposal: '巡查天数偏少，提请审查' }, ...as('demo-gridoffice') });
    expect(proposed.status).toBe(204);
    const open = await api<AssessmentPeriod>(server.url, '/api/v1/assessment/periods', { method: 'POST', json: { startsOn: '2026-12-01', endsOn: '2026-12-31' }, ...as('demo-gridoffice') });
    expect(open.status).toBe(201);

    const me = await api<OwnAssessmentResponse>(server.url, '/api/v1/assessment/me', as('demo-field'));
    expect(me.status).toBe(200);
    expect(me.body.workerId).toBe(workerId);
    expect(me.body.items.map((i) => [i.period.id, i.period.status, i.result === null])).toEqual([
      [open.body.id, 'open', true],
      [ID, 'closed', false],
    ]);
    const county = (await api<AssessmentResponse>(server.url, `/api/v1/assessment/periods/${ID}`, as('demo-gridoffice'))).body.rows;
    const row = county.find((r) => r.workerId === workerId)!;
    const ranked = county.filter((r) => r.rankCounty !== null);
    expect(me.body.items[1]!.result).toEqual({
      de: row.de,
      neng: row.neng,
      qin: row.qin,
      ji: row.ji,
      total: row.total,
      rating: row.rating,
      rankTown: row.rankTown,
      rankedInTown: ranked.filter((r) => r.town.id === row.town.id).length,
      rankCounty: row.rankCounty,
      rankedInCounty: ranked.length,
      comment: row.comment,
      figures: row.figures,
      approved: row.decisions.filter((d) => d.decision === 'approved').map((d) => ({ list: d.list, decidedAt: d.decidedAt })),
    });
    expect(me.body.items[1]!.result!.approved.some((a) => a.list === 'exit_review')).toBe(false);
    // the worker reads only their own: not a period's table; and without a linked record, 404 no_worker_record
    expect((await api(server.url, `/api/v1/assessment/periods/${ID}`, as('demo-field'))).status).toBe(403);
    await server.store.run('UPDATE workers SET user_id = NULL WHERE id = ?', workerId);
    try {
      const none = await api<ApiError>(server.url, '/api/v1/assessment/me', as('demo-field'));
      expect(none.status).toBe(404);
      expect(none.body.error.code).toBe('no_worker_record');
    } finally {
      await server.store.run('UPDATE workers SET user_id = ? WHERE id = ?', fieldId, workerId);
    }
  });

  it('exports the XLSX and the printable page with the same figures', async () => {
    const res = (await api<AssessmentResponse>(server.url, `/api/v1/assessment/periods/${ID}?town=${firstTown}`, as('demo-town-gridoffice'))).body;
    const file = await fetch(new URL(`/api/v1/assessment/periods/${ID}/export.xlsx?town=${firstTown}`, server.url), { headers: { authorization: `Bearer ${tokens.get('demo-town-gridoffice')}` } });
    expect(file.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await file.arrayBuffer()) as unknown as ArrayBuffer);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['考核结果', '奖励名单', '退出审查名单', '说明']);
    const ws = wb.getWorksheet('考核结果')!;
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    const col = (h: string) => header.indexOf(h) + 1;
    expect(ws.rowCount - 1).toBe(res.rows.length);
    res.rows.forEach((r, i) => {
      const row = ws.getRow(i + 2);
      expect(row.getCell(col('编号')).value).toBe(r.workerId);
      expect(row.getCell(col('勤')).value).toBe(r.qin);
      expect(row.getCell(col('绩')).value).toBe(r.ji);
      expect(row.getCell(col('总分')).value ?? null).toBe(r.total);
      expect(row.getCell(col('乡镇排名')).value ?? null).toBe(r.rankTown);
    });
    const reward = wb.getWorksheet('奖励名单')!;
    expect(reward.rowCount).toBe(2);
    expect(reward.getRow(2).getCell(8).value).toBe('同意');

    const page = await api<string>(server.url, `/api/v1/assessment/periods/${ID}/print?town=${firstTown}`, as('demo-town-gridoffice'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    for (const r of res.rows) expect(page.body).toContain(`<td>${r.workerId}</td>`);
    // comments are people's text: escaped, never markup (the XLSX keeps them as typed)
    expect(page.body).not.toContain('评语<0>');
    expect(page.body).toContain('评语&lt;0&gt;');
    const exports = await server.store.all<{ details: string }>("SELECT details FROM audit_log WHERE action = 'assessment:export' ORDER BY seq");
    expect(exports.map((e) => JSON.parse(e.details).format)).toEqual(['xlsx', 'html']);
  });
});
