import type { Statement } from 'better-sqlite3';
import type { Dialect, Store } from '../../db/store.js';
import type { Role } from '../../../../shared/contracts/auth.js';
import {
  formatEventId,
  type AssignmentOutcome,
  type CaseAssignment,
  OPEN_STATUSES,
  type DeadlineState,
  type EventListQuery,
  type EventRecord,
  type EventSource,
  type EventStatus,
  type Step,
  type Urgency,
} from '../../../../shared/contracts/events.js';
import { periodEnd, periodStart } from '../../../../shared/contracts/period.js';
import type { Attachment, Position, TimelineEntry } from '../../../../shared/contracts/workflow.js';
import type { DuplicateProbe } from '../../../../shared/domain/duplicates.js';

interface EventRow {
  id: string;
  seq: number;
  item_code: string;
  item_name: string;
  category: string;
  catalog_version: number;
  description: string;
  source: string;
  urgency: string;
  status: string;
  lon: number;
  lat: number;
  address_code: string | null;
  address: string;
  micro_grid_id: string;
  grid_id: string;
  village_id: string;
  town_id: string;
  reporter_name: string;
  reporter_phone: string;
  reporter_user_id: string | null;
  reported_at: string;
  updated_at: string;
  step: string | null;
  step_started_at: string | null;
  warn_at: string | null;
  deadline_at: string | null;
  deadline_state: string;
  due_at: string | null;
  filed_at: string | null;
  dispatched_at: string | null;
  handled_at: string | null;
  verified_at: string | null;
  closed_at: string | null;
  team_id: string | null;
  team_name: string | null;
  auto_dispatched: number;
  self_handled: number;
  supervised: number;
  handler_user_id: string | null;
  verifier_user_id: string | null;
  rework_count: number;
  extension_count: number;
  extension_request: string | null;
  extension_requester: string | null;
  result: string | null;
  refusal: string | null;
  duplicate_candidates: string;
  master_id: string | null;
  master_status: string | null;
  merged_ids: string;
  /** The city's assignment as JSON (CaseAssignment), or null: one column, read only for the few cases that have one. */
  assignment: string | null;
  /** A case forwarded from a county's server (migration 24): `{ county, eventId }` as JSON, or null. */
  forwarded_from: string | null;
}

/**
 * Case ids in the order they were given: by day, then by number. String order alone puts
 * EV2026120310000 before EV202612039999.
 */
const idOrder = (column: string, dir: 'ASC' | 'DESC' = 'ASC') => `substr(${column}, 1, 10) ${dir}, length(${column}) ${dir}, ${column} ${dir}`;

// Teams give the name; merged cases point at their master, so a master's mergedIds is a lookup;
// a city's assignment (migration 22) is one primary-key lookup, absent for almost every case, and
// comes as one JSON column (bench/event-select.ts measured seven mostly-NULL columns costing every row).
// PostgreSQL builds the same JSON (its own spacing: the columns are parsed, never compared as text).
const SELECT: Record<Dialect, string> = {
  sqlite: `SELECT e.*, t.name AS team_name,
  COALESCE((SELECT json_group_array(m.id) FROM (SELECT id FROM events WHERE master_id = e.id ORDER BY ${idOrder('id')}) m), '[]') AS merged_ids,
  (SELECT json_object('byRegionId', a.by_region_id, 'byRegionName', a.by_region_name, 'at', a.assigned_at, 'dueAt', a.due_at,
     'note', a.note, 'reportedAt', a.reported_at, 'outcome', json(a.outcome)) FROM event_assignments a WHERE a.event_id = e.id) AS assignment,
  (SELECT json_object('county', f.source_id, 'eventId', f.source_event_id) FROM forwarded_events f WHERE f.event_id = e.id) AS forwarded_from
  FROM events e LEFT JOIN teams t ON t.id = e.team_id`,
  postgres: `SELECT e.*, t.name AS team_name,
  COALESCE((SELECT json_agg(m.id ORDER BY ${idOrder('m.id')}) FROM events m WHERE m.master_id = e.id), '[]') AS merged_ids,
  (SELECT json_build_object('byRegionId', a.by_region_id, 'byRegionName', a.by_region_name, 'at', a.assigned_at, 'dueAt', a.due_at,
     'note', a.note, 'reportedAt', a.reported_at, 'outcome', a.outcome) FROM event_assignments a WHERE a.event_id = e.id) AS assignment,
  (SELECT json_build_object('county', f.source_id, 'eventId', f.source_event_id) FROM forwarded_events f WHERE f.event_id = e.id) AS forwarded_from
  FROM events e LEFT JOIN teams t ON t.id = e.team_id`,
};

const toRecord = (r: EventRow): EventRecord => ({
  id: r.id,
  seq: r.seq,
  itemCode: r.item_code,
  itemName: r.item_name,
  category: r.category,
  description: r.description,
  source: r.source as EventSource,
  urgency: r.urgency as Urgency,
  status: r.status as EventStatus,
  location: { lon: r.lon, lat: r.lat },
  addressCode: r.address_code,
  address: r.address,
  microGridId: r.micro_grid_id,
  gridId: r.grid_id,
  villageId: r.village_id,
  townId: r.town_id,
  reporter: { name: r.reporter_name, phone: r.reporter_phone },
  reportedAt: r.reported_at,
  updatedAt: r.updated_at,
  deadlineAt: r.deadline_at,
  closedAt: r.closed_at,
  catalogVersion: r.catalog_version,
  step: r.step as Step | null,
  stepStartedAt: r.step_started_at,
  warnAt: r.warn_at,
  deadlineState: r.deadline_state as DeadlineState,
  dueAt: r.due_at,
  teamId: r.team_id,
  teamName: r.team_name,
  autoDispatched: r.auto_dispatched === 1,
  selfHandled: r.self_handled === 1,
  supervised: r.supervised === 1,
  reworkCount: r.rework_count,
  extensionCount: r.extension_count,
  extensionRequest: r.extension_request ? (JSON.parse(r.extension_request) as EventRecord['extensionRequest']) : null,
  result: r.result,
  refusal: r.refusal ? (JSON.parse(r.refusal) as EventRecord['refusal']) : null,
  duplicateCandidates: JSON.parse(r.duplicate_candidates) as string[],
  masterId: r.master_id,
  masterStatus: r.master_status as EventStatus | null,
  mergedIds: JSON.parse(r.merged_ids) as string[],
  assignment: r.assignment === null ? null : (JSON.parse(r.assignment) as CaseAssignment),
  ...(r.forwarded_from === null ? {} : { forwardedFrom: JSON.parse(r.forwarded_from) as { county: string; eventId: string } }),
});

/** Who did what to a case besides its state: the facts the separation-of-duties rule needs. */
export interface CasePeople {
  reporterUserId: string | null;
  handlerUserId: string | null;
  verifierUserId: string | null;
  extensionRequester: string | null;
  filedAt: string | null;
  dispatchedAt: string | null;
}

export interface NewEventRow {
  id: string;
  itemCode: string;
  itemName: string;
  category: string;
  catalogVersion: number;
  description: string;
  source: EventSource;
  urgency: Urgency;
  status: EventStatus;
  lon: number;
  lat: number;
  addressCode: string | null;
  address: string;
  microGridId: string;
  gridId: string;
  villageId: string;
  townId: string;
  reporterName: string;
  reporterPhone: string;
  reporterUserId: string | null;
  at: string;
  step: Step | null;
  stepStartedAt: string | null;
  warnAt: string | null;
  deadlineAt: string | null;
  dueAt: string | null;
  refusal: { reason: string; receivingBody: string } | null;
  duplicateCandidates: string[];
}

/** Workflow fields an action may change. `undefined` leaves a field alone; `null` clears it. */
export interface EventPatch {
  status?: EventStatus;
  step?: Step | null;
  stepStartedAt?: string | null;
  warnAt?: string | null;
  deadlineAt?: string | null;
  deadlineState?: DeadlineState;
  dueAt?: string | null;
  filedAt?: string | null;
  dispatchedAt?: string | null;
  handledAt?: string | null;
  verifiedAt?: string | null;
  closedAt?: string | null;
  teamId?: string | null;
  autoDispatched?: boolean;
  selfHandled?: boolean;
  supervised?: boolean;
  handlerUserId?: string | null;
  verifierUserId?: string | null;
  reworkCount?: number;
  extensionCount?: number;
  extensionRequest?: EventRecord['extensionRequest'];
  extensionRequester?: string | null;
  result?: string | null;
  refusal?: EventRecord['refusal'];
  masterId?: string | null;
  masterStatus?: EventStatus | null;
}

const PATCH_COLUMNS: Record<keyof EventPatch, string> = {
  status: 'status',
  step: 'step',
  stepStartedAt: 'step_started_at',
  warnAt: 'warn_at',
  deadlineAt: 'deadline_at',
  deadlineState: 'deadline_state',
  dueAt: 'due_at',
  filedAt: 'filed_at',
  dispatchedAt: 'dispatched_at',
  handledAt: 'handled_at',
  verifiedAt: 'verified_at',
  closedAt: 'closed_at',
  teamId: 'team_id',
  autoDispatched: 'auto_dispatched',
  selfHandled: 'self_handled',
  supervised: 'supervised',
  handlerUserId: 'handler_user_id',
  verifierUserId: 'verifier_user_id',
  reworkCount: 'rework_count',
  extensionCount: 'extension_count',
  extensionRequest: 'extension_request',
  extensionRequester: 'extension_requester',
  result: 'result',
  refusal: 'refusal',
  masterId: 'master_id',
  masterStatus: 'master_status',
};

const toColumnValue = (v: unknown): unknown => {
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v !== null && typeof v === 'object') return JSON.stringify(v);
  return v;
};

/** A timeline entry as written with a change; seq, event id and time come from the change. */
export type NewTimelineEntry = Omit<TimelineEntry, 'seq' | 'eventId' | 'at'>;

export interface ChangeRow {
  seq: number;
  eventId: string;
  kind: string;
  at: string;
  event: EventRecord;
}

/** A case of an imported history: its intake row, its state now, the seq and time of its last change. */
export interface ImportedCase {
  row: NewEventRow;
  state: EventPatch;
  seq: number;
  updatedAt: string;
}

/** 市级交办: the city's assignment of a case, written with the case (intake, or an imported history). */
export interface NewAssignment {
  eventId: string;
  byRegionId: string;
  byRegionName: string;
  countyId: string;
  /** Null for a seeded history's staff, who are names without accounts. */
  byUserId: string | null;
  byUserName: string;
  at: string;
  dueAt: string;
  note: string | null;
  /** An imported history's finished case carries its outcome already. */
  reported?: { at: string; outcome: AssignmentOutcome };
}

/** One row of a city's assignments: the assignment, who made it, and the case as it stands. */
export interface AssignmentRow {
  eventId: string;
  byRegionId: string;
  byRegionName: string;
  countyId: string;
  countyName: string;
  byUserId: string | null;
  byUserName: string;
  at: string;
  dueAt: string;
  note: string | null;
  reportedAt: string | null;
  outcome: AssignmentOutcome | null;
  itemCode: string;
  itemName: string;
  urgency: Urgency;
  address: string;
  status: EventStatus;
}

/** A change of an imported history, with the case as it stood after it. */
export interface ImportedChange {
  seq: number;
  eventId: string;
  kind: string;
  at: string;
  snapshot: EventRecord;
  entry: NewTimelineEntry;
}

interface ActionRow {
  seq: number;
  event_id: string;
  action: string;
  from_status: string | null;
  to_status: string;
  at: string;
  user_id: string | null;
  username: string | null;
  display_name: string | null;
  role: string | null;
  team_id: string | null;
  auto: number;
  note: string | null;
  position: string | null;
  attachments: string;
  details: string;
}

const toEntry = (r: ActionRow): TimelineEntry => ({
  seq: r.seq,
  eventId: r.event_id,
  action: r.action as TimelineEntry['action'],
  from: r.from_status as EventStatus | null,
  to: r.to_status as EventStatus,
  at: r.at,
  // Seeded history names its staff without user accounts: an entry with a name has an actor.
  actor: r.user_id || r.display_name ? { userId: r.user_id ?? '', username: r.username ?? '', displayName: r.display_name ?? '', role: r.role as Role | null } : null,
  teamId: r.team_id,
  auto: r.auto === 1,
  note: r.note,
  position: r.position ? (JSON.parse(r.position) as Position) : null,
  attachments: JSON.parse(r.attachments) as Attachment[],
  details: JSON.parse(r.details) as Record<string, unknown>,
});

/**
 * A change's snapshot as stored: the case without `assignment` when it has none, as every
 * snapshot written before migration 22 reads (the change log is the largest table; almost no case
 * is a city's assignment). `fromSnapshot` reads both back with `assignment` null.
 */
function toSnapshot(event: EventRecord): string {
  if (event.assignment !== null) return JSON.stringify(event);
  const { assignment: _none, ...rest } = event;
  return JSON.stringify(rest);
}

function fromSnapshot(text: string): EventRecord {
  const event = JSON.parse(text) as Omit<EventRecord, 'assignment'> & { assignment?: EventRecord['assignment'] };
  return { ...event, assignment: event.assignment ?? null };
}

/** The China day and running number of a case id (the inverse of formatEventId). */
const dayAndNumber = (id: string) => ({ day: id.slice(2, 10), n: Number(id.slice(10)) });

const OPEN_LIST = OPEN_STATUSES.map((s) => `'${s}'`).join(',');

/**
 * Events, their change log with the timeline, and idempotency keys: the only place their rows are
 * written. Writes run inside a store transaction: the case writer's (case-writer.ts) for live
 * changes. The seeder's imported history (`importHistory`) is a bulk load on SQLite's own
 * connection, in the seeder's transaction.
 */
export class EventsRepo {
  private readonly statements = new Map<string, Statement>();

  constructor(private readonly store: Store) {}

  async get(id: string): Promise<EventRecord | null> {
    const row = await this.store.get<EventRow>(`${SELECT[this.store.dialect]} WHERE e.id = ?`, id);
    return row ? toRecord(row) : null;
  }

  /** The people and times of a case that the API does not show but the rules need. */
  async people(id: string): Promise<CasePeople | null> {
    const row = await this.store.get<{
      reporter_user_id: string | null;
      handler_user_id: string | null;
      verifier_user_id: string | null;
      extension_requester: string | null;
      filed_at: string | null;
      dispatched_at: string | null;
    }>('SELECT reporter_user_id, handler_user_id, verifier_user_id, extension_requester, filed_at, dispatched_at FROM events WHERE id = ?', id);
    return row
      ? {
          reporterUserId: row.reporter_user_id,
          handlerUserId: row.handler_user_id,
          verifierUserId: row.verifier_user_id,
          extensionRequester: row.extension_requester,
          filedAt: row.filed_at,
          dispatchedAt: row.dispatched_at,
        }
      : null;
  }

  /** `towns` restricts the list to a user's scope (null: the whole county). */
  async list(q: EventListQuery, towns: readonly string[] | null = null): Promise<{ items: EventRecord[]; total: number }> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (towns) {
      where.push(`e.town_id IN (${towns.map(() => '?').join(',') || 'NULL'})`);
      args.push(...towns);
    }
    if (q.status) {
      where.push(`e.status IN (${q.status.map(() => '?').join(',')})`);
      args.push(...q.status);
    }
    if (q.town) {
      where.push('e.town_id = ?');
      args.push(q.town);
    }
    if (q.since) {
      where.push('e.reported_at >= ?');
      args.push(new Date(q.since).toISOString());
    }
    if (q.from) {
      where.push('e.reported_at >= ?');
      args.push(periodStart(q.from).toISOString());
    }
    if (q.to) {
      where.push('e.reported_at < ?');
      args.push(periodEnd(q.to).toISOString());
    }
    if (q.item) {
      where.push('e.item_code = ?');
      args.push(q.item);
    }
    if (q.team) {
      where.push('e.team_id = ?');
      args.push(q.team);
    }
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (await this.store.get<{ n: number }>(`SELECT COUNT(*) AS n FROM events e ${clause}`, ...args))!.n;
    const rows = await this.store.all<EventRow>(
      `${SELECT[this.store.dialect]} ${clause} ORDER BY e.reported_at DESC, ${idOrder('e.id', 'DESC')} LIMIT ? OFFSET ?`,
      ...args,
      q.pageSize,
      (q.page - 1) * q.pageSize,
    );
    return { items: rows.map(toRecord), total };
  }

  /** Highest committed change sequence (0 for an empty log). */
  async lastSeq(): Promise<number> {
    return (await this.store.get<{ s: number }>('SELECT COALESCE(MAX(seq), 0) AS s FROM event_changes'))!.s;
  }

  /**
   * The next case id of a China day (formatEventId): the day's counter, raised in the caller's
   * transaction, so an id is never given twice and a rolled-back intake gives its number back.
   */
  async nextId(day: string): Promise<string> {
    const { last } = (await this.store.get<{ last: number }>(
      'INSERT INTO event_id_counters (day, last) VALUES (?, 1) ON CONFLICT (day) DO UPDATE SET last = event_id_counters.last + 1 RETURNING last',
      day,
    ))!;
    return formatEventId(day, last);
  }

  /** Stores a new case as intake found it, before its first change (which gives it its seq). */
  async insert(e: NewEventRow): Promise<void> {
    const columns = caseColumns(e, {}, 0);
    await this.store.run(`INSERT INTO events (${[...columns.keys()].join(', ')}) VALUES (${[...columns.keys()].map(() => '?').join(', ')})`, ...columns.values());
  }

  /** Changes workflow fields of a case and stamps `updated_at`. */
  async update(id: string, patch: EventPatch, at: string): Promise<void> {
    const sets: string[] = ['updated_at = ?'];
    const args: unknown[] = [at];
    for (const [key, value] of Object.entries(patch) as Array<[keyof EventPatch, unknown]>) {
      if (value === undefined) continue;
      sets.push(`${PATCH_COLUMNS[key]} = ?`);
      args.push(toColumnValue(value));
    }
    await this.store.run(`UPDATE events SET ${sets.join(', ')} WHERE id = ?`, ...args, id);
  }

  /**
   * Appends one change for an event with its timeline entry: takes the next sequence number
   * (gap-free and in commit order: one writer at a time holds it to the commit, see
   * Store.takeWriterTurn; the change feed of every node relies on both), stamps it and the time on the event, snapshots the event and writes the
   * entry under the same number.
   */
  async appendChange(eventId: string, kind: string, at: string, entry: NewTimelineEntry): Promise<ChangeRow & { entry: TimelineEntry }> {
    await this.store.takeWriterTurn();
    const seq = (await this.lastSeq()) + 1;
    await this.store.run('UPDATE events SET seq = ?, updated_at = ? WHERE id = ?', seq, at, eventId);
    const event = await this.get(eventId);
    if (!event) throw new Error(`appendChange: no event ${eventId}`);
    for (const [sql, args] of changeStatements({ seq, eventId, kind, at, snapshot: event, entry })) await this.store.run(sql, ...args);
    return { seq, eventId, kind, at, event, entry: { ...entry, seq, eventId, at } };
  }

  /**
   * Writes a whole history at once, in the caller's transaction on SQLite's own connection (the
   * demo seeder, a bulk load of tens of thousands of rows): each case as it stands now, then every
   * change with its snapshot and timeline entry, exactly the rows `insert`, `update` and
   * `appendChange` would have left; and each day's id counter past its last case, so intake
   * numbers on from there. No effects and no announcements: nobody is listening yet. (A platform
   * on PostgreSQL is seeded on SQLite and copied: `npm run db:copy`.)
   */
  importHistory(cases: Iterable<ImportedCase>, changes: Iterable<ImportedChange>, assignments: Iterable<NewAssignment> = []): void {
    const lastOfDay = new Map<string, number>();
    for (const c of cases) {
      const columns = caseColumns(c.row, c.state, c.seq, c.updatedAt);
      this.statement(`INSERT INTO events (${[...columns.keys()].join(', ')}) VALUES (${[...columns.keys()].map(() => '?').join(', ')})`).run(...columns.values());
      const { day, n } = dayAndNumber(c.row.id);
      lastOfDay.set(day, Math.max(lastOfDay.get(day) ?? 0, n));
    }
    for (const a of assignments) this.statement(INSERT_ASSIGNMENT).run(...assignmentValues(a));
    for (const change of changes) for (const [sql, args] of changeStatements(change)) this.statement(sql).run(...args);
    const counter = this.statement('INSERT INTO event_id_counters (day, last) VALUES (?, ?)');
    for (const [day, last] of lastOfDay) counter.run(day, last);
  }

  /** 市级交办: stores a city's assignment of a case, in the transaction that stores the case, before its first change. */
  async insertAssignment(a: NewAssignment): Promise<void> {
    await this.store.run(INSERT_ASSIGNMENT, ...assignmentValues(a));
  }

  /** Records the county's outcome of an assigned case (once: a finished case does not finish again); false when the case has no open assignment. */
  async reportAssignment(eventId: string, at: string, outcome: AssignmentOutcome): Promise<boolean> {
    const { changes } = await this.store.run('UPDATE event_assignments SET reported_at = ?, outcome = ? WHERE event_id = ? AND reported_at IS NULL', at, JSON.stringify(outcome), eventId);
    return changes > 0;
  }

  /**
   * Assignments made by these regions (null: every region), newest first: `open` (no outcome
   * yet), `reported` or `all`.
   */
  async assignments(q: { state: 'open' | 'reported' | 'all'; page: number; pageSize: number }, byRegions: readonly string[] | null): Promise<{ items: AssignmentRow[]; total: number }> {
    const where: string[] = [];
    const args: unknown[] = [];
    if (byRegions) {
      where.push(`a.by_region_id IN (${byRegions.map(() => '?').join(',') || 'NULL'})`);
      args.push(...byRegions);
    }
    if (q.state === 'open') where.push('a.reported_at IS NULL');
    if (q.state === 'reported') where.push('a.reported_at IS NOT NULL');
    const clause = where.length ? `WHERE ${where.join(' AND ')}` : '';
    const total = (await this.store.get<{ n: number }>(`SELECT COUNT(*) AS n FROM event_assignments a ${clause}`, ...args))!.n;
    const rows = await this.store.all<{
      event_id: string;
      by_region_id: string;
      by_region_name: string;
      county_id: string;
      county_name: string | null;
      by_user_id: string | null;
      by_user_name: string;
      assigned_at: string;
      due_at: string;
      note: string | null;
      reported_at: string | null;
      outcome: string | null;
      item_code: string;
      item_name: string;
      urgency: string;
      address: string;
      status: string;
    }>(
      `SELECT a.*, c.name AS county_name, e.item_code, e.item_name, e.urgency, e.address, e.status
         FROM event_assignments a JOIN events e ON e.id = a.event_id LEFT JOIN regions c ON c.id = a.county_id
       ${clause} ORDER BY a.assigned_at DESC, ${idOrder('a.event_id', 'DESC')} LIMIT ? OFFSET ?`,
      ...args,
      q.pageSize,
      (q.page - 1) * q.pageSize,
    );
    const items = rows.map(
      (r): AssignmentRow => ({
        eventId: r.event_id,
        byRegionId: r.by_region_id,
        byRegionName: r.by_region_name,
        countyId: r.county_id,
        countyName: r.county_name ?? r.county_id,
        byUserId: r.by_user_id,
        byUserName: r.by_user_name,
        at: r.assigned_at,
        dueAt: r.due_at,
        note: r.note,
        reportedAt: r.reported_at,
        outcome: r.outcome === null ? null : (JSON.parse(r.outcome) as AssignmentOutcome),
        itemCode: r.item_code,
        itemName: r.item_name,
        urgency: r.urgency as Urgency,
        address: r.address,
        status: r.status as EventStatus,
      }),
    );
    return { items, total };
  }

  /** A case's timeline, oldest first. */
  async timeline(eventId: string): Promise<TimelineEntry[]> {
    return (await this.store.all<ActionRow>('SELECT * FROM event_actions WHERE event_id = ? ORDER BY seq', eventId)).map(toEntry);
  }

  /**
   * Open cases whose current step passed its warning point or its deadline at `now` while
   * their stored deadline state still lags behind: what the deadline monitor must announce.
   */
  async deadlinesDue(now: string, limit = 500): Promise<Array<{ id: string; state: 'warning' | 'overdue' }>> {
    return this.store.all<{ id: string; state: 'warning' | 'overdue' }>(
      `SELECT id, CASE WHEN deadline_at <= ? THEN 'overdue' ELSE 'warning' END AS state FROM events
       WHERE deadline_at IS NOT NULL AND step IS NOT NULL AND status IN (${OPEN_LIST})
         AND ((deadline_at <= ? AND deadline_state <> 'overdue') OR (warn_at <= ? AND deadline_state = 'ok'))
         AND NOT EXISTS (SELECT 1 FROM forwarded_events f WHERE f.event_id = events.id)
       ORDER BY deadline_at, ${idOrder('id')} LIMIT ?`,
      now,
      now,
      now,
      limit,
    );
  }

  /**
   * The duplicate candidates' prefilter: open cases of an item reported at or after `since` that
   * could be near the probe — in the box around it that holds the radius, at its unified address
   * or in its micro-grid (findDuplicates decides). On a typhoon night a county has hundreds of
   * open cases of one item; only those nearby are read.
   */
  async openOfItemSince(itemCode: string, since: string, near: { lon: number; lat: number; radiusMeters: number; addressCode: string | null; microGridId: string }): Promise<DuplicateProbe[]> {
    // a degree of latitude is ≥ 110.5 km anywhere; a degree of longitude shrinks with cos(lat); 1 % margin
    const dLat = (near.radiusMeters / 110_500) * 1.01;
    const dLon = dLat / Math.max(0.01, Math.cos((near.lat * Math.PI) / 180));
    // one lookup per way of being near (indexes of migration 20; on SQLite the unary + keeps it from
    // preferring the item-and-time index, which reads every case of the item); UNION drops a case found twice;
    // ordered, so both dialects answer alike (findDuplicates ranks them)
    const hint = this.store.dialect === 'sqlite' ? '+' : '';
    const open = `${hint}reported_at >= ? AND status IN (${OPEN_LIST})`;
    const rows = await this.store.all<{ id: string; item_code: string; lon: number; lat: number; address_code: string | null; micro_grid_id: string; reported_at: string }>(
      `SELECT id, item_code, lon, lat, address_code, micro_grid_id, reported_at FROM events
         WHERE item_code = ? AND lat BETWEEN ? AND ? AND lon BETWEEN ? AND ? AND ${open}
       UNION SELECT id, item_code, lon, lat, address_code, micro_grid_id, reported_at FROM events
         WHERE item_code = ? AND micro_grid_id = ? AND ${open}
       UNION SELECT id, item_code, lon, lat, address_code, micro_grid_id, reported_at FROM events
         WHERE ${hint}item_code = ? AND address_code = ? AND ${open}
       ORDER BY id`,
      itemCode, near.lat - dLat, near.lat + dLat, near.lon - dLon, near.lon + dLon, since,
      itemCode, near.microGridId, since,
      itemCode, near.addressCode, since,
    );
    return rows.map((r) => ({ id: r.id, itemCode: r.item_code, lon: r.lon, lat: r.lat, addressCode: r.address_code, microGridId: r.micro_grid_id, reportedAt: r.reported_at }));
  }

  /** Ids of the cases merged into `masterId`. */
  async mergedInto(masterId: string): Promise<string[]> {
    return (await this.store.all<{ id: string }>(`SELECT id FROM events WHERE master_id = ? ORDER BY ${idOrder('id')}`, masterId)).map((r) => r.id);
  }

  /** Changes after `afterSeq`, oldest first, at most `limit`. */
  async changesAfter(afterSeq: number, limit: number): Promise<ChangeRow[]> {
    const rows = await this.store.all<{ seq: number; event_id: string; kind: string; at: string; snapshot: string }>(
      'SELECT seq, event_id, kind, at, snapshot FROM event_changes WHERE seq > ? ORDER BY seq LIMIT ?',
      afterSeq,
      limit,
    );
    return rows.map((r) => ({ seq: r.seq, eventId: r.event_id, kind: r.kind, at: r.at, event: fromSnapshot(r.snapshot) }));
  }

  async countChangesAfter(afterSeq: number): Promise<number> {
    return (await this.store.get<{ n: number }>('SELECT COUNT(*) AS n FROM event_changes WHERE seq > ?', afterSeq))!.n;
  }

  /**
   * The intake an Idempotency-Key was first given to; read inside the intake's transaction, in
   * the writers' turn: a retry racing the first request on another connection (PostgreSQL) waits
   * for its commit and finds its key, instead of both writing the case and one failing on the key.
   */
  async idempotencyKey(key: string): Promise<{ requestHash: string; eventId: string } | null> {
    await this.store.takeWriterTurn();
    const row = await this.store.get<{ request_hash: string; event_id: string }>('SELECT request_hash, event_id FROM idempotency_keys WHERE key = ?', key);
    return row ? { requestHash: row.request_hash, eventId: row.event_id } : null;
  }

  async saveIdempotencyKey(key: string, requestHash: string, eventId: string, at: string): Promise<void> {
    await this.store.run('INSERT INTO idempotency_keys (key, request_hash, event_id, created_at) VALUES (?, ?, ?, ?)', key, requestHash, eventId, at);
  }

  /** Prepared once per repository on SQLite's connection: a bulk import runs the same few statements tens of thousands of times. */
  private statement(sql: string): Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      const db = this.store.sqliteConnection;
      if (!db) throw new Error('EventsRepo.importHistory: a bulk history is loaded on SQLite (seed there, then npm run db:copy)');
      stmt = db.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }
}

const INSERT_ASSIGNMENT = `INSERT INTO event_assignments (event_id, by_region_id, by_region_name, county_id, by_user_id, by_user_name, assigned_at, due_at, note, reported_at, outcome)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

const assignmentValues = (a: NewAssignment): unknown[] => [
  a.eventId, a.byRegionId, a.byRegionName, a.countyId, a.byUserId, a.byUserName, a.at, a.dueAt, a.note, a.reported?.at ?? null, a.reported ? JSON.stringify(a.reported.outcome) : null,
];

/** The case row: intake's columns, then `state` over them; columns left out keep their defaults. */
function caseColumns(e: NewEventRow, state: EventPatch, seq: number, updatedAt = e.at): Map<string, unknown> {
  const columns = new Map<string, unknown>([
    ['id', e.id],
    ['seq', seq],
    ['item_code', e.itemCode],
    ['item_name', e.itemName],
    ['category', e.category],
    ['catalog_version', e.catalogVersion],
    ['description', e.description],
    ['source', e.source],
    ['urgency', e.urgency],
    ['status', e.status],
    ['lon', e.lon],
    ['lat', e.lat],
    ['address_code', e.addressCode],
    ['address', e.address],
    ['micro_grid_id', e.microGridId],
    ['grid_id', e.gridId],
    ['village_id', e.villageId],
    ['town_id', e.townId],
    ['reporter_name', e.reporterName],
    ['reporter_phone', e.reporterPhone],
    ['reporter_user_id', e.reporterUserId],
    ['reported_at', e.at],
    ['updated_at', updatedAt],
    ['step', e.step],
    ['step_started_at', e.stepStartedAt],
    ['warn_at', e.warnAt],
    ['deadline_at', e.deadlineAt],
    ['due_at', e.dueAt],
    ['refusal', toColumnValue(e.refusal)],
    ['duplicate_candidates', JSON.stringify(e.duplicateCandidates)],
  ]);
  for (const [key, value] of Object.entries(state) as Array<[keyof EventPatch, unknown]>) {
    if (value !== undefined) columns.set(PATCH_COLUMNS[key], toColumnValue(value));
  }
  return columns;
}

/** One change of the log and its timeline entry, under the same seq: the two statements and their values. */
function changeStatements(c: ImportedChange): Array<[string, unknown[]]> {
  const { entry } = c;
  return [
    ['INSERT INTO event_changes (seq, event_id, kind, at, snapshot) VALUES (?, ?, ?, ?, ?)', [c.seq, c.eventId, c.kind, c.at, toSnapshot(c.snapshot)]],
    [
      `INSERT INTO event_actions (seq, event_id, action, from_status, to_status, at, user_id, username, display_name, role, team_id, auto, note, position, attachments, details)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      [
        c.seq,
        c.eventId,
        entry.action,
        entry.from,
        entry.to,
        c.at,
        // seeded staff have a name and a role but no account (toEntry reads them back the same way)
        entry.actor?.userId || null,
        entry.actor?.username || null,
        entry.actor?.displayName ?? null,
        entry.actor?.role ?? null,
        entry.teamId,
        entry.auto ? 1 : 0,
        entry.note,
        entry.position ? JSON.stringify(entry.position) : null,
        JSON.stringify(entry.attachments),
        JSON.stringify(entry.details),
      ],
    ],
  ];
}
