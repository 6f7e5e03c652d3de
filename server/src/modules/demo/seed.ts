import { performance } from 'node:perf_hooks';
import type { EventRecord } from '../../../../shared/contracts/events.js';
import { inTransaction, type Db } from '../../db/connection.js';
import type { CaseState } from './case-story.js';
import { COUNTY_CODE, toGeoJson, type DemoRegion } from './county.js';
import type { DemoChange, DemoEvent } from './events.js';
import { generateDemo, type DemoData } from './generate.js';

/**
 * Options of the demo county T县. The same options (seed and asOf included) always produce
 * the identical database, row for row.
 */
export interface DemoOptions {
  seed: number;
  towns: number;
  villages: number;
  grids: number;
  microGrids: number;
  workers: number;
  fullTimeWorkers: number;
  /** Average; the county holds exactly microGrids × this many households. */
  householdsPerMicroGrid: number;
  days: number;
  eventsPerDay: number;
  /** End of the seeded history: events are reported in [asOf − days, asOf). */
  asOf: Date;
}

/** The paper's county: 781 grids, 3,739 micro-grids, 3,361 grid workers (836 full-time). */
export const DEFAULT_DEMO_OPTIONS: Omit<DemoOptions, 'asOf'> = {
  seed: 20231,
  towns: 15,
  villages: 250,
  grids: 781,
  microGrids: 3739,
  workers: 3361,
  fullTimeWorkers: 836,
  householdsPerMicroGrid: 35,
  days: 30,
  eventsPerDay: 200,
};

export interface SeedSummary {
  towns: number;
  villages: number;
  grids: number;
  microGrids: number;
  households: number;
  workers: number;
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

/** Largest values the code formats and a sane memory budget allow. */
export const DEMO_LIMITS = {
  // 街道, 镇 and 乡 each have a 2–3 digit code range (CODE_RANGES in county.ts)
  towns: 150,
  villages: 20_000,
  grids: 100_000,
  microGrids: 200_000,
  workers: 1_000_000,
  householdsPerMicroGrid: 1000,
  days: 366,
  // 4-digit running number per day in the event id, with room for a busy weekday
  eventsPerDay: 5000,
} as const;

/**
 * What is wrong with `options`, naming the option, or null. Seeding checks it too; callers
 * with a user at hand (the CLI) check first to answer with a usage error.
 */
export function demoOptionsProblem(o: DemoOptions): string | null {
  const counts: Array<[keyof Omit<DemoOptions, 'asOf'>, number]> = [
    ['seed', 0],
    ['towns', 1],
    ['villages', 1],
    ['grids', 1],
    ['microGrids', 1],
    ['workers', 1],
    ['fullTimeWorkers', 0],
    ['householdsPerMicroGrid', 0],
    ['days', 0],
    ['eventsPerDay', 0],
  ];
  for (const [key, min] of counts) {
    const v = o[key];
    if (!Number.isSafeInteger(v) || v < min) return `${key} must be a whole number ≥ ${min} (got ${v})`;
    const max = (DEMO_LIMITS as Partial<Record<string, number>>)[key];
    if (max !== undefined && v > max) return `${key} must be at most ${max} (got ${v})`;
  }
  if (!(o.asOf instanceof Date) || Number.isNaN(o.asOf.getTime())) return 'asOf must be a valid date';
  if (o.villages < o.towns) return 'villages must be at least towns (every town has a village)';
  // Averages well inside the 3-digit code ranges; a town or village far above average still
  // fails in generation with a RangeError naming the level.
  if (o.villages > 40 * o.towns) return 'villages must be at most 40 × towns (the village code range of a town)';
  if (o.grids > 200 * o.villages) return 'grids must be at most 200 × villages (the grid code range of a village)';
  if (o.microGrids > 200 * o.grids) return 'microGrids must be at most 200 × grids (the micro-grid code range of a grid)';
  if (o.grids < o.villages) return 'grids must be at least villages (every village has a grid)';
  if (o.microGrids < o.grids) return 'microGrids must be at least grids (every grid has a micro-grid)';
  if (o.workers < o.grids) return 'workers must be at least grids (every grid has a worker)';
  if (o.fullTimeWorkers > o.workers) return 'fullTimeWorkers cannot exceed workers';
  return null;
}

/** True once the database holds a county (seeded or not, it is no longer empty). */
export function isSeeded(db: Db): boolean {
  return db.prepare('SELECT 1 FROM regions LIMIT 1').get() !== undefined;
}

/** Seeds an EMPTY database (migrated schema) in one transaction; throws if regions already exist. */
export function seedDemo(db: Db, options: DemoOptions): SeedSummary {
  const started = performance.now();
  const problem = demoOptionsProblem(options);
  if (problem) throw new RangeError(`demo options: ${problem}`);
  if (isSeeded(db)) throw new Error('the database already holds a county; seed only an empty database');
  // Generate before taking the write lock: readers are not kept waiting on geometry.
  const data = generateDemo(options);
  inTransaction(db, () => {
    if (isSeeded(db)) throw new Error('the database already holds a county; seed only an empty database');
    write(db, data, options);
  });
  const { county } = data;
  return {
    towns: county.towns.length,
    villages: county.villages.length,
    grids: county.grids.length,
    microGrids: county.microGrids.length,
    households: data.households.all.length,
    workers: data.workers.length,
    fullTimeWorkers: data.workers.filter((w) => w.employment === 'full_time').length,
    rosterEntries: data.roster.length,
    teams: data.teams.length,
    catalogItems: data.catalog.length,
    referrals: data.referrals.length,
    events: data.events.length,
    changes: changeCount(data),
    lastSeq: changeCount(data),
    ms: Math.round(performance.now() - started),
  };
}

function write(db: Db, data: DemoData, options: DemoOptions): void {
  const { county } = data;
  const region = db.prepare(
    `INSERT INTO regions (id, level, kind, code, name, parent_id, geometry, label_lon, label_lat, min_lon, min_lat, max_lon, max_lat, area_km2)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const addRegion = (r: DemoRegion) =>
    region.run(r.id, r.level, r.kind, r.code, r.name, r.parent?.id ?? null, JSON.stringify(toGeoJson(r.ring)), r.label[0], r.label[1], ...r.bbox, r.areaKm2);
  for (const r of [county.county, ...county.towns, ...county.villages, ...county.grids, ...county.microGrids]) addRegion(r);

  const household = db.prepare('INSERT INTO households (address_code, micro_grid_id, address, head_name, members, lon, lat) VALUES (?, ?, ?, ?, ?, ?, ?)');
  for (const h of data.households.all) household.run(h.addressCode, h.microGrid.id, h.address, h.headName, h.members, h.lon, h.lat);

  const worker = db.prepare('INSERT INTO workers (id, name, gender, birth_year, education, phone, employment, grid_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  for (const w of data.workers) worker.run(w.id, w.name, w.gender, w.birthYear, w.education, w.phone, w.employment, w.grid.id);

  const roster = db.prepare('INSERT INTO micro_grid_roster (micro_grid_id, role, person_id, name, phone) VALUES (?, ?, ?, ?, ?)');
  for (const e of data.roster) roster.run(e.microGrid.id, e.role, e.personId, e.name, e.phone);

  const team = db.prepare(
    'INSERT INTO teams (id, type, name, home_region_id, members, leader_name, leader_phone, status, lon, lat, position_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  for (const t of data.teams) team.run(t.id, t.type, t.name, t.home.id, t.members, t.leaderName, t.leaderPhone, t.status, t.lon, t.lat, t.positionAt.toISOString());

  // The demo catalog is version 1, in force from before the history begins.
  const since = new Date(options.asOf.getTime() - (options.days + 1) * 86_400_000).toISOString();
  db.prepare(
    `INSERT INTO catalog_versions (version, status, note, created_at, created_by, created_by_name, decided_at, decided_by, decided_by_name, activated_at, referrals)
     VALUES (1, 'active', ?, ?, NULL, 'system', ?, NULL, 'system', ?, ?)`,
  ).run('演示县入格事项清单（第 1 版）/ Demo county admitted-item catalog, version 1', since, since, since, JSON.stringify(data.referrals));
  const item = db.prepare('INSERT INTO catalog_version_items (version, code, sort, item) VALUES (1, ?, ?, ?)');
  data.catalog.forEach((c, i) => item.run(c.code, i + 1, JSON.stringify(c)));

  const event = db.prepare(
    `INSERT INTO events (id, seq, item_code, item_name, category, catalog_version, description, source, urgency, status, lon, lat, address_code, address,
       micro_grid_id, grid_id, village_id, town_id, reporter_name, reporter_phone, reporter_user_id, reported_at, updated_at,
       step, step_started_at, warn_at, deadline_at, deadline_state, due_at, filed_at, dispatched_at, handled_at, verified_at, closed_at,
       team_id, auto_dispatched, self_handled, supervised, handler_user_id, verifier_user_id, rework_count, extension_count,
       extension_request, extension_requester, result, refusal, duplicate_candidates, master_id, master_status)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?, NULL, ?, ?, '[]', NULL, NULL)`,
  );
  const change = db.prepare('INSERT INTO event_changes (seq, event_id, kind, at, snapshot) VALUES (?, ?, ?, ?, ?)');
  const action = db.prepare(
    `INSERT INTO event_actions (seq, event_id, action, from_status, to_status, at, user_id, username, display_name, role, team_id, auto, note, position, attachments, details)
     VALUES (?, ?, ?, ?, ?, ?, NULL, NULL, ?, ?, ?, ?, ?, ?, '[]', ?)`,
  );
  // Rows go in id order (a stable file layout); the change log goes by seq.
  const byId = [...data.events].sort((a, b) => (a.id < b.id ? -1 : 1));
  for (const e of byId) {
    const r = toRecord(e);
    const st = e.changes.at(-1)!.state;
    event.run(r.id, r.seq, r.itemCode, r.itemName, r.category, r.catalogVersion, r.description, r.source, r.urgency, r.status, r.location.lon, r.location.lat,
      r.addressCode, r.address, r.microGridId, r.gridId, r.villageId, r.townId, r.reporter.name, r.reporter.phone, r.reportedAt, r.updatedAt,
      r.step, r.stepStartedAt, r.warnAt, r.deadlineAt, r.deadlineState, r.dueAt, isoOrNull(st.filedAt), isoOrNull(st.dispatchedAt), isoOrNull(st.handledAt),
      isoOrNull(st.verifiedAt), r.closedAt, r.teamId, r.autoDispatched ? 1 : 0, r.selfHandled ? 1 : 0, r.supervised ? 1 : 0, r.reworkCount, r.extensionCount,
      r.extensionRequest ? JSON.stringify(r.extensionRequest) : null, r.result, r.refusal ? JSON.stringify(r.refusal) : null);
  }
  const log = data.events.flatMap((e) => e.changes.map((c) => ({ e, c }))).sort((a, b) => a.c.seq - b.c.seq);
  for (const { e, c } of log) {
    const at = new Date(c.at).toISOString();
    change.run(c.seq, e.id, c.kind, at, JSON.stringify(toRecord(e, c)));
    action.run(c.seq, e.id, c.action, c.from, c.to, at, c.actor?.name ?? null, c.actor?.role ?? null, c.teamId, c.auto ? 1 : 0, c.note,
      c.position ? JSON.stringify(c.position) : null, JSON.stringify(c.details));
  }

  // Intake numbers a seeded day's next case after the seeded ones (events.repo.ts nextId).
  const lastOfDay = new Map<string, number>();
  for (const e of data.events) lastOfDay.set(e.id.slice(2, 10), Math.max(lastOfDay.get(e.id.slice(2, 10)) ?? 0, Number(e.id.slice(10))));
  const counter = db.prepare('INSERT INTO event_id_counters (day, last) VALUES (?, ?)');
  for (const [day, last] of lastOfDay) counter.run(day, last);

  const meta = db.prepare('INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)');
  meta.run('demo_seed', String(options.seed));
  meta.run('demo_options', JSON.stringify({ ...options, asOf: options.asOf.toISOString() }));
  meta.run('generator_version', GENERATOR_VERSION);
  meta.run('county_id', COUNTY_CODE);
  meta.run('last_seq', String(changeCount(data)));
}

function changeCount(data: DemoData): number {
  return data.events.reduce((n, e) => n + e.changes.length, 0);
}

const isoOrNull = (t: number | null) => (t === null ? null : new Date(t).toISOString());

/**
 * The API's shape of a seeded case (shared/contracts/events.ts) as it stood after one of its
 * changes (by default the last: the case now). The change log's snapshots are these, so a
 * client replaying the log sees each step; the last equals what the events repository reads.
 */
export function toRecord(e: DemoEvent, change: DemoChange = e.changes.at(-1)!): EventRecord {
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
    dueAt: isoOrNull(st.dueAt),
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
  };
}
