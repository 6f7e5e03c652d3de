import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError } from '../../shared/contracts/errors.js';
import type { EventCreated, EventRecord } from '../../shared/contracts/events.js';
import type { ActionRequest, ActionResult } from '../../shared/contracts/workflow.js';
import { api, intakeAt, startTestServer, tempDataDir, type TestServer } from './harness.js';
import { storedCountsIn } from './store-rows.js';
import { as, catalogOf, done, manual, pick, pointIn, reported, TestClock, timelineOf, type Who } from './workflow-driver.js';

// A phone's outbox sends actions and reports long after they were made. The server keeps when
// they were made (`madeAt`) beside when it received them, and only its own time moves clocks.
const clock = new TestClock(Date.parse('2026-11-23T09:00:00+08:00'));
const data = tempDataDir();
let server: TestServer;
let field: Who;
let duty: Who;
let dispatcher: Who;

const MIN = 60_000;
const HOUR = 60 * MIN;
const iso = (ms: number) => new Date(ms).toISOString();

async function login(): Promise<void> {
  [field, duty, dispatcher] = (await Promise.all(['demo-field', 'demo-duty', 'demo-dispatcher'].map((u) => as(server.url, u)))) as [Who, Who, Who];
}

function send(who: Who, id: string, body: ActionRequest, opts: { key?: string; lang?: string } = {}) {
  const headers: Record<string, string> = {};
  if (opts.key) headers['idempotency-key'] = opts.key;
  if (opts.lang) headers['accept-language'] = opts.lang;
  return api<ActionResult & ApiError>(server.url, `/api/v1/events/${id}/actions`, { method: 'POST', json: body, token: who.token, headers });
}

/** A case of the field worker's town, filed by the centre and waiting to be dispatched. */
async function filedCase(): Promise<EventRecord> {
  const catalog = await catalogOf(server.url);
  // of the field team's type, so it may be dispatched to the team without a reason (see dispatch-override.test.ts)
  const teamType = (await server.store.get<{ type: string }>('SELECT type FROM teams WHERE id = ?', field.teamId))!.type;
  const item = pick(catalog, "dispatched by hand, for the field worker's team", (i, u) => i.verificationRequired && manual(i, u) && i.teamType === teamType);
  const event = await reported(server.url, duty, item, await pointIn(server.url, field.towns![0]!), { description: `离线时间测试 ${Math.random()}` });
  await done(server.url, dispatcher, event.id, { action: 'file' });
  return event;
}

async function changeCount(id: string): Promise<number> {
  return (await server.store.get<{ n: number }>('SELECT COUNT(*) AS n FROM event_actions WHERE event_id = ?', id))!.n;
}

beforeAll(async () => {
  server = await startTestServer({ dataDir: data.dir, clock });
  await login();
  await server.store.run("UPDATE teams SET status = 'available' WHERE id = ?", field.teamId);
});
afterAll(async () => {
  await server?.stop();
  data.remove();
});

describe('madeAt on case actions', () => {
  it('records when the action was made beside when it was received; the step clock counts from receipt', async () => {
    const event = await filedCase();
    const received = clock.now().getTime();
    const madeAt = iso(received - 40 * MIN);
    const dispatched = await send(dispatcher, event.id, { action: 'dispatch', teamId: field.teamId!, madeAt });
    expect(dispatched.status, JSON.stringify(dispatched.body)).toBe(200);
    expect(dispatched.body.entry.at).toBe(iso(received));
    expect(dispatched.body.entry.details.madeAt).toBe(madeAt);
    // the handling step starts when the server heard of the dispatch, not 40 minutes earlier
    expect(dispatched.body.event.stepStartedAt).toBe(iso(received));

    clock.advance(5 * MIN);
    const acceptMadeAt = iso(clock.now().getTime() - 3 * HOUR);
    const accepted = await send(field, event.id, { action: 'accept', madeAt: acceptMadeAt }, { key: 'fld-made-at-accept' });
    expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
    const timeline = await timelineOf(server.url, dispatcher, event.id);
    const entry = timeline.body.entries.find((e) => e.action === 'accept')!;
    expect(entry).toMatchObject({ at: iso(clock.now().getTime()), details: { madeAt: acceptMadeAt } });
    // and the audit trail keeps it too
    const audit = (await server.store.get<{ details: string }>("SELECT details FROM audit_log WHERE object_id = ? AND action = 'event:transition' ORDER BY seq DESC LIMIT 1", event.id))!;
    expect(JSON.parse(audit.details)).toMatchObject({ action: 'accept', madeAt: acceptMadeAt });
  });

  it('refuses a madeAt ahead of the server beyond the skew, or older than 24 h, naming the field in both languages, and changes nothing', async () => {
    const event = await filedCase();
    const now = clock.now().getTime();
    const before = { changes: await changeCount(event.id), counts: await storedCountsIn(server.store) };

    const ahead = await send(dispatcher, event.id, { action: 'dispatch', teamId: field.teamId!, madeAt: iso(now + 3 * MIN) });
    expect(ahead.status).toBe(400);
    expect(ahead.body.error.fields).toEqual([{ field: 'madeAt', code: 'in_future', message: expect.stringContaining('2 分钟') }]);
    const old = await send(dispatcher, event.id, { action: 'dispatch', teamId: field.teamId!, madeAt: iso(now - 25 * HOUR) }, { lang: 'en' });
    expect(old.status).toBe(400);
    expect(old.body.error.fields).toEqual([{ field: 'madeAt', code: 'too_old', message: 'must not be older than 24 h' }]);
    const garbled = await send(dispatcher, event.id, { action: 'dispatch', teamId: field.teamId!, madeAt: 'yesterday' });
    expect(garbled.status).toBe(400);
    expect(garbled.body.error.fields?.[0]?.field).toBe('madeAt');
    expect({ changes: await changeCount(event.id), counts: await storedCountsIn(server.store) }).toEqual(before);

    // within the skew a phone a little ahead is fine
    const skewed = await send(dispatcher, event.id, { action: 'dispatch', teamId: field.teamId!, madeAt: iso(now + MIN) });
    expect(skewed.status).toBe(200);
  });
});

describe('madeAt on a report (intake)', () => {
  it('keeps when the report was made; reportedAt and the filing deadline count from receipt', async () => {
    const catalog = await catalogOf(server.url);
    const { item, urgency } = pick(catalog, 'dispatched by hand', (i, u) => manual(i, u) && !i.selfHandle);
    const at = await pointIn(server.url, field.towns![0]!, 1);
    const received = clock.now().getTime();
    const madeAt = iso(received - 2 * HOUR);
    const res = await api<EventCreated & ApiError>(server.url, '/api/v1/events', {
      method: 'POST',
      token: field.token,
      headers: { 'idempotency-key': 'fld-made-at-intake' },
      json: intakeAt(item.code, { lon: at.lon, lat: at.lat }, { urgency, madeAt, description: '离线上报：路面塌陷' }),
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.event.reportedAt).toBe(iso(received));
    expect(res.body.event.stepStartedAt).toBe(iso(received));
    const timeline = await timelineOf(server.url, dispatcher, res.body.id);
    expect(timeline.body.entries[0]).toMatchObject({ action: 'intake', at: iso(received), details: { madeAt } });
  });

  it('refuses a report made more than 24 h ago and stores nothing', async () => {
    const catalog = await catalogOf(server.url);
    const { item, urgency } = pick(catalog, 'dispatched by hand', (i, u) => manual(i, u) && !i.selfHandle);
    const at = await pointIn(server.url, field.towns![0]!, 2);
    const before = await storedCountsIn(server.store);
    const res = await api<ApiError>(server.url, '/api/v1/events', {
      method: 'POST',
      token: field.token,
      json: intakeAt(item.code, { lon: at.lon, lat: at.lat }, { urgency, madeAt: iso(clock.now().getTime() - 30 * HOUR) }),
    });
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual([{ field: 'madeAt', code: 'too_old', message: expect.stringContaining('24') }]);
    expect(await storedCountsIn(server.store)).toEqual(before);
  });
});

// Last: it moves the server's clock a day on, which ends every session the tests above use.
describe('madeAt and the Idempotency-Key', () => {
  it('answers the retry of a delivered action with its first answer however late it comes (Idempotency-Key semantics unchanged)', async () => {
    const event = await filedCase();
    await done(server.url, dispatcher, event.id, { action: 'dispatch', teamId: field.teamId! });
    const body: ActionRequest = { action: 'accept', madeAt: iso(clock.now().getTime() - 10 * MIN) };
    const first = await send(field, event.id, body, { key: 'fld-made-at-late-retry' });
    expect(first.status).toBe(200);
    clock.advance(25 * HOUR);
    await login(); // the sessions of a day ago have expired
    const retry = await send(field, event.id, body, { key: 'fld-made-at-late-retry' });
    expect(retry.status, JSON.stringify(retry.body)).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body.entry.seq).toBe(first.body.entry.seq);
    // a fresh request with that old madeAt is refused
    const fresh = await send(field, event.id, { action: 'start', madeAt: body.madeAt }, { key: 'fld-made-at-too-late' });
    expect(fresh.status).toBe(400);
    expect(fresh.body.error.fields?.[0]).toMatchObject({ field: 'madeAt', code: 'too_old' });
  });
});
