import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError } from '../../shared/contracts/errors.js';
import type { EventRecord } from '../../shared/contracts/events.js';
import type { ActionRequest, ActionResult } from '../../shared/contracts/workflow.js';
import { api, connectClient, startTestServer, tempDataDir, waitFor, type TestServer } from './harness.js';
import { storedCountsIn } from './store-rows.js';
import { as, catalogOf, done, getEvent, lastSeq, manual, pick, pointIn, reported, type Who } from './workflow-driver.js';

const data = tempDataDir();
let server: TestServer;
let field: Who;
let duty: Who;
let dispatcher: Who;

async function login(): Promise<void> {
  [field, duty, dispatcher] = (await Promise.all(['demo-field', 'demo-duty', 'demo-dispatcher'].map((u) => as(server.url, u)))) as [Who, Who, Who];
}

/** An action sent the way the field app retries its queue: with an Idempotency-Key. */
function send(who: Who, id: string, body: ActionRequest | Record<string, unknown>, key?: string) {
  return api<ActionResult & ApiError>(server.url, `/api/v1/events/${id}/actions`, {
    method: 'POST',
    json: body,
    token: who.token,
    headers: key === undefined ? {} : { 'idempotency-key': key },
  });
}

/** A case of the field worker's town, dispatched to their team. */
async function dispatchedCase(): Promise<EventRecord> {
  const catalog = await catalogOf(server.url);
  const item = pick(catalog, 'verified and dispatched by hand', (i, u) => i.verificationRequired && manual(i, u));
  const event = await reported(server.url, duty, item, await pointIn(server.url, field.towns![0]!), { description: `幂等测试 ${Math.random()}` });
  await done(server.url, dispatcher, event.id, { action: 'file' });
  // with a reason: the item may ask for another team type than the field team's
  await done(server.url, dispatcher, event.id, { action: 'dispatch', teamId: field.teamId!, override: { reason: '幂等测试：指定网格员队伍' } });
  return event;
}

/** What an action could change: the case, the change log, the timeline, the audit trail, the keys. */
async function state(id: string) {
  const n = async (sql: string, ...args: unknown[]) => (await server.store.get<{ n: number }>(sql, ...args))!.n;
  return {
    ...(await storedCountsIn(server.store)),
    event: await server.store.get('SELECT * FROM events WHERE id = ?', id),
    timeline: await n('SELECT COUNT(*) AS n FROM event_actions WHERE event_id = ?', id),
    audit: await n('SELECT COUNT(*) AS n FROM audit_log'),
    actionKeys: await n('SELECT COUNT(*) AS n FROM action_idempotency'),
  };
}

beforeAll(async () => {
  server = await startTestServer({ dataDir: data.dir });
  await login();
  await server.store.run("UPDATE teams SET status = 'available' WHERE id = ?", field.teamId);
});
afterAll(async () => {
  await server?.stop();
  data.remove();
});

describe('Idempotency-Key on case actions', () => {
  it('answers a retried action with the first answer, changing and pushing nothing', async () => {
    const event = await dispatchedCase();
    const client = connectClient(server.url, { lastSeq: await lastSeq(server.url) });
    await client.ready;
    const body = { action: 'accept', note: '收到，马上出发', position: { lon: event.location.lon, lat: event.location.lat, accuracy: 12 } };

    const first = await send(field, event.id, body, 'field-queue-0001');
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(first.body.event.status).toBe('accepted');
    const after = await state(event.id);

    // the phone never saw the answer and sends the same action again (its keys in another order)
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const retry = await send(field, event.id, reordered, 'field-queue-0001');
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(await state(event.id)).toEqual(after);

    // the push stream carried the accept once; a later action proves nothing else was on its way
    await done(server.url, field, event.id, { action: 'start' });
    const mine = await waitFor(() => {
      const c = client.changes.filter((x) => x.event.id === event.id);
      return c.some((x) => x.kind === 'start') && c;
    }, 5000, 'the start push');
    expect(mine.map((c) => c.kind)).toEqual(['accept', 'start']);
    client.socket.close();
  });

  it('refuses the same key with another body, another case or another user: 422, nothing changes', async () => {
    const event = await dispatchedCase();
    const other = await dispatchedCase();
    const ok = await send(field, event.id, { action: 'accept' }, 'field-queue-0002');
    expect(ok.status).toBe(200);
    const before = [await state(event.id), await state(other.id)];

    for (const [who, id, body] of [
      [field, event.id, { action: 'accept', note: '另一份内容' }],
      [field, event.id, { action: 'start' }],
      [field, other.id, { action: 'accept' }],
      [dispatcher, event.id, { action: 'accept' }],
    ] as const) {
      const res = await send(who, id, body, 'field-queue-0002');
      expect(res.status, `${who.username} ${id} ${JSON.stringify(body)}`).toBe(422);
      expect(res.body.error.code).toBe('idempotency_conflict');
      expect(res.body.error.message).toContain('field-queue-0002');
    }
    const audited = before[0]!.audit + 4; // the refusals are audited, nothing else is written
    expect([await state(event.id), await state(other.id)]).toEqual([
      { ...before[0], audit: audited },
      { ...before[1], audit: audited },
    ]);
  });

  it('does an action once when its retries race each other', async () => {
    const event = await dispatchedCase();
    const seq = (await getEvent(server.url, field, event.id)).seq;
    const answers = await Promise.all(Array.from({ length: 6 }, () => send(field, event.id, { action: 'accept' }, 'field-queue-0003')));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true')).toHaveLength(5);
    expect(new Set(answers.map((a) => a.body.entry.seq)).size).toBe(1);
    const timeline = (await server.store.get<{ n: number }>("SELECT COUNT(*) AS n FROM event_actions WHERE event_id = ? AND action = 'accept'", event.id))!;
    expect(timeline.n).toBe(1);
    expect((await getEvent(server.url, field, event.id)).seq).toBe(seq + 1);
  });

  it('keeps no key for a refused action, so its retry is judged afresh', async () => {
    const event = await dispatchedCase();
    // too early: the case is not accepted yet
    const early = await send(field, event.id, { action: 'start' }, 'field-queue-0004');
    expect(early.status).toBe(409);
    await done(server.url, field, event.id, { action: 'accept' });
    const later = await send(field, event.id, { action: 'start' }, 'field-queue-0004');
    expect(later.status).toBe(200);
    expect(later.body.event.status).toBe('in_progress');
  });

  it('refuses a malformed key with 400', async () => {
    const event = await dispatchedCase();
    const res = await send(field, event.id, { action: 'accept' }, 'has spaces in it');
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toEqual([expect.objectContaining({ field: 'Idempotency-Key' })]);
    expect((await getEvent(server.url, field, event.id)).status).toBe('dispatched');
  });

  it('still replays the first answer after the server restarted', async () => {
    const event = await dispatchedCase();
    const first = await send(field, event.id, { action: 'accept', note: '重启前' }, 'field-queue-0005');
    expect(first.status).toBe(200);

    await server.stop();
    server = await startTestServer({ dataDir: data.dir });
    await login();
    const before = await state(event.id);

    const retry = await send(field, event.id, { action: 'accept', note: '重启前' }, 'field-queue-0005');
    expect(retry.status).toBe(200);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(await state(event.id)).toEqual(before);
    // without the key the same request is a new attempt, and the state machine refuses it
    expect((await send(field, event.id, { action: 'accept', note: '重启前' })).status).toBe(409);
  });
});
