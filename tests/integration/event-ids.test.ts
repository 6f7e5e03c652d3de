import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CatalogItem } from '../../shared/contracts/catalog.js';
import { EVENT_ID_PATTERN, type EventCreated, type EventListResponse, type EventRecord, type Urgency } from '../../shared/contracts/events.js';
import { databaseFile, defaultConfig } from '../../server/src/config.js';
import { openDatabase } from '../../server/src/db/connection.js';
import { MIGRATIONS } from '../../server/src/db/migrations.js';
import { seedDemo } from '../../server/src/modules/demo/seed.js';
import { api, intakeAt, pointInCounty, SMALL_COUNTY, startTestServer, tempDataDir, type TestServer } from './harness.js';
import { act, as, catalogOf, done, manual, pick, report, TestClock, type Who } from './workflow-driver.js';

/** 10:00 China time on 3 December 2026: the day whose cases these tests number. */
const DAY = '20261203';
const AT_TEN = new Date('2026-12-03T10:00:00+08:00');

/** A code no catalog version knows: recorded as not admitted, with no duplicate search to slow a bulk intake. */
const UNKNOWN_ITEM = 'Z99';

let server: TestServer;
let clock: TestClock;
let dispatcher: Who;
let item: { item: CatalogItem; urgency: Urgency };
let place: { lon: number; lat: number };

/** Moves the test clock; sessions idle out across days, so the dispatcher logs in again. */
async function moveTo(at: Date): Promise<void> {
  clock.set(at);
  dispatcher = await as(server.url, 'demo-dispatcher');
}

/** A GET as the dispatcher. */
const read = <T>(path: string) => api<T>(server.url, path, { token: dispatcher.token });

const setCounter = (day: string, last: number) =>
  server.store.run('INSERT INTO event_id_counters (day, last) VALUES (?, ?) ON CONFLICT (day) DO UPDATE SET last = excluded.last', day, last);

async function intake(code = item.item.code, extra: Record<string, unknown> = {}): Promise<EventCreated> {
  const res = await report(server.url, dispatcher, { ...intakeAt(code, place, { urgency: item.urgency }), ...extra });
  if (res.status !== 201) throw new Error(`intake: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

beforeAll(async () => {
  clock = new TestClock(AT_TEN.getTime());
  // the bulk test posts 10,001 cases from one session
  server = await startTestServer({ clock, config: { rateLimit: { ...defaultConfig().rateLimit, perMinute: 1_000_000 } } });
  dispatcher = await as(server.url, 'demo-dispatcher');
  item = pick(await catalogOf(server.url, dispatcher), 'filed by hand', manual);
  const p = await pointInCounty(server.url, 3);
  place = { lon: p.lon, lat: p.lat };
});
afterAll(async () => server?.stop());

describe('case ids past 9,999 a day', () => {
  it('go on 9,999 → 10,000 → 10,001 within one China day: each readable, listed and merged in number order, acted on', async () => {
    await moveTo(AT_TEN);
    await setCounter(DAY, 9998);
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await intake()).id);
    expect(ids).toEqual(['EV202612039999', 'EV2026120310000', 'EV2026120310001', 'EV2026120310002']);

    for (const id of ids) {
      const event = await read<EventRecord>(`/api/v1/events/${id}`);
      expect([event.status, event.body.id]).toEqual([200, id]);
      expect((await read(`/api/v1/events/${id}/timeline`)).status).toBe(200);
    }
    // reported in the same millisecond: newest first means the higher number first
    const listed = await read<EventListResponse>(`/api/v1/events?since=${AT_TEN.toISOString()}&pageSize=10`);
    expect(listed.body.items.map((e) => e.id)).toEqual([...ids].reverse());

    const filed = await done(server.url, dispatcher, 'EV2026120310000', { action: 'file' });
    expect(filed.event).toMatchObject({ id: 'EV2026120310000', status: 'filed' });
    await done(server.url, dispatcher, 'EV2026120310001', { action: 'merge', intoId: 'EV2026120310002' });
    await done(server.url, dispatcher, 'EV202612039999', { action: 'merge', intoId: 'EV2026120310002' });
    const master = await read<EventRecord>('/api/v1/events/EV2026120310002');
    expect(master.body.mergedIds).toEqual(['EV202612039999', 'EV2026120310001']);
  });

  it('start again at 0001 on the next China day', async () => {
    await moveTo(new Date('2026-12-04T00:00:01+08:00'));
    expect((await intake()).id).toBe('EV202612040001');
    expect((await intake()).id).toBe('EV202612040002');
  });

  it('are not used up by an intake that is refused after taking one', async () => {
    await moveTo(new Date('2026-12-06T09:00:00+08:00'));
    expect((await intake()).id).toBe('EV202612060001');
    const refused = await report(server.url, dispatcher, { ...intakeAt(item.item.code, place, { urgency: item.urgency }), attachments: [{ id: 'not-uploaded', name: '现场.jpg' }] });
    expect([refused.status, refused.body.error.code]).toEqual([422, 'unknown_attachment']);
    expect((await intake()).id).toBe('EV202612060002');
  });

  it('are answered 400 when they do not have the one id pattern', async () => {
    for (const id of ['EV2026120301000', 'EV20261203', 'EV2026120300000001x']) {
      expect((await read(`/api/v1/events/${id}`)).status).toBe(400);
    }
    const merge = await act(server.url, dispatcher, 'EV202612040001', { action: 'merge', intoId: 'EV2026120401' });
    expect([merge.status, merge.body.error.fields?.[0]?.field]).toEqual([400, 'intoId']);
  });

  it('hold for 10,001 real intakes in one day: the last is EV…10001, readable and filed', { timeout: 300_000 }, async () => {
    await moveTo(new Date('2026-12-05T08:00:00+08:00'));
    let next = 0;
    const ids: string[] = [];
    // a few requests in flight, as several intake channels would send them
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < 10_000) {
          next++;
          ids.push((await intake(UNKNOWN_ITEM)).id);
        }
      }),
    );
    const last = await intake();

    expect(new Set(ids).size).toBe(10_000);
    expect(ids.every((id) => EVENT_ID_PATTERN.test(id) && id.startsWith('EV20261205'))).toBe(true);
    expect(ids.map((id) => Number(id.slice(10))).sort((a, b) => a - b)).toEqual(Array.from({ length: 10_000 }, (_, i) => i + 1));
    expect(last.id).toBe('EV2026120510001');
    expect((await read<EventRecord>(`/api/v1/events/${last.id}`)).body).toMatchObject({ id: last.id, status: 'reported' });
    expect((await done(server.url, dispatcher, last.id, { action: 'file' })).event.status).toBe('filed');
  });
});

// SQLite only: a SQLite migration run over a SQLite file set back by hand (PRAGMA table_info, DROP TABLE)
describe('the id counter migration', () => {
  it('counts ids already stored by number, so a stored EV…10000 is followed by EV…10001', async () => {
    const data = tempDataDir();
    try {
      const db = openDatabase(databaseFile(data.dir));
      seedDemo(db, SMALL_COUNTY);
      // The database as the string-maximum ids left it: EV…10000 stored after EV…9999, no counters.
      const source = (db.prepare('SELECT id FROM events WHERE master_id IS NULL ORDER BY id LIMIT 1').get() as { id: string }).id;
      const columns = (db.prepare('PRAGMA table_info(events)').all() as Array<{ name: string }>).map((c) => c.name);
      const copy = db.prepare(
        `INSERT INTO events (${columns.join(', ')}) SELECT ${columns.map((c) => (c === 'id' ? '@id' : c === 'reported_at' ? '@at' : c)).join(', ')} FROM events WHERE id = @source`,
      );
      copy.run({ id: 'EV202612039999', at: '2026-12-03T01:00:00.000Z', source });
      copy.run({ id: 'EV2026120310000', at: '2026-12-03T01:00:01.000Z', source });
      const seededDays = db.prepare("SELECT substr(id, 3, 8) AS day, COUNT(*) AS last FROM events WHERE id NOT LIKE 'EV20261203%' GROUP BY day ORDER BY day").all();
      db.exec('DROP TABLE event_id_counters');
      db.exec(MIGRATIONS.find((m) => m.name === 'event ids from a per-day counter')!.sql!);
      expect(db.prepare('SELECT day, last FROM event_id_counters ORDER BY day').all()).toEqual([...seededDays, { day: DAY, last: 10_000 }]);
      db.close();

      const migrated = await startTestServer({ dataDir: data.dir, clock: new TestClock(AT_TEN.getTime()) });
      try {
        const who = await as(migrated.url, 'demo-dispatcher');
        const p = await pointInCounty(migrated.url, 1);
        const res = await report(migrated.url, who, intakeAt(UNKNOWN_ITEM, { lon: p.lon, lat: p.lat }));
        expect([res.status, res.body.id]).toEqual([201, 'EV2026120310001']);
        expect((await api(migrated.url, '/api/v1/events/EV2026120310000', { token: who.token })).status).toBe(200);
      } finally {
        await migrated.stop();
      }
    } finally {
      data.remove();
    }
  });
});
