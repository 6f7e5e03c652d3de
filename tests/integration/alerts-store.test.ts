import { describe, expect, it } from 'vitest';
import type { AlertListQuery } from '../../shared/contracts/alerts.js';
import type { Scope } from '../../shared/contracts/auth.js';
import { Bus } from '../../server/src/core/bus.js';
import type { Clock } from '../../server/src/core/clock.js';
import { openDatabase } from '../../server/src/db/connection.js';
import { Store } from '../../server/src/db/store.js';
import { NEAR_DEADLINE_URGENCIES, OVERDUE_URGENCIES } from '../../server/src/modules/alerts/alert-rules.js';
import { AlertsRepo, alertId, type NewAlert } from '../../server/src/modules/alerts/alerts.repo.js';
import { AlertsService } from '../../server/src/modules/alerts/alerts.service.js';
import type { AuditEntry } from '../../server/src/modules/audit/audit.contract.js';
import type { AuditRepo } from '../../server/src/modules/audit/audit.repo.js';
import type { Principal } from '../../server/src/modules/auth/auth.service.js';
import type { UserRecord } from '../../server/src/modules/auth/users.repo.js';
import { seedDemo } from '../../server/src/modules/demo/seed.js';
import { TeamsRepo } from '../../server/src/modules/teams/teams.repo.js';
import { cleanupAfterAll, SMALL_COUNTY } from './harness.js';
import { postgresCopy, usePostgres } from './postgres.js';
import { TestClock } from './workflow-driver.js';

/**
 * The alerts repository and service answer and write the same on both dialects: a seeded county
 * (its open cases past or near their deadlines, teams holding cases and heard from at set times)
 * is copied from SQLite to PostgreSQL; then every AlertsRepo method (the candidate queries, the
 * open alerts with their cases and teams, insert with its cause key, ack, clear, get, list with
 * every filter and scope, teamCounty) and the service's sweep, acknowledgements (one and a batch)
 * run on both with the same clock and arguments. Answers, the alerts table row for row and the
 * audit entries written must agree: SQLite's two-argument MAX against GREATEST, the quoted
 * mixed-case aliases, INSERT … RETURNING for the identity column and the orders are what differ.
 */

const pg = usePostgres();
const { tempDir, later } = cleanupAfterAll();

/** The seed's history ends at 2026-11-20 00:00 China time. */
const T0 = Date.parse('2026-11-20T00:00:00+08:00');
const MINUTE = 60_000;
const RULE = { overdueUrgencies: OVERDUE_URGENCIES, nearUrgencies: NEAR_DEADLINE_URGENCIES };

interface Side {
  name: string;
  store: Store;
  repo: AlertsRepo;
  service: AlertsService;
  audit: AuditEntry[];
  published: Array<[string, string]>;
}

function side(name: string, store: Store, clock: Clock): Side {
  const audit: AuditEntry[] = [];
  // the audit repository stays on SQLite for now (it moves with the write path): both sides record the entries instead
  const sink = { append: (e: AuditEntry) => void audit.push(e), record: (e: AuditEntry) => void audit.push(e) } as unknown as AuditRepo;
  const bus = new Bus();
  const published: Array<[string, string]> = [];
  for (const topic of ['alert:raised', 'alert:cleared', 'alert:acked'] as const) bus.subscribe(topic, (a) => void published.push([topic, a.id]));
  const repo = new AlertsRepo(store);
  const service = new AlertsService({ store, repo, teams: new TeamsRepo(store), clock, audit: sink, bus, silentMinutes: 30, intervalMs: 60_000, onError: (err) => { throw err; } });
  return { name, store, repo, service, audit, published };
}

const rows = (store: Store) => store.all('SELECT * FROM alerts ORDER BY id');

describe('AlertsRepo and AlertsService on SQLite and PostgreSQL', () => {
  it('answer, write and leave the same rows', async () => {
    const db = openDatabase(`${tempDir()}/alerts.sqlite`);
    later(() => db.close());
    seedDemo(db, SMALL_COUNTY);
    // teams holding cases heard from at set times after the services start (T0), so some fall silent
    const holding = db
      .prepare("SELECT DISTINCT team_id AS id FROM events WHERE team_id IS NOT NULL AND status IN ('dispatched','accepted','in_progress') ORDER BY team_id")
      .all() as Array<{ id: string }>;
    expect(holding.length, 'teams holding cases in the seed').toBeGreaterThan(3);
    holding.forEach((t, i) => {
      db.prepare('UPDATE teams SET position_at = ?, active_at = ? WHERE id = ?').run(
        i % 3 === 0 ? new Date(T0 + (i + 1) * MINUTE).toISOString() : null,
        i % 3 === 1 ? new Date(T0 + (i + 2) * MINUTE).toISOString() : new Date(T0 - 600 * MINUTE).toISOString(),
        t.id,
      );
    });
    // cases past or near their deadlines, as the deadline monitor marks them (their alerts not raised yet)
    const timed = db
      .prepare("SELECT id FROM events WHERE status IN ('reported','filed','dispatched','accepted','in_progress','handled','verified') AND step IS NOT NULL AND deadline_at IS NOT NULL ORDER BY id")
      .all() as Array<{ id: string }>;
    expect(timed.length, 'open cases with a deadline in the seed').toBeGreaterThan(6);
    timed.forEach((e, i) => {
      if (i % 3 === 2) return;
      db.prepare('UPDATE events SET deadline_state = ?, supervised = ? WHERE id = ?').run(i % 3 === 0 ? 'overdue' : 'warning', i % 5 === 0 ? 1 : 0, e.id);
    });
    const user = db.prepare("SELECT id, username, display_name FROM users WHERE id <> 'builtin-public-reports' ORDER BY id LIMIT 1").get() as { id: string; username: string; display_name: string } | undefined;
    const ackerId = user?.id ?? 'builtin-public-reports';
    const post = await postgresCopy(pg.cluster, db, later);

    const clock = new TestClock(T0);
    const sides = [side('sqlite', Store.onSqlite(db), clock), side('postgres', post, clock)];
    let compared = 0;
    const same = async <T>(what: string, fn: (s: Side) => Promise<T>): Promise<T> => {
      const [a, b] = [await fn(sides[0]!), await fn(sides[1]!)];
      expect(b, what).toEqual(a);
      compared += 1;
      return a;
    };
    const sameRows = () => same('alerts rows', (s) => rows(s.store));

    const openIds = (db.prepare("SELECT id FROM events WHERE status NOT IN ('closed','voided','merged') ORDER BY id").all() as Array<{ id: string }>).map((r) => r.id);
    const towns = (db.prepare("SELECT id FROM regions WHERE level = 'town' ORDER BY code").all() as Array<{ id: string }>).map((r) => r.id);
    const county = (db.prepare("SELECT id FROM regions WHERE level = 'county'").get() as { id: string }).id;

    // the candidate queries before any alert
    const candidates = await same('deadline candidates', (s) => s.repo.deadlineCandidates(null, RULE));
    expect(candidates.length, 'the seed has cases past or near their deadlines').toBeGreaterThan(0);
    await same('deadline candidates of some cases', (s) => s.repo.deadlineCandidates(openIds.slice(0, 25), RULE));
    await same('deadline candidates of none', (s) => s.repo.deadlineCandidates([], RULE));
    await same('deadline candidates, no near urgencies', (s) => s.repo.deadlineCandidates(null, { overdueUrgencies: ['P0'], nearUrgencies: [] }));
    const silent = await same('silent teams', (s) => s.repo.silentTeams(new Date(T0).toISOString(), new Date(T0 + 60 * MINUTE).toISOString()));
    expect(silent.length, 'teams silent since the start').toBeGreaterThan(0);
    await same('silent teams, none yet', (s) => s.repo.silentTeams(new Date(T0).toISOString(), new Date(T0).toISOString()));

    // the sweep raises deadline alerts and silences (silent 30 minutes after their last contact)
    clock.at = T0 + 90 * MINUTE;
    const swept = await same('first sweep', (s) => s.service.sweep());
    expect(swept.raised).toBeGreaterThan(candidates.length);
    await sameRows();
    await same('published by the first sweep', async (s) => s.published.splice(0));
    await same('second sweep raises nothing', (s) => s.service.sweep());

    const openCase = await same('open case alerts', (s) => s.repo.openCaseAlerts(null));
    expect(openCase.length).toBeGreaterThan(0);
    await same('open case alerts of some cases', (s) => s.repo.openCaseAlerts(openCase.slice(0, 3).map((o) => o.alert.eventId!)));
    await same('open case alerts of none', (s) => s.repo.openCaseAlerts([]));
    const silences = await same('open silence alerts', (s) => s.repo.openSilenceAlerts(null));
    expect(silences.length).toBeGreaterThan(0);
    await same('open silence alerts of one team', (s) => s.repo.openSilenceAlerts([silences[0]!.alert.teamId!]));

    // insert: a new cause, the same cause again, one of no town (its team's county), one for a region
    const at = new Date(clock.at).toISOString();
    const event = openCase[0]!.standing;
    const urgent: NewAlert = {
      kind: 'urgent_event',
      severity: 'critical',
      eventId: event.id,
      teamId: null,
      townId: event.townId,
      raisedAt: at,
      params: { urgency: event.urgency, itemName: event.itemName, itemCode: event.itemCode, address: event.address },
      causeKey: `urgent_event:${event.id}`,
    };
    const inserted = await same('insert', (s) => s.repo.insert(urgent));
    expect(inserted?.kind).toBe('urgent_event');
    await same('insert of a cause raised before', (s) => s.repo.insert({ ...urgent, raisedAt: new Date(clock.at + MINUTE).toISOString() }));
    const noTown = await same('insert of no town', (s) =>
      s.repo.insert({ ...urgent, kind: 'task_returned', severity: 'warning', townId: null, teamId: holding[0]!.id, params: { urgency: 'P2', itemName: 'x', itemCode: 'y', reason: '', teamName: null }, causeKey: 'task_returned:test:1' }),
    );
    await same('team county', (s) => s.repo.teamCounty(noTown!.id));
    await same('team county of an unknown id', (s) => s.repo.teamCounty('AL99999999'));
    await same('team county of a bad id', (s) => s.repo.teamCounty('nope'));
    await same('insert for a region', (s) =>
      s.repo.insert({ ...urgent, kind: 'assignment_reported', severity: 'notice', townId: null, regionId: county, params: { urgency: 'P2', itemName: 'x', itemCode: 'y', outcome: { status: 'closed', text: '已处理' }, dueAt: at, onTime: true }, causeKey: 'assignment_reported:test' }),
    );
    await sameRows();

    // ack and clear on the repository: once, then refused
    await same('ack', (s) => s.repo.ack(inserted!.id, ackerId, at, '已知晓'));
    await same('ack again', (s) => s.repo.ack(inserted!.id, ackerId, at, null));
    await same('clear an acknowledged one', (s) => s.repo.clear(inserted!.id, at, 'case_closed'));
    await same('clear', (s) => s.repo.clear(noTown!.id, at, 'rule_changed'));
    await same('clear again', (s) => s.repo.clear(noTown!.id, at, 'rule_changed'));
    await same('ack a cleared one', (s) => s.repo.ack(noTown!.id, ackerId, at, null));
    await same('ack of a bad id', (s) => s.repo.ack('AL1', ackerId, at, null));
    await same('get', (s) => s.repo.get(inserted!.id));
    await same('get cleared', (s) => s.repo.get(noTown!.id));
    await same('get unknown', (s) => s.repo.get(alertId(999_999)));

    // the service's acknowledgements: one with a note, a batch with one skipped, and a 409
    const principal = {
      user: { id: ackerId, username: user?.username ?? 'public', displayName: user?.display_name ?? '', roles: ['county_admin'], scope: { kind: 'county' } as Scope } as unknown as UserRecord,
      session: null,
      mustChangePassword: false,
      apiKey: false,
      apiKeyId: null,
      apiKeyChannel: null,
    } as Principal;
    const actor = { principal, ctx: { sourceIp: '10.0.0.7', client: 'alerts-store.test' } };
    clock.at += MINUTE;
    const open = (await sides[0]!.repo.list({ state: 'open', page: 1, pageSize: 100 } as AlertListQuery, null)).items;
    expect(open.length).toBeGreaterThan(4);
    await same('service ack', (s) => s.service.ack(open[0]!.id, { note: '处理中' }, actor));
    await same('service ack refused', async (s) => {
      const err = await s.service.ack(open[0]!.id, {}, actor).catch((e: unknown) => e as { status: number; code: string });
      return [(err as { status: number }).status, (err as { code: string }).code];
    });
    await same('service batch ack', async (s) => {
      const r = await s.service.ackBatch({ ids: [open[1]!.id, open[0]!.id, open[2]!.id], reason: '批量确认' }, actor);
      return { acked: r.acked, skipped: r.skipped };
    });
    // the batch id is random: compare the audit entries without it
    await same('audit entries', async (s) =>
      s.audit.map((e) => ({ ...e, details: { ...e.details, batch: (e.details as { batch?: { size: number } } | undefined)?.batch?.size ?? null } })),
    );
    await same('published by the acknowledgements', async (s) => s.published.splice(0));

    // causes that end: a case closed, a silent team heard from (the store's own statements, on both)
    const closing = openCase.find((o) => o.alert.id !== inserted!.id && !open.slice(0, 3).some((a) => a.id === o.alert.id))!;
    const heard = silences[0]!.alert.teamId!;
    clock.at += 5 * MINUTE;
    for (const s of sides) {
      await s.store.run("UPDATE events SET status = 'closed' WHERE id = ?", closing.standing.id);
      await s.store.run('UPDATE teams SET active_at = ? WHERE id = ?', new Date(clock.at).toISOString(), heard);
    }
    const clearing = await same('sweep clearing', (s) => s.service.sweep());
    expect(clearing.cleared, 'the closed case and the team heard from clear their alerts').toBeGreaterThanOrEqual(2);
    await same('published by the clearing sweep', async (s) => s.published.splice(0));
    await sameRows();

    // list: every state, filters, scopes and pages
    const scopes: Array<[string, { towns: string[]; counties: string[]; areas: string[] } | null]> = [
      ['platform', null],
      ['no town', { towns: [], counties: [], areas: [] }],
      ['one town', { towns: [towns[0]!], counties: [], areas: [] }],
      ['the county', { towns, counties: [county], areas: [] }],
      ['an area', { towns: [], counties: [], areas: [county] }],
    ];
    const queries: AlertListQuery[] = [
      { state: 'open', page: 1, pageSize: 20 },
      { state: 'acked', page: 1, pageSize: 20 },
      { state: 'cleared', page: 1, pageSize: 20 },
      { state: 'all', page: 1, pageSize: 5 },
      { state: 'all', page: 3, pageSize: 5 },
      { state: 'all', page: 1, pageSize: 100, kind: ['overdue', 'team_silent'] },
      { state: 'open', page: 1, pageSize: 100, severity: ['critical'] },
      { state: 'all', page: 1, pageSize: 100, town: [towns[1]!] },
      { state: 'all', page: 1, pageSize: 100, kind: [] },
    ] as AlertListQuery[];
    let listed = 0;
    for (const [name, scope] of scopes) {
      for (const q of queries) {
        const r = await same(`list ${name} ${JSON.stringify(q)}`, (s) => s.repo.list(q, scope));
        listed += r.items.length;
      }
    }
    expect(listed).toBeGreaterThan(0);
    await sameRows();
    expect(compared).toBeGreaterThan(70);
  });
});
