import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventCreated } from '../../shared/contracts/events.js';
import type { TeamMovedPayload } from '../../shared/contracts/teams.js';
import { createServer } from '../../server/src/app.js';
import { systemClock } from '../../server/src/core/clock.js';
import { databaseFile, defaultConfig } from '../../server/src/config.js';
import { openDatabase } from '../../server/src/db/connection.js';
import { api, cleanupAfterAll, connectClient, intakeAt, pointInCounty, someItemCode, startTestServer, waitFor, type TestServer } from './harness.js';
import { freePort } from './postgres.js';
import { startTestRedis, type TestRedis } from './redis.js';
import { as, pointIn } from './workflow-driver.js';

/**
 * Two server nodes on one database with Redis between them (`--redis`): the Redis Streams
 * adapter carries broadcasts and each commit's nudge to the other node. The feeds' own poll is
 * set to an hour here, so a case change that reaches the other node in time came by the nudge.
 */

const { tempDir, later } = cleanupAfterAll();
let redis: TestRedis;
let a: TestServer;
let b: TestServer;

beforeAll(async () => {
  redis = await startTestRedis();
  const dataDir = tempDir();
  const config = { redis: redis.url, changeFeed: { mode: 'tail' as const, pollMs: 3_600_000 } };
  a = await startTestServer({ dataDir, config });
  b = await startTestServer({ dataDir, config });
});
afterAll(async () => {
  await a?.stop();
  await b?.stop();
  await redis?.stop();
});

describe('several server nodes with Redis', () => {
  it("brings a case filed on one node to the other node's console at once, by the commit's nudge", async () => {
    const onB = connectClient(b.url, {});
    later(() => onB.socket.close());
    await onB.ready;
    const { lon, lat } = await pointInCounty(a.url, 0);
    const created = await api<EventCreated>(a.url, '/api/v1/events', { method: 'POST', json: intakeAt(await someItemCode(a.url), { lon, lat }, { description: '甲节点受理' }) });
    expect(created.status).toBe(201);
    const heard = await waitFor(() => onB.changes.find((c) => c.seq === created.body.seq), 10_000, "node B's console to hear node A's case");
    expect(heard.event.id).toBe(created.body.event.id);
  });

  it("brings a team's position reported to one node to the consoles of both, in their next batch", async () => {
    const field = await as(a.url, 'demo-field');
    const base = await pointIn(a.url, field.towns![0]!);
    const consoles = [connectClient(a.url, {}), connectClient(b.url, {})];
    const moved: TeamMovedPayload[][] = [[], []];
    consoles.forEach((c, i) => {
      later(() => c.socket.close());
      c.socket.on('team:moved', (m) => moved[i]!.push(m));
    });
    await Promise.all(consoles.map((c) => c.ready));
    const lon = Math.round((base.lon + 3e-5) * 1e7) / 1e7;
    const res = await api(a.url, `/api/v1/teams/${field.teamId}/position`, { method: 'POST', json: { lon, lat: base.lat, accuracy: 6 }, token: field.token });
    expect(res.status).toBe(200);
    const seen = (list: TeamMovedPayload[]) => list.some((m) => m.teams.some((t) => t.teamId === field.teamId && t.lon === lon));
    await waitFor(() => seen(moved[0]!) && seen(moved[1]!), 10_000, 'both consoles to see the move');
    // one batch each: not once from the node's own batch and again through the adapter
    const count = (list: TeamMovedPayload[]) => list.filter((m) => m.teams.some((t) => t.teamId === field.teamId && t.lon === lon)).length;
    await new Promise((r) => setTimeout(r, 1_500));
    expect([count(moved[0]!), count(moved[1]!)]).toEqual([1, 1]);
  });

  it('refuses to start when Redis cannot be reached, naming the address', async () => {
    const dir = tempDir();
    const db = openDatabase(databaseFile(dir));
    later(() => db.close());
    const url = `redis://127.0.0.1:${await freePort()}`;
    await expect(createServer({ db, clock: systemClock, config: defaultConfig({ port: 0, dataDir: dir, logLevel: 'silent', redis: url, changeFeed: { mode: 'tail', pollMs: 250 } }) })).rejects.toThrow(
      url.replace('redis://', ''),
    );
  });
});
