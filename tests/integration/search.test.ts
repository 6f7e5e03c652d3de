import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError } from '../../shared/contracts/errors.js';
import { OPEN_STATUSES, type EventListResponse, type EventRecord } from '../../shared/contracts/events.js';
import type { SearchResponse } from '../../shared/contracts/search.js';
import { api, intakeAt, startTestServer, type TestServer } from './harness.js';
import { as, catalogOf, done, pick, pointIn, report, TestClock, type Who } from './workflow-driver.js';

/**
 * The search box and the history tab through the real server: a case by id, by today's number,
 * by the reporter's phone (for roles that see it, audited; refused and audited for a masked
 * role), by address; places and items; every answer limited to the caller's towns; bad queries
 * refused naming the field; the history filters and paging checked against the database.
 */

// A day long after the seeded history: the cases made here are that day's first.
const clock = new TestClock(Date.parse('2027-03-01T09:00:00+08:00'));
const DAY = '20270301';
const PHONE_A = '13905717788';
const PHONE_B = '0579-87654321';

let server: TestServer;
let dispatcher: Who;
let townUser: Who;
let wall: Who;
let townA: string;
let townB: string;
let caseA: EventRecord;
let caseB: EventRecord;
let householdB: { address_code: string; address: string };

const search = (who: Who, q: string | null, lang?: string) =>
  api<SearchResponse & ApiError>(server.url, `/api/v1/search${q === null ? '' : `?q=${encodeURIComponent(q)}`}`, {
    token: who.token,
    ...(lang ? { headers: { 'accept-language': lang } } : {}),
  });
const list = (who: Who, query: string) => api<EventListResponse & ApiError>(server.url, `/api/v1/events?${query}`, { token: who.token });
const ids = (r: SearchResponse) => r.cases.map((c) => c.event.id);
const phoneAudits = () =>
  server.store.all<{
    username: string;
    result: string;
    reason: string | null;
    details: string;
  }>("SELECT username, result, reason, details FROM audit_log WHERE action = 'personal_data:search' ORDER BY seq");

beforeAll(async () => {
  server = await startTestServer({ clock });
  [dispatcher, townUser, wall] = (await Promise.all(['demo-dispatcher', 'demo-town-dispatcher', 'demo-wall'].map((u) => as(server.url, u)))) as [Who, Who, Who];
  townA = townUser.towns![0]!;
  townB = (await server.store.get<{ id: string }>("SELECT id FROM regions WHERE level = 'town' AND id <> ? ORDER BY code LIMIT 1", townA))!.id;
  householdB = (await server.store.get<typeof householdB>(
    `SELECT h.address_code, h.address FROM households h JOIN regions m ON m.id = h.micro_grid_id JOIN regions g ON g.id = m.parent_id JOIN regions v ON v.id = g.parent_id
      WHERE v.parent_id = ? ORDER BY h.address_code LIMIT 1`,
    townB,
  ))!;
  const catalog = await catalogOf(server.url, dispatcher);
  const item = pick(catalog, 'waiting for a dispatcher', (i, u) => !i.autoDispatch?.urgencies.includes(u));
  const at = await pointIn(server.url, townA);
  const a = await report(server.url, dispatcher, intakeAt(item.item.code, { lon: at.lon, lat: at.lat }, { urgency: item.urgency, reporter: { name: '赵甲', phone: `+86 ${PHONE_A}` } }));
  const b = await report(server.url, dispatcher, intakeAt(item.item.code, { addressCode: householdB.address_code }, { urgency: item.urgency, reporter: { name: '钱乙', phone: PHONE_B } }));
  expect([a.status, b.status]).toEqual([201, 201]);
  caseA = a.body.event;
  caseB = b.body.event;
  expect(caseA.id).toBe(`EV${DAY}0001`);
  expect([caseA.townId, caseB.townId]).toEqual([townA, townB]);
});
afterAll(async () => server?.stop());

describe('GET /api/v1/search: cases', () => {
  it('finds a case by its id, typed any way, and today\'s case by its last digits', async () => {
    for (const q of [caseB.id, caseB.id.toLowerCase(), caseB.id.slice(2)]) {
      const { status, body } = await search(dispatcher, q);
      expect(status, q).toBe(200);
      expect(body.cases.map((c) => [c.match, c.event.id]), q).toEqual([['id', caseB.id]]);
      expect(body.cases[0]!.event.reporter.phone).toBe(PHONE_B);
    }
    const byNumber = await search(dispatcher, '0002');
    expect(byNumber.body.cases.filter((c) => c.match === 'id').map((c) => c.event.id)).toEqual([caseB.id]);
    expect((await search(dispatcher, '2')).body.cases.map((c) => c.event.id)).toEqual([caseB.id]);
  });

  it('finds a case by the whole phone or its last digits for a dispatcher, and audits each search with the number masked', async () => {
    const before = (await phoneAudits()).length;
    for (const q of [PHONE_A, '+86 139-0571-7788', '7788', '17788']) {
      const { body } = await search(dispatcher, q);
      expect(body.cases.find((c) => c.event.id === caseA.id), q).toMatchObject({ match: 'phone', event: { reporter: { name: '赵甲', phone: `+86 ${PHONE_A}` } } });
      expect(body.notices).toEqual([]);
    }
    const landline = await search(dispatcher, PHONE_B);
    expect(landline.body.cases.map((c) => [c.match, c.event.id])).toEqual([['phone', caseB.id]]);

    const audits = (await phoneAudits()).slice(before);
    expect(audits.map((a) => [a.username, a.result])).toEqual(Array(5).fill(['demo-dispatcher', 'success']));
    expect(JSON.parse(audits[0]!.details)).toEqual({ by: 'phone', phone: '139****7788', matches: [caseA.id] });
    expect(JSON.parse(audits[2]!.details)).toMatchObject({ phone: '…7788' });
    // the auditor reads the trail without learning the numbers searched for
    const trail = JSON.stringify(await server.store.all('SELECT details FROM audit_log ORDER BY seq'));
    expect(trail).not.toContain(PHONE_A);
    expect(trail).not.toContain('87654321');
  });

  it('does not search phones for a role that sees them masked: says so in both languages, and audits the refusal', async () => {
    const before = (await phoneAudits()).length;
    const zh = await search(wall, PHONE_A);
    expect(zh.status).toBe(200);
    expect(zh.body.cases).toEqual([]);
    expect(zh.body.notices).toEqual([{ code: 'phone_not_permitted', message: expect.stringContaining('电话') }]);
    const en = await search(wall, '7788', 'en');
    expect(en.body.notices[0]!.message).toMatch(/phone/i);
    expect(en.body.cases.some((c) => c.match === 'phone')).toBe(false);
    expect((await phoneAudits()).slice(before).map((a) => [a.username, a.result, a.reason])).toEqual([
      ['demo-wall', 'denied', 'personal_data_masked'],
      ['demo-wall', 'denied', 'personal_data_masked'],
    ]);
    // by id the wall finds the case, its reporter masked as everywhere else
    const byId = await search(wall, caseA.id);
    expect(byId.body.cases[0]!.event.reporter).toEqual({ name: '赵*', phone: '139****7788' });
  });

  it('finds cases by their address, newest first', async () => {
    const words = householdB.address.slice(-12);
    const { body } = await search(dispatcher, words);
    expect(body.cases[0]).toMatchObject({ match: 'address', event: { id: caseB.id, address: householdB.address } });
    expect(body.cases.every((c) => c.event.address.includes(words))).toBe(true);
  });
});

describe('GET /api/v1/search: places and items', () => {
  it('finds towns, villages and grids by name, with their bounds and where they lie', async () => {
    const village = (await server.store.get<{ id: string; name: string }>("SELECT id, name, parent_id FROM regions WHERE level = 'village' AND parent_id = ? ORDER BY code LIMIT 1", townB))!;
    const townName = (await server.store.get<{ name: string }>('SELECT name FROM regions WHERE id = ?', townB))!.name;
    const { body } = await search(dispatcher, village.name);
    expect(body.places[0]).toMatchObject({ id: village.id, level: 'village', name: village.name, path: townName, townId: townB });
    const [w, s, e, n] = body.places[0]!.bbox;
    expect(w).toBeLessThan(e);
    expect(s).toBeLessThan(n);
    // the grids of the village follow it, named by town › village
    expect(body.places.slice(1).every((p) => p.level === 'grid' && p.path === `${townName} › ${village.name}`)).toBe(true);
    const town = await search(dispatcher, townName);
    expect(town.body.places[0]).toMatchObject({ id: townB, level: 'town', path: '' });
  });

  it('finds items by name or code with their open cases in the caller\'s towns', async () => {
    const { body } = await search(dispatcher, caseA.itemCode.toLowerCase());
    const open = async (towns: string[] | null) =>
      (await server.store.get<{ n: number }>(
        `SELECT COUNT(*) AS n FROM events WHERE item_code = ? AND status IN (${OPEN_STATUSES.map(() => '?').join(',')})${towns ? ` AND town_id IN (${towns.map(() => '?').join(',')})` : ''}`,
        caseA.itemCode,
        ...OPEN_STATUSES,
        ...(towns ?? []),
      ))!.n;
    expect(body.items[0]).toMatchObject({ code: caseA.itemCode, openCases: await open(null) });
    const byName = await search(townUser, caseA.itemName.slice(0, 2));
    expect(byName.body.items.find((i) => i.code === caseA.itemCode)).toMatchObject({ openCases: await open([townA]) });
  });
});

describe('GET /api/v1/search: scope', () => {
  it("never shows a town dispatcher another town's case, by id, number, phone or address, nor its places", async () => {
    const townBName = (await server.store.get<{ name: string }>('SELECT name FROM regions WHERE id = ?', townB))!.name;
    for (const q of [caseB.id, '0002', PHONE_B, '4321', householdB.address.slice(-12), townBName]) {
      const { status, body } = await search(townUser, q);
      expect(status, q).toBe(200);
      expect(ids(body), q).not.toContain(caseB.id);
      expect(body.cases.every((c) => c.event.townId === townA), q).toBe(true);
      expect(body.places.every((p) => p.townId === townA), q).toBe(true);
    }
    expect(ids((await search(townUser, caseA.id)).body)).toEqual([caseA.id]);
  });
});

describe('GET /api/v1/search: bad input', () => {
  it('refuses a missing, empty, too long or unreadable query naming q, in the caller\'s language', async () => {
    const cases: Array<[string | null, string]> = [
      [null, 'required'],
      ['', 'too_short'],
      ['   ', 'too_short'],
      ['x'.repeat(65), 'too_long'],
      ['a\u0007b', 'control_character'],
    ];
    for (const [q, code] of cases) {
      const { status, body } = await search(dispatcher, q);
      expect(status, String(q)).toBe(400);
      expect(body.error.code).toBe('invalid_query');
      expect(body.error.fields?.map((f) => [f.field, f.code])).toEqual([['q', code]]);
    }
    const en = await search(dispatcher, '', 'en');
    expect(en.body.error.message).toMatch(/query parameters/);
    const extra = await api<ApiError>(server.url, '/api/v1/search?q=a&page=2', { token: dispatcher.token });
    expect(extra.body.error.fields?.map((f) => [f.field, f.code])).toEqual([['page', 'unknown_field']]);
  });
});

describe('GET /api/v1/events: history filters', () => {
  const count = async (where: string, ...args: unknown[]) => (await server.store.get<{ n: number }>(`SELECT COUNT(*) AS n FROM events WHERE ${where}`, ...args))!.n;

  it('filters by period (plain China days, or instants), state, item and team, with totals that match the database', async () => {
    // the seeded county's last day, 2026-11-19 China time
    const day = await list(dispatcher, 'from=2026-11-19&to=2026-11-19&status=closed&pageSize=1000');
    expect(day.status).toBe(200);
    expect(day.body.total).toBe(await count("reported_at >= '2026-11-18T16:00:00.000Z' AND reported_at < '2026-11-19T16:00:00.000Z' AND status = 'closed'"));
    expect(day.body.total).toBeGreaterThan(0);
    expect(day.body.items.every((e) => e.status === 'closed' && e.reportedAt >= '2026-11-18T16:00:00.000Z' && e.reportedAt < '2026-11-19T16:00:00.000Z')).toBe(true);
    const instants = await list(dispatcher, `from=${encodeURIComponent('2026-11-19T00:00:00+08:00')}&to=${encodeURIComponent('2026-11-20T00:00:00+08:00')}&status=closed`);
    expect(instants.body.total).toBe(day.body.total);

    const { team_id: team } = (await server.store.get<{ team_id: string }>('SELECT team_id FROM events WHERE team_id IS NOT NULL GROUP BY team_id ORDER BY COUNT(*) DESC, team_id LIMIT 1'))!;
    const byTeam = await list(dispatcher, `team=${team}&pageSize=1000`);
    expect(byTeam.body.total).toBe(await count('team_id = ?', team));
    expect(byTeam.body.items.every((e) => e.teamId === team)).toBe(true);
    const byItem = await list(dispatcher, `item=${caseA.itemCode}&status=${OPEN_STATUSES.join(',')}&pageSize=1000`);
    expect(byItem.body.total).toBe(await count(`item_code = ? AND status IN (${OPEN_STATUSES.map(() => '?').join(',')})`, caseA.itemCode, ...OPEN_STATUSES));
    expect(byItem.body.items.map((e) => e.id)).toContain(caseA.id);
  });

  it('pages newest first, every case once, and keeps a town dispatcher in their town whatever the filter', async () => {
    const all = await list(dispatcher, 'from=2026-11-18&to=2026-11-19&pageSize=1000');
    const pages: string[] = [];
    for (let page = 1; page <= Math.ceil(all.body.total / 7); page++) {
      const res = await list(dispatcher, `from=2026-11-18&to=2026-11-19&pageSize=7&page=${page}`);
      expect(res.body).toMatchObject({ page, pageSize: 7, total: all.body.total });
      pages.push(...res.body.items.map((e) => e.id));
    }
    expect(pages).toEqual(all.body.items.map((e) => e.id));
    const times = all.body.items.map((e) => e.reportedAt);
    expect(times).toEqual([...times].sort().reverse());

    const { team_id: otherTeam } = (await server.store.get<{ team_id: string }>('SELECT team_id FROM events WHERE town_id = ? AND team_id IS NOT NULL ORDER BY id LIMIT 1', townB))!;
    const scoped = await list(townUser, `team=${otherTeam}&from=2026-11-18`);
    expect(scoped.status).toBe(200);
    expect(scoped.body.items.every((e) => e.townId === townA)).toBe(true);
    expect(scoped.body.total).toBe(await count('team_id = ? AND town_id = ? AND reported_at >= ?', otherTeam, townA, '2026-11-17T16:00:00.000Z'));
    expect((await list(townUser, `town=${townB}`)).status).toBe(403);
  });

  it('refuses bad dates, an end before the start, and malformed items and teams, naming the field', async () => {
    const bad: Array<[string, string, string]> = [
      ['from=2026-13-01', 'from', 'bad_format'],
      ['to=yesterday', 'to', 'bad_format'],
      ['from=2026-11-19&to=2026-11-18', 'to', 'not_after_from'],
      ['item=D%2030', 'item', 'bad_format'],
      ['team=T5', 'team', 'bad_format'],
    ];
    for (const [query, field, code] of bad) {
      const res = await list(dispatcher, query);
      expect(res.status, query).toBe(400);
      expect(res.body.error.fields?.map((f) => [f.field, f.code]), query).toEqual([[field, code]]);
    }
    const en = await api<ApiError>(server.url, '/api/v1/events?from=2026-11-19&to=2026-11-18', { token: dispatcher.token, headers: { 'accept-language': 'en' } });
    expect(en.body.error.fields?.[0]?.message).toBe('must be after from');
  });

  it('keeps a finished case listed with its state, and the search still finds it', async () => {
    await done(server.url, dispatcher, caseB.id, { action: 'reject', reason: '不属于网格事项', receivingBody: '县信访局' });
    const finished = await list(dispatcher, `status=rejected&from=2027-03-01`);
    expect(finished.body.items.map((e) => [e.id, e.status])).toEqual([[caseB.id, 'rejected']]);
    expect((await search(dispatcher, caseB.id)).body.cases[0]!.event.status).toBe('rejected');
  });

  it('is in the API description', async () => {
    const { body } = await api<{ paths: Record<string, { get?: { parameters?: Array<{ name: string }> } }> }>(server.url, '/api/v1/openapi.json');
    expect(body.paths['/api/v1/search']?.get?.parameters?.map((p) => p.name)).toEqual(['q']);
    expect(body.paths['/api/v1/events']?.get?.parameters?.map((p) => p.name)).toEqual(expect.arrayContaining(['from', 'to', 'item', 'team', 'status', 'town', 'since', 'page', 'pageSize']));
  });
});
