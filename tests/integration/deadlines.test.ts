import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventRecord } from '../../shared/contracts/events.js';
import { connectClient, pointInCounty, startTestServer, tempDataDir, waitFor, type TestServer } from './harness.js';
import { as, catalogOf, done, getEvent, lastSeq, manual, pick, reported, TestClock, timelineOf, type Who } from './workflow-driver.js';

// Monday 2026-11-23, 09:00 in the county.
const clock = new TestClock(Date.parse('2026-11-23T09:00:00+08:00'));
const data = tempDataDir();
let server: TestServer;
let dispatcher: Who;

const start = () => startTestServer({ dataDir: data.dir, clock, config: { deadlineSweepMs: 20 } });

beforeAll(async () => {
  server = await start();
  dispatcher = await as(server.url, 'demo-dispatcher');
});
afterAll(async () => {
  await server?.stop();
  data.remove();
});

/** How many changes of this kind the case has, as stored. */
const stored = async (id: string, kind: string) =>
  (await server.store.get<{ n: number }>('SELECT COUNT(*) AS n FROM event_changes WHERE event_id = ? AND kind = ?', id, kind))!.n;

describe('the deadline monitor', () => {
  it('pushes a warning at 80 % of a step and an alert when it is overdue, each once, across a restart, and anew for the next step', async () => {
    const catalog = await catalogOf(server.url);
    // the shortest file limit in plain minutes: sessions (30 min idle) live on the same clock
    const shortest = Math.min(...catalog.items.flatMap((i) => i.urgencies.map((u) => (i.limits[u]!.file.unit === 'minutes' && manual(i, u) ? i.limits[u]!.file.value : Infinity))));
    expect(shortest).toBeLessThan(25);
    const minutes = pick(catalog, 'with the shortest file limit, dispatched by hand', (i, u) => manual(i, u) && i.limits[u]!.file.unit === 'minutes' && i.limits[u]!.file.value === shortest);
    const file = minutes.item.limits[minutes.urgency]!.file.value;
    const client = connectClient(server.url, { token: dispatcher.token, lastSeq: await lastSeq(server.url) });
    await client.ready;
    const t0 = clock.now().getTime();
    const event = await reported(server.url, dispatcher, minutes, await pointInCounty(server.url, 2));
    expect(event.deadlineAt).toBe(new Date(t0 + file * 60_000).toISOString());
    expect(event.warnAt).toBe(new Date(t0 + file * 0.8 * 60_000).toISOString());
    const kindsOf = () => client.changes.filter((c) => c.event.id === event.id).map((c) => c.kind);

    clock.set(new Date(Date.parse(event.warnAt!) + 1000));
    const warned = await waitFor(() => client.changes.find((c) => c.event.id === event.id && c.kind === 'deadline-warning'), 10_000, 'the warning');
    expect(warned.event).toMatchObject({ deadlineState: 'warning', status: 'reported', step: 'file' });
    await server.handles.deadlines.sweep();
    await server.handles.deadlines.sweep();
    expect(await stored(event.id, 'deadline-warning')).toBe(1);

    clock.set(new Date(Date.parse(event.deadlineAt!) + 1000));
    const overdue = await waitFor(() => client.changes.find((c) => c.event.id === event.id && c.kind === 'deadline-overdue'), 10_000, 'the overdue alert');
    expect(overdue.event.deadlineState).toBe('overdue');
    await server.handles.deadlines.sweep();
    expect(await stored(event.id, 'deadline-overdue')).toBe(1);
    expect(kindsOf()).toEqual(['reported', 'deadline-warning', 'deadline-overdue']);
    client.socket.close();

    const entries = (await timelineOf(server.url, dispatcher, event.id)).body.entries;
    expect(entries.slice(1)).toMatchObject([
      { action: 'deadline-warning', from: 'reported', to: 'reported', actor: null, auto: true, details: { step: 'file', deadlineAt: event.deadlineAt } },
      { action: 'deadline-overdue', from: 'reported', to: 'reported', actor: null, auto: true, details: { step: 'file' } },
    ]);

    // a restart announces nothing again: the state is stored
    const seqBefore = await lastSeq(server.url);
    await server.stop();
    server = await start();
    dispatcher = await as(server.url, 'demo-dispatcher');
    await server.handles.deadlines.sweep();
    expect(await lastSeq(server.url)).toBe(seqBefore);
    expect(await stored(event.id, 'deadline-warning')).toBe(1);
    expect(await stored(event.id, 'deadline-overdue')).toBe(1);

    // the next step starts its own clock: ok again, warned again when its time runs
    const filed = await done(server.url, dispatcher, event.id, { action: 'file' });
    expect(filed.event).toMatchObject({ step: 'dispatch', deadlineState: 'ok' });
    const again = connectClient(server.url, { token: dispatcher.token, lastSeq: filed.entry.seq });
    await again.ready;
    clock.set(new Date(Date.parse(filed.event.warnAt!) + 1000));
    await waitFor(() => again.changes.find((c) => c.event.id === event.id && c.kind === 'deadline-warning'), 10_000, 'the warning of the next step');
    expect(await stored(event.id, 'deadline-warning')).toBe(2);
    again.socket.close();
  });

  it('warns again after an approved extension moves an overdue deadline', async () => {
    const catalog = await catalogOf(server.url, dispatcher);
    const item = pick(catalog, 'dispatched by hand', (i, u) => manual(i, u));
    const duty = await as(server.url, 'demo-duty');
    const event: EventRecord = await reported(server.url, dispatcher, item, await pointInCounty(server.url, 3));
    await done(server.url, dispatcher, event.id, { action: 'file' });
    const team = (await server.store.get<{ id: string }>("SELECT id FROM teams WHERE status <> 'off_duty' ORDER BY id LIMIT 1"))!;
    // any team on duty, with a reason: it may not be of the type the item asks for
    const dispatched = await done(server.url, dispatcher, event.id, { action: 'dispatch', teamId: team.id, override: { reason: '时限测试：指定队伍' } });
    await done(server.url, duty, event.id, { action: 'accept' });
    clock.set(new Date(Date.parse(dispatched.event.deadlineAt!) + 1000));
    await server.handles.deadlines.sweep();
    // sessions live on the same clock: log in again after time jumped
    const [d2, l2] = [await as(server.url, 'demo-duty'), await as(server.url, 'demo-lead')];
    expect((await getEvent(server.url, d2, event.id)).deadlineState).toBe('overdue');
    await done(server.url, d2, event.id, { action: 'request-extension', reason: '等待材料', extension: { value: 30, unit: 'work_days' } });
    const approved = await done(server.url, l2, event.id, { action: 'approve-extension' });
    expect(approved.event.deadlineState).toBe('ok');
    expect(Date.parse(approved.event.deadlineAt!)).toBeGreaterThan(clock.now().getTime());
  });
});
