import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError } from '../../shared/contracts/errors.js';
import type { CompositionFigures, CompositionResponse } from '../../shared/contracts/training.js';
import type { Clock } from '../../server/src/core/clock.js';
import { api, loginAs, startTestServer, type TestServer } from './harness.js';

/**
 * The composition dashboard on both stores: one town's figures equal counts made here, in the
 * test, straight from the workers' and attendance rows (server.store), with a few records changed
 * first so that every rule shows: a worker who left in the window, one on leave, one not started yet.
 */
const clock: Clock = { now: () => new Date('2026-12-01T10:00:00+08:00') };
const AS_OF = '2026-11-20';
const WINDOW_START = '2025-11-20';

let server: TestServer;
const tokens = new Map<string, string>();
let T1: string;
let T2: string;

const call = <T>(user: string, path: string) => api<T & ApiError>(server.url, path, { token: tokens.get(user), headers: { 'accept-language': 'en' } });

interface Row {
  id: string;
  employment: string;
  grade: number;
  status: string;
  started_on: string | null;
  left_on: string | null;
  birth_year: number;
  education: string;
}

beforeAll(async () => {
  server = await startTestServer({ clock });
  for (const u of ['demo-gridoffice', 'demo-town-gridoffice', 'demo-dispatcher']) tokens.set(u, await loginAs(server.url, u));
  const towns = await server.store.all<{ id: string }>("SELECT id FROM regions WHERE level = 'town' ORDER BY code, id");
  T1 = towns[0]!.id;
  T2 = towns[1]!.id;
  const ids = (
    await server.store.all<{ id: string }>(
      `SELECT w.id FROM workers w JOIN regions g ON g.id = w.grid_id JOIN regions v ON v.id = g.parent_id WHERE v.parent_id = ? AND w.status <> 'left' ORDER BY w.id`,
      T1,
    )
  ).map((r) => r.id);
  // fixtures of the records (their own module's PATCH is not this file's subject)
  await server.store.run("UPDATE workers SET status = 'left', left_on = '2026-05-01' WHERE id = ?", ids[0]);
  await server.store.run("UPDATE workers SET status = 'on_leave', grade = 4 WHERE id = ?", ids[1]);
  await server.store.run("UPDATE workers SET started_on = '2026-11-25', grade = 2 WHERE id = ?", ids[2]);
  await server.store.run("UPDATE workers SET status = 'left', left_on = '2025-10-01' WHERE id = ?", ids[3]);
}, 120_000);

afterAll(async () => {
  await server?.stop();
});

/** The figures of one town as this test counts them from rows, without the server's helpers. */
async function expectedOf(town: string): Promise<CompositionFigures> {
  const rows = await server.store.all<Row>(
    `SELECT w.id, w.employment, w.grade, w.status, w.started_on, w.left_on, w.birth_year, w.education
       FROM workers w JOIN regions g ON g.id = w.grid_id JOIN regions v ON v.id = g.parent_id WHERE v.parent_id = ? ORDER BY w.id`,
    town,
  );
  const serving = (r: Row, day: string) => (r.started_on === null || r.started_on <= day) && !(r.left_on !== null ? r.left_on <= day : r.status === 'left');
  const inService = rows.filter((r) => serving(r, AS_OF));
  const n = inService.length;
  const pct = (k: number) => (n === 0 ? null : Math.round((k / n) * 1000) / 10);
  const count = (f: (r: Row) => boolean) => inService.filter(f).length;
  const hours = await server.store.all<{ worker_id: string; h: number }>(
    `SELECT a.worker_id, SUM(a.hours) AS h FROM training_attendance a JOIN training_sessions s ON s.id = a.session_id
      WHERE s.held_on >= '2026-01-01' AND s.held_on <= ? GROUP BY a.worker_id ORDER BY a.worker_id`,
    AS_OF,
  );
  const h = new Map(hours.map((r) => [r.worker_id, Number(r.h)]));
  const age = (r: Row) => 2026 - Number(r.birth_year);
  const fullTime = count((r) => r.employment === 'full_time');
  const aged50 = count((r) => age(r) >= 50);
  const trained = count((r) => (h.get(r.id) ?? 0) >= 24 - 1e-9);
  const left = rows.filter((r) => r.left_on !== null && r.left_on > WINDOW_START && r.left_on <= AS_OF).length;
  const start = rows.filter((r) => serving(r, WINDOW_START)).length;
  const average = (start + n) / 2;
  return {
    workers: n,
    active: count((r) => r.status !== 'on_leave'),
    onLeave: count((r) => r.status === 'on_leave'),
    fullTime,
    partTime: n - fullTime,
    fullTimeShare: pct(fullTime),
    grades: { 1: count((r) => Number(r.grade) === 1), 2: count((r) => Number(r.grade) === 2), 3: count((r) => Number(r.grade) === 3), 4: count((r) => Number(r.grade) === 4), 5: count((r) => Number(r.grade) === 5) },
    ageBands: {
      under_30: count((r) => age(r) < 30),
      '30_39': count((r) => age(r) >= 30 && age(r) < 40),
      '40_49': count((r) => age(r) >= 40 && age(r) < 50),
      '50_59': count((r) => age(r) >= 50 && age(r) < 60),
      '60_plus': count((r) => age(r) >= 60),
    },
    aged50Plus: aged50,
    aged50PlusShare: pct(aged50),
    education: {
      junior_high: count((r) => r.education === 'junior_high'),
      senior_high: count((r) => r.education === 'senior_high'),
      junior_college: count((r) => r.education === 'junior_college'),
      bachelor: count((r) => r.education === 'bachelor'),
      other: count((r) => !['junior_high', 'senior_high', 'junior_college', 'bachelor'].includes(r.education)),
    },
    turnover: { left, headcountStart: start, headcountEnd: n, averageHeadcount: average, rate: average === 0 ? null : Math.round((left / average) * 1000) / 10 },
    trained,
    trainedShare: pct(trained),
  };
}

describe('workforce composition', () => {
  it("one town's figures equal the counts made from its rows", async () => {
    const res = await call<CompositionResponse>('demo-gridoffice', `/api/v1/workforce/composition?town=${T1}&asOf=${AS_OF}`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ asOf: AS_OF, year: 2026, requiredHours: 24 });
    expect(res.body.towns.map((t) => t.town.id)).toEqual([T1]);
    const expected = await expectedOf(T1);
    const { town: _town, ...figures } = res.body.towns[0]!;
    expect(figures).toEqual(expected);
    expect(res.body.total).toEqual(expected);
    // the fixtures show: one left in the window, one before it, one on leave, one not yet started
    expect(expected.turnover.left).toBeGreaterThanOrEqual(1);
    expect(expected.onLeave).toBeGreaterThanOrEqual(1);
    expect(expected.trained).toBeGreaterThan(0);
    expect(expected.trained).toBeLessThan(expected.workers);
  });

  it("the scope's total is the sum of its towns; a town office sees its own town only", async () => {
    const all = await call<CompositionResponse>('demo-gridoffice', `/api/v1/workforce/composition?asOf=${AS_OF}`);
    expect(all.status).toBe(200);
    expect(all.body.towns.length).toBeGreaterThan(1);
    for (const k of ['workers', 'fullTime', 'partTime', 'aged50Plus', 'trained', 'onLeave'] as const) {
      expect(all.body.total[k]).toBe(all.body.towns.reduce((s, t) => s + t[k], 0));
    }
    expect(all.body.total.turnover.left).toBe(all.body.towns.reduce((s, t) => s + t.turnover.left, 0));
    const town = await call<CompositionResponse>('demo-town-gridoffice', `/api/v1/workforce/composition?asOf=${AS_OF}`);
    expect(town.body.towns.map((t) => t.town.id)).toEqual([T1]);
    const refused = await call('demo-town-gridoffice', `/api/v1/workforce/composition?town=${T2}`);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('out_of_scope');
  });

  it('validates its query and its permission', async () => {
    const bad = await call('demo-gridoffice', '/api/v1/workforce/composition?asOf=2026-13-01');
    expect(bad.status).toBe(400);
    expect(bad.body.error.fields![0]!.field).toBe('asOf');
    const extra = await call('demo-gridoffice', '/api/v1/workforce/composition?nope=1');
    expect(extra.status).toBe(400);
    expect(extra.body.error.fields![0]).toMatchObject({ field: 'nope', code: 'unknown_field' });
    expect((await call('demo-dispatcher', '/api/v1/workforce/composition')).status).toBe(403);
  });
});
