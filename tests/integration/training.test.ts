import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError } from '../../shared/contracts/errors.js';
import type { TrainingCourse, TrainingCourseList, TrainingMeResponse, TrainingProgressResponse, TrainingSessionDetail, TrainingSessionList, WorkerCertificate, WorkerCertificateList } from '../../shared/contracts/training.js';
import type { Clock } from '../../server/src/core/clock.js';
import { api, loginAs, startTestServer, type TestServer } from './harness.js';

/**
 * Training through the REST API on both stores: courses, sessions, attendance (an upsert, checked
 * row by row), certificates, and the progress of a year checked exactly. The year 2025 holds no
 * demo sessions (the demo's history is of 2026), so every hour in it is one this file recorded.
 */
const now = Date.parse('2026-12-01T10:00:00+08:00');
const clock: Clock = { now: () => new Date(now) };

let server: TestServer;
const tokens = new Map<string, string>();
let T1: string;
let T2: string;
let w1: string;
let w2: string;
let wOut: string;
let wLeft: string;

const call = <T>(user: string, path: string, init: { method?: string; json?: unknown } = {}) =>
  api<T & ApiError>(server.url, path, { token: tokens.get(user), ...init, headers: { 'accept-language': 'en' } });

const auditCount = async (action: string) => Number((await server.store.get<{ n: number }>('SELECT COUNT(*) AS n FROM audit_log WHERE action = ?', action))!.n);
const attendanceRows = (sessionId: string) =>
  server.store.all<{ worker_id: string; hours: number; passed: number | null }>('SELECT worker_id, hours, passed FROM training_attendance WHERE session_id = ? ORDER BY worker_id', sessionId);

let townCourse: TrainingCourse;
let countyCourse: TrainingCourse;
let townSession: TrainingSessionDetail;
let countySession: TrainingSessionDetail;

beforeAll(async () => {
  server = await startTestServer({ clock });
  for (const u of ['demo-gridoffice', 'demo-town-gridoffice', 'demo-dispatcher', 'demo-field']) tokens.set(u, await loginAs(server.url, u));
  const towns = await server.store.all<{ id: string }>("SELECT id FROM regions WHERE level = 'town' ORDER BY code, id");
  T1 = towns[0]!.id;
  T2 = towns[1]!.id;
  const workersOf = (town: string) =>
    server.store.all<{ id: string }>(
      `SELECT w.id FROM workers w JOIN regions g ON g.id = w.grid_id JOIN regions v ON v.id = g.parent_id
        WHERE v.parent_id = ? AND w.status <> 'left' ORDER BY w.id`,
      town,
    );
  const inT1 = await workersOf(T1);
  [w1, w2, wLeft] = [inT1[0]!.id, inT1[1]!.id, inT1[2]!.id];
  wOut = (await workersOf(T2))[0]!.id;
  // a worker who has left (the records module's PATCH is not this file's subject)
  await server.store.run("UPDATE workers SET status = 'left', left_on = '2025-01-31' WHERE id = ?", wLeft);
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

describe('training', () => {
  it('the demo holds two county courses per subject of the six', async () => {
    const list = await call<TrainingCourseList>('demo-gridoffice', '/api/v1/training/courses');
    expect(list.status).toBe(200);
    const demo = list.body.items.filter((c) => c.id.startsWith('TC-DEMO-'));
    expect(demo).toHaveLength(12);
    for (const s of ['party_building', 'policy_law', 'business', 'ethics', 'system_operation', 'general_quality']) expect(demo.filter((c) => c.subject === s)).toHaveLength(2);
    const only = await call<TrainingCourseList>('demo-gridoffice', '/api/v1/training/courses?subject=ethics');
    expect(only.body.items.every((c) => c.subject === 'ethics')).toBe(true);
  });

  it('creates courses and sessions (audited); a town office may not hold a county session or another town\'s', async () => {
    const before = await auditCount('training:course_create');
    const made = await call<TrainingCourse>('demo-gridoffice', '/api/v1/training/courses', { method: 'POST', json: { subject: 'policy_law', title: '《网格化服务管理条例》解读', hours: 4 } });
    expect(made.status).toBe(201);
    townCourse = made.body;
    expect(await auditCount('training:course_create')).toBe(before + 1);
    countyCourse = (await call<TrainingCourse>('demo-gridoffice', '/api/v1/training/courses', { method: 'POST', json: { subject: 'system_operation', title: '移动端上报实操', hours: 3 } })).body;

    const s1 = await call<TrainingSessionDetail>('demo-town-gridoffice', '/api/v1/training/sessions', {
      method: 'POST',
      json: { courseId: townCourse.id, mode: 'offline', townId: T1, heldOn: '2025-05-12', place: '镇便民服务中心', trainer: '司法所 王所长', hours: 4 },
    });
    expect(s1.status).toBe(201);
    townSession = s1.body;
    expect(townSession.town?.id).toBe(T1);
    const s2 = await call<TrainingSessionDetail>('demo-gridoffice', '/api/v1/training/sessions', {
      method: 'POST',
      json: { courseId: countyCourse.id, mode: 'online', townId: null, heldOn: '2025-06-20', place: '县网格学院线上课堂', trainer: '县网格办', hours: 3 },
    });
    expect(s2.status).toBe(201);
    countySession = s2.body;

    const county = await call('demo-town-gridoffice', '/api/v1/training/sessions', { method: 'POST', json: { courseId: countyCourse.id, mode: 'online', townId: null, heldOn: '2025-06-21', place: '线上', trainer: '县网格办', hours: 3 } });
    expect(county.status).toBe(403);
    expect(county.body.error.fields).toEqual([expect.objectContaining({ field: 'townId', code: 'county_scope_only' })]);
    const other = await call('demo-town-gridoffice', '/api/v1/training/sessions', { method: 'POST', json: { courseId: townCourse.id, mode: 'offline', townId: T2, heldOn: '2025-06-21', place: '会议室', trainer: '某某', hours: 2 } });
    expect(other.status).toBe(403);
    const unknown = await call('demo-gridoffice', '/api/v1/training/sessions', { method: 'POST', json: { courseId: 'TC-nope', mode: 'offline', townId: T2, heldOn: '2025-06-21', place: '会议室', trainer: '某某', hours: 2 } });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error.fields).toEqual([expect.objectContaining({ field: 'courseId', code: 'unknown_course' })]);
    const dispatcher = await call('demo-dispatcher', '/api/v1/training/sessions', { method: 'POST', json: { courseId: townCourse.id, mode: 'offline', townId: T1, heldOn: '2025-06-21', place: '会议室', trainer: '某某', hours: 2 } });
    expect(dispatcher.status).toBe(403);
  });

  it("records attendance as an upsert per worker, audited; a town office sees the county's sessions and its own", async () => {
    const before = await auditCount('training:attendance');
    const put = await call<TrainingSessionDetail>('demo-town-gridoffice', `/api/v1/training/sessions/${townSession.id}/attendance`, {
      method: 'PUT',
      json: [
        { workerId: w1, hours: 4, passed: true },
        { workerId: w2, hours: 2.5 },
      ],
    });
    expect(put.status).toBe(200);
    expect(put.body.attendance.map((a) => [a.workerId, a.hours, a.passed])).toEqual([
      [w1, 4, true],
      [w2, 2.5, null],
    ]);
    // the same worker again overwrites; a worker not named keeps their row
    const again = await call<TrainingSessionDetail>('demo-town-gridoffice', `/api/v1/training/sessions/${townSession.id}/attendance`, { method: 'PUT', json: [{ workerId: w2, hours: 3, passed: false }] });
    expect(again.status).toBe(200);
    expect(await attendanceRows(townSession.id)).toEqual([
      { worker_id: w1, hours: 4, passed: 1 },
      { worker_id: w2, hours: 3, passed: 0 },
    ]);
    expect(await auditCount('training:attendance')).toBe(before + 2);
    const county = await call<TrainingSessionDetail>('demo-gridoffice', `/api/v1/training/sessions/${countySession.id}/attendance`, {
      method: 'PUT',
      json: [
        { workerId: w1, hours: 3, passed: true },
        { workerId: wOut, hours: 3 },
      ],
    });
    expect(county.status).toBe(200);
    expect(county.body.attendees).toBe(2);

    // the town office reads the county session, with only its own town's rows
    const seen = await call<TrainingSessionDetail>('demo-town-gridoffice', `/api/v1/training/sessions/${countySession.id}`);
    expect(seen.status).toBe(200);
    expect(seen.body.attendance.map((a) => a.workerId)).toEqual([w1]);
    const list = await call<TrainingSessionList>('demo-town-gridoffice', '/api/v1/training/sessions?year=2025');
    expect(list.body.items.map((s) => s.id).sort()).toEqual([townSession.id, countySession.id].sort());
    // another town's session is not found for it
    const t2 = await call<TrainingSessionDetail>('demo-gridoffice', '/api/v1/training/sessions', {
      method: 'POST',
      json: { courseId: townCourse.id, mode: 'offline', townId: T2, heldOn: '2025-07-01', place: '会议室', trainer: '某某', hours: 2 },
    });
    expect((await call('demo-town-gridoffice', `/api/v1/training/sessions/${t2.body.id}`)).status).toBe(404);
  });

  it('refuses attendance of a worker outside the town, left, unknown or over the hours: 422 naming the row, nothing written', async () => {
    const rowsBefore = await attendanceRows(townSession.id);
    const auditBefore = await auditCount('training:attendance');
    const res = await call('demo-gridoffice', `/api/v1/training/sessions/${townSession.id}/attendance`, {
      method: 'PUT',
      json: [
        { workerId: w1, hours: 1 },
        { workerId: wOut, hours: 2 },
        { workerId: wLeft, hours: 2 },
        { workerId: 'W99999', hours: 2 },
        { workerId: w2, hours: 4.5 },
      ],
    });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('training_invalid');
    expect(res.body.error.fields!.map((f) => [f.field, f.code])).toEqual([
      ['1.workerId', 'worker_outside_town'],
      ['2.workerId', 'worker_left'],
      ['3.workerId', 'unknown_worker'],
      ['4.hours', 'over_session_hours'],
    ]);
    expect(res.body.error.fields![0]!.message).toBe("is a worker outside the session's town");
    expect(await attendanceRows(townSession.id)).toEqual(rowsBefore);
    expect(await auditCount('training:attendance')).toBe(auditBefore);
    // a town office recording another town's worker at a county session
    const scoped = await call('demo-town-gridoffice', `/api/v1/training/sessions/${countySession.id}/attendance`, { method: 'PUT', json: [{ workerId: wOut, hours: 1 }] });
    expect(scoped.status).toBe(422);
    expect(scoped.body.error.fields).toEqual([expect.objectContaining({ field: '0.workerId', code: 'worker_out_of_scope' })]);
    // bad bodies: 400 naming the field
    const dup = await call('demo-gridoffice', `/api/v1/training/sessions/${townSession.id}/attendance`, { method: 'PUT', json: [{ workerId: w1, hours: 1 }, { workerId: w1, hours: 2 }] });
    expect(dup.status).toBe(400);
    expect(dup.body.error.fields).toEqual([expect.objectContaining({ field: '1.workerId', code: 'duplicate_id' })]);
    expect((await call('demo-gridoffice', `/api/v1/training/sessions/${townSession.id}/attendance`, { method: 'PUT', json: [{ workerId: w1, hours: -1 }] })).status).toBe(400);
    expect(await attendanceRows(townSession.id)).toEqual(rowsBefore);
  });

  it('records certificates, listed per worker', async () => {
    const made = await call<WorkerCertificate>('demo-town-gridoffice', '/api/v1/training/certificates', {
      method: 'POST',
      json: { workerId: w1, title: '政策法规培训合格证', number: 'ZF-2025-001', issuedOn: '2025-05-12', sessionId: townSession.id },
    });
    expect(made.status).toBe(201);
    expect(made.body).toMatchObject({ workerId: w1, sessionId: townSession.id, number: 'ZF-2025-001' });
    const notThere = await call('demo-gridoffice', '/api/v1/training/certificates', { method: 'POST', json: { workerId: wOut, title: '合格证', number: 'X-1', issuedOn: '2025-05-12', sessionId: townSession.id } });
    expect(notThere.status).toBe(422);
    expect(notThere.body.error.fields).toEqual([expect.objectContaining({ field: 'sessionId', code: 'not_attended' })]);
    const list = await call<WorkerCertificateList>('demo-gridoffice', `/api/v1/training/certificates?workerId=${w1}`);
    expect(list.body.items.map((c) => c.id)).toContain(made.body.id);
    expect(list.body.items.every((c) => c.workerId === w1)).toBe(true);
  });

  it("progress shows each worker's hours by subject, behind and by how much, exactly; the requirement is a setting", async () => {
    const res = await call<TrainingProgressResponse>('demo-gridoffice', `/api/v1/training/progress?year=2025&town=${T1}`);
    expect(res.status).toBe(200);
    expect(res.body.required).toBe(24);
    const byId = new Map(res.body.workers.map((w) => [w.workerId, w]));
    expect(byId.get(w1)).toMatchObject({ hours: 7, required: 24, behind: true, shortBy: 17, certificates: expect.any(Number) });
    expect(byId.get(w1)!.bySubject).toEqual({ party_building: 0, policy_law: 4, business: 0, ethics: 0, system_operation: 3, general_quality: 0 });
    expect(byId.get(w2)).toMatchObject({ hours: 3, behind: true, shortBy: 21 });
    expect(byId.has(wLeft)).toBe(false);
    expect(byId.has(wOut)).toBe(false);
    const inTown = Number((await server.store.get<{ n: number }>(
      `SELECT COUNT(*) AS n FROM workers w JOIN regions g ON g.id = w.grid_id JOIN regions v ON v.id = g.parent_id WHERE v.parent_id = ? AND w.status <> 'left'`,
      T1,
    ))!.n);
    expect(res.body.workers).toHaveLength(inTown);
    expect(res.body.total).toMatchObject({ workers: inTown, hours: 10, behind: inTown, met: 0 });
    expect(res.body.towns).toHaveLength(1);

    // the county office lowers the requirement to 6 h; a town office may not change it
    expect((await call('demo-town-gridoffice', '/api/v1/training/settings', { method: 'PUT', json: { yearlyHours: 6 } })).status).toBe(403);
    expect((await call('demo-gridoffice', '/api/v1/training/settings', { method: 'PUT', json: { yearlyHours: 6 } })).status).toBe(200);
    const lower = await call<TrainingProgressResponse>('demo-gridoffice', `/api/v1/training/progress?year=2025&town=${T1}`);
    expect(lower.body.workers.find((w) => w.workerId === w1)).toMatchObject({ behind: false, shortBy: 0, required: 6 });
    expect(lower.body.workers.find((w) => w.workerId === w2)).toMatchObject({ behind: true, shortBy: 3 });
    expect(lower.body.total).toMatchObject({ met: 1, behind: inTown - 1 });
    expect((await call('demo-gridoffice', '/api/v1/training/settings', { method: 'PUT', json: { yearlyHours: 24 } })).status).toBe(200);

    // out of scope and bad queries
    expect((await call('demo-town-gridoffice', `/api/v1/training/progress?year=2025&town=${T2}`)).status).toBe(403);
    const bad = await call('demo-gridoffice', '/api/v1/training/progress?year=abc');
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields![0]!.field).toBe('year');
  });

  it('exports the progress as XLSX with the same figures (audited)', async () => {
    const before = await auditCount('training:export');
    const res = await fetch(new URL(`/api/v1/training/progress/export?year=2025&town=${T1}`, server.url), { headers: { authorization: `Bearer ${tokens.get('demo-gridoffice')}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.arrayBuffer()) as unknown as ArrayBuffer);
    const ws = wb.getWorksheet('网格员学时')!;
    const rows: unknown[][] = [];
    ws.eachRow((row, n) => {
      if (n > 1) rows.push((row.values as unknown[]).slice(1));
    });
    const progress = (await call<TrainingProgressResponse>('demo-gridoffice', `/api/v1/training/progress?year=2025&town=${T1}`)).body;
    expect(rows).toHaveLength(progress.workers.length);
    const row = rows.find((r) => r[2] === w1)!;
    // columns: town, grid, id, name, employment, status, six subjects, total, required, behind, short by, certificates
    expect(row.slice(6, 17)).toEqual([0, 4, 0, 0, 3, 0, 7, 24, '是', 17, progress.workers.find((w) => w.workerId === w1)!.certificates]);
    expect(await auditCount('training:export')).toBe(before + 1);
  });

  it("a field worker reads their own hours (the record linked to the account), or 404 no_worker_record without one", async () => {
    const me = await call<TrainingMeResponse>('demo-field', '/api/v1/training/me?year=2026');
    const fieldId = (await server.store.get<{ id: string }>("SELECT id FROM users WHERE username = 'demo-field'"))!.id;
    // the demo links demo-field to a worker's record (seedDemoWorkforce)
    const linked = (await server.store.get<{ id: string }>('SELECT id FROM workers WHERE user_id = ?', fieldId))!;
    expect(linked).toBeDefined();
    expect(me.status).toBe(200);
    const sum = await server.store.get<{ h: number | null }>(
      "SELECT SUM(a.hours) AS h FROM training_attendance a JOIN training_sessions s ON s.id = a.session_id WHERE a.worker_id = ? AND s.held_on >= '2026-01-01' AND s.held_on <= '2026-12-31'",
      linked.id,
    );
    expect(me.body.progress.workerId).toBe(linked.id);
    expect(me.body.progress.hours).toBeCloseTo(Number(sum!.h ?? 0), 6);
    expect(me.body.sessions.reduce((s, x) => s + x.hours, 0)).toBeCloseTo(Number(sum!.h ?? 0), 6);
    // a field worker does not read the county's progress
    expect((await call('demo-field', '/api/v1/training/progress')).status).toBe(403);
    // without a linked record: 404 no_worker_record, as GET /api/v1/workforce/me answers
    await server.store.run('UPDATE workers SET user_id = NULL WHERE id = ?', linked.id);
    try {
      const none = await call<{ error: { code: string } }>('demo-field', '/api/v1/training/me?year=2026');
      expect(none.status).toBe(404);
      expect(none.body.error.code).toBe('no_worker_record');
    } finally {
      await server.store.run('UPDATE workers SET user_id = ? WHERE id = ?', fieldId, linked.id);
    }
  });
});
