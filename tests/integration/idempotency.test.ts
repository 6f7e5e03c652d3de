import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiError } from '../../shared/contracts/errors.js';
import type { EventCreated, EventIntake } from '../../shared/contracts/events.js';
import { api, connectClient, intakeAt, pointInCounty, someItemCode, startTestServer, waitFor, type TestServer } from './harness.js';
import { storedCountsIn } from './store-rows.js';

let server: TestServer;
let body: EventIntake;

beforeAll(async () => {
  server = await startTestServer();
  const p = await pointInCounty(server.url, 11);
  body = intakeAt(await someItemCode(server.url), { lon: p.lon, lat: p.lat });
});
afterAll(async () => server?.stop());

const post = (json: unknown, key: string) => api<EventCreated & ApiError>(server.url, '/api/v1/events', { method: 'POST', json, headers: { 'idempotency-key': key } });

describe('Idempotency-Key', () => {
  it('makes a retry return the same event and store and push nothing', async () => {
    const client = connectClient(server.url, { lastSeq: (await storedCountsIn(server.store)).changes });
    await client.ready;
    const first = await post(body, 'field-app-7f3a-0001');
    expect(first.status).toBe(201);
    const after = await storedCountsIn(server.store);
    // the same request again, with its keys in another order
    const reordered = Object.fromEntries(Object.entries(body).reverse());
    const retry = await post(reordered, 'field-app-7f3a-0001');
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.body.id).toBe(first.body.id);
    expect(retry.body.seq).toBe(first.body.seq);
    expect(await storedCountsIn(server.store)).toEqual(after);
    // Pushes come in commit order: once a later case's push is in, so is any second push of the
    // first, however busy the machine (a fixed pause let a late one pass unseen).
    const later = await post({ ...body, description: '小区西门垃圾桶满溢，暴露垃圾约一平方米' }, 'field-app-7f3a-0009');
    expect(later.status).toBe(201);
    await waitFor(() => client.changes.some((c) => c.event.id === later.body.id), 10_000, 'the later case pushed');
    expect(client.changes.filter((c) => c.event.id === first.body.id)).toHaveLength(1);
    client.socket.close();
  });

  it('refuses the same key with a different body, storing nothing', async () => {
    await post(body, 'field-app-7f3a-0002');
    const before = await storedCountsIn(server.store);
    const other = await post({ ...body, description: '另一件事' }, 'field-app-7f3a-0002');
    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('idempotency_conflict');
    expect(await storedCountsIn(server.store)).toEqual(before);
  });

  it('stores concurrent retries of one request once', async () => {
    const before = await storedCountsIn(server.store);
    const answers = await Promise.all(Array.from({ length: 8 }, () => post(body, 'field-app-7f3a-0003')));
    expect(new Set(answers.map((a) => a.body.id)).size).toBe(1);
    expect((await storedCountsIn(server.store)).events).toBe(before.events + 1);
  });

  it('without a key, the same body twice is two events', async () => {
    const before = (await storedCountsIn(server.store)).events;
    await api(server.url, '/api/v1/events', { method: 'POST', json: body });
    await api(server.url, '/api/v1/events', { method: 'POST', json: body });
    expect((await storedCountsIn(server.store)).events).toBe(before + 2);
  });
});
