import { beforeAll, describe, expect, it } from 'vitest';
import type { ApiError } from '../../shared/contracts/errors.js';
import { EVENT_ID_PATTERN, type EventRecord } from '../../shared/contracts/events.js';
import type { ForwardAccepted, ForwardCursor, ForwardedChange } from '../../shared/contracts/forwarding.js';
import type { HealthResponse } from '../../shared/contracts/health.js';
import { databaseFile } from '../../server/src/config.js';
import { openDatabase } from '../../server/src/db/connection.js';
import { EventsRepo } from '../../server/src/modules/events/events.repo.js';
import { ForwardedRepo } from '../../server/src/modules/forwarding/forwarded.repo.js';
import { api, cleanupAfterAll, connectClient, DEMO_PASSWORD, startTestServer, waitFor, type TestServer } from './harness.js';
import { seedPlatform } from './platform-fixture.js';
import { columnOf, valueOf } from './store-rows.js';
import { as, catalogOf, done, manual, pick, pointIn, reported, TestClock, type Who } from './workflow-driver.js';

/*
 * A county that runs its own server forwards its cases to the city's (issue 15): two real
 * servers over real SQLite files and real HTTP, the county's forwarder calling the city's API.
 * The county's server holds the platform's regions (as a county importing the same official
 * boundaries would) and no case history of its own: every one of its seqs is a case of its county.
 */

const { later, tempDir } = cleanupAfterAll();

/** Both servers' clock: noon of the platform's as-of day, fixed. */
const NOW = new Date('2026-11-20T12:00:00+08:00');
/** The county that runs its own server (T县 of the small platform). */
const COUNTY = '330899';
const OTHER_COUNTY = '330801';

let city: TestServer;
let county: TestServer;
let cityDir: string;
let cityPort: number;
let key: string;
let otherKey: string;
let cityKey: string;
let onCounty: Who;
let onCity: Who;
let item: Parameters<typeof reported>[2];
let points: Array<{ lon: number; lat: number }>;

/**
 * The county's database: the platform's regions, teams and catalog, without any case history.
 * SQLite only: made from the city's SQLite file (VACUUM INTO) before either server starts.
 */
function countyDatabase(from: string, to: string): void {
  const src = openDatabase(databaseFile(from));
  src.prepare('VACUUM INTO ?').run(databaseFile(to));
  src.close();
  const db = openDatabase(databaseFile(to));
  for (const table of ['alerts', 'event_assignments', 'event_attachments', 'action_idempotency', 'idempotency_keys', 'public_requests', 'triage_items', 'channel_receipts', 'event_actions', 'event_changes']) {
    db.prepare(`DELETE FROM ${table}`).run();
  }
  db.prepare('UPDATE events SET master_id = NULL').run();
  db.prepare('DELETE FROM events').run();
  db.prepare('DELETE FROM event_id_counters').run();
  db.close();
}

/** An integration account scoped to `areas` on the city, and a key of it. */
async function keyFor(username: string, areas: string[]): Promise<string> {
  const { auth, users } = city.handles;
  const ctx = { sourceIp: null, client: 'test' };
  const user = await auth.createUser(null, { username, displayName: username, password: DEMO_PASSWORD, roles: ['integration'], scope: users.scopeOf(areas) }, ctx);
  return (await auth.createApiKey(null, user.id, { name: `${username} forwarding` }, ctx)).key;
}

async function startCity(): Promise<TestServer> {
  return startTestServer({ dataDir: cityDir, clock: new TestClock(NOW.getTime()), config: cityPort ? { port: cityPort } : {}, logStream: process.env.FWD_DEBUG ? process.stderr : undefined });
}

const countyEvents = () => new EventsRepo(county.store);
const cityEvents = () => new EventsRepo(city.store);
const cityMappings = () =>
  city.store.all<{ sourceEventId: string; eventId: string }>('SELECT source_event_id AS "sourceEventId", event_id AS "eventId" FROM forwarded_events WHERE source_id = ? ORDER BY event_id', COUNTY);
const cityCursor = async () => (await valueOf<number | undefined>(city.store, 'SELECT last_seq FROM forward_sources WHERE source_id = ?', COUNTY)) ?? 0;
/** Every county seq the city applied, with how often: from the city's timeline of forwarded cases. */
const appliedSeqs = () => {
  // event_actions.details is json on PostgreSQL, JSON text on SQLite
  const [seq, from] =
    city.store.dialect === 'postgres'
      ? ["(details->'forwardedFrom'->>'seq')::bigint", "details->'forwardedFrom'->>'county'"]
      : ["json_extract(details, '$.forwardedFrom.seq')", "json_extract(details, '$.forwardedFrom.county')"];
  return city.store.all<{ seq: number; n: number }>(`SELECT ${seq} AS seq, COUNT(*) AS n FROM event_actions WHERE ${from} = ? GROUP BY 1 ORDER BY 1`, COUNTY);
};

/** Polls an async check until it holds (real time; the servers' clocks stand still). */
async function eventually<T>(check: () => Promise<T | false | undefined>, what: string, timeoutMs = 20_000): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Resolves once the city has applied every change of the county's log. */
const caughtUp = () => eventually(async () => { const last = await countyEvents().lastSeq(); return (await cityCursor()) === last && last > 0; }, 'the city to catch up');

/** The county's changes `fromSeq`.. as the forwarder sends them. */
async function countyChanges(afterSeq: number, limit: number): Promise<ForwardedChange[]> {
  const changes = (await countyEvents().changesAfter(afterSeq, limit));
  const entries = await new ForwardedRepo(county.store).entries(afterSeq + 1, afterSeq + limit);
  return changes.map((c) => ({ seq: c.seq, kind: c.kind, at: c.at, event: c.event, entry: entries.get(c.seq) ?? null }));
}

const post = (body: unknown, apiKey = key) => api<ForwardAccepted & ApiError>(city.url, '/api/v1/forwarded/changes', { method: 'POST', json: body, anonymous: true, headers: { 'x-api-key': apiKey } });

/** What the two servers must agree on for a case (ids, seqs, times of the write and the team's name are each server's own). */
const comparable = (e: EventRecord) => ({
  status: e.status,
  itemCode: e.itemCode,
  description: e.description,
  urgency: e.urgency,
  townId: e.townId,
  microGridId: e.microGridId,
  reportedAt: e.reportedAt,
  step: e.step,
  deadlineAt: e.deadlineAt,
  dueAt: e.dueAt,
  teamId: e.teamId,
  result: e.result,
  refusal: e.refusal,
  closedAt: e.closedAt,
});

/** Each county case and the city's case for it agree; the city's shows the county's number. */
async function expectSameCases(): Promise<void> {
  const mappings = await cityMappings();
  const countyIds = (await columnOf<string>(county.store, 'SELECT id FROM events ORDER BY id')).sort();
  expect(mappings.map((m) => m.sourceEventId).sort()).toEqual(countyIds);
  for (const { sourceEventId, eventId } of mappings) {
    const there = (await countyEvents().get(sourceEventId))!;
    const here = (await cityEvents().get(eventId))!;
    expect(comparable(here), sourceEventId).toEqual(comparable(there));
    expect(here.forwardedFrom).toEqual({ county: COUNTY, eventId: sourceEventId });
    const master = there.masterId ? (await cityMappings()).find((m) => m.sourceEventId === there.masterId)!.eventId : null;
    expect(here.masterId).toBe(master);
  }
}

beforeAll(async () => {
  cityDir = seedPlatform(tempDir());
  const countyDir = tempDir();
  countyDatabase(cityDir, countyDir);
  city = await startCity();
  cityPort = Number(new URL(city.url).port);
  key = await keyFor('t-county-server', [COUNTY]);
  otherKey = await keyFor('other-county-server', [OTHER_COUNTY]);
  cityKey = await keyFor('whole-city-server', ['330800']);
  onCity = await as(city.url, 'demo-dispatcher');
  county = await startTestServer({
    dataDir: countyDir,
    clock: new TestClock(NOW.getTime()),
    config: { forward: { url: city.url, key, batch: 4, retryMinMs: 20, retryMaxMs: 200, tickMs: 50 } },
  });
  later(() => county.stop());
  later(() => city.stop());
  onCounty = await as(county.url, 'demo-dispatcher');
  item = pick(await catalogOf(county.url), 'dispatched by hand', (i, u) => manual(i, u) && u !== 'P0' && u !== 'P1');
  const towns = await columnOf<string>(county.store, "SELECT id FROM regions WHERE level = 'town' AND parent_id = ? ORDER BY id", COUNTY);
  points = await Promise.all(towns.map(async (t, i) => pointIn(county.url, t, i)));
}, 120_000);

describe('a county server forwards its cases to the city', () => {
  let countyCases: EventRecord[];

  it('new cases and their changes reach the city once, in order, with city ids, live to its consoles', async () => {
    const cityConsole = connectClient(city.url, { token: onCity.token });
    later(() => cityConsole.socket.close());
    await cityConsole.ready;
    const a = await reported(county.url, onCounty, item, points[0]!);
    const b = await reported(county.url, onCounty, item, points[1]!);
    const c = await reported(county.url, onCounty, item, points[0]!);
    await done(county.url, onCounty, a.id, { action: 'file' });
    await done(county.url, onCounty, b.id, { action: 'void', reason: '重复上报，已电话核实' });
    await done(county.url, onCounty, c.id, { action: 'merge', intoId: a.id });
    countyCases = [a, b, c];
    await caughtUp();

    // every county seq once, in order
    const last = (await countyEvents().lastSeq());
    expect(await appliedSeqs()).toEqual(Array.from({ length: last }, (_, i) => ({ seq: i + 1, n: 1 })));
    await expectSameCases();
    for (const { eventId, sourceEventId } of await cityMappings()) {
      expect(eventId).toMatch(EVENT_ID_PATTERN);
      // the city's own number: the county's would collide with the city's and the other counties'
      expect(await valueOf(city.store, 'SELECT COUNT(*) AS n FROM forwarded_events WHERE event_id = ?', eventId)).toBe(1);
      expect(countyCases.some((k) => k.id === sourceEventId)).toBe(true);
    }
    // the city's log holds them as its own changes, in the county's order; its console heard each live
    const cityIds = new Set((await cityMappings()).map((m) => m.eventId));
    const logged = (await cityEvents().changesAfter(0, 100_000)).filter((ch) => cityIds.has(ch.eventId));
    const countyKinds = (await countyEvents().changesAfter(0, 1000)).map((ch) => ch.kind);
    expect(logged.map((ch) => ch.kind)).toEqual(countyKinds);
    const heard = await waitFor(() => {
      const h = cityConsole.changes.filter((ch) => cityIds.has(ch.event.id));
      return h.length === logged.length && h;
    }, 10_000, 'the city console to hear every forwarded change');
    expect(heard.map((h) => h.seq)).toEqual(logged.map((l) => l.seq));
    expect(heard.at(-1)!.event.forwardedFrom?.county).toBe(COUNTY);

    // the county's health says where it stands
    const health = await api<HealthResponse>(county.url, '/api/v1/health');
    expect(health.body.forwarding).toMatchObject({ state: 'connected', cityLastSeq: last, behind: 0 });
    // the city audits each batch once
    const batches = await columnOf<string>(city.store, "SELECT details FROM audit_log WHERE action = 'event:forwarded' AND result = 'success'");
    const counted = batches.map((d) => JSON.parse(d) as { source: string; applied: number });
    expect(counted.every((d) => d.source === COUNTY)).toBe(true);
    expect(counted.reduce((n, d) => n + d.applied, 0)).toBe(last);
  });

  it('refuses a workflow action on a forwarded case on the city: 409, nothing changes', async () => {
    const { eventId, sourceEventId } = (await cityMappings()).find((m) => m.sourceEventId === countyCases[0]!.id)!;
    const before = (await cityEvents().get(eventId))!;
    const seq = (await cityEvents().lastSeq());
    const res = await api<ApiError>(city.url, `/api/v1/events/${eventId}/actions`, { method: 'POST', json: { action: 'void', reason: '市级误操作' }, token: onCity.token, headers: { 'accept-language': 'en' } });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'forwarded_case', county: COUNTY, countyEventId: sourceEventId });
    expect(res.body.error.message).toMatch(/handled on the county's server/);
    const zh = await api<ApiError>(city.url, `/api/v1/events/${eventId}/actions`, { method: 'POST', json: { action: 'dispatch', teamId: 'TM0001' }, token: onCity.token });
    expect(zh.status).toBe(409);
    expect(zh.body.error.message).toMatch(/此案件由县级平台办理/);
    expect((await cityEvents().get(eventId))).toEqual(before);
    expect((await cityEvents().lastSeq())).toBe(seq);
  });

  it('a re-sent batch changes nothing; a gap is refused 409 with the city’s lastSeq, nothing stored', async () => {
    const last = await cityCursor();
    const seq = (await cityEvents().lastSeq());
    // the first changes again, and the last ones (the batch whose answer a county lost in an outage)
    for (const afterSeq of [0, last - 3]) {
      const again = await post({ changes: await countyChanges(afterSeq, 3) });
      expect(again.status, JSON.stringify(again.body)).toBe(200);
      expect(again.body).toEqual({ county: COUNTY, lastSeq: last, applied: 0 });
    }
    expect((await cityEvents().lastSeq())).toBe(seq);
    expect((await appliedSeqs()).every((s) => s.n === 1)).toBe(true);

    const [change] = await countyChanges(1, 1);
    const gap = await post({ changes: [{ ...change!, seq: last + 2 }] });
    expect(gap.status).toBe(409);
    expect(gap.body.error).toMatchObject({ code: 'forward_gap', lastSeq: last });
    expect(await cityCursor()).toBe(last);
    expect((await cityEvents().lastSeq())).toBe(seq);
    const refused = await columnOf(city.store, "SELECT reason FROM audit_log WHERE action = 'event:forwarded' AND result = 'denied'");
    expect(refused).toContain('forward_gap');
  });

  it('refuses another county’s key (403 naming the field) and a key that is not one county’s (403)', async () => {
    const seq = (await cityEvents().lastSeq());
    const other = await post({ changes: await countyChanges(0, 2) }, otherKey);
    expect(other.status).toBe(403);
    expect(other.body.error.code).toBe('out_of_scope');
    expect(other.body.error.fields).toEqual([{ field: 'changes.0.event.townId', code: 'outside_forward_county', message: expect.any(String) }]);
    const wide = await api<ApiError>(city.url, '/api/v1/forwarded/cursor', { anonymous: true, headers: { 'x-api-key': cityKey } });
    expect(wide.status).toBe(403);
    expect(wide.body.error.code).toBe('not_forward_scope');
    const mine = await api<ForwardCursor>(city.url, '/api/v1/forwarded/cursor', { anonymous: true, headers: { 'x-api-key': key } });
    expect(mine.body).toEqual({ county: COUNTY, lastSeq: await cityCursor() });
    // a person's session may not forward
    const person = await api<ApiError>(city.url, '/api/v1/forwarded/cursor', { token: onCity.token });
    expect(person.status).toBe(403);
    expect((await cityEvents().lastSeq())).toBe(seq);
  });

  it('resumes from the city’s cursor after the city was down: every county seq applied exactly once', async () => {
    const before = await cityCursor();
    await city.stop();
    // the county goes on working while the city is down
    const d = await reported(county.url, onCounty, item, points[2]!);
    await done(county.url, onCounty, d.id, { action: 'file' });
    const e = await reported(county.url, onCounty, item, points[1]!);
    await done(county.url, onCounty, countyCases[0]!.id, { action: 'void', reason: '经核实已由相关部门处理' });
    await done(county.url, onCounty, e.id, { action: 'file' });
    const seen = await eventually(async () => {
      const h = await api<HealthResponse>(county.url, '/api/v1/health');
      return h.body.forwarding?.state === 'retrying' && h.body.forwarding;
    }, 'the county to report the city unreachable');
    expect(seen.lastError).toBeTruthy();
    expect(seen.cityLastSeq).toBe(before);
    expect((await countyEvents().lastSeq())).toBeGreaterThan(before + 4);

    city = await startCity();
    await caughtUp();
    const last = (await countyEvents().lastSeq());
    expect(await appliedSeqs()).toEqual(Array.from({ length: last }, (_, i) => ({ seq: i + 1, n: 1 })));
    await expectSameCases();
    expect(await cityMappings()).toHaveLength(5);
  });
});
