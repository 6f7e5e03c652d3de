import { randomUUID } from 'node:crypto';
import type {
  Alert,
  AlertAckRequest,
  AlertAckSkip,
  AlertBatchAckRequest,
  AlertBatchAckResponse,
  AlertClearReason,
  AlertListQuery,
  AlertListResponse,
} from '../../../../shared/contracts/alerts.js';
import type { Scope } from '../../../../shared/contracts/auth.js';
import { ALERT_CLEAR_LABELS } from '../../../../shared/domain/labels.js';
import type { Bus } from '../../core/bus.js';
import type { Clock } from '../../core/clock.js';
import { oneRunAtATime, Ticker } from '../../core/ticker.js';
import type { Store } from '../../db/store.js';
import { ApiHttpError } from '../../http/errors.js';
import type { AuditEntry } from '../audit/audit.contract.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import { who, type Principal, type RequestContext } from '../auth/auth.service.js';
import type { ChangeEffects, WrittenChange } from '../events/case-writer.js';
import type { TeamsRepo } from '../teams/teams.repo.js';
import { caseCauseEnded, deadlineParams, NEAR_DEADLINE_URGENCIES, OVERDUE_URGENCIES, severityOf, silenceEnded, URGENT_URGENCIES, type CaseStanding } from './alert-rules.js';

/** Which cases' deadlines raise alerts (alert-rules.ts), as the repository's candidate query takes them. */
const DEADLINE_RULE = { overdueUrgencies: OVERDUE_URGENCIES, nearUrgencies: NEAR_DEADLINE_URGENCIES };
import type { AlertsRepo, NewAlert } from './alerts.repo.js';

/**
 * Whether a caller of this scope sees the alert: one of its towns', or, for an alert of no town,
 * one whose team serves one of its counties (`county`, AlertsRepo.teamCounty). An alert of no
 * town and no team is the whole platform's.
 */
export const seesAlert = (scope: Scope, alert: Pick<Alert, 'townId' | 'regionId'>, county: string | null): boolean => {
  if (scope.kind === 'county') return true;
  // addressed to a region above the towns (a city's 交办结果): its holders only
  if (alert.regionId !== null) return scope.areas.includes(alert.regionId);
  if (alert.townId !== null) return scope.towns.includes(alert.townId);
  return county !== null && scope.counties.includes(county);
};

export interface AlertsServiceDeps {
  /** Every alert transaction (the sweep, acknowledgements, a team heard from) opens on it. */
  store: Store;
  repo: AlertsRepo;
  teams: TeamsRepo;
  clock: Clock;
  audit: AuditRepo;
  bus: Bus;
  /** A team holding a case and silent this long raises `team_silent`. */
  silentMinutes: number;
  /** How often the sweep looks (deadline catch-up, silences, causes that ended), ms. */
  intervalMs: number;
  onError: (err: unknown) => void;
}

/** What a unit of work did to the alerts, to announce after its commit. */
interface Outcome {
  raised: Alert[];
  cleared: Alert[];
}

/**
 * Alerts: raised once per cause, in the transaction of the change that causes them (an urgent
 * intake, a step near or past its deadline, a returned task) or by the sweep (cases already
 * overdue when the server started, a team heard from while it runs and silent since for
 * `silentMinutes`); cleared, with when and why, in the transaction of whatever ended their cause
 * (the rules: alert-rules.ts); acknowledged by a person (audited `alert:ack`). Announced after
 * commit: `alert:cleared`, then `alert:raised`, and `alert:acked`.
 */
export class AlertsService implements ChangeEffects {
  private readonly ticker: Ticker;
  /** When this server began to listen: a team's silence counts only from contact heard since. */
  private readonly listeningSince: string;
  private stopListening: Array<() => void> = [];
  /** Teams heard from whose silences are cleared in the next turn. */
  private readonly heardSoon = new Set<NodeJS.Immediate>();

  constructor(private readonly deps: AlertsServiceDeps) {
    // the ticker's task is synchronous: a sweep's failure goes to onError as a throw would, and a
    // tick that finds a sweep still running (on PostgreSQL its writes are real I/O) skips it
    this.ticker = new Ticker(
      oneRunAtATime(() => this.sweep(), deps.onError),
      deps.intervalMs,
      deps.onError,
    );
    this.listeningSince = deps.clock.now().toISOString();
  }

  /**
   * Inside the transaction of written case changes: raises the alerts they cause and clears those
   * whose cause they ended (their cases', and the silences of the teams they concern); returns
   * the announcement, for after commit. The case writer's transaction is the store's: this awaits
   * nothing but the store.
   */
  async applyChanges(written: readonly WrittenChange[]): Promise<() => void> {
    const outcome: Outcome = { raised: [], cleared: [] };
    // each case as the batch leaves it, and when it last changed
    const final = new Map<string, { standing: CaseStanding; at: string }>();
    for (const c of written) final.set(c.eventId, { standing: c.event, at: c.at });
    const ids = [...final.keys()];

    await this.raiseFromChanges(written, final, outcome);
    for (const candidate of await this.deps.repo.deadlineCandidates(ids, DEADLINE_RULE)) {
      await this.raise(outcome, this.deadlineAlert(candidate.kind, candidate.causeKey, candidate.standing, final.get(candidate.standing.id)!.at));
    }
    for (const { alert, standing } of await this.deps.repo.openCaseAlerts(ids)) {
      const reason = caseCauseEnded(alert, standing);
      if (reason) await this.clear(outcome, alert.id, final.get(standing.id)!.at, reason);
    }
    const teams = new Set<string>();
    for (const c of written) {
      for (const id of [c.event.teamId, c.entry.teamId, c.entry.details.previousTeamId]) if (typeof id === 'string') teams.add(id);
    }
    await this.clearSilences([...teams], written.at(-1)!.at, outcome);
    return () => this.announce(outcome);
  }

  /**
   * The alerts a change raises by what it is: a P0/P1 intake (not one handled on the spot)
   * `urgent_event`, the end of a case a city assigned down `assignment_reported` (to the city),
   * a team's return `task_returned`; none whose cause the batch already ended.
   */
  private async raiseFromChanges(written: readonly WrittenChange[], final: ReadonlyMap<string, { standing: CaseStanding }>, outcome: Outcome): Promise<void> {
    const { teams } = this.deps;
    const selfHandled = new Set(written.filter((c) => c.kind === 'self-handled').map((c) => c.eventId));
    for (const c of written) {
      const e = c.event;
      const standing = final.get(e.id)!.standing;
      const base = { eventId: e.id, townId: e.townId, raisedAt: c.at };
      let alert: NewAlert | null = null;
      if (c.kind === 'reported' && URGENT_URGENCIES.includes(e.urgency) && !selfHandled.has(e.id)) {
        alert = { ...base, kind: 'urgent_event', severity: severityOf('urgent_event', e.urgency), teamId: null, params: { urgency: e.urgency, itemName: e.itemName, itemCode: e.itemCode, address: e.address }, causeKey: `urgent_event:${e.id}` };
      } else if (e.assignment?.outcome && e.assignment.reportedAt === c.at && c.entry.from !== c.entry.to) {
        // 交办结果: the change that finished a case a city assigned down reports it back up, to the city
        const { outcome: reported, dueAt, byRegionId } = e.assignment;
        alert = {
          ...base,
          townId: null,
          regionId: byRegionId,
          kind: 'assignment_reported',
          severity: severityOf('assignment_reported', e.urgency),
          teamId: null,
          params: { urgency: e.urgency, itemName: e.itemName, itemCode: e.itemCode, address: e.address, outcome: reported, dueAt, onTime: c.at <= dueAt },
          causeKey: `assignment_reported:${e.id}`,
        };
      } else if (c.kind === 'return') {
        const teamId = c.entry.teamId;
        const reason = typeof c.entry.details.reason === 'string' ? c.entry.details.reason : '';
        alert = {
          ...base,
          kind: 'task_returned',
          severity: severityOf('task_returned', e.urgency),
          teamId,
          params: { urgency: e.urgency, itemName: e.itemName, itemCode: e.itemCode, reason, teamName: teamId ? ((await teams.get(teamId))?.name ?? teamId) : null },
          causeKey: `task_returned:${e.id}:${c.seq}`,
        };
      }
      if (alert && caseCauseEnded(alert, standing) === null) await this.raise(outcome, alert);
    }
  }

  private deadlineAlert(kind: 'overdue' | 'near_deadline', causeKey: string, c: CaseStanding, at: string): NewAlert {
    return { kind, severity: severityOf(kind, c.urgency), eventId: c.id, teamId: c.teamId, townId: c.townId, raisedAt: at, params: deadlineParams(c), causeKey };
  }

  private async raise(outcome: Outcome, alert: NewAlert): Promise<void> {
    const stored = await this.deps.repo.insert(alert);
    if (stored) outcome.raised.push(stored);
  }

  private async clear(outcome: Outcome, id: string, at: string, reason: AlertClearReason): Promise<void> {
    if (await this.deps.repo.clear(id, at, reason)) outcome.cleared.push((await this.deps.repo.get(id))!);
  }

  /** Clears the silences of these teams (null: all) that ended: heard from since, or holding no case. */
  private async clearSilences(teamIds: readonly string[] | null, at: string, outcome: Outcome): Promise<void> {
    for (const { alert, team } of await this.deps.repo.openSilenceAlerts(teamIds)) {
      const reason = silenceEnded(alert, team);
      if (reason) await this.clear(outcome, alert.id, at, reason);
    }
  }

  /** Announces what a committed unit of work did: the cleared alerts first, so a console swaps a near-deadline card for its overdue one. */
  private announce({ raised, cleared }: Outcome): void {
    for (const a of cleared) this.deps.bus.publish('alert:cleared', a);
    for (const a of raised) this.deps.bus.publish('alert:raised', a);
  }

  /** `GET /api/v1/alerts`: alerts of the caller's towns, newest first, filtered, with counts by kind. */
  async list(q: AlertListQuery, principal: Principal): Promise<AlertListResponse> {
    const { scope } = principal.user;
    const { items, total, groups } = await this.deps.repo.list(q, scope.kind === 'county' ? null : scope);
    return { items, page: q.page, pageSize: q.pageSize, total, groups };
  }

  /**
   * Acknowledges an open alert of the caller's scope, audited `alert:ack` with who, when and
   * the note. Refused (409) once acknowledged (naming who) or cleared (naming when).
   */
  async ack(id: string, body: AlertAckRequest, actor: { principal: Principal; ctx: RequestContext }): Promise<Alert> {
    const { store, repo, clock, audit } = this.deps;
    const alert = await this.visible(id, actor);
    const note = body.note ?? null;
    let acked: Alert;
    try {
      // the audit repository is not on the store yet: on SQLite it joins this transaction
      acked = await store.inTransaction(async () => {
        const at = clock.now().toISOString();
        if (!(await repo.ack(id, actor.principal.user.id, at, note))) throw notOpen((await repo.get(id))!);
        await audit.append(this.ackRecord(alert, at, note, actor, null));
        return (await repo.get(id))!;
      });
    } catch (err) {
      if (err instanceof ApiHttpError && err.status === 409) {
        await audit.record({ ...who(actor.principal), ...actor.ctx, action: 'alert:ack', result: 'failure', reason: err.code, objectType: 'alert', objectId: id });
      }
      throw err;
    }
    this.deps.bus.publish('alert:acked', acked);
    return acked;
  }

  /**
   * `POST /api/v1/alerts/ack`: acknowledges a group of alerts with one reason. Every id must be
   * an alert the caller may see (404 / 403 refuse the whole request, changing nothing); those
   * acknowledged by someone else first or cleared meanwhile are skipped and named. Each alert
   * acknowledged is audited `alert:ack` on its own (so the trail answers "who acknowledged AL…"
   * alike for one or many), with the reason and the batch (`batch.id`, `batch.size`) it was part of.
   */
  async ackBatch(body: AlertBatchAckRequest, actor: { principal: Principal; ctx: RequestContext }): Promise<AlertBatchAckResponse> {
    const { store, repo, clock, audit } = this.deps;
    // one after another: the first unknown or unseen id refuses the whole request, as before
    const alerts: Alert[] = [];
    for (const id of body.ids) alerts.push(await this.visible(id, actor));
    const batch = { id: randomUUID(), size: alerts.length };
    const result = await store.inTransaction(async () => {
      const at = clock.now().toISOString();
      const acked: Alert[] = [];
      const skipped: AlertAckSkip[] = [];
      for (const alert of alerts) {
        if (await repo.ack(alert.id, actor.principal.user.id, at, body.reason)) {
          await audit.append(this.ackRecord(alert, at, body.reason, actor, batch));
          acked.push((await repo.get(alert.id))!);
        } else {
          skipped.push({ id: alert.id, reason: (await repo.get(alert.id))!.acked ? 'already_acked' : 'cleared' });
        }
      }
      return { acked, skipped };
    });
    for (const a of result.acked) this.deps.bus.publish('alert:acked', a);
    return result;
  }

  /** The alert, if it exists (404) and the caller's scope sees it (403, audited). */
  private async visible(id: string, actor: { principal: Principal; ctx: RequestContext }): Promise<Alert> {
    const alert = await this.deps.repo.get(id);
    if (!alert) throw new ApiHttpError(404, 'not_found', 'error.not_found', [], { what: id });
    if (!seesAlert(actor.principal.user.scope, alert, alert.townId === null ? await this.deps.repo.teamCounty(id) : null)) {
      await this.deps.audit.record({ ...who(actor.principal), ...actor.ctx, action: 'alert:ack', result: 'denied', reason: 'out_of_scope', objectType: 'alert', objectId: id });
      throw new ApiHttpError(403, 'out_of_scope', 'error.out_of_scope', [], { what: id });
    }
    return alert;
  }

  private ackRecord(alert: Alert, at: string, note: string | null, actor: { principal: Principal; ctx: RequestContext }, batch: { id: string; size: number } | null): AuditEntry {
    return {
      ...who(actor.principal),
      ...actor.ctx,
      action: 'alert:ack',
      result: 'success',
      objectType: 'alert',
      objectId: alert.id,
      details: { kind: alert.kind, severity: alert.severity, eventId: alert.eventId, teamId: alert.teamId, raisedAt: alert.raisedAt, ackedAt: at, note, ...(batch ? { batch } : {}) },
    };
  }

  /**
   * One pass over every alert's cause, in one transaction: raises the deadline alerts of cases
   * overdue or near their deadline that have none (those already so at start-up included: their
   * cause keys make this once per case and step, across restarts), raises `team_silent` for each
   * team holding a case, heard from since the server started and silent since for
   * `silentMinutes` (once per stretch), and clears every open alert whose cause ended. Returns
   * how many it raised and cleared.
   */
  async sweep(): Promise<{ raised: number; cleared: number }> {
    const { store, repo, clock, silentMinutes } = this.deps;
    const outcome: Outcome = { raised: [], cleared: [] };
    await store.inTransaction(async () => {
      const now = clock.now();
      const at = now.toISOString();
      for (const { alert, standing } of await repo.openCaseAlerts(null)) {
        const reason = caseCauseEnded(alert, standing);
        if (reason) await this.clear(outcome, alert.id, at, reason);
      }
      await this.clearSilences(null, at, outcome);
      for (const candidate of await repo.deadlineCandidates(null, DEADLINE_RULE)) {
        await this.raise(outcome, this.deadlineAlert(candidate.kind, candidate.causeKey, candidate.standing, at));
      }
      const cutoff = new Date(now.getTime() - silentMinutes * 60_000).toISOString();
      for (const t of await repo.silentTeams(this.listeningSince, cutoff)) {
        await this.raise(outcome, {
          kind: 'team_silent',
          severity: severityOf('team_silent', undefined),
          eventId: t.eventId,
          teamId: t.id,
          townId: t.townId,
          raisedAt: at,
          params: { teamName: t.name, minutes: silentMinutes, lastSeenAt: t.seenAt, openCases: t.openCases },
          causeKey: t.causeKey,
        });
      }
    });
    this.announce(outcome);
    return { raised: outcome.raised.length, cleared: outcome.cleared.length };
  }

  /**
   * A team was heard from outside a case change (a position report, a status it set itself):
   * its silence, if an alert says so, ended now. Started by a bus listener in a turn of its own
   * (`heard`), never in the publisher's: the publisher may be a flow still between its awaits,
   * and a store transaction opened in those gaps would take in that flow's synchronous writes on
   * the shared SQLite connection (or refuse them: AuditRepo.record).
   */
  private async heardFrom(teamId: string): Promise<void> {
    try {
      const outcome: Outcome = { raised: [], cleared: [] };
      await this.deps.store.inTransaction(() => this.clearSilences([teamId], this.deps.clock.now().toISOString(), outcome));
      this.announce(outcome);
    } catch (err) {
      // a bus listener must not throw into the publisher (the report is stored); the sweep retries
      this.deps.onError(err);
    }
  }

  /** Listens for teams heard from, and sweeps now (catching up after downtime), then every interval. */
  start(): void {
    if (this.stopListening.length === 0) {
      this.stopListening = [
        this.deps.bus.subscribe('team:moved', (m) => this.heard(m.teamId)),
        this.deps.bus.subscribe('team:changed', (t) => this.heard(t.id)),
      ];
    }
    this.ticker.start({ now: true });
  }

  stop(): void {
    this.ticker.stop();
    for (const stop of this.stopListening) stop();
    this.stopListening = [];
    for (const h of this.heardSoon) clearImmediate(h);
    this.heardSoon.clear();
  }

  /** Clears the team's silence in the next turn of the event loop (see heardFrom). */
  private heard(teamId: string): void {
    const h = setImmediate(() => {
      this.heardSoon.delete(h);
      void this.heardFrom(teamId);
    });
    this.heardSoon.add(h);
  }
}

/** The 409 for an alert that is no longer open: who acknowledged it, or when its cause ended. */
function notOpen(alert: Alert): ApiHttpError {
  if (alert.acked) {
    return new ApiHttpError(409, 'alert_already_acked', 'error.alert_already_acked', [], { who: alert.acked.by.displayName, at: alert.acked.at }, { acked: alert.acked });
  }
  const { at, reason } = alert.cleared!;
  return new ApiHttpError(409, 'alert_cleared', 'error.alert_cleared', [], { at, reasonZh: ALERT_CLEAR_LABELS[reason]['zh-CN'], reasonEn: ALERT_CLEAR_LABELS[reason].en }, { cleared: alert.cleared });
}
