import {
  DEFAULT_WEIGHTS,
  diligenceOf,
  performanceOf,
  quarterOf,
  rankByTotal,
  ratingOf,
  suggestedList,
  totalOf,
  validWeights,
  workloadReference,
} from '../../../../shared/domain/assessment.js';
import type {
  AssessmentDecisionBody,
  AssessmentFigures,
  AssessmentList,
  AssessmentPeriod,
  AssessmentPeriodCreate,
  AssessmentProposal,
  AssessmentResponse,
  AssessmentReviews,
  AssessmentRow,
  OwnAssessmentResponse,
} from '../../../../shared/contracts/assessment.js';
import type { Scope } from '../../../../shared/contracts/auth.js';
import type { WorkerActivity } from '../../../../shared/contracts/workforce.js';
import { addDays, chinaDayOf } from '../../../../shared/domain/calendar-days.js';
import { periodEnd, periodStart } from '../../../../shared/contracts/period.js';
import type { WorkingCalendar } from '../../../../shared/contracts/workflow.js';
import { isWorkingDay } from '../../../../shared/domain/working-calendar.js';
import type { Clock } from '../../core/clock.js';
import type { Store } from '../../db/store.js';
import { ApiHttpError } from '../../http/errors.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import type { AuditActor } from '../audit/audit.contract.js';
import type { RegionIndex } from '../regions/region-index.js';
import type { AssessedWorker, AssessmentRepo, StoredPeriod, StoredResult } from './assessment.repo.js';

/** Where 勤 and 绩 come from: every worker's activity in a period (modules/workforce). */
export interface ActivitySource {
  activityOf(period: { from: Date; to: Date }, towns: readonly string[] | null): Promise<WorkerActivity[]>;
}

export interface AssessmentServiceDeps {
  store: Store;
  repo: AssessmentRepo;
  activity: ActivitySource;
  calendar: () => Promise<WorkingCalendar>;
  regions: RegionIndex;
  audit: AuditRepo;
  clock: Clock;
}

export interface AssessmentActor {
  userId: string;
  scope: Scope;
  audit: AuditActor;
}

const NO_FIGURES: AssessmentFigures = { patrolDays: 0, patrolMinutes: 0, microGridsCovered: 0, microGridsServed: 0, reported: 0, handled: 0, closed: 0, onTime: 0, reworked: 0, returned: 0, workload: null };

function figuresOf(a: WorkerActivity | undefined): AssessmentFigures {
  if (!a) return NO_FIGURES;
  return {
    patrolDays: a.patrol.days,
    patrolMinutes: a.patrol.minutes,
    microGridsCovered: a.patrol.microGridsCovered,
    microGridsServed: a.patrol.microGridsServed,
    reported: a.reported.total,
    handled: a.handled.total,
    closed: a.handled.closed,
    onTime: a.handled.onTime,
    reworked: a.handled.reworked,
    returned: a.handled.returned,
    workload: a.workload.weighted,
  };
}

/** The figures as the scoring rules read an activity. */
function activityOfFigures(f: AssessmentFigures): Pick<WorkerActivity, 'patrol' | 'handled' | 'workload'> {
  return {
    patrol: { days: f.patrolDays, minutes: f.patrolMinutes, metres: 0, microGridsCovered: f.microGridsCovered, microGridsServed: f.microGridsServed },
    handled: { total: f.handled, closed: f.closed, onTime: f.onTime, reworked: f.reworked, returned: f.returned },
    workload: { perHundredHouseholds: null, gridDifficulty: 1, weighted: f.workload },
  };
}

const notFound = (id: string) => new ApiHttpError(404, 'not_found', 'error.assessment_not_found', [], { id });

/**
 * The periodic assessment (德能勤绩, issue 16 part 4): a county-wide period (quarterly by default);
 * 勤 and 绩 computed from the workers' activity (live while the period is open, frozen with their
 * figures when it closes); 德 and 能 scored by the town grid offices with a comment; totals, ranks
 * within the town and the county, ratings; the reward list (以奖代补) and the exit-review list,
 * each entry proposed by one person and decided by another with a reason.
 */
export class AssessmentService {
  constructor(private readonly deps: AssessmentServiceDeps) {}

  async periods(): Promise<AssessmentPeriod[]> {
    const cal = await this.deps.calendar();
    return (await this.deps.repo.periods()).map((p) => this.withDays(p, cal));
  }

  private withDays(p: StoredPeriod, cal: WorkingCalendar): AssessmentPeriod {
    const today = chinaDayOf(this.deps.clock.now());
    const last = p.endsOn < today ? p.endsOn : today;
    let days = 0;
    for (let d = p.startsOn; d <= last; d = addDays(d, 1)) if (isWorkingDay(d, cal)) days++;
    return { ...p, workingDays: days };
  }

  /** Opens a period: county-scope grid office only; no overlap with another. */
  async create(body: AssessmentPeriodCreate, actor: AssessmentActor): Promise<AssessmentPeriod> {
    const { repo, audit, clock, store } = this.deps;
    const refuse = async (err: ApiHttpError, objectId: string | null): Promise<never> => {
      await audit.record({ ...actor.audit, action: 'assessment:period_create', result: err.status === 403 ? 'denied' : 'failure', reason: err.code, objectType: 'assessment', objectId });
      throw err;
    };
    if (actor.scope.kind !== 'county') return refuse(new ApiHttpError(403, 'forbidden', 'error.assessment_county_only'), null);
    const now = clock.now();
    const quarter = quarterOf(chinaDayOf(now));
    const startsOn = body.startsOn ?? (body.endsOn ? quarterOf(body.endsOn).startsOn : quarter.startsOn);
    const endsOn = body.endsOn ?? quarterOf(startsOn).endsOn;
    const weights = body.weights ?? DEFAULT_WEIGHTS;
    if (endsOn < startsOn) return refuse(new ApiHttpError(400, 'invalid_body', 'error.invalid_body', [{ field: 'endsOn', code: 'not_after_from' }]), null);
    if (Date.parse(endsOn) - Date.parse(startsOn) > 366 * 86_400_000) return refuse(new ApiHttpError(400, 'invalid_body', 'error.invalid_body', [{ field: 'endsOn', code: 'too_far', params: { days: 366 } }]), null);
    if (!validWeights(weights)) return refuse(new ApiHttpError(400, 'invalid_body', 'error.invalid_body', [{ field: 'weights', code: 'weights_sum' }]), null);
    const id = periodIdOf(startsOn, endsOn);
    const other = await repo.overlapping(startsOn, endsOn);
    if (other !== null) return refuse(new ApiHttpError(409, 'assessment_state', 'error.assessment_overlap', [{ field: 'startsOn', code: 'overlaps' }], { other }), id);
    const at = now.toISOString();
    await store.inTransaction(async () => {
      await repo.insertPeriod({ id, startsOn, endsOn, weights, by: actor.userId, at });
      await audit.append({ ...actor.audit, action: 'assessment:period_create', result: 'success', objectType: 'assessment', objectId: id, at: now, details: { startsOn, endsOn, weights } });
    });
    return this.withDays((await repo.period(id))!, await this.deps.calendar());
  }

  /** The results of a period for the caller's towns (or one of them): live while open, frozen once closed. */
  async results(id: string, towns: readonly string[] | null): Promise<AssessmentResponse> {
    const { repo, clock } = this.deps;
    const p = await repo.period(id);
    if (!p) throw notFound(id);
    const cal = await this.deps.calendar();
    const period = this.withDays(p, cal);
    const workers = await repo.assessedWorkers(p.startsOn, p.endsOn);
    const reviews = await repo.reviews(id);
    const decisions = await repo.decisions(id);
    const results = p.status === 'closed' ? await repo.results(id) : await this.compute(period, workers, reviews);
    const byId = new Map(workers.map((w) => [w.id, w]));
    const inTowns = (townId: string) => towns === null || towns.includes(townId);
    const rankedInTown = new Map<string, number>();
    for (const r of results.values()) if (r.rankTown !== null) rankedInTown.set(r.townId, (rankedInTown.get(r.townId) ?? 0) + 1);
    const rows: AssessmentRow[] = [];
    for (const r of results.values()) {
      const w = byId.get(r.workerId);
      if (!w || !inTowns(r.townId)) continue;
      const review = reviews.get(r.workerId);
      rows.push({
        workerId: r.workerId,
        name: w.name,
        employment: w.employment,
        town: { id: w.townId, name: w.townName },
        grid: { id: w.gridId, name: w.gridName },
        de: r.de,
        neng: r.neng,
        comment: review?.comment ?? null,
        reviewer: review?.reviewer ?? null,
        qin: r.qin,
        ji: r.ji,
        total: r.total,
        rankTown: r.rankTown,
        rankCounty: r.rankCounty,
        rating: r.rating,
        suggested: suggestedList(r, rankedInTown.get(r.townId) ?? 0),
        decisions: decisions.get(r.workerId) ?? [],
        figures: r.figures,
      });
    }
    // best first; unranked (not yet reviewed) last, by worker id
    rows.sort((a, b) => (a.rankCounty ?? Infinity) - (b.rankCounty ?? Infinity) || (a.workerId < b.workerId ? -1 : 1));
    const ratings = { excellent: 0, good: 0, pass: 0, fail: 0 };
    for (const r of rows) if (r.rating) ratings[r.rating]++;
    const listCount = (list: AssessmentList) => ({
      proposed: rows.filter((r) => r.decisions.some((d) => d.list === list)).length,
      approved: rows.filter((r) => r.decisions.some((d) => d.list === list && d.decision === 'approved')).length,
    });
    return {
      period,
      asOf: p.closedAt ?? clock.now().toISOString(),
      summary: { workers: rows.length, reviewed: rows.filter((r) => r.de !== null).length, ratings, reward: listCount('reward'), exitReview: listCount('exit_review') },
      rows,
    };
  }

  /**
   * 勤 and 绩 of every assessed worker from the activity of [first day, min(day after the last, now)),
   * 德 and 能 from the reviews, then totals, ranks (in the town, in the county) and ratings.
   */
  private async compute(period: AssessmentPeriod, workers: readonly AssessedWorker[], reviews: Awaited<ReturnType<AssessmentRepo['reviews']>>): Promise<Map<string, StoredResult>> {
    const now = this.deps.clock.now();
    const from = periodStart(period.startsOn);
    const end = periodEnd(period.endsOn);
    const to = end < now ? end : now;
    const activity = to > from ? await this.deps.activity.activityOf({ from, to }, null) : [];
    const byWorker = new Map(activity.map((a) => [a.workerId, a]));
    const assessed = workers.map((w) => ({ w, figures: figuresOf(byWorker.get(w.id)) }));
    const reference = workloadReference(assessed.map((x) => activityOfFigures(x.figures)));
    const out = new Map<string, StoredResult>();
    for (const { w, figures } of assessed) {
      const a = activityOfFigures(figures);
      const review = reviews.get(w.id);
      const scores = { de: review?.de ?? null, neng: review?.neng ?? null, qin: diligenceOf(a, period.workingDays), ji: performanceOf(a, reference) };
      const total = totalOf(scores, period.weights);
      out.set(w.id, { workerId: w.id, townId: w.townId, ...scores, total, rankTown: null, rankCounty: null, rating: total === null ? null : ratingOf(total), figures });
    }
    const all = [...out.values()];
    // the county rank: among the workers of the same county (one county on a county server)
    const countyOf = (town: string) => this.deps.regions.countyOf(town) ?? '';
    for (const group of groupBy(all, (r) => countyOf(r.townId))) for (const [id, rank] of rankByTotal(group)) out.get(id)!.rankCounty = rank;
    for (const group of groupBy(all, (r) => r.townId)) for (const [id, rank] of rankByTotal(group)) out.get(id)!.rankTown = rank;
    return out;
  }

  /** 德 and 能 of workers in the caller's towns, while the period is open; all or nothing. */
  async review(id: string, body: AssessmentReviews, actor: AssessmentActor): Promise<{ saved: number }> {
    const { repo, audit, clock, store } = this.deps;
    const refuse = async (err: ApiHttpError): Promise<never> => {
      await audit.record({ ...actor.audit, action: 'assessment:review', result: err.status === 403 ? 'denied' : 'failure', reason: err.code, objectType: 'assessment', objectId: id, details: { workers: body.reviews.length } });
      throw err;
    };
    const p = await repo.period(id);
    if (!p) throw notFound(id);
    if (p.status !== 'open') return refuse(new ApiHttpError(409, 'assessment_state', 'error.assessment_closed', [], { id }));
    const workers = new Map((await repo.assessedWorkers(p.startsOn, p.endsOn)).map((w) => [w.id, w]));
    const seen = new Set<string>();
    const fields: ApiHttpError['fields'] = [];
    let outside = false;
    body.reviews.forEach((r, i) => {
      const w = workers.get(r.workerId);
      if (seen.has(r.workerId)) fields.push({ field: `reviews[${i}].workerId`, code: 'duplicate' });
      else if (!w) fields.push({ field: `reviews[${i}].workerId`, code: 'not_assessed' });
      else if (actor.scope.kind !== 'county' && !actor.scope.towns.includes(w.townId)) {
        outside = true;
        fields.push({ field: `reviews[${i}].workerId`, code: 'out_of_scope' });
      }
      seen.add(r.workerId);
    });
    if (fields.length > 0) {
      return refuse(outside ? new ApiHttpError(403, 'out_of_scope', 'error.out_of_scope', fields, { what: id }) : new ApiHttpError(422, 'invalid_body', 'error.invalid_body', fields));
    }
    const now = clock.now();
    const at = now.toISOString();
    await store.inTransaction(async () => {
      for (const r of body.reviews) await repo.saveReview(id, r, actor.userId, at);
      await audit.append({ ...actor.audit, action: 'assessment:review', result: 'success', objectType: 'assessment', objectId: id, at: now, details: { workers: body.reviews.map((r) => r.workerId).slice(0, 200), count: body.reviews.length } });
    });
    return { saved: body.reviews.length };
  }

  /** Freezes the results (after the period's last day): county-scope grid office only. */
  /**
   * A worker's own results (the field app's 我的档案): each closed period's frozen row with its
   * ranks out of how many were ranked; an open period is listed without a result (its ranks move
   * until it closes), as is a period the worker was not assessed in.
   */
  async own(workerId: string, townId: string): Promise<OwnAssessmentResponse> {
    const countyOf = (town: string) => this.deps.regions.countyOf(town) ?? '';
    const items: OwnAssessmentResponse['items'] = [];
    for (const period of await this.periods()) {
      if (period.status !== 'closed') {
        items.push({ period, result: null });
        continue;
      }
      const all = await this.results(period.id, null);
      const row = all.rows.find((r) => r.workerId === workerId);
      if (!row) {
        items.push({ period, result: null });
        continue;
      }
      const ranked = all.rows.filter((r) => r.rankCounty !== null);
      items.push({
        period,
        result: {
          de: row.de,
          neng: row.neng,
          qin: row.qin,
          ji: row.ji,
          total: row.total,
          rating: row.rating,
          rankTown: row.rankTown,
          rankedInTown: ranked.filter((r) => r.town.id === townId).length,
          rankCounty: row.rankCounty,
          rankedInCounty: ranked.filter((r) => countyOf(r.town.id) === countyOf(townId)).length,
          comment: row.comment,
          figures: row.figures,
          approved: row.decisions.filter((d) => d.decision === 'approved' && d.decidedAt !== null).map((d) => ({ list: d.list, decidedAt: d.decidedAt! })),
        },
      });
    }
    return { workerId, items };
  }

  async close(id: string, actor: AssessmentActor): Promise<AssessmentPeriod> {
    const { repo, audit, clock, store } = this.deps;
    const refuse = async (err: ApiHttpError): Promise<never> => {
      await audit.record({ ...actor.audit, action: 'assessment:close', result: err.status === 403 ? 'denied' : 'failure', reason: err.code, objectType: 'assessment', objectId: id });
      throw err;
    };
    if (actor.scope.kind !== 'county') return refuse(new ApiHttpError(403, 'forbidden', 'error.assessment_county_only'));
    const p = await repo.period(id);
    if (!p) throw notFound(id);
    if (p.status !== 'open') return refuse(new ApiHttpError(409, 'assessment_state', 'error.assessment_closed', [], { id }));
    const now = clock.now();
    if (now < periodEnd(p.endsOn)) return refuse(new ApiHttpError(409, 'assessment_state', 'error.assessment_not_over', [], { id, endsOn: p.endsOn }));
    const cal = await this.deps.calendar();
    const period = this.withDays(p, cal);
    const results = await this.compute(period, await repo.assessedWorkers(p.startsOn, p.endsOn), await repo.reviews(id));
    const rows = [...results.values()];
    await store.inTransaction(async () => {
      await repo.close(id, rows, actor.userId, now.toISOString());
      await audit.append({
        ...actor.audit,
        action: 'assessment:close',
        result: 'success',
        objectType: 'assessment',
        objectId: id,
        at: now,
        details: { workers: rows.length, reviewed: rows.filter((r) => r.de !== null).length, workingDays: period.workingDays },
      });
    });
    return this.withDays((await repo.period(id))!, cal);
  }

  /** Proposes a worker of the caller's towns for a list, on a closed period. */
  async propose(id: string, body: AssessmentProposal, actor: AssessmentActor): Promise<void> {
    const { repo, audit, clock, store } = this.deps;
    const refuse = async (err: ApiHttpError): Promise<never> => {
      await audit.record({ ...actor.audit, action: 'assessment:propose', result: err.status === 403 ? 'denied' : 'failure', reason: err.code, objectType: 'worker', objectId: body.workerId, details: { period: id, list: body.list } });
      throw err;
    };
    const p = await repo.period(id);
    if (!p) throw notFound(id);
    if (p.status !== 'closed') return refuse(new ApiHttpError(409, 'assessment_state', 'error.assessment_not_closed', [], { id }));
    const result = (await repo.results(id)).get(body.workerId);
    if (!result) return refuse(new ApiHttpError(422, 'invalid_body', 'error.invalid_body', [{ field: 'workerId', code: 'not_assessed' }]));
    if (actor.scope.kind !== 'county' && !actor.scope.towns.includes(result.townId)) {
      return refuse(new ApiHttpError(403, 'out_of_scope', 'error.out_of_scope', [{ field: 'workerId', code: 'out_of_scope' }], { what: body.workerId }));
    }
    if (await repo.proposal(id, body.workerId, body.list)) return refuse(new ApiHttpError(409, 'assessment_state', 'error.assessment_already_proposed', [{ field: 'list', code: 'taken' }], { id }));
    const now = clock.now();
    await store.inTransaction(async () => {
      await repo.propose(id, body.workerId, body.list, body.proposal, actor.userId, now.toISOString());
      await audit.append({ ...actor.audit, action: 'assessment:propose', result: 'success', objectType: 'worker', objectId: body.workerId, at: now, details: { period: id, list: body.list, proposal: body.proposal, total: result.total, rating: result.rating } });
    });
  }

  /** Decides a proposal: by a second person (never the proposer), with a reason; once. */
  async decide(id: string, workerId: string, list: AssessmentList, body: AssessmentDecisionBody, actor: AssessmentActor): Promise<void> {
    const { repo, audit, clock, store } = this.deps;
    const refuse = async (err: ApiHttpError): Promise<never> => {
      await audit.record({ ...actor.audit, action: 'assessment:decide', result: err.status === 403 ? 'denied' : 'failure', reason: err.code, objectType: 'worker', objectId: workerId, details: { period: id, list, decision: body.decision } });
      throw err;
    };
    const p = await repo.period(id);
    if (!p) throw notFound(id);
    const proposal = await repo.proposal(id, workerId, list);
    if (!proposal) throw new ApiHttpError(404, 'not_found', 'error.assessment_no_proposal', [], { workerId });
    const result = (await repo.results(id)).get(workerId);
    if (result && actor.scope.kind !== 'county' && !actor.scope.towns.includes(result.townId)) {
      return refuse(new ApiHttpError(403, 'out_of_scope', 'error.out_of_scope', [], { what: workerId }));
    }
    if (proposal.proposedBy === actor.userId) return refuse(new ApiHttpError(403, 'separation_of_duties', 'error.assessment_second_person'));
    if (proposal.decidedAt !== null) return refuse(new ApiHttpError(409, 'assessment_state', 'error.assessment_decided', [], { workerId }));
    const now = clock.now();
    let decided = false;
    await store.inTransaction(async () => {
      decided = await repo.decide(id, workerId, list, body, actor.userId, now.toISOString());
      if (decided) await audit.append({ ...actor.audit, action: 'assessment:decide', result: 'success', objectType: 'worker', objectId: workerId, at: now, details: { period: id, list, decision: body.decision, reason: body.reason } });
    });
    if (!decided) return refuse(new ApiHttpError(409, 'assessment_state', 'error.assessment_decided', [], { workerId }));
  }
}

function groupBy<T>(rows: readonly T[], key: (r: T) => string): T[][] {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = m.get(k) ?? [];
    list.push(r);
    m.set(k, list);
  }
  return [...m.values()];
}

/** A period's id: its quarter (2026-Q4), half (2026-H1) or year (2026-Y) when it is exactly one, else 2026-1001-1231. */
export function periodIdOf(startsOn: string, endsOn: string): string {
  const q = quarterOf(startsOn);
  if (q.startsOn === startsOn && q.endsOn === endsOn) return q.id;
  const y = startsOn.slice(0, 4);
  if (endsOn.slice(0, 4) === y) {
    if (startsOn === `${y}-01-01` && endsOn === `${y}-06-30`) return `${y}-H1`;
    if (startsOn === `${y}-07-01` && endsOn === `${y}-12-31`) return `${y}-H2`;
    if (startsOn === `${y}-01-01` && endsOn === `${y}-12-31`) return `${y}-Y`;
  }
  return `${y}-${startsOn.slice(5).replace('-', '')}-${endsOn.slice(5).replace('-', '')}`;
}
