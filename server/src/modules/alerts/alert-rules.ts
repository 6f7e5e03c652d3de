import type { AlertClearReason, AlertKind, AlertParams, AlertSeverity } from '../../../../shared/contracts/alerts.js';
import type { EventRecord, EventStatus, Urgency } from '../../../../shared/contracts/events.js';
import { isOpen } from '../../../../shared/domain/case-state.js';

/*
 * When an alert is raised, how loudly, and when its cause has ended. Pure: the service reads the
 * facts (a case as it stands, a team's last contact) and writes what these rules decide.
 */

/** The facts of a case that its alerts are raised from and cleared by. */
export type CaseStanding = Pick<
  EventRecord,
  'id' | 'status' | 'urgency' | 'supervised' | 'step' | 'stepStartedAt' | 'deadlineAt' | 'deadlineState' | 'teamId' | 'teamName' | 'townId' | 'itemCode' | 'itemName' | 'address'
>;

/**
 * Urgencies whose step raises `near_deadline` at its warning point (80 % of its time). A P2/P3
 * step nearing its deadline is the queue's yellow countdown: an alert for each would be noise.
 */
export const NEAR_DEADLINE_URGENCIES: readonly Urgency[] = ['P0', 'P1'];

/**
 * Urgencies whose overdue step raises `overdue`. A routine (P2/P3) step past its deadline is the
 * queue's 超期 tab, the top bar's count and the wall's figure: a county has dozens at any hour, and
 * an alert for each would bury the ones that need a person now. It raises an alert only when a
 * leader has put the case under supervision (督办).
 */
export const OVERDUE_URGENCIES: readonly Urgency[] = ['P0', 'P1'];

/** Whether an overdue step of this case raises an alert. */
export const overdueAlerts = (c: Pick<CaseStanding, 'urgency' | 'supervised'>): boolean => OVERDUE_URGENCIES.includes(c.urgency) || c.supervised;

/** Urgent intakes: a P0/P1 case no team has signed for yet. */
export const URGENT_URGENCIES: readonly Urgency[] = ['P0', 'P1'];

/**
 * How loudly an alert of this kind about a case of this urgency asks for a person. A P0 case is
 * critical whatever happened to it (but a deadline merely near); an overdue routine (P2/P3) step
 * of a supervised case is a notice: listed for the leader who supervises it, not rung.
 */
export function severityOf(kind: AlertKind, urgency: Urgency | undefined): AlertSeverity {
  switch (kind) {
    // assignment_reported, a county's answer to the city: a card for the city's dispatcher to read and acknowledge
    case 'team_silent':
    case 'near_deadline':
    case 'assignment_reported':
      return 'warning';
    case 'overdue':
      return urgency === 'P0' ? 'critical' : urgency === 'P1' ? 'warning' : 'notice';
    case 'urgent_event':
    case 'task_returned':
      return urgency === 'P0' ? 'critical' : 'warning';
  }
}

/**
 * The deadline alert a case's standing calls for: its step overdue (P0/P1, or supervised), or near
 * its deadline (P0/P1); null otherwise.
 */
export function deadlineKindOf(c: Pick<CaseStanding, 'status' | 'step' | 'deadlineAt' | 'deadlineState' | 'urgency' | 'supervised'>): 'overdue' | 'near_deadline' | null {
  if (!isOpen(c) || !c.step || !c.deadlineAt) return null;
  if (c.deadlineState === 'overdue') return overdueAlerts(c) ? 'overdue' : null;
  if (c.deadlineState === 'warning' && NEAR_DEADLINE_URGENCIES.includes(c.urgency)) return 'near_deadline';
  return null;
}

/** The facts a deadline alert records: what its wording shows and what decides when its cause ended. */
export function deadlineParams(c: CaseStanding): AlertParams {
  return { urgency: c.urgency, itemName: c.itemName, itemCode: c.itemCode, step: c.step, stepStartedAt: c.stepStartedAt, deadlineAt: c.deadlineAt, teamName: c.teamName };
}

/** A team has signed for the case (or is past that). */
const SIGNED_FOR: ReadonlySet<EventStatus> = new Set(['accepted', 'in_progress', 'handled', 'verified']);
/** A team holds the case, or did and handed it on. */
const DISPATCHED: ReadonlySet<EventStatus> = new Set(['dispatched', 'accepted', 'in_progress', 'handled', 'verified']);
const FINISHED: Readonly<Partial<Record<EventStatus, AlertClearReason>>> = {
  closed: 'case_closed',
  void: 'case_voided',
  merged: 'case_merged',
  rejected: 'case_rejected',
  not_admitted: 'case_not_admitted',
};

/**
 * Why the cause of an alert about a case has ended, read off the case as it stands; null while
 * it lasts. Every case alert ends when the case finishes (closed, voided, merged, not filed).
 * Besides: an urgent case once a team signs for it; a returned task once it is dispatched again;
 * a step's deadline alert once the case moves to another step (or restarts this one, as rework
 * does), once its deadline is extended, and a near-deadline one once the step is overdue (its
 * overdue alert takes over).
 */
export function caseCauseEnded(alert: { kind: AlertKind; params: AlertParams }, c: CaseStanding): AlertClearReason | null {
  // a 交办结果 is about a case that finished: it lasts until the city acknowledges it
  if (alert.kind === 'assignment_reported') return null;
  const finished = FINISHED[c.status];
  if (finished) return finished;
  switch (alert.kind) {
    case 'urgent_event':
      return SIGNED_FOR.has(c.status) ? 'accepted' : null;
    case 'task_returned':
      return DISPATCHED.has(c.status) ? 'dispatched' : null;
    case 'overdue':
    case 'near_deadline': {
      const p = alert.params;
      if (c.step !== (p.step ?? null) || (p.stepStartedAt !== undefined && c.stepStartedAt !== p.stepStartedAt)) return 'step_moved';
      if (c.deadlineAt !== (p.deadlineAt ?? null)) return 'extended';
      // raised under the earlier rule that alerted every overdue routine step
      if (alert.kind === 'overdue' && !overdueAlerts(c)) return 'rule_changed';
      if (alert.kind === 'overdue') return c.deadlineState === 'overdue' ? null : 'extended';
      return c.deadlineState === 'overdue' ? 'now_overdue' : c.deadlineState === 'warning' ? null : 'extended';
    }
    case 'team_silent':
      return null;
  }
}

/** A team's last contact and what it holds: what ends its silence. */
export interface TeamContact {
  /** Its last position report or action (null: never). */
  seenAt: string | null;
  /** Open cases it holds (dispatched, accepted, in progress). */
  openCases: number;
}

/** Why a team's silence has ended: it holds no case any more, or it was heard from since the alert; null while it lasts. */
export function silenceEnded(alert: { params: AlertParams }, team: TeamContact): AlertClearReason | null {
  if (team.openCases === 0) return 'team_free';
  const before = alert.params.lastSeenAt ?? null;
  if (team.seenAt !== null && (before === null || team.seenAt > before)) return 'team_seen';
  return null;
}
