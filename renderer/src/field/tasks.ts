import type { EventRecord, EventStatus, Urgency } from '../../../shared/contracts/events.js';
import type { TeamSummary } from '../../../shared/contracts/teams.js';
import type { Action } from '../../../shared/contracts/workflow.js';
import { isWithTeam } from '../../../shared/domain/case-state.js';
import { MACHINE } from '../../../shared/domain/workflow.js';

/** The states the field app asks the server for: the team's cases and those waiting for 核查. */
export const FIELD_STATUSES: readonly EventStatus[] = ['dispatched', 'accepted', 'in_progress', 'handled'];

const URGENCY_RANK: Record<Urgency, number> = { P0: 0, P1: 1, P2: 2, P3: 3 };

/** Most urgent first, then the nearest deadline, then the oldest. */
export function byUrgencyAndDeadline(a: EventRecord, b: EventRecord): number {
  const u = URGENCY_RANK[a.urgency] - URGENCY_RANK[b.urgency];
  if (u !== 0) return u;
  const da = a.deadlineAt ? Date.parse(a.deadlineAt) : Number.POSITIVE_INFINITY;
  const db = b.deadlineAt ? Date.parse(b.deadlineAt) : Number.POSITIVE_INFINITY;
  if (da !== db) return da - db;
  return a.reportedAt.localeCompare(b.reportedAt);
}

/**
 * The cases the team works now (dispatched, accepted, in progress), most urgent first. A case
 * the team has reported back (handled) is no longer a task: it waits for someone else's 核查.
 */
export function myTasks(events: Iterable<EventRecord>, teamId: string | null): EventRecord[] {
  if (!teamId) return [];
  const out: EventRecord[] = [];
  for (const e of events) if (e.teamId === teamId && isWithTeam(e)) out.push(e);
  return out.sort(byUrgencyAndDeadline);
}

/**
 * Verification tasks (核查): handled cases in the team's area that another team handled (a
 * team never verifies its own work: 采办分离). The team's town when it has one (county units:
 * every case the user may see), its home village first.
 */
export function verificationTasks(events: Iterable<EventRecord>, team: Pick<TeamSummary, 'id' | 'townId' | 'homeRegionId'> | null): EventRecord[] {
  if (!team) return [];
  const out: EventRecord[] = [];
  for (const e of events) {
    if (e.status !== 'handled' || e.teamId === team.id || e.selfHandled) continue;
    if (team.townId && e.townId !== team.townId) continue;
    out.push(e);
  }
  const home = (e: EventRecord) => (e.villageId === team.homeRegionId ? 0 : 1);
  return out.sort((a, b) => home(a) - home(b) || byUrgencyAndDeadline(a, b));
}

/**
 * A step the field app offers: a workflow action. There is no separate 出发 (set off): signing
 * for a task (签收) is setting off, and the server puts the team en route (在途) with it, which
 * the console shows; 到场 (start) puts it on scene.
 */
export type FieldStep = 'accept' | 'start' | 'report' | 'verify';

export interface NextActions {
  /** The one big button. */
  primary: FieldStep | null;
  /** Smaller choices below it. */
  secondary: Array<FieldStep | 'return' | 'rework'>;
}

/**
 * The state a case will be in once the phone's queued actions reach the server, so a worker
 * offline can go on to the next step. Actions the state does not allow are skipped (the server
 * will refuse them and the outbox shows that).
 */
export function effectiveStatus(status: EventStatus, pending: readonly Action[]): EventStatus {
  let s = status;
  for (const action of pending) {
    const to = MACHINE[s][action];
    if (to !== undefined) s = to;
  }
  return s;
}

/**
 * The next action of a case on the phone. `ownTeam`: the case is the team's; otherwise only
 * 核查 of a handled case is offered.
 */
export function nextActions(status: EventStatus, opts: { ownTeam: boolean }): NextActions {
  if (!opts.ownTeam) return status === 'handled' ? { primary: 'verify', secondary: ['rework'] } : { primary: null, secondary: [] };
  switch (status) {
    case 'dispatched':
      return { primary: 'accept', secondary: ['return'] };
    case 'accepted':
      return { primary: 'start', secondary: ['return'] };
    case 'in_progress':
      return { primary: 'report', secondary: ['return'] };
    default:
      return { primary: null, secondary: [] };
  }
}

/** A countdown in words: `{ overdue, days, hours, minutes }` of the time left (or past). */
export function countdownParts(seconds: number): { overdue: boolean; days: number; hours: number; minutes: number } {
  const overdue = seconds < 0;
  let rest = Math.abs(seconds);
  const days = Math.floor(rest / 86_400);
  rest -= days * 86_400;
  const hours = Math.floor(rest / 3_600);
  rest -= hours * 3_600;
  return { overdue, days, hours, minutes: Math.floor(rest / 60) };
}

/** A new task for this team among pushed changes: a dispatch (by a person or the machine) to it. */
export function isNewTaskFor(teamId: string | null, change: { kind?: string; event: Pick<EventRecord, 'teamId' | 'status'> }): boolean {
  if (!teamId || change.event.teamId !== teamId || change.event.status !== 'dispatched') return false;
  return change.kind === 'dispatch' || change.kind === 'auto-dispatch' || change.kind === 'reported';
}
