import type { Alert, AlertAckRequest, AlertListQuery, AlertListResponse } from '../../../../shared/contracts/alerts.js';
import type { Scope } from '../../../../shared/contracts/auth.js';
import type { Bus } from '../../core/bus.js';
import type { Clock } from '../../core/clock.js';
import { Ticker } from '../../core/ticker.js';
import { inTransaction, type Db } from '../../db/connection.js';
import { ApiHttpError } from '../../http/errors.js';
import type { AuditRepo } from '../audit/audit.repo.js';
import { who, type Principal, type RequestContext } from '../auth/auth.service.js';
import type { ChangeEffects, WrittenChange } from '../events/case-writer.js';
import { scopeTowns } from '../events/event-view.js';
import type { TeamsRepo } from '../teams/teams.repo.js';
import type { AlertsRepo, NewAlert } from './alerts.repo.js';

/** Whether a caller of this scope sees the alert: alerts of no town are the county's. */
export const seesAlert = (scope: Scope, alert: Pick<Alert, 'townId'>): boolean =>
  scope.kind === 'county' || (alert.townId !== null && scope.towns.includes(alert.townId));

export interface AlertsServiceDeps {
  db: Db;
  repo: AlertsRepo;
  teams: TeamsRepo;
  clock: Clock;
  audit: AuditRepo;
  bus: Bus;
  /** A team holding a case and silent this long raises `team_silent`. */
  silentMinutes: number;
  /** How often the silence monitor looks, ms. */
  intervalMs: number;
  onError: (err: unknown) => void;
}

/**
 * Alerts: raised in the transaction of the change that causes them (an urgent intake, an
 * overdue step, a returned task) or by the silence monitor's sweep (a team holding a case that
 * neither moved nor acted for `silentMinutes`), announced after commit (`alert:raised`),
 * acknowledged by a person (audited `alert:ack`, announced `alert:acked`).
 */
export class AlertsService implements ChangeEffects {
  private readonly ticker: Ticker;

  constructor(private readonly deps: AlertsServiceDeps) {
    this.ticker = new Ticker(() => this.sweepSilentTeams(), deps.intervalMs, deps.onError);
  }

  /**
   * Inside the transaction of written case changes: raises their alerts (see `raisedBy`);
   * returns their announcement, for after commit.
   */
  applyChanges(written: readonly WrittenChange[]): () => void {
    const raised = this.raisedBy(written);
    return () => this.announce(raised);
  }

  /** Announces raised alerts; call only after their transaction committed. */
  private announce(alerts: readonly Alert[]): void {
    for (const a of alerts) this.deps.bus.publish('alert:raised', a);
  }

  /**
   * The alerts written case changes raise. A P0/P1 intake (not one handled on the spot) raises
   * `urgent_event`, the deadline monitor's overdue notice `overdue`, a team's return `task_returned`.
   */
  private raisedBy(written: readonly WrittenChange[]): Alert[] {
    const { repo, teams } = this.deps;
    const selfHandled = new Set(written.filter((c) => c.kind === 'self-handled').map((c) => c.eventId));
    const raised: Alert[] = [];
    const raise = (a: Omit<NewAlert, 'raisedAt'>, at: string) => raised.push(repo.insert({ ...a, raisedAt: at }));
    for (const c of written) {
      const e = c.event;
      const base = { eventId: e.id, townId: e.townId };
      if (c.kind === 'reported' && (e.urgency === 'P0' || e.urgency === 'P1') && !selfHandled.has(e.id)) {
        raise({ ...base, kind: 'urgent_event', severity: e.urgency === 'P0' ? 'critical' : 'warning', teamId: null, params: { urgency: e.urgency, itemName: e.itemName, address: e.address } }, c.at);
      } else if (c.kind === 'deadline-overdue') {
        raise(
          {
            ...base,
            kind: 'overdue',
            severity: e.urgency === 'P0' ? 'critical' : 'warning',
            teamId: e.teamId,
            params: { urgency: e.urgency, itemName: e.itemName, step: e.step, deadlineAt: e.deadlineAt, teamName: e.teamName },
          },
          c.at,
        );
      } else if (c.kind === 'return') {
        const teamId = c.entry.teamId;
        const reason = typeof c.entry.details.reason === 'string' ? c.entry.details.reason : '';
        raise(
          {
            ...base,
            kind: 'task_returned',
            severity: e.urgency === 'P0' ? 'critical' : 'warning',
            teamId,
            params: { urgency: e.urgency, itemName: e.itemName, reason, teamName: teamId ? (teams.get(teamId)?.name ?? teamId) : null },
          },
          c.at,
        );
      }
    }
    return raised;
  }

  /** `GET /api/v1/alerts`: open (or all) alerts of the caller's towns, newest first. */
  list(q: AlertListQuery, principal: Principal): AlertListResponse {
    const { items, total } = this.deps.repo.list(q, scopeTowns(principal.user.scope));
    return { items, page: q.page, pageSize: q.pageSize, total };
  }

  /**
   * Acknowledges an open alert of the caller's scope, audited `alert:ack` with who, when and
   * the note; a second acknowledgement is refused (409, naming who acknowledged it).
   */
  ack(id: string, body: AlertAckRequest, actor: { principal: Principal; ctx: RequestContext }): Alert {
    const { db, repo, clock, audit } = this.deps;
    const { user } = actor.principal;
    const alert = repo.get(id);
    if (!alert) throw new ApiHttpError(404, 'not_found', 'error.not_found', [], { what: id });
    if (!seesAlert(user.scope, alert)) {
      audit.record({ ...who(actor.principal), ...actor.ctx, action: 'alert:ack', result: 'denied', reason: 'out_of_scope', objectType: 'alert', objectId: id });
      throw new ApiHttpError(403, 'out_of_scope', 'error.out_of_scope', [], { what: id });
    }
    const note = body.note ?? null;
    let acked: Alert;
    try {
      acked = inTransaction(db, () => {
        const at = clock.now().toISOString();
        if (!repo.ack(id, user.id, at, note)) {
          const earlier = repo.get(id)!.acked!;
          throw new ApiHttpError(409, 'alert_already_acked', 'error.alert_already_acked', [], { who: earlier.by.displayName, at: earlier.at }, { acked: earlier });
        }
        audit.append({
          ...who(actor.principal),
          ...actor.ctx,
          action: 'alert:ack',
          result: 'success',
          objectType: 'alert',
          objectId: id,
          details: { kind: alert.kind, eventId: alert.eventId, teamId: alert.teamId, raisedAt: alert.raisedAt, ackedAt: at, note },
        });
        return repo.get(id)!;
      });
    } catch (err) {
      if (err instanceof ApiHttpError && err.status === 409) {
        audit.record({ ...who(actor.principal), ...actor.ctx, action: 'alert:ack', result: 'failure', reason: err.code, objectType: 'alert', objectId: id });
      }
      throw err;
    }
    this.deps.bus.publish('alert:acked', acked);
    return acked;
  }

  /** Raises `team_silent` for each team silent too long (once per stretch of silence); returns how many. */
  sweepSilentTeams(): number {
    const { db, repo, clock, silentMinutes } = this.deps;
    const raised = inTransaction(db, () => {
      const now = clock.now();
      const cutoff = new Date(now.getTime() - silentMinutes * 60_000).toISOString();
      return repo.silentTeams(cutoff).map((t) =>
        repo.insert({
          kind: 'team_silent',
          severity: 'warning',
          eventId: t.eventId,
          teamId: t.id,
          townId: t.townId,
          raisedAt: now.toISOString(),
          params: { teamName: t.name, minutes: silentMinutes, lastSeenAt: t.seenAt, openCases: t.openCases },
        }),
      );
    });
    this.announce(raised);
    return raised.length;
  }

  /** Sweeps now (catching up after downtime), then every interval. */
  start(): void {
    this.ticker.start({ now: true });
  }

  stop(): void {
    this.ticker.stop();
  }
}
