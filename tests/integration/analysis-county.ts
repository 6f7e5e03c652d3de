import type { CatalogItem } from '../../shared/contracts/catalog.js';
import type { EventRecord, EventSource, Urgency } from '../../shared/contracts/events.js';
import type { ActionRequest } from '../../shared/contracts/workflow.js';
import { intakeAt, startTestServer, type TestServer } from './harness.js';
import { as, catalogOf, done, manual, pick, report, TestClock, type Who } from './workflow-driver.js';

/**
 * A constructed set of cases for the analysis and evaluation tests, reported through the API on
 * a clock of their own at fixed China times, far from the seeded history (November 2026):
 *
 *   name  China time         town  place   item  source      path
 *   y1    2026-12-30 10:00   T0    M1a     X     grid patrol  (a year before the period)
 *   y2    2026-12-31 10:00   T1    M2      Y     hotline
 *   y3    2027-01-01 09:00   T0    M1a     X     grid patrol  self-handled (closed at once)
 *   p1    2027-12-27 10:00   T1    M2      Y     hotline      (the four days before the period)
 *   p2    2027-12-28 10:00   T0    M1a     X     grid patrol
 *   a     2027-12-30 10:00   T0    M1a     X     grid patrol  filed 10:05, dispatched 10:10
 *   b     2027-12-31 23:30   T0    M1a     X     grid patrol  a China night, Friday 23 h
 *   c     2028-01-01 00:30   T0    M1b     X     grid patrol  self-handled; Saturday 0 h China, still 31 Dec in UTC
 *   d     2028-01-01 07:59   T1    M2      Y     hotline      supervised (督办) at 08:30
 *   e     2028-01-02 12:00   T1    M2      Y     citizen app
 *   v     2028-01-02 12:30   T0    M1a     X     hotline      voided: no occurrence
 *   n     2028-01-02 13:00   T0    M1a     ZZ99  hotline      not admitted: no case
 *
 * The period under test is 2027-12-30 … 2028-01-02 (Thursday to Sunday). M1a and M1b are two
 * micro-grids of one grid G1 of the first town T0 (the town dispatcher's); M2 a micro-grid of
 * grid G2 of T1. The grid patrol reports carry the phone of a worker of G1 (`workerPhone`), so
 * the grid workers' evaluation can find them. The clock ends at 2028-01-02 18:00.
 */
export interface AnalysisCounty {
  server: TestServer;
  clock: TestClock;
  cases: Map<string, EventRecord>;
  towns: [string, string];
  grids: { G1: string; G2: string };
  microGrids: { M1a: string; M1b: string; M2: string };
  items: { X: CatalogItem; Y: CatalogItem };
  /** The roster worker of G1 whose phone the grid patrol reports carry. */
  worker: { id: string; name: string; phone: string; gridId: string };
  login(username: string): Promise<Who>;
}

/** An instant of China time, `YYYY-MM-DD HH:MM`. */
export const china = (wall: string) => new Date(`${wall.replace(' ', 'T')}:00+08:00`);

export async function buildAnalysisCounty(): Promise<AnalysisCounty> {
  const clock = new TestClock(china('2026-12-30 09:00').getTime());
  const server = await startTestServer({ clock, config: { rateLimit: { perMinute: 5000, anonymousPerMinute: 1000, loginPerMinute: 1000 } } });
  // rows are read and written through the server's store, so the county stands on either database
  const store = server.store;
  const towns = (await store.all<{ id: string }>("SELECT id FROM regions WHERE level = 'town' ORDER BY code LIMIT 2")).map((t) => t.id) as [string, string];
  // G1: the first grid of T0 with two micro-grids; G2: the first grid of T1.
  const gridOf = async (town: string) =>
    (await store.get<{ id: string }>(
      `SELECT g.id FROM regions g JOIN regions v ON v.id = g.parent_id
        WHERE v.parent_id = ? AND (SELECT COUNT(*) FROM regions m WHERE m.parent_id = g.id) >= 2
          AND EXISTS (SELECT 1 FROM workers w WHERE w.grid_id = g.id) ORDER BY g.code LIMIT 1`,
      town,
    ))!;
  const G1 = (await gridOf(towns[0])).id;
  const G2 = (await gridOf(towns[1])).id;
  const micro = (grid: string) => store.all<{ id: string; lon: number; lat: number }>('SELECT id, label_lon AS lon, label_lat AS lat FROM regions WHERE parent_id = ? ORDER BY code', grid);
  const [m1a, m1b] = (await micro(G1)) as [{ id: string; lon: number; lat: number }, { id: string; lon: number; lat: number }];
  const [m2] = (await micro(G2)) as [{ id: string; lon: number; lat: number }];
  const worker = (await store.get<AnalysisCounty['worker']>('SELECT id, name, phone, grid_id AS "gridId" FROM workers WHERE grid_id = ? ORDER BY id LIMIT 1', G1))!;

  const catalog = await catalogOf(server.url);
  const X = pick(catalog, 'self-handled and manually dispatched', (i, u) => i.selfHandle && manual(i, u) && u === i.defaultUrgency).item;
  const Y = pick(catalog, 'of another category', (i, u) => i.category !== X.category && manual(i, u) && u === i.defaultUrgency).item;

  const cases = new Map<string, EventRecord>();
  // A new session at each step: sessions time out when the clock jumps.
  const login = (username: string) => as(server.url, username);

  const intake = async (name: string, wall: string, item: CatalogItem | 'ZZ99', place: { lon: number; lat: number }, source: EventSource, extra: { selfHandled?: boolean } = {}) => {
    clock.set(china(wall));
    const code = item === 'ZZ99' ? 'ZZ99' : item.code;
    const urgency: Urgency = item === 'ZZ99' ? 'P2' : item.defaultUrgency;
    const patrol = source === 'grid_patrol';
    const who = await login(extra.selfHandled ? 'demo-field' : 'demo-dispatcher');
    const res = await report(
      server.url,
      who,
      intakeAt(code, { lon: place.lon, lat: place.lat }, {
        urgency,
        source,
        description: `分析测试 ${name}`,
        reporter: patrol ? { name: worker.name, phone: worker.phone } : { name: '李群众', phone: '13900000001' },
        ...(extra.selfHandled ? { selfHandled: true, result: '已当场处置' } : {}),
      }),
    );
    if (res.status !== 201) throw new Error(`intake ${name}: ${res.status} ${JSON.stringify(res.body)}`);
    cases.set(name, res.body.event);
  };
  const act = async (name: string, wall: string, username: string, request: ActionRequest) => {
    clock.set(china(wall));
    const result = await done(server.url, await login(username), cases.get(name)!.id, request);
    cases.set(name, result.event);
  };

  await intake('y1', '2026-12-30 10:00', X, m1a, 'grid_patrol');
  await intake('y2', '2026-12-31 10:00', Y, m2, 'hotline_12345');
  await intake('y3', '2027-01-01 09:00', X, m1a, 'grid_patrol', { selfHandled: true });
  await intake('p1', '2027-12-27 10:00', Y, m2, 'hotline_12345');
  await intake('p2', '2027-12-28 10:00', X, m1a, 'grid_patrol');
  await intake('a', '2027-12-30 10:00', X, m1a, 'grid_patrol');
  // every team free, so the dispatch does not depend on the seeded statuses
  await store.run("UPDATE teams SET status = 'available'");
  const team = (await store.get<{ id: string }>('SELECT id FROM teams WHERE type = ? ORDER BY id LIMIT 1', X.teamType))!.id;
  await act('a', '2027-12-30 10:05', 'demo-dispatcher', { action: 'file' });
  await act('a', '2027-12-30 10:10', 'demo-dispatcher', { action: 'dispatch', teamId: team, override: { reason: '分析测试：指定队伍' } });
  await intake('b', '2027-12-31 23:30', X, m1a, 'grid_patrol');
  await intake('c', '2028-01-01 00:30', X, m1b, 'grid_patrol', { selfHandled: true });
  await intake('d', '2028-01-01 07:59', Y, m2, 'hotline_12345');
  await act('d', '2028-01-01 08:30', 'demo-lead', { action: 'supervise', note: '请加快处置' });
  await intake('e', '2028-01-02 12:00', Y, m2, 'citizen_app');
  await intake('v', '2028-01-02 12:30', X, m1a, 'hotline_12345');
  await act('v', '2028-01-02 12:35', 'demo-dispatcher', { action: 'void', reason: '重复误报' });
  await intake('n', '2028-01-02 13:00', 'ZZ99', m1a, 'hotline_12345');
  clock.set(china('2028-01-02 18:00'));

  return { server, clock, cases, towns, grids: { G1, G2 }, microGrids: { M1a: m1a.id, M1b: m1b.id, M2: m2.id }, items: { X, Y }, worker, login };
}
