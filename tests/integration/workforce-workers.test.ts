import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError } from '../../shared/contracts/errors.js';
import type { ImportJob, RosterImportReport } from '../../shared/contracts/imports.js';
import type { WorkerListResponse, WorkerRecord } from '../../shared/contracts/workforce.js';
import type { Clock } from '../../server/src/core/clock.js';
import { api, loginAs, startTestServer, type TestServer } from './harness.js';

/**
 * Grid workers' records (issue 16 part 1) on the seeded small county: the list and its scope by
 * role, a change by the grid office with its audit record, a refused change that changes nothing,
 * the XLSX export read back against the list, the CSV export imported back without a problem, and
 * an import with faulty rows reported row by row, writing nothing. On either store.
 */
const T0 = Date.parse('2027-01-10T09:00:00+08:00');
const clock: Clock = { now: () => new Date(T0) };

let server: TestServer;
const tokens = new Map<string, string>();
let towns: string[];
let total: number;

const as = (user: string) => tokens.get(user)!;
const list = (query: string, user = 'demo-gridoffice') => api<WorkerListResponse & ApiError>(server.url, `/api/v1/workforce/workers${query ? `?${query}` : ''}`, { token: as(user) });
const patch = (id: string, body: unknown, user = 'demo-town-gridoffice') =>
  api<WorkerRecord & ApiError>(server.url, `/api/v1/workforce/workers/${id}`, { method: 'PATCH', json: body, token: as(user) });
/** The workers table as it stands (every column), and the micro-grids served, for "nothing changed". */
const snapshot = async () =>
  JSON.stringify([
    await server.store.all('SELECT id, grade, status, started_on, left_on, team_id, user_id, updated_at, phone, employment, education FROM workers ORDER BY id'),
    await server.store.all('SELECT worker_id, micro_grid_id FROM worker_micro_grids ORDER BY worker_id, micro_grid_id'),
  ]);

/** A roster import of the workers sheet: the administrator's (`/imports/roster`), or the grid office's (`/imports/workers`). */
async function importFile(body: string | Buffer, name: string, contentType: string, user = 'demo-sysadmin'): Promise<ImportJob> {
  const path = user === 'demo-sysadmin' ? '/api/v1/imports' : '/api/v1/imports/workers';
  const start = user === 'demo-sysadmin' ? '/api/v1/imports/roster?kind=workers' : '/api/v1/imports/workers';
  const started = await api<ImportJob>(server.url, start, { method: 'POST', body, token: as(user), headers: { 'content-type': contentType, 'x-file-name': encodeURIComponent(name) } });
  expect(started.status).toBe(202);
  for (;;) {
    const { body: job } = await api<ImportJob>(server.url, `${path}/${started.body.id}`, { token: as(user) });
    if (job.state !== 'validating') return job;
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  server = await startTestServer({ clock });
  for (const u of ['demo-gridoffice', 'demo-town-gridoffice', 'demo-field', 'demo-dispatcher', 'demo-lead', 'demo-sysadmin', 'demo-auditor']) tokens.set(u, await loginAs(server.url, u));
  towns = (await server.store.all<{ id: string }>("SELECT id FROM regions WHERE level = 'town' ORDER BY code")).map((r) => r.id);
  total = Number((await server.store.get<{ n: number }>('SELECT COUNT(*) AS n FROM workers'))!.n);
});
afterAll(async () => {
  await server?.stop();
});

describe('worker records: list and scope', () => {
  it('gives the county grid office every worker, a town grid office only its town, and refuses another town', async () => {
    const all = await list('pageSize=500');
    expect(all.status).toBe(200);
    expect(all.body.total).toBe(total);
    expect(all.body.items).toHaveLength(total);
    expect(new Set(all.body.items.map((w) => w.town.id)).size).toBe(towns.length);

    const own = await list('pageSize=500', 'demo-town-gridoffice');
    expect(own.status).toBe(200);
    expect(own.body.total).toBeGreaterThan(0);
    expect(own.body.total).toBeLessThan(total);
    expect(own.body.items.every((w) => w.town.id === towns[0])).toBe(true);
    expect(own.body.total).toBe(all.body.items.filter((w) => w.town.id === towns[0]).length);

    const other = await list(`town=${towns[1]}`, 'demo-town-gridoffice');
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('out_of_scope');
    const stranger = all.body.items.find((w) => w.town.id === towns[1])!;
    expect((await api<ApiError>(server.url, `/api/v1/workforce/workers/${stranger.id}`, { token: as('demo-town-gridoffice') })).status).toBe(403);
    expect((await api(server.url, `/api/v1/workforce/workers/${stranger.id}`, { token: as('demo-gridoffice') })).status).toBe(200);
    expect((await api<ApiError>(server.url, '/api/v1/workforce/workers/W99999999', { token: as('demo-gridoffice') })).status).toBe(404);
  });

  it('filters by town, status, employment, grade and text, and pages by id', async () => {
    const all = (await list('pageSize=500')).body.items;
    const left = await list('status=left&pageSize=500');
    expect(left.body.total).toBe(all.filter((w) => w.status === 'left').length);
    expect(left.body.items.every((w) => w.status === 'left' && w.leftOn !== null)).toBe(true);
    const g2 = await list(`town=${towns[1]}&grade=2&employment=part_time&pageSize=500`);
    expect(g2.body.total).toBe(all.filter((w) => w.town.id === towns[1] && w.grade === 2 && w.employment === 'part_time').length);
    const one = all[7]!;
    expect((await list(`q=${encodeURIComponent(one.name)}`)).body.items.map((w) => w.id)).toContain(one.id);
    const page2 = await list('page=2&pageSize=10');
    expect(page2.body.items.map((w) => w.id)).toEqual(all.slice(10, 20).map((w) => w.id));
    expect((await list('grade=9')).status).toBe(400);
  });

  it('lets a field worker read only their own record, and refuses a dispatcher', async () => {
    const me = await api<WorkerRecord>(server.url, '/api/v1/workforce/me', { token: as('demo-field') });
    expect(me.status).toBe(200);
    expect(me.body.account?.username).toBe('demo-field');
    expect(me.body.town.id).toBe(towns[0]);
    expect(me.body.team).not.toBeNull();
    expect((await list('', 'demo-field')).status).toBe(403);
    expect((await list('', 'demo-dispatcher')).status).toBe(403);
    expect((await api(server.url, '/api/v1/workforce/me', { token: as('demo-dispatcher') })).status).toBe(403);
    // the shift lead reads the records (workforce:read) but changes none
    expect((await list('', 'demo-lead')).status).toBe(200);
    expect((await patch(me.body.id, { grade: 3 }, 'demo-lead')).status).toBe(403);
  });
});

describe('worker records: changes', () => {
  it('writes a change with its audit record (from, to, reason)', async () => {
    const mine = (await list(`town=${towns[0]}&status=active&pageSize=500`, 'demo-town-gridoffice')).body.items.find((w) => w.microGrids.length > 0 && w.account === null)!;
    const res = await patch(mine.id, { grade: mine.grade === 5 ? 4 : mine.grade + 1, status: 'left', leftOn: '2027-01-05', microGridIds: [], reason: '本人辞职' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: mine.id, status: 'left', leftOn: '2027-01-05', microGrids: [], updatedAt: new Date(T0).toISOString() });
    const audit = await server.store.get<{ result: string; username: string; details: string }>(
      "SELECT result, username, details FROM audit_log WHERE action = 'worker:update' AND object_id = ? ORDER BY seq DESC LIMIT 1",
      mine.id,
    );
    expect(audit).toMatchObject({ result: 'success', username: 'demo-town-gridoffice' });
    const details = JSON.parse(audit!.details) as { from: Record<string, unknown>; to: Record<string, unknown>; reason: string };
    expect(details.reason).toBe('本人辞职');
    expect(details.from).toMatchObject({ grade: mine.grade, status: 'active', leftOn: null });
    expect(details.to).toMatchObject({ status: 'left', leftOn: '2027-01-05', microGridIds: [] });
    // back to work: the leaving date goes
    const back = await patch(mine.id, { status: 'active', microGridIds: mine.microGrids.map((m) => m.id) });
    expect(back.body).toMatchObject({ status: 'active', leftOn: null });
    expect(back.body.microGrids.map((m) => m.id).sort()).toEqual(mine.microGrids.map((m) => m.id).sort());
  });

  it('refuses a change that breaks a rule, changes nothing and audits the refusal', async () => {
    const all = (await list('pageSize=500')).body.items;
    const mine = all.find((w) => w.town.id === towns[0] && w.status === 'active' && w.account === null)!;
    const foreignMicro = all.find((w) => w.grid.id !== mine.grid.id && w.microGrids.length > 0)!.microGrids[0]!.id;
    const dispatcher = (await server.store.get<{ id: string }>("SELECT id FROM users WHERE username = 'demo-dispatcher'"))!.id;
    const field = (await server.store.get<{ id: string }>("SELECT id FROM users WHERE username = 'demo-field'"))!.id;
    const before = await snapshot();
    const cases: Array<[unknown, string, string]> = [
      [{ status: 'left' }, 'leftOn', 'left_on_required'],
      [{ leftOn: '2027-01-01' }, 'leftOn', 'left_on_not_left'],
      [{ status: 'left', leftOn: '2001-01-01', startedOn: '2010-05-01' }, 'leftOn', 'before_started_on'],
      [{ microGridIds: [foreignMicro] }, 'microGridIds', 'micro_grid_not_in_grid'],
      [{ teamId: 'TM9999' }, 'teamId', 'unknown_team'],
      [{ userId: dispatcher }, 'userId', 'not_field_worker'],
      [{ userId: field }, 'userId', 'linked_to_other_worker'],
      [{ userId: 'no-such-user' }, 'userId', 'unknown_user'],
    ];
    for (const [body, field_, code] of cases) {
      const res = await patch(mine.id, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.error.code).toBe('worker_change_invalid');
      expect(res.body.error.fields).toContainEqual(expect.objectContaining({ field: field_, code }));
    }
    // bad input: 400 naming the field; another town's worker: 403; nothing to change: 400
    expect((await patch(mine.id, { grade: 7 })).status).toBe(400);
    expect((await patch(mine.id, { reason: 'x' })).status).toBe(400);
    expect((await patch(mine.id, { colour: 'red' })).status).toBe(400);
    const stranger = all.find((w) => w.town.id === towns[1])!;
    expect((await patch(stranger.id, { grade: 2 })).status).toBe(403);
    expect(await snapshot()).toBe(before);
    const refusals = await server.store.all<{ reason: string }>("SELECT reason FROM audit_log WHERE action = 'worker:update' AND result = 'failure' AND object_id = ?", mine.id);
    expect(refusals).toHaveLength(cases.length);
  });

  it('answers 404 no_worker_record for a field account linked to no record', async () => {
    const me = (await api<WorkerRecord>(server.url, '/api/v1/workforce/me', { token: as('demo-field') })).body;
    expect((await patch(me.id, { userId: null, reason: '换号' })).status).toBe(200);
    const none = await api<ApiError>(server.url, '/api/v1/workforce/me', { token: as('demo-field'), headers: { 'accept-language': 'en' } });
    expect(none.status).toBe(404);
    expect(none.body.error.code).toBe('no_worker_record');
    expect(none.body.error.message).toMatch(/grid office/);
    const field = (await server.store.get<{ id: string }>("SELECT id FROM users WHERE username = 'demo-field'"))!.id;
    expect((await patch(me.id, { userId: field })).status).toBe(200);
    expect((await api(server.url, '/api/v1/workforce/me', { token: as('demo-field') })).status).toBe(200);
  });
});

describe('worker records: export and import', () => {
  it('exports XLSX with the figures of the list (audited)', async () => {
    const res = await fetch(new URL(`/api/v1/workforce/workers/export?format=xlsx&town=${towns[0]}`, server.url), { headers: { authorization: `Bearer ${as('demo-town-gridoffice')}` } });
    expect(res.status, res.status === 200 ? '' : await res.text()).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await res.arrayBuffer());
    const ws = wb.getWorksheet('网格员')!;
    const header = (ws.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(0, 15)).toEqual(['工号', '姓名', '性别', '出生年份', '学历', '手机号', '专兼职', '网格编码', '等级', '状态', '入职日期', '离职日期', '所属队伍', '服务微网格编码', '登录账号']);
    const listed = (await list(`town=${towns[0]}&pageSize=500`, 'demo-town-gridoffice')).body.items;
    const rows: unknown[][] = [];
    ws.eachRow((r, n) => n > 1 && rows.push((r.values as unknown[]).slice(1)));
    expect(rows).toHaveLength(listed.length);
    const words = { active: '在岗', on_leave: '请假', left: '离职' };
    rows.forEach((r, i) => {
      const w = listed[i]!;
      expect([r[0], r[1], r[5], r[7], r[8], r[9], r[10] ?? null, r[11] ?? null, r[12] ?? null]).toEqual([w.id, w.name, w.phone, w.grid.code, w.grade, words[w.status], w.startedOn, w.leftOn, w.team?.id ?? null]);
      expect(r[13] ?? '').toBe(w.microGrids.map((m) => m.code).join(';'));
    });
    const audit = await server.store.get<{ details: string }>("SELECT details FROM audit_log WHERE action = 'worker:export' ORDER BY seq DESC LIMIT 1");
    expect(JSON.parse(audit!.details)).toMatchObject({ format: 'xlsx', town: towns[0], rows: listed.length });
  });

  it('exports CSV (UTF-8 with BOM) that imports back without a problem', async () => {
    const res = await fetch(new URL(`/api/v1/workforce/workers/export?format=csv`, server.url), { headers: { authorization: `Bearer ${as('demo-gridoffice')}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const before = await snapshot();
    const job = await importFile(bytes, '网格员.csv', 'text/csv');
    expect(job.report?.problems).toEqual([]);
    expect(job).toMatchObject({ state: 'ready', report: { sheets: [{ kind: 'workers', rows: total, inserts: 0, updates: total }] } });
    const written = await api<ImportJob>(server.url, `/api/v1/imports/${job.id}/write`, { method: 'POST', token: as('demo-sysadmin') });
    expect(written.status).toBe(200);
    // the same records: an export imported back changes nothing (the record columns included)
    expect(await snapshot()).toBe(before);
  });

  it('reports each faulty row by row and column, and writes nothing', async () => {
    const csv = Buffer.from(await (await fetch(new URL(`/api/v1/workforce/workers/export?format=csv&town=${towns[0]}`, server.url), { headers: { authorization: `Bearer ${as('demo-gridoffice')}` } })).arrayBuffer())
      .toString('utf8')
      .replace(/^\uFEFF/, '');
    const lines = csv.trimEnd().split('\r\n');
    const cells = lines.map((l) => l.split(','));
    // row 3 of the file (the second worker): grade 9; row 4: left without a date; row 5: an unknown team and a micro-grid of no grid
    cells[2]![8] = '9';
    cells[3]![9] = '离职';
    cells[3]![11] = '';
    cells[4]![12] = 'TM9999';
    cells[4]![13] = '999999999999';
    cells[5]![14] = 'demo-dispatcher';
    const before = await snapshot();
    const job = await importFile(cells.map((c) => c.join(',')).join('\r\n'), '网格员.csv', 'text/csv');
    expect(job.state).toBe('refused');
    const problems = (job.report as RosterImportReport).problems.map((p) => [p.row, p.field, p.problem]);
    expect(problems).toEqual([
      [3, '等级', 'bad_value'],
      [4, '离职日期', 'left_on_required'],
      [5, '所属队伍', 'unknown_team'],
      [5, '服务微网格编码', 'micro_grid_outside'],
      [6, '登录账号', 'unknown_account'],
    ]);
    const write = await api<ApiError>(server.url, `/api/v1/imports/${job.id}/write`, { method: 'POST', token: as('demo-sysadmin') });
    expect(write.status).toBe(409);
    expect(await snapshot()).toBe(before);
  });

  it('still imports an old roster file without the record columns, keeping the records', async () => {
    const w = (await list(`town=${towns[0]}&status=left&pageSize=1`)).body.items[0]!;
    const csv = `工号,姓名,性别,出生年份,学历,手机,专兼职,网格编码\n${w.id},${w.name},${w.gender === 'F' ? '女' : '男'},${w.birthYear},大专,${w.phone},${w.employment === 'full_time' ? '专职' : '兼职'},${w.grid.code}\n`;
    const job = await importFile(csv, 'workers.csv', 'text/csv');
    expect(job.state).toBe('ready');
    expect((await api(server.url, `/api/v1/imports/${job.id}/write`, { method: 'POST', token: as('demo-sysadmin') })).status).toBe(200);
    const after = (await api<WorkerRecord>(server.url, `/api/v1/workforce/workers/${w.id}`, { token: as('demo-gridoffice') })).body;
    expect(after).toMatchObject({ education: 'junior_college', status: 'left', leftOn: w.leftOn, grade: w.grade, startedOn: w.startedOn, team: w.team, microGrids: w.microGrids });
  });

  it("lets a town's grid office import its own workers only: another town's row is an outside_scope problem", async () => {
    const all = (await list('pageSize=500')).body.items;
    const own = all.find((w) => w.town.id === towns[0] && w.status === 'active' && w.account === null)!;
    const [other, other2] = all.filter((w) => w.town.id === towns[1]) as [WorkerRecord, WorkerRecord];
    const header = '工号,姓名,性别,出生年份,学历,手机,专兼职,网格编码,等级';
    const line = (w: WorkerRecord, grid: string, grade: number) => `${w.id},${w.name},${w.gender === 'F' ? '女' : '男'},${w.birthYear},大专,${w.phone},${w.employment === 'full_time' ? '专职' : '兼职'},${grid},${grade}`;
    const grade = own.grade === 5 ? 4 : own.grade + 1;
    const before = await snapshot();
    // a row in another town's grid, and another town's worker moved into an own grid
    const refused = await importFile([header, line(own, own.grid.code, grade), line(other, other.grid.code, 1), line(other2, own.grid.code, 1)].join('\n'), 'w.csv', 'text/csv', 'demo-town-gridoffice');
    expect(refused.state).toBe('refused');
    expect((refused.report as RosterImportReport).problems.map((p) => [p.row, p.field, p.problem])).toEqual([
      [3, '网格编码', 'outside_scope'],
      [4, '工号', 'outside_scope'],
    ]);
    expect((await api(server.url, `/api/v1/imports/workers/${refused.id}/write`, { method: 'POST', token: as('demo-town-gridoffice') })).status).toBe(409);
    expect(await snapshot()).toBe(before);
    // the administrator's paths stay the administrator's
    expect((await api(server.url, '/api/v1/imports/roster?kind=workers', { method: 'POST', body: header, token: as('demo-town-gridoffice'), headers: { 'content-type': 'text/csv' } })).status).toBe(403);
    expect((await api(server.url, `/api/v1/imports/${refused.id}`, { token: as('demo-town-gridoffice') })).status).toBe(403);

    // a workbook: its workers sheet is read, its teams sheet left alone (the administrator's to import)
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('网格员');
    for (const l of [header, line(own, own.grid.code, grade)]) sheet.addRow(l.split(','));
    book.addWorksheet('队伍').addRow(['队伍编号', '类型', '名称', '驻地编码', '人数', '队长', '队长手机']);
    const xlsx = Buffer.from(await book.xlsx.writeBuffer());
    const ok = await importFile(xlsx, '网格员.xlsx', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'demo-town-gridoffice');
    expect(ok).toMatchObject({ state: 'ready', report: { encoding: 'XLSX', problems: [], sheets: [{ kind: 'workers', rows: 1, updates: 1 }] } });
    // another user's job is as good as missing, and the administrator does not read it on their path
    expect((await api(server.url, `/api/v1/imports/workers/${ok.id}`, { token: as('demo-gridoffice') })).status).toBe(404);
    expect((await api(server.url, `/api/v1/imports/${ok.id}`, { token: as('demo-sysadmin') })).status).toBe(404);
    const written = await api<ImportJob>(server.url, `/api/v1/imports/workers/${ok.id}/write`, { method: 'POST', token: as('demo-town-gridoffice') });
    expect(written.status).toBe(200);
    expect((await api<WorkerRecord>(server.url, `/api/v1/workforce/workers/${own.id}`, { token: as('demo-gridoffice') })).body.grade).toBe(grade);
    const audit = await server.store.get<{ username: string; result: string }>("SELECT username, result FROM audit_log WHERE action = 'data:import' ORDER BY seq DESC LIMIT 1");
    expect(audit).toEqual({ username: 'demo-town-gridoffice', result: 'success' });
  });
});
