import { ROLE_PERMISSIONS, rolesAllow, type Permission, type Role, type Scope } from '../../../../shared/contracts/auth.js';
import type { CatalogItem, StepLimits } from '../../../../shared/contracts/catalog.js';
import { madeAtProblem } from '../../../../shared/contracts/made-at.js';
import type { AssignmentOutcome, EventRecord, EventStatus } from '../../../../shared/contracts/events.js';
import type {
  Action,
  ActionRequest,
  ActionResult,
  DispatchOverride,
  Recommendation,
  RecommendationsResponse,
  TeamStatus,
  TimelineEntry,
  TimelineResponse,
  WorkflowSettings,
} from '../../../../shared/contracts/workflow.js';
import { isOpen } from '../../../../shared/domain/case-state.js';
import { autoDispatchChoice, ineligibility, type IneligibilityCode } from '../../../../shared/domain/recommend.js';
import {
  ACTION_PERMISSION,
  allowedActions,
  restartsStep,
  separationConflict,
  STEP_OF,
  TEAM_ACTIONS,
  teamConflict,
  transition,
  type CaseFacts,
} from '../../../../shared/domain/workflow.js';
import type { Clock } from '../../core/clock.js';
import type { Store } from '../../db/store.js';
import { ApiHttpError } from '../../http/errors.js';
import { fieldMessage, type MessageKey } from '../../http/messages.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import { who, type Principal, type RequestContext } from '../auth/auth.service.js';
import { chainedDue, extend, startStep, stateAfterMove } from './case-clock.js';
import { eventView, inScope, seesPersonalData } from './event-view.js';
import type { AttachmentLinks, CaseChanges, CaseWriter, WrittenChange } from './case-writer.js';
import type { EventPatch, EventsRepo, NewTimelineEntry } from './events.repo.js';
import { transitionParams } from './workflow-labels.js';
import { ActionKeysRepo } from './action-keys.repo.js';
import { requestHash } from './request-hash.js';

/** What the workflow reads of the catalog: the item (and its limits) that governs a case. */
export interface CatalogLookup {
  itemOf(version: number, code: string): CatalogItem | null;
}

/** The working calendar, the duplicate rule and the warning fraction, as configured now. */
export interface SettingsLookup {
  workflow(): Promise<WorkflowSettings>;
}

/** What dispatch needs to know of a team. */
export interface TeamLookup {
  get(id: string): Promise<{ id: string; name: string; status: TeamStatus } | null>;
}

/** Ranks the teams for a case (machine dispatch). */
export interface Recommender {
  recommend(event: EventRecord, item: CatalogItem, now: Date): Promise<RecommendationsResponse>;
  /** The ranking's word on one team (ranked for the case or not); null for an unknown team. */
  assess(event: EventRecord, item: CatalogItem, teamId: string, now: Date): Promise<Recommendation | null>;
}

export interface WorkflowServiceDeps {
  store: Store;
  events: EventsRepo;
  catalog: CatalogLookup;
  settings: SettingsLookup;
  teams: TeamLookup;
  /** Null: no machine dispatch (cases wait for a dispatcher). */
  recommender: Recommender | null;
  writer: CaseWriter;
  clock: Clock;
  /** Refusals are audited here; successes by the writer, with the change. */
  audit: AuditRepo;
  /** Photos shown on timelines under their stored names. */
  attachments: Pick<AttachmentLinks, 'names'>;
}

export interface Actor {
  principal: Principal;
  ctx: RequestContext;
}

/** The role whose permissions allow `permission`: the role the user acts in. */
export function roleFor(roles: readonly Role[], permission: Permission): Role | null {
  return roles.find((r) => ROLE_PERMISSIONS[r].includes(permission)) ?? null;
}

/**
 * Checks a device's `madeAt` against the server's clock (400 naming `madeAt` when it is ahead
 * beyond the skew or too old). Called inside the write, after an Idempotency-Key was looked up,
 * so the retry of a request that went through still gets its first answer, however late.
 */
export function checkMadeAt(madeAt: string | undefined, now: Date): void {
  if (madeAt === undefined) return;
  const problem = madeAtProblem(madeAt, now);
  if (problem) throw new ApiHttpError(400, 'invalid_body', 'error.invalid_body', [{ field: 'madeAt', ...problem }]);
}

/** The timeline's "who" of a person acting in a role. */
export function personOf(principal: Principal, permission: Permission): NonNullable<TimelineEntry['actor']> {
  const { user } = principal;
  return { userId: user.id, username: user.username, displayName: user.displayName, role: roleFor(user.roles, permission) };
}

const SEPARATION_KEYS = {
  reporter_cannot_handle: 'error.separation.reporter_cannot_handle',
  reporter_cannot_verify: 'error.separation.reporter_cannot_verify',
  handler_cannot_verify: 'error.separation.handler_cannot_verify',
  requester_cannot_approve: 'error.separation.requester_cannot_approve',
} as const satisfies Record<string, MessageKey>;

const GUARD_KEYS = {
  illegal_transition: 'error.illegal_transition',
  extension_pending: 'error.extension_pending',
  no_extension_pending: 'error.no_extension_pending',
  verification_required: 'error.verification_required',
} as const satisfies Record<string, MessageKey>;

/** The field code that names each ineligibility on `teamId` (its words are in http/messages.ts). */
const INELIGIBLE_FIELD_CODES = {
  off_duty: 'team_off_duty',
  type_mismatch: 'team_type_mismatch',
  reporter_only_member: 'team_reporter_only_member',
} as const satisfies Record<IneligibilityCode, string>;

type MergeProblem = 'merge_itself' | 'merge_not_found' | 'merge_out_of_scope' | 'merge_already_merged' | 'merge_not_open' | 'merge_other_item';

/**
 * The closed loop on the server (domain.md §4): each action is checked against the state
 * machine of shared/domain/workflow.ts, the actor's permission, team and the separation of
 * duties, then written through the case writer with its step clock, change, timeline entry and
 * audit record in one transaction, and announced after commit.
 */
export class WorkflowService {
  private readonly keys: ActionKeysRepo;

  constructor(private readonly deps: WorkflowServiceDeps) {
    this.keys = new ActionKeysRepo(deps.store);
  }

  /**
   * Does one action on a case. A refusal changes nothing and is audited; success returns the
   * case as the actor may see it and the timeline entry written.
   */
  async act(eventId: string, request: ActionRequest, actor: Actor): Promise<ActionResult> {
    return (await this.actOnce(eventId, request, actor, null)).result;
  }

  /**
   * An action with an Idempotency-Key (the field app retries queued actions): the first
   * request does the action and stores its answer with the key in the same transaction; a
   * retry by the same user with the same body on the same case gets that answer back
   * (`replayed`) and changes, audits and pushes nothing; the key with anything else → 422
   * `idempotency_conflict`. A refused action stores no key, so its retry is judged afresh.
   */
  async actOnce(eventId: string, request: ActionRequest, actor: Actor, idempotencyKey: string | null): Promise<{ result: ActionResult; replayed: boolean }> {
    const { writer, audit } = this.deps;
    const auditAction = request.action === 'dispatch' ? 'event:dispatch' : 'event:transition';
    const userId = actor.principal.user.id;
    const hash = idempotencyKey ? requestHash({ eventId, request }) : null;
    let outcome: { result: ActionResult } | { replay: ActionResult };
    try {
      // the key is read and saved inside the write's transaction
      outcome = await writer.write(async (changes) => {
        if (idempotencyKey) {
          const earlier = await this.keys.get(idempotencyKey);
          if (earlier) {
            if (earlier.requestHash !== hash || earlier.userId !== userId) {
              throw new ApiHttpError(422, 'idempotency_conflict', 'error.idempotency_conflict', [], { key: idempotencyKey });
            }
            return { replay: earlier.response };
          }
        }
        const primary = await this.actInTransaction(changes, eventId, request, actor, auditAction);
        const result = { event: eventView(primary.event, seesPersonalData(actor.principal.user.roles)), entry: primary.entry };
        if (idempotencyKey) await this.keys.save(idempotencyKey, { requestHash: hash!, eventId, userId, seq: primary.seq, response: result }, primary.at);
        return { result };
      });
    } catch (err) {
      if (err instanceof ApiHttpError) {
        await audit.record({
          ...who(actor.principal),
          ...actor.ctx,
          action: auditAction,
          result: err.status === 403 || err.status === 409 ? 'denied' : 'failure',
          reason: err.code,
          objectType: 'event',
          objectId: eventId,
          details: { action: request.action, ...err.extra },
        });
      }
      throw err;
    }
    if ('replay' in outcome) return { result: outcome.replay, replayed: true };
    return { result: outcome.result, replayed: false };
  }

  /**
   * A case's timeline as a reader of `scope` sees it (the caller checked that the case itself is
   * in scope). A merged case shows its master's entries only to readers whose scope covers the
   * master's town; anyone else learns under which case, in which town and state it is handled,
   * not how: the master's notes, people, places and photos stay with its town. Attachments show
   * under their stored (sanitised) names, whatever name an entry recorded.
   */
  async timeline(event: EventRecord, scope: Scope): Promise<TimelineResponse> {
    const { events } = this.deps;
    const master = event.masterId ? await events.get(event.masterId) : null;
    let masterPart: TimelineResponse['master'] = null;
    if (master) {
      masterPart = inScope(scope, master.townId)
        ? { eventId: master.id, withheld: false, entries: await this.withStoredNames(await events.timeline(master.id)) }
        : { eventId: master.id, withheld: true, entries: [], townId: master.townId, status: event.masterStatus ?? master.status };
    }
    return { eventId: event.id, entries: await this.withStoredNames(await events.timeline(event.id)), master: masterPart };
  }

  private async withStoredNames(entries: TimelineEntry[]): Promise<TimelineEntry[]> {
    const ids = [...new Set(entries.flatMap((e) => e.attachments.map((a) => a.id)))];
    if (ids.length === 0) return entries;
    const names = await this.deps.attachments.names(ids);
    return entries.map((e) => (e.attachments.length === 0 ? e : { ...e, attachments: e.attachments.map((a) => ({ id: a.id, name: names.get(a.id) ?? a.name })) }));
  }

  /**
   * Machine dispatch (机器派单) at intake, inside the intake's transaction: when the item
   * auto-dispatches this urgency and a home team is available, the machine files the case and
   * dispatches it; otherwise the timeline says why not and the case waits for a dispatcher.
   */
  async autoDispatch(changes: CaseChanges, event: EventRecord, item: CatalogItem, now: Date): Promise<void> {
    const { recommender } = this.deps;
    if (!recommender || !item.autoDispatch?.urgencies.includes(event.urgency)) return;
    const at = now.toISOString();
    const recs = (await recommender.recommend(event, item, now)).recommendations;
    const choice = autoDispatchChoice(recs);
    const machine = { actor: null, auto: true, note: null, position: null, attachments: [] };
    if (!choice) {
      const reason = recs.some((r) => r.eligible) ? 'no_available_home_team' : 'no_eligible_team';
      await changes.append(event.id, 'auto-dispatch', at, { ...machine, action: 'auto-dispatch', from: event.status, to: event.status, teamId: null, details: { dispatched: false, reason } });
      return;
    }
    const limits = limitsOf(item, event);
    const filed = await this.apply(changes, event, 'file', 'filed', { filedAt: at }, limits, now, 'auto-dispatch', {
      ...machine,
      action: 'auto-dispatch',
      teamId: null,
      details: { step: 'file' },
    });
    await this.apply(
      changes,
      filed.event,
      'dispatch',
      'dispatched',
      { teamId: choice.teamId, dispatchedAt: at, autoDispatched: true, dueAt: closingDue(event, now, limits, await this.settings()) },
      limits,
      now,
      'auto-dispatch',
      {
        ...machine,
        action: 'auto-dispatch',
        teamId: choice.teamId,
        details: { step: 'dispatch', teamId: choice.teamId, teamName: choice.teamName, score: choice.score, reasons: choice.reasons.map((r) => r.code) },
      },
    );
    await changes.audit({
      ...who(null),
      action: 'event:dispatch',
      result: 'success',
      objectType: 'event',
      objectId: event.id,
      details: { auto: true, teamId: choice.teamId, from: event.status, to: 'dispatched' },
    });
  }

  private settings(): Promise<WorkflowSettings> {
    return this.deps.settings.workflow();
  }

  /** Checks and writes one action (with what follows for merged cases); returns its own change. */
  private async actInTransaction(changes: CaseChanges, eventId: string, request: ActionRequest, actor: Actor, auditAction: 'event:dispatch' | 'event:transition'): Promise<WrittenChange> {
    const { events, catalog, clock } = this.deps;
    const { principal } = actor;
    const user = principal.user;
    const action = request.action;

    checkMadeAt(request.madeAt, clock.now());
    const event = await events.get(eventId);
    if (!event) throw new ApiHttpError(404, 'not_found', 'error.not_found', [], { what: eventId });
    if (!inScope(user.scope, event.townId)) throw new ApiHttpError(403, 'out_of_scope', 'error.out_of_scope', [], { what: eventId });
    // a case a county's server forwarded (modules/forwarding) is handled there: the city only follows it
    if (event.forwardedFrom) throw forwardedCase(event.forwardedFrom);
    if (request.action === 'merge') {
      const into = (await events.get(request.intoId))?.forwardedFrom;
      if (into) throw forwardedCase(into);
    }
    const permission = ACTION_PERMISSION[action];
    if (!rolesAllow(user.roles, permission)) throw new ApiHttpError(403, 'forbidden', 'error.forbidden', [], { permission }, { permission });

    const item = catalog.itemOf(event.catalogVersion, event.itemCode);
    const facts: CaseFacts = { status: event.status, extensionPending: event.extensionRequest !== null, verificationRequired: item?.verificationRequired ?? true };
    const step = transition(facts, action);
    if (!step.ok) {
      const allowed = allowedActions(facts);
      throw new ApiHttpError(409, 'illegal_transition', GUARD_KEYS[step.reason], [], transitionParams(event.status, action, allowed), {
        status: event.status,
        allowed,
        ...(step.reason === 'illegal_transition' ? {} : { reason: step.reason }),
      });
    }
    // Every state with actions has a step clock, so an allowed action always has its item.
    if (!item) throw new Error(`case ${event.id}: item ${event.itemCode} of catalog version ${event.catalogVersion} is missing`);

    const teamRule = teamConflict(user, action, event.teamId);
    if (teamRule === 'no_team') throw new ApiHttpError(403, 'team_required', 'error.no_team_to_act', [], {}, { rule: teamRule });
    if (teamRule === 'not_your_team') {
      throw new ApiHttpError(403, 'not_your_team', 'error.not_your_team', [], { team: event.teamName ?? event.teamId ?? '—' }, { teamId: event.teamId });
    }
    const people = (await events.people(event.id))!;
    const conflict = separationConflict(action, user.id, {
      reporterId: people.reporterUserId,
      handlerId: people.handlerUserId,
      extensionRequesterId: people.extensionRequester,
      selfHandled: event.selfHandled,
    });
    if (conflict) throw new ApiHttpError(403, 'separation_of_duties', SEPARATION_KEYS[conflict], [], { action }, { rule: conflict });
    const attachments = await changes.attachments(request.attachments, user.id, event.id);

    const now = clock.now();
    const at = now.toISOString();
    const settings = await this.settings();
    const limits = limitsOf(item, event);
    const patch: EventPatch = {};
    // The phone's time is kept beside the server's; only the server's (`at`) moves clocks.
    const details: Record<string, unknown> = request.madeAt === undefined ? {} : { madeAt: request.madeAt };
    let teamId: string | null = TEAM_ACTIONS.has(action) ? event.teamId : null;

    switch (request.action) {
      case 'file':
        patch.filedAt = at;
        break;
      case 'reject':
        patch.refusal = { reason: request.reason, receivingBody: request.receivingBody };
        Object.assign(details, patch.refusal);
        break;
      case 'void':
        details.reason = request.reason;
        break;
      case 'dispatch': {
        const team = await this.deps.teams.get(request.teamId);
        if (!team) throw new ApiHttpError(422, 'unknown_team', 'error.unknown_team', [{ field: 'teamId', code: 'unknown_team' }], { teamId: request.teamId });
        const override = await this.dispatchOverride(event, item, team, request.override, now);
        Object.assign(patch, { teamId: team.id, dispatchedAt: at, autoDispatched: false, dueAt: closingDue(event, now, limits, settings) });
        Object.assign(details, { teamId: team.id, teamName: team.name, previousTeamId: event.teamId, dueAt: patch.dueAt, ...(override ? { override } : {}) });
        teamId = team.id;
        break;
      }
      case 'accept':
      case 'start':
        break;
      case 'return':
        patch.teamId = null;
        details.reason = request.reason;
        break;
      case 'report':
        Object.assign(patch, { result: request.result, handlerUserId: user.id, handledAt: at });
        details.result = request.result;
        break;
      case 'verify':
        Object.assign(patch, { verifierUserId: user.id, verifiedAt: at });
        break;
      case 'rework':
        patch.reworkCount = event.reworkCount + 1;
        details.reason = request.reason;
        break;
      case 'close':
        patch.closedAt = at;
        break;
      case 'request-extension':
        patch.extensionRequest = { requestedAt: at, by: user.displayName, reason: request.reason, limit: request.extension };
        patch.extensionRequester = user.id;
        Object.assign(details, { reason: request.reason, extension: request.extension });
        break;
      case 'approve-extension': {
        const ext = event.extensionRequest!;
        const deadlineAt = event.deadlineAt ? extend(event.deadlineAt, ext.limit, settings) : null;
        const warnAt = event.warnAt ? extend(event.warnAt, ext.limit, settings) : null;
        // the county extends its own steps; a city's deadline is the city's to move
        const dueAt = event.assignment ? event.dueAt : event.dueAt ? extend(event.dueAt, ext.limit, settings) : null;
        Object.assign(patch, {
          deadlineAt,
          warnAt,
          dueAt,
          deadlineState: stateAfterMove(event.deadlineState, warnAt, deadlineAt, now),
          extensionCount: event.extensionCount + 1,
          extensionRequest: null,
          extensionRequester: null,
        });
        Object.assign(details, {
          extension: ext.limit,
          reason: ext.reason,
          requestedBy: ext.by,
          deadlineFrom: event.deadlineAt,
          deadlineTo: deadlineAt,
          dueFrom: event.dueAt,
          dueTo: dueAt,
        });
        break;
      }
      case 'deny-extension':
        Object.assign(patch, { extensionRequest: null, extensionRequester: null });
        Object.assign(details, { reason: request.reason, extension: event.extensionRequest?.limit ?? null });
        break;
      case 'supervise':
        patch.supervised = true;
        break;
      case 'merge': {
        const target = await this.mergeTarget(event, request.intoId, actor);
        Object.assign(patch, { masterId: target.id, masterStatus: target.status, result: masterResultFor(event, target) });
        details.intoId = target.id;
        break;
      }
    }

    const entry = {
      action,
      actor: personOf(principal, permission),
      teamId,
      auto: false,
      note: request.note ?? null,
      position: request.position ?? null,
      attachments,
      details,
    };
    const outcome = assignmentOutcome(event, request);
    if (outcome) await changes.reportAssignment(event.id, at, outcome);
    const primary = await this.apply(changes, event, action, step.to, patch, limits, now, action, entry);

    if (request.action === 'merge') {
      const masterId = request.intoId;
      // Cases merged into this one follow it into the new master, keeping one level of lineage.
      for (const childId of await events.mergedInto(event.id)) {
        const master = (await events.get(masterId))!;
        const child = (await events.get(childId))!;
        await changes.update(childId, { masterId, masterStatus: master.status, result: masterResultFor(child, master) }, at);
        await this.masterUpdated(changes, child, master, at, { via: event.id });
      }
      const master = (await events.get(masterId))!;
      await changes.append(masterId, 'merge', at, {
        ...entry,
        teamId: null,
        from: master.status,
        to: master.status,
        details: { mergedId: event.id },
      });
    } else if (step.to !== event.status || patch.result !== undefined) {
      for (const childId of await events.mergedInto(event.id)) {
        const child = (await events.get(childId))!;
        await changes.update(childId, { masterStatus: primary.event.status, result: masterResultFor(child, primary.event) }, at);
        await this.masterUpdated(changes, child, primary.event, at, {});
      }
    }

    await changes.audit({
      ...who(principal),
      ...actor.ctx,
      action: auditAction,
      result: 'success',
      objectType: 'event',
      objectId: event.id,
      details: { action, from: event.status, to: step.to, ...details },
    });
    return primary;
  }

  /**
   * Writes one action on a case: the state, the step clock when the action starts a new step,
   * the action's own fields, then the change and its timeline entry.
   */
  private async apply(
    changes: CaseChanges,
    event: EventRecord,
    action: Action,
    to: EventStatus,
    patch: EventPatch,
    limits: StepLimits,
    now: Date,
    kind: string,
    entry: Omit<NewTimelineEntry, 'from' | 'to'>,
  ): Promise<WrittenChange> {
    const at = now.toISOString();
    const clock = restartsStep(event.status, action) ? startStep(STEP_OF[to], now, limits, await this.settings()) : {};
    await changes.update(event.id, { ...clock, ...patch, status: to }, at);
    return changes.append(event.id, kind, at, { ...entry, from: event.status, to });
  }

  /** A merged case hears of its master's new state, and of its result within one town (see masterResultFor). */
  private async masterUpdated(changes: CaseChanges, child: EventRecord, master: EventRecord, at: string, extra: Record<string, unknown>): Promise<void> {
    await changes.append(child.id, 'master-updated', at, {
      action: 'master-updated',
      from: 'merged',
      to: 'merged',
      actor: null,
      teamId: null,
      auto: true,
      note: null,
      position: null,
      attachments: [],
      details: { masterId: master.id, masterStatus: master.status, result: masterResultFor(child, master), ...extra },
    });
  }

  /**
   * The dispatch rule (派遣): a team the ranking marks ineligible goes only with the dispatcher's
   * written reason, and only when every one of its ineligibilities may be overridden
   * (INELIGIBILITY_OVERRIDABLE: off duty and another team type may, separation of duties never).
   * Returns what the timeline entry and the audit record keep of the override; null for an
   * eligible team (a reason sent for one overrides nothing and is not recorded as an override).
   */
  private async dispatchOverride(
    event: EventRecord,
    item: CatalogItem,
    team: { id: string; name: string; status: TeamStatus },
    override: DispatchOverride | undefined,
    now: Date,
  ): Promise<{ reason: string; ineligible: IneligibilityCode[] } | null> {
    const rec = (await this.deps.recommender?.assess(event, item, team.id, now)) ?? null;
    // Without a ranking (no recommender) the server still knows the team's duty status.
    const why = rec ? ineligibility(rec) : team.status === 'off_duty' ? { codes: ['off_duty' as const], overridable: true } : null;
    if (!why) return null;
    const fields = why.codes.map((code) => ({ field: 'teamId', code: INELIGIBLE_FIELD_CODES[code] }));
    const params = {
      team: team.name,
      whyZh: fields.map((f) => fieldMessage('zh-CN', f.code, {})).join('；'),
      // the field words are predicates ("is off duty"): said of the team
      why: fields.map((f) => `it ${fieldMessage('en', f.code, {})}`).join('; '),
    };
    const extra = { teamStatus: team.status, ineligible: why.codes, overridable: why.overridable };
    if (!why.overridable) throw new ApiHttpError(422, 'team_ineligible', 'error.team_ineligible_binding', fields, params, extra);
    if (!override) {
      throw new ApiHttpError(422, 'team_ineligible', 'error.team_ineligible', [...fields, { field: 'override.reason', code: 'override_reason_required' }], params, extra);
    }
    return { reason: override.reason, ineligible: why.codes };
  }

  private async mergeTarget(event: EventRecord, intoId: string, actor: Actor): Promise<EventRecord> {
    const refuse = (problem: MergeProblem): never => {
      throw new ApiHttpError(422, 'merge_target_invalid', 'error.merge_target_invalid', [{ field: 'intoId', code: problem }], { intoId }, { reason: problem });
    };
    if (intoId === event.id) refuse('merge_itself');
    const target = await this.deps.events.get(intoId);
    if (!target) return refuse('merge_not_found');
    if (!inScope(actor.principal.user.scope, target.townId)) refuse('merge_out_of_scope');
    if (target.status === 'merged') refuse('merge_already_merged');
    if (!isOpen(target)) refuse('merge_not_open');
    if (target.itemCode !== event.itemCode) refuse('merge_other_item');
    return target;
  }
}

/**
 * The result text a merged case carries of its master: the master's within one town, none
 * across a town border. The text is the handling team's own words and may name people and
 * places; a merged case is read (and pushed live) to its own town's users, who may not read a
 * master in another town. They, and so the case's reporters, still follow the master's status.
 */
function masterResultFor(child: Pick<EventRecord, 'townId'>, master: Pick<EventRecord, 'townId' | 'result'>): string | null {
  return child.townId === master.townId ? master.result : null;
}

/**
 * The closing deadline (应结案时间) a dispatch sets: the handle and verify steps chained from now,
 * or, for a case a city assigned down (市级交办), the city's deadline, which no dispatch moves.
 */
function closingDue(event: Pick<EventRecord, 'assignment'>, now: Date, limits: StepLimits, settings: WorkflowSettings): string {
  return event.assignment?.dueAt ?? chainedDue(now, limits, ['handle', 'verify'], settings);
}

/**
 * What an action reports back up of a case a city assigned down, when it finishes the case:
 * closed with the team's result, not filed with the reason and receiving body, voided with the
 * reason, merged with the case it now follows. Null for any other action or case, and once reported.
 */
function assignmentOutcome(event: EventRecord, request: ActionRequest): AssignmentOutcome | null {
  if (!event.assignment || event.assignment.reportedAt !== null) return null;
  switch (request.action) {
    case 'close':
      return { status: 'closed', text: event.result };
    case 'reject':
      return { status: 'rejected', text: request.reason, receivingBody: request.receivingBody };
    case 'void':
      return { status: 'void', text: request.reason };
    case 'merge':
      return { status: 'merged', text: request.intoId };
    default:
      return null;
  }
}

/** The step limits of a case: its item's at its urgency (the default urgency's if the item no longer lists it). */
export function limitsOf(item: CatalogItem, event: Pick<EventRecord, 'urgency'>): StepLimits {
  const limits = item.limits[event.urgency] ?? item.limits[item.defaultUrgency];
  if (!limits) throw new Error(`item ${item.code} has no step limits for ${event.urgency}`);
  return limits;
}

/** 409 for an action on (or a merge into) a case forwarded from a county's server. */
function forwardedCase(from: { county: string; eventId: string }): ApiHttpError {
  return new ApiHttpError(409, 'forwarded_case', 'error.forwarded_case', [], { county: from.county, countyEventId: from.eventId }, { county: from.county, countyEventId: from.eventId });
}
