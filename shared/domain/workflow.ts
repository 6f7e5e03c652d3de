import type { Permission, Role } from '../contracts/auth.js';
import type { EventStatus, Step } from '../contracts/events.js';
import type { Action } from '../contracts/workflow.js';

/**
 * The closed loop's state machine (domain.md §4), pure and defined once: the server enforces
 * it, the console asks it which actions to offer. `MACHINE[state][action]` is the state an
 * action leads to; an action missing from a state is illegal there. Side actions (supervise,
 * extensions) keep the state. Guards that depend on the case, not only its state, are in
 * `allowedActions`.
 */
export const MACHINE: Readonly<Record<EventStatus, Readonly<Partial<Record<Action, EventStatus>>>>> = {
  reported: { file: 'filed', reject: 'rejected', void: 'void', merge: 'merged', supervise: 'reported' },
  filed: { dispatch: 'dispatched', void: 'void', merge: 'merged', supervise: 'filed' },
  dispatched: { accept: 'accepted', return: 'filed', dispatch: 'dispatched', void: 'void', supervise: 'dispatched' },
  accepted: {
    start: 'in_progress',
    return: 'filed',
    dispatch: 'dispatched',
    'request-extension': 'accepted',
    'approve-extension': 'accepted',
    'deny-extension': 'accepted',
    supervise: 'accepted',
  },
  in_progress: {
    report: 'handled',
    return: 'filed',
    'request-extension': 'in_progress',
    'approve-extension': 'in_progress',
    'deny-extension': 'in_progress',
    supervise: 'in_progress',
  },
  handled: { verify: 'verified', rework: 'in_progress', close: 'closed', supervise: 'handled' },
  verified: { close: 'closed', rework: 'in_progress', supervise: 'verified' },
  closed: {},
  rejected: {},
  void: {},
  merged: {},
  not_admitted: {},
};

/** Facts of a case, beyond its state, that decide whether an action is allowed. */
export interface CaseFacts {
  status: EventStatus;
  /** An extension request awaits a decision. */
  extensionPending: boolean;
  /** The item requires verification (核查) before closing. */
  verificationRequired: boolean;
}

/** Why an action that the state allows is still refused. */
export type GuardFailure = 'extension_pending' | 'no_extension_pending' | 'verification_required';

function guard(facts: CaseFacts, action: Action): GuardFailure | null {
  switch (action) {
    case 'request-extension':
      return facts.extensionPending ? 'extension_pending' : null;
    case 'approve-extension':
    case 'deny-extension':
      return facts.extensionPending ? null : 'no_extension_pending';
    case 'close':
      return facts.status === 'handled' && facts.verificationRequired ? 'verification_required' : null;
    default:
      return null;
  }
}

/** The state an action leads to, or why it is refused. */
export function transition(facts: CaseFacts, action: Action): { ok: true; to: EventStatus } | { ok: false; reason: 'illegal_transition' | GuardFailure } {
  const to = MACHINE[facts.status][action];
  if (to === undefined) return { ok: false, reason: 'illegal_transition' };
  const failure = guard(facts, action);
  return failure ? { ok: false, reason: failure } : { ok: true, to };
}

/** Actions allowed now, in the machine's order. */
export function allowedActions(facts: CaseFacts): Action[] {
  return (Object.keys(MACHINE[facts.status]) as Action[]).filter((a) => guard(facts, a) === null);
}

/** Terminal states: nothing more happens to the case. */
export function isTerminal(status: EventStatus): boolean {
  return Object.keys(MACHINE[status]).length === 0;
}

/** Actions that change the state (not side actions such as supervise or extensions). */
export function changesState(from: EventStatus, action: Action): boolean {
  const to = MACHINE[from][action];
  return to !== undefined && (to !== from || action === 'dispatch');
}

/** The step (with a deadline) that a case in this state is in; null when none runs. */
export const STEP_OF: Readonly<Record<EventStatus, Step | null>> = {
  reported: 'file',
  filed: 'dispatch',
  dispatched: 'handle',
  accepted: 'handle',
  in_progress: 'handle',
  handled: 'verify',
  verified: 'verify',
  closed: null,
  rejected: null,
  void: null,
  merged: null,
  not_admitted: null,
};

/**
 * Whether an action starts a new step clock. Acceptance and start continue the handling step
 * that dispatch started; rework restarts handling; a re-dispatch restarts it for the new team.
 */
export function restartsStep(from: EventStatus, action: Action): boolean {
  const to = MACHINE[from][action];
  if (to === undefined) return false;
  if (action === 'dispatch' || action === 'rework' || action === 'return') return true;
  return STEP_OF[to] !== STEP_OF[from];
}

/** The permission each action needs (shared/contracts/auth.ts gives them to roles). */
export const ACTION_PERMISSION: Readonly<Record<Action, Permission>> = {
  file: 'case:file',
  reject: 'case:file',
  void: 'case:file',
  merge: 'case:file',
  close: 'case:file',
  dispatch: 'case:dispatch',
  accept: 'case:handle',
  return: 'case:handle',
  start: 'case:handle',
  report: 'case:handle',
  'request-extension': 'case:handle',
  verify: 'case:verify',
  rework: 'case:verify',
  supervise: 'case:supervise',
  'approve-extension': 'case:supervise',
  'deny-extension': 'case:supervise',
};

/** Actions that a team does (or that are recorded for the team by the command center). */
export const TEAM_ACTIONS: ReadonlySet<Action> = new Set<Action>(['accept', 'return', 'start', 'report', 'request-extension']);

/**
 * The team rule, never skipped: a member of a team takes the team's steps only on cases assigned
 * to that team; a field worker who belongs to no team acts on no case at all (the account is
 * incomplete). Command-centre staff without a team may record a team's step on its behalf (a
 * report phoned in). Returns the rule broken, or null.
 */
export function teamConflict(actor: { roles: readonly Role[]; teamId: string | null }, action: Action, caseTeamId: string | null): 'no_team' | 'not_your_team' | null {
  if (actor.teamId === null) return actor.roles.includes('field_worker') ? 'no_team' : null;
  return TEAM_ACTIONS.has(action) && actor.teamId !== caseTeamId ? 'not_your_team' : null;
}

/**
 * Separation of duties (采办分离): who may not do an action, given who reported and handled
 * the case. A self-handled case (自行处置) is exempt: the same grid worker reports and handles.
 * Returns the rule broken, or null.
 */
export function separationConflict(
  action: Action,
  actorId: string,
  people: { reporterId: string | null; handlerId: string | null; extensionRequesterId?: string | null; selfHandled: boolean },
): 'reporter_cannot_handle' | 'reporter_cannot_verify' | 'handler_cannot_verify' | 'requester_cannot_approve' | null {
  if (people.selfHandled) return null;
  if ((action === 'report' || action === 'start') && people.reporterId === actorId) return 'reporter_cannot_handle';
  if (action === 'verify' || action === 'rework') {
    if (people.handlerId === actorId) return 'handler_cannot_verify';
    if (people.reporterId === actorId && action === 'verify') return 'reporter_cannot_verify';
  }
  if ((action === 'approve-extension' || action === 'deny-extension') && people.extensionRequesterId === actorId) return 'requester_cannot_approve';
  return null;
}
