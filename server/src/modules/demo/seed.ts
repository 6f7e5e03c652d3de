import { performance } from 'node:perf_hooks';
import { ASSIGNMENT_OUTCOME_STATUSES, type AssignmentOutcome, type CaseAssignment, type EventRecord } from '../../../../shared/contracts/events.js';
import { inTransaction, type Db } from '../../db/connection.js';
import { Store } from '../../db/store.js';
import { EventsRepo, type ImportedCase, type ImportedChange, type NewAssignment } from '../events/events.repo.js';
import { seedChannelDemo } from '../channels/channel-demo.js';
import type { CaseState } from './case-story.js';
import { toGeoJson, type DemoCounty, type DemoRegion } from './county.js';
import { DEMO_CATALOG, DEMO_REFERRALS } from './demo-catalog.js';
import { mergeHistories, type DemoChange, type DemoEvent } from './events.js';
import { demoOptionsProblem, isSingleCounty, type DemoOptions } from './demo-options.js';
import { CountyBuilder, type DemoCountyPart } from './generate.js';
import { buildWorkerRecords } from './people.js';
import { buildPlatform, type DemoPlatform } from './platform.js';
import { seedDemoPatrols } from './patrols.js';
import { Random } from './random.js';

// the test harness names the options with the seeder it calls
export type { DemoOptions } from './demo-options.js';

export interface SeedSummary {
  /** City rows (0 for one county alone). */
  cities: number;
  counties: number;
  towns: number;
  villages: number;
  grids: number;
  microGrids: number;
  households: number;
  /** Grid workers serving now (the roster). */
  workers: number;
  /** Workers' records of those who left in the two years before asOf (on top of `workers`). */
  leavers: number;
  fullTimeWorkers: number;
  rosterEntries: number;
  teams: number;
  catalogItems: number;
  referrals: number;
  events: number;
  /** Changes in the log (one per step of each case's timeline). */
  changes: number;
  lastSeq: number;
  ms: number;
}

/** Bumped whenever the same options would generate different data. */
export const GENERATOR_VERSION = 'demo-county/2';

/** True once the database holds a county (seeded or not, it is no longer empty). */
export function isSeeded(db: Db): boolean {
  return db.prepare('SELECT 1 FROM regions LIMIT 1').get() !== undefined;
}

/**
 * Seeds an EMPTY database (migrated schema) in one transaction; throws if regions already exist.
 * The regions are generated before the write lock is taken (readers are not kept waiting on
 * geometry); the counties' people and histories are built inside it one county at a time and
 * written at once, so a province's millions of households never sit in memory together.
 */
export function seedDemo(db: Db, options: DemoOptions): SeedSummary {
  const started = performance.now();
  const problem = demoOptionsProblem(options);
  if (problem) throw new RangeError(`demo options: ${problem}`);
  if (isSeeded(db)) throw new Error('the database already holds a county; seed only an empty database');
  const platform = buildPlatform(options);
  const summary = inTransaction(db, () => {
    if (isSeeded(db)) throw new Error('the database already holds a county; seed only an empty database');
    return write(db, platform, options);
  });
  return { ...summary, ms: Math.round(performance.now() - started) };
}

function write(db: Db, platform: DemoPlatform, options: DemoOptions): Omit<SeedSummary, 'ms'> {
  const region = db.prepare(
    `INSERT INTO regions (id, level, kind, code, name, parent_id, geometry, label_lon, label_lat, min_lon, min_lat, max_lon, max_lat, area_km2)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const addRegion = (r: DemoRegion) =>
    region.run(r.id, r.level, r.kind, r.code, r.name, r.parent?.id ?? null, JSON.stringify(toGeoJson(r.ring)), r.label[0], r.label[1], ...r.bbox, r.areaKm2);
  platform.upper.forEach(addRegion);
  for (const c of platform.counties) for (const r of [c.county, ...c.towns, ...c.villages, ...c.grids, ...c.microGrids]) addRegion(r);

  const household = db.prepare('INSERT INTO households (address_code, micro_grid_id, address, head_name, members, lon, lat) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const worker = db.prepare(
    'INSERT INTO workers (id, name, gender, birth_year, education, phone, employment, grid_id, grade, status, started_on, left_on, team_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const served = db.prepare('INSERT INTO worker_micro_grids (worker_id, micro_grid_id) VALUES (?, ?)');
  const roster = db.prepare('INSERT INTO micro_grid_roster (micro_grid_id, role, person_id, name, phone) VALUES (?, ?, ?, ?, ?)');
  const team = db.prepare(
    'INSERT INTO teams (id, type, name, home_region_id, members, leader_name, leader_phone, status, lon, lat, position_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const builder = new CountyBuilder(options, platform);
  const histories: DemoEvent[][] = [];
  const built: Array<Pick<DemoCountyPart, 'county' | 'workers'>> = [];
  const tally = { households: 0, workers: 0, leavers: 0, fullTimeWorkers: 0, rosterEntries: 0, teams: 0 };
  platform.counties.forEach((_, i) => {
    const part = builder.build(i);
    for (const h of part.households.all) household.run(h.addressCode, h.microGrid.id, h.address, h.headName, h.members, h.lon, h.lat);
    for (const e of part.roster) roster.run(e.microGrid.id, e.role, e.personId, e.name, e.phone);
    for (const t of part.teams) team.run(t.id, t.type, t.name, t.home.id, t.members, t.leaderName, t.leaderPhone, t.status, t.lon, t.lat, t.positionAt.toISOString());
    // the workers' records (issue 16) from their own stream, after the teams they belong to
    const records = buildWorkerRecords(part.workers, part.teams, options.asOf, new Random(platform.plans[i]!.seed, 'worker-records'));
    for (const w of part.workers) {
      const r = records.get(w.id)!;
      worker.run(w.id, w.name, w.gender, w.birthYear, w.education, w.phone, w.employment, w.grid.id, r.grade, r.status, r.startedOn, r.leftOn, r.teamId);
      for (const m of r.microGridIds) served.run(w.id, m);
    }
    tally.households += part.households.all.length;
    tally.workers += part.workers.length;
    tally.fullTimeWorkers += part.workers.filter((w) => w.employment === 'full_time').length;
    tally.rosterEntries += part.roster.length;
    tally.teams += part.teams.length;
    histories.push(part.events);
    built.push({ county: part.county, workers: part.workers });
  });
  // and the workers who left in the last two years, on top of the roster serving now
  built.forEach((part, i) => {
    for (const { worker: w, record: r } of builder.leavers(i, part)) {
      worker.run(w.id, w.name, w.gender, w.birthYear, w.education, w.phone, w.employment, w.grid.id, r.grade, r.status, r.startedOn, r.leftOn, r.teamId);
      tally.leavers++;
    }
  });
  const events = histories.length === 1 ? histories[0]! : mergeHistories(histories);

  // The demo catalog is version 1, in force from before the history begins.
  const since = new Date(options.asOf.getTime() - (options.days + 1) * 86_400_000).toISOString();
  db.prepare(
    `INSERT INTO catalog_versions (version, status, note, created_at, created_by, created_by_name, decided_at, decided_by, decided_by_name, activated_at, referrals)
     VALUES (1, 'active', ?, ?, NULL, 'system', ?, NULL, 'system', ?, ?)`,
  ).run('演示县入格事项清单（第 1 版）/ Demo county admitted-item catalog, version 1', since, since, since, JSON.stringify(DEMO_REFERRALS));
  const item = db.prepare('INSERT INTO catalog_version_items (version, code, sort, item) VALUES (1, ?, ?, ?)');
  DEMO_CATALOG.forEach((c, i) => item.run(c.code, i + 1, JSON.stringify(c)));
  // the channel adapters' cameras (one per grid) and mapping tables, by this catalog's item names
  seedChannelDemo(db, since);

  // Cases in id order (a stable file layout), the change log in seq order, through the events
  // store's own rows and statements.
  const byId = [...events].sort((a, b) => (a.id < b.id ? -1 : 1));
  const changes = events.reduce((n, e) => n + e.changes.length, 0);
  // 市级交办 on a platform only: one county alone is seeded exactly as before
  const assigned = platform.upper.length === 0 ? new Map<string, SeededAssignment>() : seededAssignments(byId);
  const assignmentOf = (e: DemoEvent) => assigned.get(e.id) ?? null;
  new EventsRepo(Store.onSqlite(db)).importHistory(
    byId.map((e) => importedCase(e, assignmentOf(e))),
    importedChanges(events, assignmentOf),
    [...assigned.values()].map((a) => a.row),
  );

  // the grid workers' patrol tracks of the last days (issue 16 part 2), after their teams and micro-grids
  seedDemoPatrols(db, { seed: options.seed, asOf: options.asOf, patrolDays: options.patrolDays ?? 0 });

  const meta = db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
  meta.run('demo_seed', String(options.seed));
  meta.run('demo_options', JSON.stringify(storedOptions(options)));
  meta.run('generator_version', GENERATOR_VERSION);
  if (platform.upper.length === 0) meta.run('county_id', platform.root.id);
  else meta.run('root_region_id', platform.root.id);
  meta.run('last_seq', String(changes));

  const count = (level: (c: DemoCounty) => unknown[]) => platform.counties.reduce((n, c) => n + level(c).length, 0);
  return {
    cities: platform.upper.filter((r) => r.level === 'city').length,
    counties: platform.counties.length,
    towns: count((c) => c.towns),
    villages: count((c) => c.villages),
    grids: count((c) => c.grids),
    microGrids: count((c) => c.microGrids),
    ...tally,
    catalogItems: DEMO_CATALOG.length,
    referrals: DEMO_REFERRALS.length,
    events: events.length,
    changes,
    lastSeq: changes,
  };
}

/**
 * The options as the meta row keeps them. T县 alone (cities 0, counties 1) is stored without
 * those two keys, exactly as before platforms existed.
 */
function storedOptions(options: DemoOptions): Record<string, unknown> {
  const { cities, counties, ...rest } = options;
  const stored: Record<string, unknown> = { ...rest, asOf: options.asOf.toISOString() };
  return isSingleCounty(options) ? stored : { ...stored, cities, counties };
}

/** Cases of each city its demo history shows as assigned down (市级交办): a few of the cases its departments passed on. */
const ASSIGNMENTS_PER_CITY = 4;

/** A seeded assignment: its row, and the seq of the change that reported its outcome (null: still open). */
interface SeededAssignment {
  row: NewAssignment;
  reportedSeq: number | null;
}

/**
 * The demo platform's 市级交办 history: in each city, the first few admitted cases (by id) that
 * came from a department (部门推送/上级交办), as assigned down by the city's command center with the
 * case's own closing deadline; a case that finished carries the outcome its last step reported.
 */
function seededAssignments(byId: readonly DemoEvent[]): Map<string, SeededAssignment> {
  const out = new Map<string, SeededAssignment>();
  const perCity = new Map<string, number>();
  for (const e of byId) {
    if (e.source !== 'department' || e.item === null) continue;
    const town = e.microGrid.parent!.parent!.parent!;
    const county = town.parent!;
    const city = county.parent;
    if (!city || city.level !== 'city' || (perCity.get(city.id) ?? 0) >= ASSIGNMENTS_PER_CITY) continue;
    const first = e.changes[0]!;
    const last = e.changes.at(-1)!;
    if (first.state.dueAt === null) continue;
    perCity.set(city.id, (perCity.get(city.id) ?? 0) + 1);
    const finish = e.changes.find((c) => c.from !== c.to && (ASSIGNMENT_OUTCOME_STATUSES as readonly string[]).includes(c.to));
    const outcome = finish ? seededOutcome(finish.to, last.state.result, last.state.refusal, finish.details) : null;
    out.set(e.id, {
      row: {
        eventId: e.id,
        byRegionId: city.id,
        byRegionName: city.name,
        countyId: county.id,
        byUserId: null,
        byUserName: `${city.name}社会治理中心`,
        at: e.reportedAt.toISOString(),
        dueAt: new Date(first.state.dueAt).toISOString(),
        note: '请核实情况，按时办结并反馈结果。',
        ...(finish && outcome ? { reported: { at: new Date(finish.at).toISOString(), outcome } } : {}),
      },
      reportedSeq: finish ? finish.seq : null,
    });
  }
  return out;
}

function seededOutcome(to: string, result: string | null, refusal: { reason: string; receivingBody: string } | null, details: Record<string, unknown>): AssignmentOutcome | null {
  switch (to) {
    case 'closed':
      return { status: 'closed', text: result };
    case 'rejected':
      return { status: 'rejected', text: refusal?.reason ?? null, ...(refusal ? { receivingBody: refusal.receivingBody } : {}) };
    case 'void':
      return { status: 'void', text: typeof details.reason === 'string' ? details.reason : null };
    default:
      return null;
  }
}

/** The assignment as a case carried it after the change `seq`: the outcome from the change that reported it on. */
function assignmentAt(a: SeededAssignment | null, seq: number): CaseAssignment | null {
  if (a === null) return null;
  const reported = a.reportedSeq !== null && seq >= a.reportedSeq ? a.row.reported : undefined;
  return {
    byRegionId: a.row.byRegionId,
    byRegionName: a.row.byRegionName,
    at: a.row.at,
    dueAt: a.row.dueAt,
    note: a.row.note,
    reportedAt: reported?.at ?? null,
    outcome: reported?.outcome ?? null,
  };
}

/** A seeded case as the events store imports it: its intake row and its state after its last change. */
function importedCase(e: DemoEvent, assignment: SeededAssignment | null): ImportedCase {
  const r = toRecord(e, e.changes.at(-1)!, assignment);
  const st = e.changes.at(-1)!.state;
  return {
    row: {
      id: r.id,
      itemCode: r.itemCode,
      itemName: r.itemName,
      category: r.category,
      catalogVersion: r.catalogVersion,
      description: r.description,
      source: r.source,
      urgency: r.urgency,
      status: r.status,
      lon: r.location.lon,
      lat: r.location.lat,
      addressCode: r.addressCode,
      address: r.address,
      microGridId: r.microGridId,
      gridId: r.gridId,
      villageId: r.villageId,
      townId: r.townId,
      reporterName: r.reporter.name,
      reporterPhone: r.reporter.phone,
      reporterUserId: null,
      at: r.reportedAt,
      step: r.step,
      stepStartedAt: r.stepStartedAt,
      warnAt: r.warnAt,
      deadlineAt: r.deadlineAt,
      dueAt: r.dueAt,
      refusal: r.refusal,
      duplicateCandidates: r.duplicateCandidates,
    },
    state: {
      deadlineState: r.deadlineState,
      filedAt: isoOrNull(st.filedAt),
      dispatchedAt: isoOrNull(st.dispatchedAt),
      handledAt: isoOrNull(st.handledAt),
      verifiedAt: isoOrNull(st.verifiedAt),
      closedAt: r.closedAt,
      teamId: r.teamId,
      autoDispatched: r.autoDispatched,
      selfHandled: r.selfHandled,
      supervised: r.supervised,
      reworkCount: r.reworkCount,
      extensionCount: r.extensionCount,
      extensionRequest: r.extensionRequest,
      result: r.result,
    },
    seq: r.seq,
    updatedAt: r.updatedAt,
  };
}

/** Every step of every case as a change of the log, in seq order, made as they are written (the log is large). */
function* importedChanges(events: DemoEvent[], assignmentOf: (e: DemoEvent) => SeededAssignment | null): Generator<ImportedChange> {
  const log = events.flatMap((e) => e.changes.map((c) => ({ e, c }))).sort((a, b) => a.c.seq - b.c.seq);
  for (const { e, c } of log) {
    yield {
      seq: c.seq,
      eventId: e.id,
      kind: c.kind,
      at: new Date(c.at).toISOString(),
      snapshot: toRecord(e, c, assignmentOf(e)),
      entry: {
        action: c.action,
        from: c.from,
        to: c.to,
        // seeded staff are names with a role, not accounts
        actor: c.actor ? { userId: '', username: '', displayName: c.actor.name, role: c.actor.role } : null,
        teamId: c.teamId,
        auto: c.auto,
        note: c.note,
        position: c.position,
        attachments: [],
        details: c.details,
      },
    };
  }
}

const isoOrNull = (t: number | null) => (t === null ? null : new Date(t).toISOString());

/**
 * The API's shape of a seeded case (shared/contracts/events.ts) as it stood after one of its
 * changes (by default the last: the case now). The change log's snapshots are these, so a
 * client replaying the log sees each step; the last equals what the events repository reads.
 */
export function toRecord(e: DemoEvent, change: DemoChange = e.changes.at(-1)!, assigned: SeededAssignment | null = null): EventRecord {
  const assignment = assignmentAt(assigned, change.seq);
  const grid = e.microGrid.parent!;
  const village = grid.parent!;
  const st: CaseState = change.state;
  return {
    id: e.id,
    seq: change.seq,
    itemCode: e.itemCode,
    itemName: e.itemName,
    category: e.category,
    description: e.description,
    source: e.source,
    urgency: e.urgency,
    status: st.status,
    location: { lon: e.lon, lat: e.lat },
    addressCode: e.addressCode,
    address: e.address,
    microGridId: e.microGrid.id,
    gridId: grid.id,
    villageId: village.id,
    townId: village.parent!.id,
    reporter: { name: e.reporterName, phone: e.reporterPhone },
    reportedAt: e.reportedAt.toISOString(),
    updatedAt: new Date(st.updatedAt).toISOString(),
    deadlineAt: isoOrNull(st.deadlineAt),
    closedAt: isoOrNull(st.closedAt),
    catalogVersion: e.catalogVersion,
    step: st.step,
    stepStartedAt: isoOrNull(st.stepStartedAt),
    warnAt: isoOrNull(st.warnAt),
    deadlineState: st.deadlineState,
    // an assigned case's closing deadline is the city's, whatever its dispatch would have set
    dueAt: assignment ? assignment.dueAt : isoOrNull(st.dueAt),
    teamId: st.team?.id ?? null,
    teamName: st.team?.name ?? null,
    autoDispatched: st.autoDispatched,
    selfHandled: st.selfHandled,
    supervised: st.supervised,
    reworkCount: st.reworkCount,
    extensionCount: st.extensionCount,
    extensionRequest: st.extensionRequest ? { ...st.extensionRequest, requestedAt: new Date(st.extensionRequest.requestedAt).toISOString() } : null,
    result: st.result,
    refusal: st.refusal,
    duplicateCandidates: [],
    masterId: null,
    masterStatus: null,
    mergedIds: [],
    assignment,
  };
}
