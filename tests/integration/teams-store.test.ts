import { describe, expect, it } from 'vitest';
import type { EventRecord } from '../../shared/contracts/events.js';
import type { TeamListQuery } from '../../shared/contracts/teams.js';
import type { TimelineEntry } from '../../shared/contracts/workflow.js';
import { Bus, type TeamMoved } from '../../server/src/core/bus.js';
import { openDatabase } from '../../server/src/db/connection.js';
import { GroupCommit } from '../../server/src/db/group-commit.js';
import { Store } from '../../server/src/db/store.js';
import { AuditRepo } from '../../server/src/modules/audit/audit.repo.js';
import type { Principal } from '../../server/src/modules/auth/auth.service.js';
import type { UserRecord } from '../../server/src/modules/auth/users.repo.js';
import { seedDemo } from '../../server/src/modules/demo/seed.js';
import type { WrittenChange } from '../../server/src/modules/events/case-writer.js';
import { CountyArea } from '../../server/src/modules/geo/county-area.js';
import { RegionsRepo } from '../../server/src/modules/regions/regions.repo.js';
import { TeamsLive } from '../../server/src/modules/teams/teams-live.js';
import { TeamsRepo } from '../../server/src/modules/teams/teams.repo.js';
import { cleanupAfterAll, SMALL_COUNTY } from './harness.js';
import { postgresCopy, usePostgres } from './postgres.js';
import { TestClock } from './workflow-driver.js';

/**
 * The teams repository and the teams' live side answer and write the same on both dialects: a
 * seeded county is copied from SQLite to PostgreSQL; then every TeamsRepo method (get, list with
 * every filter and scope, candidates with the roster holders, held, roster, trail, and the writes
 * setStatus, touch, addPosition) and TeamsLive's writes (device positions through the group
 * commit, a team's status set by its member and by a dispatcher, the refusals and their audit
 * records, the trail, and the status that follows from written case changes) run on both with the
 * same clock and arguments. Answers, what is published on the bus, the teams and team_positions
 * rows and the audit records written must agree: the identity column of team_positions, the
 * full-time-first order of a grid's workers and the orders ending on a unique column are what
 * the dialects could differ in.
 */

const pg = usePostgres();
const { tempDir, later } = cleanupAfterAll();

/** The seed's history ends at 2026-11-20 00:00 China time. */
const T0 = Date.parse('2026-11-20T00:00:00+08:00');
const MINUTE = 60_000;

interface Side {
  name: string;
  store: Store;
  repo: TeamsRepo;
  live: TeamsLive;
  published: Array<[string, unknown]>;
}

const principalOf = (user: Partial<UserRecord> & Pick<UserRecord, 'id' | 'roles' | 'scope'>, mustChangePassword = false): Principal =>
  ({
    user: { username: user.id, displayName: user.id, teamId: null, ...user } as unknown as UserRecord,
    session: null,
    mustChangePassword,
    apiKey: false,
    apiKeyId: null,
    apiKeyChannel: null,
  }) as Principal;

/** What a refused call answered: its status and code. */
const refusal = async (call: Promise<unknown>): Promise<[number, string]> => {
  const err = (await call.then(
    () => {
      throw new Error('not refused');
    },
    (e: unknown) => e,
  )) as { status: number; code: string };
  return [err.status, err.code];
};

describe('TeamsRepo and TeamsLive on SQLite and PostgreSQL', () => {
  it('answer, write and leave the same rows', async () => {
    const db = openDatabase(`${tempDir()}/teams.sqlite`);
    later(() => db.close());
    seedDemo(db, SMALL_COUNTY);
    const pluck = <T>(sql: string, ...args: unknown[]) => db.prepare(sql).pluck().all(...args) as T[];
    const towns = pluck<string>("SELECT id FROM regions WHERE level = 'town' ORDER BY code");
    const county = pluck<string>("SELECT id FROM regions WHERE level = 'county'")[0]!;
    // teams holding cases accepted or in progress: what `held` counts and the effects read
    const holding = pluck<string>("SELECT DISTINCT team_id FROM events WHERE status IN ('accepted','in_progress') ORDER BY team_id");
    expect(holding.length, 'teams holding accepted or started cases in the seed').toBeGreaterThan(2);
    const events = db
      .prepare('SELECT id, town_id AS townId, village_id AS villageId, grid_id AS gridId, micro_grid_id AS microGridId FROM events ORDER BY id')
      .all() as Array<Pick<EventRecord, 'id' | 'townId' | 'villageId' | 'gridId' | 'microGridId'>>;
    // cases spread over the county's villages (one per village), so candidates and rosters differ
    const places = [...new Map(events.map((e) => [e.villageId, e])).values()].slice(0, 12);
    expect(places.length).toBeGreaterThan(5);
    const post = await postgresCopy(pg.cluster, db, later);

    const clock = new TestClock(T0);
    const microGrids = await new RegionsRepo(post).locatableMicroGrids();
    const area = CountyArea.around(microGrids, 5);
    const sides: Side[] = [
      { name: 'sqlite', store: Store.onSqlite(db) },
      { name: 'postgres', store: post },
    ].map(({ name, store }) => {
      const repo = new TeamsRepo(store);
      const bus = new Bus();
      const published: Array<[string, unknown]> = [];
      bus.subscribe('team:moved', (m) => void published.push(['team:moved', m]));
      bus.subscribe('team:changed', (t) => void published.push(['team:changed', t]));
      const group = new GroupCommit(store, (err) => {
        throw err;
      });
      const live = new TeamsLive({ store, teams: repo, clock, audit: new AuditRepo(store, clock), area, bus, group });
      return { name, store, repo, live, published };
    });
    let compared = 0;
    const same = async <T>(what: string, fn: (s: Side) => Promise<T>): Promise<T> => {
      const [a, b] = [await fn(sides[0]!), await fn(sides[1]!)];
      expect(b, what).toEqual(a);
      compared += 1;
      return a;
    };
    const sameRows = async (what: string) => {
      await same(`${what}: teams`, (s) => s.store.all('SELECT * FROM teams ORDER BY id'));
      // reports at once reach the group commit in the order their first read ends (on PostgreSQL, on
      // several connections): the rows are compared by team and time, the identity by count and last id
      await same(`${what}: team positions`, (s) => s.store.all('SELECT team_id, lon, lat, accuracy, at, received_at, user_id FROM team_positions ORDER BY team_id, at, received_at, lon'));
      await same(`${what}: team position ids`, (s) => s.store.get('SELECT COUNT(*) AS n, MIN(id) AS first, MAX(id) AS last FROM team_positions'));
    };
    const lastAudit = (db.prepare('SELECT MAX(seq) FROM audit_log').pluck().get() as number | null) ?? 0;
    const audited = () =>
      same('audit records', (s) =>
        s.store.all('SELECT seq, at, user_id, username, role, action, object_type, object_id, result, reason, source_ip, client, details, prev_hash, hash FROM audit_log WHERE seq > ? ORDER BY seq', lastAudit),
      );
    const published = () => same('published', async (s) => s.published.splice(0));
    await sameRows('copied');

    // reads: get, list (filters and scopes), candidates, held, roster
    const all = await same('list', (s) => s.repo.list());
    expect(all.length).toBeGreaterThan(10);
    await same('get', (s) => s.repo.get(all[0]!.id));
    await same('get a town team', (s) => s.repo.get(all.find((t) => t.homeLevel === 'village')!.id));
    await same('get unknown', (s) => s.repo.get('no-such-team'));
    const queries: Array<Partial<TeamListQuery>> = [
      {},
      { status: ['available'] },
      { status: ['available', 'en_route', 'on_scene'] },
      { status: [] },
      { type: [all[0]!.type] },
      { town: towns[0]! },
      { town: towns[1]!, status: ['available'], type: [all.at(-1)!.type] },
    ];
    const scopes: Array<readonly string[] | null> = [null, [], [towns[0]!], towns, ['no-such-town']];
    let listed = 0;
    for (const towns of scopes) {
      for (const q of queries) listed += (await same(`list ${JSON.stringify(q)} in ${JSON.stringify(towns)}`, (s) => s.repo.list(q, towns))).length;
    }
    expect(listed).toBeGreaterThan(all.length);
    let rosterHolders = 0;
    for (const e of places) {
      const found = await same(`candidates of ${e.id}`, (s) => s.repo.candidates(e));
      expect(found.length).toBeGreaterThan(0);
      rosterHolders += found.filter((c) => c.roster !== null).length;
      const roster = await same(`roster of ${e.id}`, (s) => s.repo.roster(e));
      expect(roster.length).toBeGreaterThan(0);
    }
    expect(rosterHolders, 'candidates holding someone of the roster').toBeGreaterThan(0);
    await same('candidates of nowhere', (s) => s.repo.candidates({ townId: 'no-town', villageId: 'no-village', gridId: 'no-grid', microGridId: 'no-mg' }));
    await same('roster of nowhere', (s) => s.repo.roster({ gridId: 'no-grid', microGridId: 'no-mg' }));
    for (const id of holding) expect(Object.keys(await same(`held by ${id}`, (s) => s.repo.held(id))).length).toBeGreaterThan(0);
    await same('held by a team holding nothing', (s) => s.repo.held('no-such-team'));

    // writes on the repository: status, activity, positions and trails
    const [a, b] = [all[0]!, all[1]!];
    const at = (minutes: number) => new Date(T0 + minutes * MINUTE).toISOString();
    await same('set status', (s) => s.repo.setStatus(a.id, a.status === 'busy' ? 'available' : 'busy'));
    await same('set the same status', (s) => s.repo.setStatus(a.id, a.status === 'busy' ? 'available' : 'busy'));
    await same('set status of unknown', (s) => s.repo.setStatus('no-such-team', 'busy'));
    await same('touch', (s) => s.repo.touch(a.id, at(5)));
    await same('touch earlier', (s) => s.repo.touch(a.id, at(3)));
    const point = (lon: number, minutes: number, teamId = a.id) => ({ teamId, lon, lat: a.location.lat, accuracy: minutes % 2 ? 12.5 : null, at: at(minutes), receivedAt: at(minutes + 1), userId: minutes % 3 ? null : 'U-test' });
    await same('newest position', (s) => s.store.inTransaction(() => s.repo.addPosition(point(a.location.lon + 0.001, 10))));
    await same('older position', (s) => s.store.inTransaction(() => s.repo.addPosition(point(a.location.lon + 0.002, 8))));
    await same('position of the same time', (s) => s.store.inTransaction(() => s.repo.addPosition(point(a.location.lon + 0.003, 10))));
    for (let i = 11; i < 20; i++) await same(`position ${i}`, (s) => s.store.inTransaction(() => s.repo.addPosition(point(a.location.lon + i / 10_000, i))));
    await same('another team', (s) => s.store.inTransaction(() => s.repo.addPosition(point(b.location.lon, 12, b.id))));
    await sameRows('repository writes');
    const trail = await same('trail', (s) => s.repo.trail(a.id, at(0), 100));
    expect(trail).toHaveLength(12);
    expect(await same('trail, the newest five', (s) => s.repo.trail(a.id, at(0), 5))).toEqual(trail.slice(-5));
    await same('trail since', (s) => s.repo.trail(a.id, at(15), 100));
    await same('trail of none', (s) => s.repo.trail(a.id, at(60), 100));

    // the live side: device positions (one group commit per side), refusals, announcements
    const gateway = principalOf({ id: 'U-gateway', roles: ['integration'], scope: { kind: 'county' } });
    const ctx = { sourceIp: '10.0.0.9', client: 'teams-store.test' };
    clock.at = T0 + 30 * MINUTE;
    const reports = await same('reported positions', (s) =>
      Promise.all(
        all.slice(0, 6).map((t, i) =>
          s.live.reportPosition(t.id, { lon: t.location.lon + 0.001 * i, lat: t.location.lat, ...(i % 2 ? { at: at(29 - i) } : {}), ...(i === 3 ? { accuracy: 8 } : {}) }, { principal: gateway, ctx }),
        ),
      ),
    );
    expect(reports.every((r) => r.latest)).toBe(true);
    await same('an older report', (s) => s.live.reportPosition(a.id, { lon: a.location.lon, lat: a.location.lat, at: at(1) }, { principal: gateway, ctx }));
    const byTeam = (a: [string, unknown], b: [string, unknown]) => (a[1] as TeamMoved).teamId.localeCompare((b[1] as TeamMoved).teamId);
    const moved = await same('published by the reports', async (s) => s.published.splice(0).sort(byTeam));
    expect(moved.map(([topic, m]) => [topic, (m as TeamMoved).teamId])).toEqual(all.slice(0, 6).map((t) => ['team:moved', t.id]).sort((x, y) => x[1]!.localeCompare(y[1]!)));
    await same('report outside the county', (s) => refusal(s.live.reportPosition(a.id, { lon: 0, lat: 0 }, { principal: gateway, ctx })));
    await same('report for an unknown team', (s) => refusal(s.live.reportPosition('no-such-team', { lon: a.location.lon, lat: a.location.lat }, { principal: gateway, ctx })));
    const member = principalOf({ id: 'U-member', roles: ['field_worker'], scope: { kind: 'towns', towns: [b.townId ?? towns[0]!], counties: [county], areas: [] }, teamId: b.id });
    await same("a member reports another team's position", (s) => refusal(s.live.reportPosition(a.id, { lon: a.location.lon, lat: a.location.lat }, { principal: member, ctx })));
    const expired = principalOf({ id: 'U-member', roles: ['field_worker'], scope: { kind: 'county' }, teamId: b.id }, true);
    await same('a member whose password expired', (s) => refusal(s.live.reportPosition(b.id, { lon: b.location.lon, lat: b.location.lat }, { principal: expired, ctx })));
    const nobody = principalOf({ id: 'U-nobody', roles: ['wall'], scope: { kind: 'county' } });
    await same('no teams:report', (s) => refusal(s.live.reportPosition(b.id, { lon: b.location.lon, lat: b.location.lat }, { principal: nobody, ctx })));
    await same('published by refusals', async (s) => s.published.splice(0));
    await sameRows('device positions');

    // status: by its member, by a dispatcher, refused out of scope; the trail through the live side
    clock.at += MINUTE;
    await same('member sets status', (s) => s.live.setStatus(b.id, 'busy', { principal: member, ctx }));
    const dispatcher = principalOf({ id: 'U-dispatcher', roles: ['dispatcher'], scope: { kind: 'county' } });
    clock.at += MINUTE;
    await same('dispatcher sets status', (s) => s.live.setStatus(a.id, 'off_duty', { principal: dispatcher, ctx }));
    const farTown = all.find((t) => t.townId !== null && t.townId !== towns[0])!;
    const townDispatcher = principalOf({ id: 'U-town', roles: ['dispatcher'], scope: { kind: 'towns', towns: [towns[0]!], counties: [county], areas: [] } });
    await same('out of scope', (s) => refusal(s.live.setStatus(farTown.id, 'busy', { principal: townDispatcher, ctx })));
    await same('not a dispatcher', (s) => refusal(s.live.setStatus(a.id, 'busy', { principal: member, ctx })));
    await same('live trail', (s) => s.live.trail(a.id, at(0), { principal: dispatcher, ctx }));
    await same('live trail, default since', (s) => s.live.trail(a.id, undefined, { principal: dispatcher, ctx }));
    await same('live trail out of scope', (s) => refusal(s.live.trail(farTown.id, undefined, { principal: townDispatcher, ctx })));
    const changed = await published();
    expect(changed.map(([topic]) => topic)).toEqual(['team:changed', 'team:changed']);
    await sameRows('status');

    // the effects of written case changes, in a store transaction, announced after its commit
    const [onScene, enRoute, accepting] = [holding[0]!, holding[1]!, all.find((t) => !holding.includes(t.id) && t.status === 'available')!.id];
    for (const s of sides) {
      await s.repo.setStatus(onScene, 'on_scene');
      await s.repo.setStatus(enRoute, 'en_route');
    }
    const actor = { userId: 'U-member', username: 'U-member', displayName: '', role: 'field_worker' as const };
    const change = (seq: number, teamId: string | null, entry: Partial<TimelineEntry>, eventTeam: string | null = teamId): WrittenChange =>
      ({
        seq,
        eventId: `EV-${seq}`,
        kind: entry.action ?? 'x',
        at: at(40 + seq),
        event: { id: `EV-${seq}`, teamId: eventTeam } as EventRecord,
        entry: { seq, eventId: `EV-${seq}`, action: 'accept', from: null, to: 'accepted', at: at(40 + seq), actor, teamId, auto: false, note: null, position: null, attachments: [], details: {}, ...entry },
      }) as WrittenChange;
    const apply = (s: Side, written: WrittenChange[]) =>
      s.store.inTransaction(async () => {
        const announce = await s.live.applyChanges(written);
        s.store.afterCommit(announce);
      });
    const effects = await same('accept, start, a report and a re-dispatch', async (s) => {
      await apply(s, [
        change(1, accepting, { action: 'accept' }),
        change(2, onScene, { action: 'report', from: 'in_progress', to: 'handled' }, null),
        change(3, enRoute, { action: 'dispatch', actor: null, details: { previousTeamId: onScene } }),
        change(4, holding[2]!, { action: 'start', from: 'accepted', to: 'in_progress' }),
      ]);
      return s.published.splice(0);
    });
    const statuses = new Map(effects.map(([, t]) => [(t as { id: string }).id, (t as { status: string }).status]));
    expect([...statuses.keys()]).toEqual([accepting, onScene, enRoute, holding[2]]);
    expect([statuses.get(accepting), statuses.get(holding[2]!)]).toEqual(['en_route', 'on_scene']);
    await same('machine entries only', async (s) => {
      await apply(s, [change(5, enRoute, { action: 'deadline-overdue', actor: null, auto: true })]);
      return s.published.splice(0);
    });
    await same('rolled back', async (s) => {
      const err = await s.store
        .inTransaction(async () => {
          s.store.afterCommit(await s.live.applyChanges([change(6, enRoute, { action: 'start' })]));
          throw new Error('rolled back');
        })
        .catch((e: unknown) => (e as Error).message);
      return [err, s.published.splice(0)];
    });
    await sameRows('effects');
    const records = await audited();
    expect((records as Array<{ action: string; result: string }>).map((r) => `${r.action}:${r.result}`)).toEqual([
      'access:denied:denied',
      'access:denied:denied',
      'access:denied:denied',
      'team:status:success',
      'team:status:success',
      'team:status:denied',
      'team:status:denied',
      'access:denied:denied',
    ]);
    expect(compared).toBeGreaterThan(90);
  });
});
