import { createHash, randomBytes } from 'node:crypto';
import type { Scope } from '../../../../shared/contracts/auth.js';
import type { CatalogItem } from '../../../../shared/contracts/catalog.js';
import {
  AGENDA_EVIDENCE,
  AGENDA_WINDOW_DAYS,
  HOT_SPOT_LIMIT,
  HOT_SPOT_MIN_CASES,
  REPEAT_LIMIT,
  REPEAT_MIN_CASES,
  RESIDENT_LIMIT,
  RESIDENT_RECENT_DAYS,
  type AgendaDraft,
  type AgendaDraftQuery,
  type DeliberationListQuery,
  type DeliberationListResponse,
  type DeliberationMeetingRequest,
  type DeliberationMeetingView,
  type DeliberationTaskRequest,
  type DeliberationTaskView,
} from '../../../../shared/contracts/deliberation.js';
import { OPEN_STATUSES, type EventIntake, type EventSource, type Urgency } from '../../../../shared/contracts/events.js';
import type { AgendaItem } from '../../../../shared/contracts/workforce.js';
import { toWgs84 } from '../../../../shared/domain/coords.js';
import { chinaDay, type Clock } from '../../core/clock.js';
import type { Store } from '../../db/store.js';
import { ApiHttpError } from '../../http/errors.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import { who } from '../auth/auth.service.js';
import { inScope } from '../events/event-view.js';
import type { EventsService } from '../events/events.service.js';
import type { Actor } from '../events/workflow.service.js';
import type { RegionLocator } from '../geo/locator.js';
import type { MicroGridChain } from '../regions/regions.repo.js';
import type { DeliberationRepo, GridCase, GridRow, MeetingRow, TaskRow } from './deliberation.repo.js';

export interface DeliberationServiceDeps {
  store: Store;
  repo: DeliberationRepo;
  intake: Pick<EventsService, 'intake'>;
  catalog: { activeItem(code: string): CatalogItem | null };
  locator: Pick<RegionLocator, 'locate'>;
  chains: ReadonlyMap<string, MicroGridChain>;
  audit: AuditRepo;
  clock: Clock;
}

/** The intake channel a follow-up task's case is recorded under (timeline details `channel`). */
export const DELIBERATION_CHANNEL = 'deliberation';

/** Sources of residents' own reports: the resident page and Open311 (citizen_app), the 12345 hotline, petitions. */
export const RESIDENT_SOURCES: readonly EventSource[] = ['citizen_app', 'hotline_12345', 'petition'];

const OPEN = new Set<string>(OPEN_STATUSES);
const DAY_MS = 86_400_000;

/** A checked follow-up task, ready for the intake. */
interface ReadyTask {
  title: string;
  item: CatalogItem;
  urgency: Urgency;
  description: string;
  location: EventIntake['location'];
}

/**
 * The grid deliberation day (网格议事日): the agenda drafted from the grid's cases, the meeting
 * record, its follow-up tasks (each a case through the one intake, channel `deliberation`, tracked
 * to closure) and the public notice.
 *
 * A meeting and its tasks are written in ONE store transaction: the meeting row and its audit
 * record first, then each task's case through the intake, whose own transaction is a savepoint in
 * it (CaseWriter.write), with the task's row and audit record written in the case's `within`. The
 * cases are announced only once it all committed; anything failing rolls back all of it. Every
 * check that can refuse (grid and scope, day, items, urgencies, places) runs before the
 * transaction, so a refusal writes nothing but its audit record.
 */
export class DeliberationService {
  constructor(private readonly deps: DeliberationServiceDeps) {}

  /* ------------------------------------------------------------------ agenda draft */

  async agendaDraft(q: AgendaDraftQuery, actor: Actor): Promise<AgendaDraft> {
    const grid = await this.gridInScope(q.gridId, actor, 'access:denied', 'invalid_query');
    const to = q.asOf === undefined ? this.deps.clock.now() : new Date(q.asOf);
    const from = new Date(to.getTime() - AGENDA_WINDOW_DAYS * DAY_MS);
    const cases = await this.deps.repo.gridCases(grid.id, from.toISOString(), to.toISOString());
    return { grid: { id: grid.id, code: grid.code, name: grid.name }, from: from.toISOString(), to: to.toISOString(), items: draftAgenda(cases, to) };
  }

  /* ------------------------------------------------------------------ meetings */

  async create(body: DeliberationMeetingRequest, idempotencyKey: string | null, actor: Actor): Promise<{ meeting: DeliberationMeetingView; replayed: boolean }> {
    const { store, repo, audit, clock } = this.deps;
    const actorFields = { ...who(actor.principal), ...actor.ctx };
    const refuse = (err: ApiHttpError): Promise<never> => this.refused(actor, 'deliberation:create', err, 'region', body.gridId, { heldOn: body.heldOn });
    const grid = await this.gridInScope(body.gridId, actor, 'deliberation:create', 'invalid_body');
    const now = clock.now();
    if (body.heldOn.replaceAll('-', '') > chinaDay(now)) {
      return refuse(new ApiHttpError(400, 'invalid_body', 'error.invalid_body', [{ field: 'heldOn', code: 'day_in_future' }]));
    }
    const tasks: ReadyTask[] = [];
    const list = body.tasks ?? [];
    for (let i = 0; i < list.length; i++) {
      try {
        tasks.push(await this.readyTask(list[i]!, grid, `tasks[${i}].`));
      } catch (err) {
        if (err instanceof ApiHttpError) return refuse(err);
        throw err;
      }
    }
    const id = idempotencyKey === null ? `DM${randomBytes(8).toString('hex')}` : `DM${createHash('sha256').update(`${actor.principal.user.id}\n${idempotencyKey}`).digest('hex').slice(0, 16)}`;
    const stored = {
      participants: JSON.stringify(body.participants),
      agenda: JSON.stringify(body.agenda),
      decisions: JSON.stringify(body.decisions),
    };
    const replayed = await store.inTransaction(async () => {
      const at = clock.now();
      const inserted = await repo.insertMeeting({ id, gridId: grid.id, townId: grid.townId, heldOn: body.heldOn, place: body.place, host: body.host, ...stored, createdBy: actor.principal.user.id, at: at.toISOString() });
      if (!inserted) {
        // the key's first request was stored (whole: one transaction): the same body is a retry
        const earlier = (await repo.meeting(id))!;
        const titles = (await repo.tasks([id])).map((t) => t.title);
        const same =
          earlier.gridId === grid.id &&
          earlier.heldOn === body.heldOn &&
          earlier.place === body.place &&
          earlier.host === body.host &&
          earlier.participants === stored.participants &&
          earlier.agenda === stored.agenda &&
          earlier.decisions === stored.decisions &&
          JSON.stringify(titles) === JSON.stringify(tasks.map((t) => t.title));
        if (!same) throw new ApiHttpError(422, 'idempotency_conflict', 'error.idempotency_conflict', [], { key: idempotencyKey });
        return true;
      }
      await audit.append({
        ...actorFields,
        action: 'deliberation:create',
        result: 'success',
        objectType: 'deliberation',
        objectId: id,
        at,
        details: { gridId: grid.id, townId: grid.townId, heldOn: body.heldOn, participants: body.participants.length, agenda: body.agenda.length, decisions: body.decisions.length, tasks: tasks.length },
      });
      for (let i = 0; i < tasks.length; i++) await this.intakeTask(id, grid, body.heldOn, tasks[i]!, i + 1, null, actor, `tasks[${i}].`);
      return false;
    }).catch((err: unknown) => (err instanceof ApiHttpError ? refuse(err) : Promise.reject(err)));
    return { meeting: (await this.view(id))!, replayed };
  }

  /** `POST /meetings/{id}/tasks`: one more follow-up task, its case and row in one transaction (the intake's). */
  async addTask(meetingId: string, body: DeliberationTaskRequest, idempotencyKey: string | null, actor: Actor): Promise<{ meeting: DeliberationMeetingView; eventId: string; replayed: boolean }> {
    const meeting = await this.meetingInScope(meetingId, actor, 'deliberation:task_add');
    const grid = (await this.deps.repo.grid(meeting.gridId))!;
    let task: ReadyTask;
    try {
      task = await this.readyTask(body, grid, '');
    } catch (err) {
      if (err instanceof ApiHttpError) return this.refused(actor, 'deliberation:task_add', err, 'deliberation', meetingId, { itemCode: body.itemCode });
      throw err;
    }
    // keys are the intake's (one table for every channel): this meeting's own, so the same key on another meeting is another task
    const key = idempotencyKey === null ? null : `deliberation:${meetingId}:${idempotencyKey}`;
    const { eventId, replayed } = await this.intakeTask(meetingId, grid, meeting.heldOn, task, null, key, actor, '').catch((err: unknown) =>
      err instanceof ApiHttpError ? this.refused(actor, 'deliberation:task_add', err, 'deliberation', meetingId, { itemCode: body.itemCode }) : Promise.reject(err),
    );
    return { meeting: (await this.view(meetingId))!, eventId, replayed };
  }

  async publish(meetingId: string, notice: string, actor: Actor): Promise<DeliberationMeetingView> {
    const { store, repo, audit, clock } = this.deps;
    await this.meetingInScope(meetingId, actor, 'deliberation:publish');
    await store.inTransaction(async () => {
      const at = clock.now();
      await repo.publish(meetingId, notice, at.toISOString());
      await audit.append({ ...who(actor.principal), ...actor.ctx, action: 'deliberation:publish', result: 'success', objectType: 'deliberation', objectId: meetingId, at, details: { length: notice.length } });
    });
    return (await this.view(meetingId))!;
  }

  async get(meetingId: string, actor: Actor): Promise<DeliberationMeetingView> {
    await this.meetingInScope(meetingId, actor, 'access:denied');
    return (await this.view(meetingId))!;
  }

  async list(q: DeliberationListQuery, towns: string[] | null, actor: Actor): Promise<DeliberationListResponse> {
    if (q.gridId !== undefined) await this.gridInScope(q.gridId, actor, 'access:denied', 'invalid_query');
    const { rows, total } = await this.deps.repo.meetings({ towns, gridId: q.gridId, from: q.from, to: q.to, page: q.page, pageSize: q.pageSize });
    const tasks = await this.deps.repo.tasks(rows.map((r) => r.id));
    const now = this.deps.clock.now().toISOString();
    return { items: rows.map((r) => toView(r, tasks.filter((t) => t.meetingId === r.id), now)), total, page: q.page, pageSize: q.pageSize };
  }

  /** A published meeting for the public page, or null (unknown or not published: the same answer). */
  async published(meetingId: string): Promise<DeliberationMeetingView | null> {
    const row = await this.deps.repo.meeting(meetingId);
    if (!row || row.publishedAt === null) return null;
    return toView(row, await this.deps.repo.tasks([row.id]), this.deps.clock.now().toISOString());
  }

  /* ------------------------------------------------------------------ internals */

  private async view(meetingId: string): Promise<DeliberationMeetingView | null> {
    const row = await this.deps.repo.meeting(meetingId);
    return row ? toView(row, await this.deps.repo.tasks([row.id]), this.deps.clock.now().toISOString()) : null;
  }

  /** One task's case through the one intake; its row and audit record in the case's transaction. */
  private async intakeTask(meetingId: string, grid: GridRow, heldOn: string, task: ReadyTask, seq: number | null, key: string | null, actor: Actor, prefix: string): Promise<{ eventId: string; replayed: boolean }> {
    const { repo, audit } = this.deps;
    const input: EventIntake = {
      itemCode: task.item.code,
      description: task.description,
      location: task.location,
      source: 'department',
      urgency: task.urgency,
      // who reports it: the grid's deliberation day
      reporter: { name: `${grid.name}网格议事日（${heldOn}）` },
    };
    try {
      const { created, replayed } = await this.deps.intake.intake(input, key, actor, {
        channel: DELIBERATION_CHANNEL,
        details: { meetingId, gridId: grid.id, heldOn, title: task.title },
        within: async (eventId, at) => {
          const n = seq ?? (await repo.nextSeq(meetingId));
          await repo.insertTask({ meetingId, seq: n, title: task.title, eventId, at: at.toISOString() });
          await audit.append({
            ...who(actor.principal),
            ...actor.ctx,
            action: 'deliberation:task_add',
            result: 'success',
            objectType: 'deliberation',
            objectId: meetingId,
            at,
            details: { seq: n, eventId, itemCode: task.item.code, urgency: task.urgency, title: task.title },
          });
        },
      });
      return { eventId: created.id, replayed };
    } catch (err) {
      // the intake names its own fields (location, urgency…): name them as this request carries them
      if (err instanceof ApiHttpError && prefix !== '') {
        throw new ApiHttpError(err.status, err.code, err.messageKey, err.fields.map((f) => ({ ...f, field: `${prefix}${f.field}` })), err.params, err.extra);
      }
      throw err;
    }
  }

  /** Checks a task before anything is written: its item (active catalog), urgency, and place (inside the grid). */
  private async readyTask(t: DeliberationTaskRequest, grid: GridRow, prefix: string): Promise<ReadyTask> {
    const item = this.deps.catalog.activeItem(t.itemCode);
    if (!item) throw new ApiHttpError(422, 'unknown_item', 'error.unknown_item', [{ field: `${prefix}itemCode`, code: 'unknown_item' }], { itemCode: t.itemCode });
    const urgency = t.urgency ?? item.defaultUrgency;
    if (!item.urgencies.includes(urgency)) {
      throw new ApiHttpError(400, 'invalid_body', 'error.invalid_body', [{ field: `${prefix}urgency`, code: 'not_allowed', params: { allowed: item.urgencies.join(', ') } }]);
    }
    return { title: t.title, item, urgency, description: t.description, location: await this.placeOf(t.location, grid, `${prefix}location`) };
  }

  /** The point of a task's case, inside the meeting's grid (400 `outside_grid` naming the field otherwise). */
  private async placeOf(location: DeliberationTaskRequest['location'], grid: GridRow, field: string): Promise<EventIntake['location']> {
    const outside = () => new ApiHttpError(400, 'invalid_body', 'error.invalid_body', [{ field, code: 'outside_grid', params: { grid: grid.name } }]);
    const inGrid = (lon: number, lat: number) => {
      const region = this.deps.locator.locate(lon, lat);
      return region !== null && this.deps.chains.get(region.id)?.gridId === grid.id;
    };
    const micro = await this.deps.repo.microGrids(grid.id);
    if (location === undefined) {
      if (inGrid(grid.labelLon, grid.labelLat)) return { lon: grid.labelLon, lat: grid.labelLat };
      const first = micro.find((m) => inGrid(m.labelLon, m.labelLat));
      if (!first) throw outside();
      return { lon: first.labelLon, lat: first.labelLat };
    }
    if ('microGridId' in location) {
      const m = micro.find((x) => x.id === location.microGridId);
      if (!m || !inGrid(m.labelLon, m.labelLat)) throw outside();
      return { lon: m.labelLon, lat: m.labelLat };
    }
    if ('addressCode' in location) {
      const microGridId = await this.deps.repo.householdMicroGrid(location.addressCode);
      if (microGridId === undefined) {
        throw new ApiHttpError(422, 'unknown_address', 'error.unknown_address', [{ field: `${field}.addressCode`, code: 'unknown_address' }], { addressCode: location.addressCode });
      }
      if (this.deps.chains.get(microGridId)?.gridId !== grid.id) throw outside();
      // the intake places it at the household; the grid is checked here
      return { addressCode: location.addressCode };
    }
    const p = toWgs84(location.lon, location.lat, location.crs ?? 'wgs84');
    if (!inGrid(p.lon, p.lat)) throw outside();
    return p;
  }

  /**
   * The grid, if the caller's scope holds its town. An unknown grid is a 400 naming `gridId` for a
   * county user; for a town user, as one in another town (403 `out_of_scope`, audited), so a town
   * user learns nothing of other towns' grids.
   */
  private async gridInScope(gridId: string, actor: Actor, action: 'access:denied' | 'deliberation:create', invalid: 'invalid_body' | 'invalid_query'): Promise<GridRow> {
    const scope: Scope = actor.principal.user.scope;
    const grid = await this.deps.repo.grid(gridId);
    if (grid === undefined && scope.kind === 'county') {
      throw new ApiHttpError(400, invalid, `error.${invalid}`, [{ field: 'gridId', code: 'unknown_grid' }]);
    }
    if (grid === undefined || !inScope(scope, grid.townId)) {
      return this.refused(actor, action, new ApiHttpError(403, 'out_of_scope', 'error.out_of_scope', [{ field: 'gridId', code: 'out_of_scope' }], { what: gridId }), 'region', gridId);
    }
    return grid;
  }

  /** The meeting, if the caller's scope holds its town: 404 when unknown, 403 `out_of_scope` (audited) when another town's. */
  private async meetingInScope(meetingId: string, actor: Actor, action: 'access:denied' | 'deliberation:task_add' | 'deliberation:publish'): Promise<MeetingRow> {
    const row = await this.deps.repo.meeting(meetingId);
    if (!row) throw new ApiHttpError(404, 'not_found', 'error.not_found', [], { what: meetingId });
    if (!inScope(actor.principal.user.scope, row.townId)) {
      return this.refused(actor, action, new ApiHttpError(403, 'out_of_scope', 'error.out_of_scope', [{ field: 'id', code: 'out_of_scope' }], { what: meetingId }), 'deliberation', meetingId);
    }
    return row;
  }

  /** Audits a refusal (denied for scope, failure otherwise) on its own, then throws it. */
  private async refused(actor: Actor, action: 'access:denied' | 'deliberation:create' | 'deliberation:task_add' | 'deliberation:publish', err: ApiHttpError, objectType: string, objectId: string, details: Record<string, unknown> = {}): Promise<never> {
    await this.deps.audit.record({
      ...who(actor.principal),
      ...actor.ctx,
      action,
      result: err.status === 403 ? 'denied' : 'failure',
      reason: err.code,
      objectType,
      objectId,
      details: { ...details, fields: err.fields.map((f) => `${f.field}:${f.code}`) },
    });
    throw err;
  }
}

function toView(row: MeetingRow, tasks: TaskRow[], now: string): DeliberationMeetingView {
  const views: DeliberationTaskView[] = tasks.map((t) => {
    const open = OPEN.has(t.status);
    return {
      seq: Number(t.seq),
      title: t.title,
      eventId: t.eventId,
      itemCode: t.itemCode,
      itemName: t.itemName,
      status: t.status,
      dueAt: t.dueAt,
      closedAt: t.closedAt,
      overdue: open && t.dueAt !== null && t.dueAt < now,
    };
  });
  const open = views.filter((t) => OPEN.has(t.status)).length;
  return {
    id: row.id,
    grid: { id: row.gridId, code: row.gridCode, name: row.gridName },
    town: { id: row.townId, name: row.townName },
    heldOn: row.heldOn,
    place: row.place,
    host: row.host,
    participants: JSON.parse(row.participants) as DeliberationMeetingView['participants'],
    agenda: JSON.parse(row.agenda) as AgendaItem[],
    decisions: JSON.parse(row.decisions) as string[],
    tasks: views,
    notice: row.notice,
    publishedAt: row.publishedAt,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    summary: { tasks: views.length, open, closed: views.length - open, overdue: views.filter((t) => t.overdue).length },
  };
}

/**
 * The drafted agenda from the grid's cases of the window (newest first; merged and voided ones
 * already left out), in three groups, each in a fixed order (docs/WORKFORCE.md):
 * 1. hot spots: items with at least HOT_SPOT_MIN_CASES cases, most cases first (then item code), at most HOT_SPOT_LIMIT;
 * 2. repeat items: the same item at the same unified address (or, for cases without one, the same
 *    micro-grid) at least REPEAT_MIN_CASES times, most first (then the newest case's time, newest
 *    first, then the place key), at most REPEAT_LIMIT;
 * 3. residents' reports (resident page, Open311, 12345, petitions) still open, or closed within
 *    RESIDENT_RECENT_DAYS before `asOf`: open ones first, then newest first (then case id), at most RESIDENT_LIMIT.
 * Evidence: the newest cases behind a point, at most AGENDA_EVIDENCE. Titles name items and
 * micro-grids, never a resident or a household address (they may reach the public notice page).
 */
export function draftAgenda(cases: readonly GridCase[], asOf: Date): AgendaItem[] {
  const sorted = [...cases].sort((a, b) => (a.reportedAt === b.reportedAt ? (a.id < b.id ? 1 : -1) : a.reportedAt < b.reportedAt ? 1 : -1));
  const evidence = (list: readonly GridCase[]) => list.slice(0, AGENDA_EVIDENCE).map((c) => c.id);

  const byItem = new Map<string, GridCase[]>();
  for (const c of sorted) byItem.set(c.itemCode, [...(byItem.get(c.itemCode) ?? []), c]);
  const hot: AgendaItem[] = [...byItem.entries()]
    .filter(([, list]) => list.length >= HOT_SPOT_MIN_CASES)
    .sort(([a, x], [b, y]) => y.length - x.length || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, HOT_SPOT_LIMIT)
    .map(([code, list]) => ({ title: `高发问题：${list[0]!.itemName}（近${AGENDA_WINDOW_DAYS}天${list.length}件）`, source: 'hot_spot', ref: `${code}×${list.length}`, eventIds: evidence(list) }));

  const byPlace = new Map<string, GridCase[]>();
  for (const c of sorted) {
    const key = `${c.itemCode}@${c.addressCode ?? c.microGridId}`;
    byPlace.set(key, [...(byPlace.get(key) ?? []), c]);
  }
  const repeat: AgendaItem[] = [...byPlace.entries()]
    .filter(([, list]) => list.length >= REPEAT_MIN_CASES)
    .sort(([a, x], [b, y]) => y.length - x.length || (x[0]!.reportedAt === y[0]!.reportedAt ? (a < b ? -1 : a > b ? 1 : 0) : x[0]!.reportedAt < y[0]!.reportedAt ? 1 : -1))
    .slice(0, REPEAT_LIMIT)
    .map(([key, list]) => {
      const c = list[0]!;
      const where = c.addressCode === null ? c.microGridName : `${c.microGridName}同一地址`;
      return { title: `反复发生：${where}${c.itemName}（${list.length}次）`, source: 'repeat', ref: key, eventIds: evidence(list) };
    });

  const recent = new Date(asOf.getTime() - RESIDENT_RECENT_DAYS * DAY_MS).toISOString();
  const resident: AgendaItem[] = sorted
    .filter((c) => RESIDENT_SOURCES.includes(c.source as EventSource) && (OPEN.has(c.status) || (c.closedAt ?? c.reportedAt) >= recent))
    .sort((a, b) => Number(OPEN.has(b.status)) - Number(OPEN.has(a.status)))
    .slice(0, RESIDENT_LIMIT)
    .map((c) => ({ title: `群众反映：${c.microGridName}${c.itemName}（${OPEN.has(c.status) ? '办理中' : '已办结'}）`, source: 'resident', ref: c.id, eventIds: [c.id] }));

  return [...hot, ...repeat, ...resident];
}
