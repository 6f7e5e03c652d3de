import type { Role } from '../../../../shared/contracts/auth.js';
import type { CatalogItem, StepLimits, TimeLimit } from '../../../../shared/contracts/catalog.js';
import type { DeadlineState, EventSource, EventStatus, Step, Urgency } from '../../../../shared/contracts/events.js';
import type { Position, TimelineEntry, WorkingCalendar } from '../../../../shared/contracts/workflow.js';
import { MACHINE } from '../../../../shared/domain/workflow.js';
import { addLimit, fractionPoint } from '../../../../shared/domain/working-calendar.js';
import { closingResult, extensionReason, rejection, returnReason, reworkReason, supervisionNote, voidReason } from './event-text.js';
import type { Random } from './random.js';
import type { DemoTeam } from './teams.js';

/** A person in the seeded history: a made-up name with a role, never a login (no user id). */
export interface DemoActor {
  name: string;
  role: Role | null;
}

/** The facts of a case that change along its life, as they stand after one step. */
export interface CaseState {
  status: EventStatus;
  step: Step | null;
  stepStartedAt: number | null;
  warnAt: number | null;
  deadlineAt: number | null;
  deadlineState: DeadlineState;
  dueAt: number | null;
  filedAt: number | null;
  dispatchedAt: number | null;
  handledAt: number | null;
  verifiedAt: number | null;
  closedAt: number | null;
  team: DemoTeam | null;
  autoDispatched: boolean;
  selfHandled: boolean;
  supervised: boolean;
  reworkCount: number;
  extensionCount: number;
  extensionRequest: { requestedAt: number; by: string; reason: string; limit: TimeLimit } | null;
  result: string | null;
  refusal: { reason: string; receivingBody: string } | null;
  updatedAt: number;
}

/** One step of the history: a timeline entry, a change in the log, and the case after it. */
export interface CaseStep {
  action: TimelineEntry['action'];
  /** The change's kind on the live feed (`reported` for the intake, else the action). */
  kind: string;
  from: EventStatus | null;
  to: EventStatus;
  at: number;
  /** Null for the machine (auto-dispatch, deadline monitor). */
  actor: DemoActor | null;
  teamId: string | null;
  auto: boolean;
  note: string | null;
  position: Position | null;
  details: Record<string, unknown>;
  state: CaseState;
}

/** What the story needs to know about the case and the people around it. */
export interface StoryInput {
  item: CatalogItem;
  urgency: Urgency;
  source: EventSource;
  reportedAt: number;
  asOf: number;
  calendar: WorkingCalendar;
  warnAtFraction: number;
  location: { lon: number; lat: number };
  /** Who took the report in (grid worker, hotline interface, camera, a dispatcher…). */
  intakeActor: DemoActor;
  /** The grid worker who reported it, when a grid worker did: may not handle or verify it. */
  reporterName: string | null;
  /** The eligible team near the case; `home` = home village or town only; `other` = not this one. */
  teamFor(opts: { home: boolean; other?: DemoTeam }): DemoTeam | null;
  /** Someone of the team who does the field work (never `avoid`). */
  handlerOf(team: DemoTeam, avoid: string[]): DemoActor;
  /** A grid worker of the case's grid or a duty officer (never one of `avoid`). */
  verifier(avoid: string[]): DemoActor;
  dispatcher(): DemoActor;
  supervisor(): DemoActor;
  rng: Random;
}

/**
 * How often each turn of the story happens. Together they give the loop realistic rates: about
 * 9 in 10 cases closed by their closing deadline, rework near 0.5 % and extensions near 0.2 % of
 * the cases due (domain.md §5's fixture: 0.53 % and 0.20 %). `late*` is the share of a step that
 * overruns its limit, `warnShare` the share that passes the warning point but ends in time.
 */
export const STORY_RATES = {
  rejectCitizen: 0.015,
  rejectOther: 0.003,
  voidCitizen: 0.005,
  voidOther: 0.004,
  selfHandle: 0.6,
  autoDispatchSkipped: 0.1,
  returned: 0.003,
  extension: 0.0025,
  rework: 0.007,
  lateFile: 0.02,
  lateDispatch: 0.02,
  lateHandle: 0.09,
  lateVerify: 0.05,
  warnShare: 0.12,
  superviseOverdue: 0.3,
  superviseUrgent: 0.15,
  /** Urgent (P0/P1) cases are watched by the command room and overrun a step this much less often. */
  urgentLateFactor: 0.2,
};

const MINUTE = 60_000;
const seconds = (t: number) => Math.floor(t / 1000) * 1000;

class Stop extends Error {}

type Patch = Partial<CaseState> | ((at: number) => Partial<CaseState>);
interface Extra {
  note?: string;
  position?: Position;
  details?: Record<string, unknown>;
  teamId?: string | null;
}

const FINISHED: Partial<CaseState> = { step: null, stepStartedAt: null, deadlineAt: null, warnAt: null, deadlineState: 'ok' };

/** A case with nothing done to it yet. */
function blankState(status: EventStatus, at: number): CaseState {
  return {
    status,
    step: null,
    stepStartedAt: null,
    warnAt: null,
    deadlineAt: null,
    deadlineState: 'ok',
    dueAt: null,
    filedAt: null,
    dispatchedAt: null,
    handledAt: null,
    verifiedAt: null,
    closedAt: null,
    team: null,
    autoDispatched: false,
    selfHandled: false,
    supervised: false,
    reworkCount: 0,
    extensionCount: 0,
    extensionRequest: null,
    result: null,
    refusal: null,
    updatedAt: at,
  };
}

/**
 * The one step of a matter that is not a grid item: recorded as not admitted (不予受理) with the
 * body it was referred to, never silently dropped.
 */
export function notAdmittedStory(reportedAt: number, actor: DemoActor, refusal: { reason: 'referred'; receivingBody: string }, details: { itemCode: string; source: EventSource }): CaseStep[] {
  return [
    {
      action: 'not-admitted',
      kind: 'not-admitted',
      from: null,
      to: 'not_admitted',
      at: reportedAt,
      actor,
      teamId: null,
      auto: false,
      note: null,
      position: null,
      details: { ...refusal, ...details },
      state: { ...blankState('not_admitted', reportedAt), refusal },
    },
  ];
}

/**
 * Writes one case's history: walks the closed loop (shared/domain/workflow.ts) from the report
 * and stops at `asOf`. Each step's deadline comes from the item's limits at the case's urgency
 * on the working calendar; when a step runs past 80 % or all of its time, the deadline
 * monitor's entries appear where the live server would write them.
 */
export function caseStory(input: StoryInput): CaseStep[] {
  return new Story(input).run();
}

class Story {
  private readonly steps: CaseStep[] = [];
  private state: CaseState;
  private readonly limits: StepLimits;
  private readonly handlers: string[] = [];

  constructor(private readonly s: StoryInput) {
    const limits = s.item.limits[s.urgency];
    if (!limits) throw new Error(`item ${s.item.code} has no limits for ${s.urgency}`);
    this.limits = limits;
    this.state = blankState('reported', s.reportedAt);
  }

  run(): CaseStep[] {
    try {
      this.live();
      this.monitor(this.s.asOf);
    } catch (e) {
      if (!(e instanceof Stop)) throw e;
    }
    return this.steps;
  }

  // --- time ---

  private point(from: number, limit: TimeLimit, fraction: number): number {
    return seconds(fractionPoint(new Date(from), limit, fraction, this.s.calendar).getTime());
  }

  private deadline(from: number, ...limits: TimeLimit[]): number {
    let t = new Date(from);
    for (const limit of limits) t = addLimit(t, limit, this.s.calendar);
    return seconds(t.getTime());
  }

  /** When a step that started at `from` ends, as a share of its limit: mostly in time, sometimes in the warning band, rarely late. */
  private finish(from: number, limit: TimeLimit, lateShare: number, onTime: [number, number]): number {
    const late = this.s.urgency === 'P0' || this.s.urgency === 'P1' ? lateShare * STORY_RATES.urgentLateFactor : lateShare;
    const r = this.s.rng.next();
    const f = r < late ? this.s.rng.range(1.05, 2.2) : r < late + STORY_RATES.warnShare ? this.s.rng.range(0.81, 0.98) : this.s.rng.range(onTime[0], onTime[1]);
    return this.point(from, limit, f);
  }

  private restart(step: Step, at: number): Partial<CaseState> {
    const limit = this.limits[step];
    return {
      step,
      stepStartedAt: at,
      deadlineAt: this.deadline(at, limit),
      warnAt: seconds(fractionPoint(new Date(at), limit, this.s.warnAtFraction, this.s.calendar).getTime()),
      deadlineState: 'ok',
    };
  }

  // --- writing steps ---

  /**
   * Records a step at `at` (never before the previous one); `patch` gets the instant it was
   * recorded at. First writes what the deadline monitor would have written before it; stops
   * the story at `asOf`.
   */
  private emit(action: CaseStep['action'], to: EventStatus, at: number, actor: DemoActor | null, patch: Patch = {}, extra: Extra = {}): number {
    const last = this.steps.at(-1)?.at ?? this.s.reportedAt;
    const when = Math.max(seconds(at), last);
    if (action !== 'deadline-warning' && action !== 'deadline-overdue') this.monitor(when);
    if (when >= this.s.asOf) throw new Stop();
    const from = this.steps.length === 0 ? null : this.state.status;
    this.state = { ...this.state, ...(typeof patch === 'function' ? patch(when) : patch), status: to, updatedAt: when };
    this.steps.push({
      action,
      kind: action === 'intake' ? 'reported' : action,
      from,
      to,
      at: when,
      actor,
      teamId: extra.teamId !== undefined ? extra.teamId : (this.state.team?.id ?? null),
      auto: actor === null,
      note: extra.note ?? null,
      position: extra.position ?? null,
      details: extra.details ?? {},
      state: this.state,
    });
    return when;
  }

  /** The deadline monitor's entries up to `until`: warning at 80 %, overdue at 100 %; a shift lead may supervise an overdue case. */
  private monitor(until: number): void {
    const st = this.state;
    if (st.step === null || st.warnAt === null || st.deadlineAt === null) return;
    const { step, status } = st;
    // The monitor runs after the instant has passed: a whole second later at the earliest.
    const warnTick = seconds(st.warnAt) + 1000;
    const overdueTick = seconds(st.deadlineAt) + 1000;
    if (st.deadlineState === 'ok' && warnTick < until && warnTick < overdueTick) {
      this.emit('deadline-warning', status, warnTick, null, { deadlineState: 'warning' }, { details: { step, warnAt: iso(st.warnAt), deadlineAt: iso(st.deadlineAt) } });
    }
    if (this.state.deadlineState !== 'overdue' && overdueTick < until) {
      this.emit('deadline-overdue', status, overdueTick, null, { deadlineState: 'overdue' }, { details: { step, deadlineAt: iso(st.deadlineAt) } });
      const superviseAt = overdueTick + this.s.rng.int(5, 40) * MINUTE;
      if (!this.state.supervised && MACHINE[status].supervise && superviseAt < until && this.s.rng.chance(STORY_RATES.superviseOverdue)) {
        this.emit('supervise', status, superviseAt, this.s.supervisor(), { supervised: true }, { note: supervisionNote(this.s.rng, true), teamId: null });
      }
    }
  }

  private position(): Position {
    const { rng, location } = this.s;
    const jitter = () => rng.range(-0.00025, 0.00025);
    return { lon: round6(location.lon + jitter()), lat: round6(location.lat + jitter()), accuracy: rng.int(5, 30) };
  }

  // --- the loop ---

  private live(): void {
    const { s, limits } = this;
    const { rng, item, source, reportedAt: t0 } = s;
    const citizen = source === 'hotline_12345' || source === 'citizen_app' || source === 'petition';
    const reporters = s.reporterName ? [s.reporterName] : [];

    const auto = item.autoDispatch?.urgencies.includes(s.urgency) ?? false;
    const selfHandled = source === 'grid_patrol' && item.selfHandle && rng.chance(STORY_RATES.selfHandle);
    const homeTeam = auto && !selfHandled ? s.teamFor({ home: true }) : null;
    const autoSkipped = auto && !selfHandled && (homeTeam === null || rng.chance(STORY_RATES.autoDispatchSkipped));
    // At intake the closing deadline chains every step's limit from the report.
    this.emit('intake', 'reported', t0, s.intakeActor, { ...this.restart('file', t0), dueAt: this.deadline(t0, limits.file, limits.dispatch, limits.handle, limits.verify) }, {
      details: { source, urgency: s.urgency, duplicateCandidates: [] },
      teamId: null,
    });

    if (selfHandled) {
      // Fixed on the spot by the grid worker who reports it: filed, handled and closed at once.
      const result = closingResult(rng, item.category, true);
      this.emit('self-handled', 'closed', t0, s.intakeActor, { ...FINISHED, selfHandled: true, filedAt: t0, dispatchedAt: t0, handledAt: t0, closedAt: t0, result }, {
        details: { result },
        position: this.position(),
        teamId: null,
      });
      return;
    }
    if (autoSkipped) {
      // The machine says why it left the case to a dispatcher.
      this.emit('auto-dispatch', 'reported', t0, null, {}, { details: { dispatched: false, reason: homeTeam ? 'no_available_home_team' : 'no_eligible_team' }, teamId: null });
    }

    const r = rng.next();
    const rejectShare = citizen ? STORY_RATES.rejectCitizen : STORY_RATES.rejectOther;
    if (!auto || autoSkipped) {
      if (r < rejectShare) {
        const refusal = rejection(rng);
        this.emit('reject', 'rejected', this.finish(t0, limits.file, 0, [0.1, 0.7]), s.dispatcher(), { ...FINISHED, refusal }, { details: { ...refusal }, note: refusal.reason, teamId: null });
        return;
      }
      if (r < rejectShare + (citizen ? STORY_RATES.voidCitizen : STORY_RATES.voidOther)) {
        const reason = voidReason(rng);
        this.emit('void', 'void', this.finish(t0, limits.file, 0, [0.1, 0.7]), s.dispatcher(), FINISHED, { details: { reason }, note: reason, teamId: null });
        return;
      }
    }

    let team: DemoTeam | null;
    let dispatchedAt: number;
    if (auto && !autoSkipped && homeTeam) {
      // Machine dispatch (机器派单): filed and dispatched to the home team at intake, two steps of the machine.
      team = homeTeam;
      this.emit('auto-dispatch', 'filed', t0, null, { ...this.restart('dispatch', t0), filedAt: t0 }, { details: { step: 'file' }, teamId: null });
      dispatchedAt = this.emit(
        'auto-dispatch',
        'dispatched',
        t0,
        null,
        { ...this.restart('handle', t0), dispatchedAt: t0, team, autoDispatched: true, dueAt: this.deadline(t0, limits.handle, limits.verify) },
        { details: { step: 'dispatch', teamId: team.id, teamName: team.name }, teamId: team.id },
      );
    } else {
      const filedAt = this.emit('file', 'filed', this.finish(t0, limits.file, STORY_RATES.lateFile, [0.1, 0.75]), s.dispatcher(), (at) => ({ ...this.restart('dispatch', at), filedAt: at }), {
        teamId: null,
      });
      team = s.teamFor({ home: rng.chance(0.95) }) ?? s.teamFor({ home: true });
      if (!team) throw new Error(`no team of type ${item.teamType} for item ${item.code}`);
      dispatchedAt = this.dispatch(team, this.finish(filedAt, limits.dispatch, STORY_RATES.lateDispatch, [0.1, 0.75]));
      if (s.urgency === 'P0' && rng.chance(STORY_RATES.superviseUrgent)) {
        this.emit('supervise', 'dispatched', dispatchedAt + rng.int(1, 5) * MINUTE, s.supervisor(), { supervised: true }, { note: supervisionNote(rng, false), teamId: null });
      }
      if (rng.chance(STORY_RATES.returned)) {
        const reason = returnReason(rng);
        const back = this.emit('return', 'filed', this.point(dispatchedAt, limits.handle, rng.range(0.01, 0.05)), s.handlerOf(team, reporters), (at) => ({ ...this.restart('dispatch', at), team: null }), {
          details: { reason },
          note: reason,
          teamId: team.id,
        });
        team = s.teamFor({ home: false, other: team }) ?? team;
        dispatchedAt = this.dispatch(team, this.finish(back, limits.dispatch, 0, [0.1, 0.6]));
      }
    }

    const handler = s.handlerOf(team, reporters);
    this.handlers.push(handler.name);
    this.emit('accept', 'accepted', this.point(dispatchedAt, limits.handle, rng.range(0.005, 0.04)), handler, {}, { teamId: team.id });
    const startShare = rng.range(0.05, 0.25);
    this.emit('start', 'in_progress', this.point(dispatchedAt, limits.handle, startShare), handler, {}, { position: this.position(), teamId: team.id });

    let handledAt: number;
    if (rng.chance(STORY_RATES.extension)) {
      handledAt = this.extendAndReport(dispatchedAt, handler, team);
    } else {
      const long = workingDays(limits.handle) >= 3;
      const onTime: [number, number] = long ? [Math.max(0.1, startShare + 0.02), 0.7] : [Math.max(0.3, startShare + 0.02), 0.78];
      handledAt = this.report(this.finish(dispatchedAt, limits.handle, STORY_RATES.lateHandle, onTime), handler, team);
    }

    if (item.verificationRequired && rng.chance(STORY_RATES.rework)) {
      const reason = reworkReason(rng);
      const verifier = s.verifier([...reporters, ...this.handlers]);
      const at = this.emit(
        'rework',
        'in_progress',
        this.point(handledAt, limits.verify, rng.range(0.2, 0.6)),
        verifier,
        (when) => ({ ...this.restart('handle', when), reworkCount: this.state.reworkCount + 1 }),
        { details: { reason }, note: reason, position: this.position(), teamId: team.id },
      );
      handledAt = this.report(this.finish(at, limits.handle, STORY_RATES.lateHandle, [0.2, 0.6]), handler, team);
    }

    const verifyShare = rng.next() < STORY_RATES.lateVerify ? rng.range(1.05, 2) : rng.range(0.1, 0.65);
    if (item.verificationRequired) {
      const verifier = s.verifier([...reporters, ...this.handlers]);
      this.emit('verify', 'verified', this.point(handledAt, limits.verify, verifyShare), verifier, (at) => ({ verifiedAt: at }), { position: this.position(), teamId: null });
    }
    this.emit('close', 'closed', this.point(handledAt, limits.verify, verifyShare + rng.range(0.02, 0.15)), s.dispatcher(), (at) => ({ ...FINISHED, closedAt: at }), { teamId: null });
  }

  /** Dispatches to `team` at `at`: the handling step starts and the closing deadline is recounted from here. */
  private dispatch(team: DemoTeam, at: number): number {
    const { limits } = this;
    return this.emit('dispatch', 'dispatched', at, this.s.dispatcher(), (when) => ({ ...this.restart('handle', when), team, dispatchedAt: when, dueAt: this.deadline(when, limits.handle, limits.verify) }), {
      details: { teamId: team.id, teamName: team.name },
      teamId: team.id,
    });
  }

  private report(at: number, handler: DemoActor, team: DemoTeam): number {
    const result = closingResult(this.s.rng, this.s.item.category, false);
    return this.emit('report', 'handled', at, handler, (when) => ({ ...this.restart('verify', when), result, handledAt: when }), { details: { result }, position: this.position(), teamId: team.id });
  }

  /**
   * The team asks for more time past half of it; a duty officer approves, which moves both the
   * step deadline and the closing deadline by the extension; the case is then done in the extra time.
   */
  private extendAndReport(dispatchedAt: number, handler: DemoActor, team: DemoTeam): number {
    const { rng, calendar, warnAtFraction } = this.s;
    const handle = this.limits.handle;
    const extension: TimeLimit = { value: Math.max(1, Math.ceil(handle.value / 2)), unit: handle.unit };
    const reason = extensionReason(rng);
    const asked = this.emit(
      'request-extension',
      this.state.status,
      this.point(dispatchedAt, handle, rng.range(0.5, 0.72)),
      handler,
      (at) => ({ extensionRequest: { requestedAt: at, by: handler.name, reason, limit: extension } }),
      { details: { reason, extension }, note: reason, teamId: team.id },
    );
    const oldDeadline = this.state.deadlineAt!;
    const oldDue = this.state.dueAt!;
    const newDeadline = this.deadline(oldDeadline, extension);
    const newDue = this.deadline(oldDue, extension);
    this.emit(
      'approve-extension',
      this.state.status,
      Math.min(asked + rng.int(10, 90) * MINUTE, oldDeadline - MINUTE),
      this.s.supervisor(),
      {
        extensionRequest: null,
        extensionCount: this.state.extensionCount + 1,
        deadlineAt: newDeadline,
        dueAt: newDue,
        // The warning comes again at 80 % of the extra time.
        warnAt: seconds(fractionPoint(new Date(oldDeadline), extension, warnAtFraction, calendar).getTime()),
        deadlineState: 'ok',
      },
      { details: { extension, deadlineAt: { from: iso(oldDeadline), to: iso(newDeadline) }, dueAt: { from: iso(oldDue), to: iso(newDue) } }, teamId: null },
    );
    return this.report(this.point(oldDeadline, extension, rng.range(0.2, 0.7)), handler, team);
  }
}

/** A limit's length in standard working days (plain time counts 24 h a day as 3 working days' worth). */
function workingDays(limit: TimeLimit): number {
  switch (limit.unit) {
    case 'work_days':
      return limit.value;
    case 'work_hours':
      return limit.value / 7.5;
    case 'days':
      return limit.value * 3;
    case 'minutes':
      return limit.value / 450;
  }
}

const iso = (t: number) => new Date(t).toISOString();
const round6 = (x: number) => Math.round(x * 1e6) / 1e6;
