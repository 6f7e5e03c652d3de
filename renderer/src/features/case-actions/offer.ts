import { rolesAllow, type Role } from '../../../../shared/contracts/auth.js';
import type { CatalogItem } from '../../../../shared/contracts/catalog.js';
import type { EventRecord } from '../../../../shared/contracts/events.js';
import type { Action } from '../../../../shared/contracts/workflow.js';
import { ACTION_PERMISSION, allowedActions, separationConflict, teamConflict } from '../../../../shared/domain/workflow.js';

/** Who is at the console, as far as the offer of actions goes. */
export interface Actor {
  id: string;
  roles: readonly Role[];
  /** The field team the user belongs to; null for the command centre. */
  teamId: string | null;
}

/**
 * The actions to offer this user on this case, in the state machine's order: what the state
 * allows (shared/domain/workflow.ts), what the user's roles permit, and the team rule (a team
 * member acts only on the team's cases; the command centre records team steps on its behalf).
 * The server decides in the end (separation of duties needs who reported and handled, which the
 * console does not hold); this only keeps buttons and keys from offering what cannot work.
 *
 * `verificationRequired` comes from the catalog item; when the item is unknown the console
 * assumes verification is required, so it never offers closing a case the server would refuse.
 */
export function offeredActions(event: EventRecord, actor: Actor, verificationRequired = true): Action[] {
  if (!rolesAllow(actor.roles, 'case:act')) return [];
  const allowed = allowedActions({ status: event.status, extensionPending: event.extensionRequest !== null, verificationRequired });
  return allowed.filter((action) => {
    if (!rolesAllow(actor.roles, ACTION_PERMISSION[action])) return false;
    if (teamConflict(actor, action, event.teamId)) return false;
    const people = { reporterId: null, handlerId: null, extensionRequesterId: event.extensionRequest?.by ?? null, selfHandled: event.selfHandled };
    return separationConflict(action, actor.id, people) === null;
  });
}

/** Whether the catalog asks for verification before closing; unknown items are assumed to. */
export function verificationRequiredFor(itemCode: string, items: readonly CatalogItem[] | undefined): boolean {
  return items?.find((item) => item.code === itemCode)?.verificationRequired ?? true;
}

/**
 * One key per action, mnemonic where the English or the pinyin allows it: f file, x reject
 * (✗), z void (作废 zuòfèi), d dispatch, a accept, b return (back), t start, r report, v verify,
 * w rework, c close, e extension (request, or decide when one is pending), s supervise (督办),
 * m merge. Digits pick queue tabs, j/k move, o orders, ? shows the sheet: no clashes.
 */
export const ACTION_KEYS: Readonly<Record<Action, string>> = {
  file: 'f',
  reject: 'x',
  void: 'z',
  dispatch: 'd',
  accept: 'a',
  return: 'b',
  start: 't',
  report: 'r',
  verify: 'v',
  rework: 'w',
  close: 'c',
  'request-extension': 'e',
  'approve-extension': 'e',
  'deny-extension': 'e',
  supervise: 's',
  merge: 'm',
};

/** What starting an action opens: nothing (it runs at once) or the dialog that asks for its fields. */
export type ActionDialog = 'dispatch' | 'merge' | 'reject' | 'reason' | 'supervise' | 'report' | 'extension-request' | 'extension-decision';

/** Actions that need nothing more than the click or key: they run at once. */
const IMMEDIATE: ReadonlySet<Action> = new Set<Action>(['file', 'accept', 'start', 'verify', 'close']);

export function dialogFor(action: Action): ActionDialog | null {
  if (IMMEDIATE.has(action)) return null;
  switch (action) {
    case 'dispatch':
      return 'dispatch';
    case 'merge':
      return 'merge';
    case 'reject':
      return 'reject';
    case 'supervise':
      return 'supervise';
    case 'report':
      return 'report';
    case 'request-extension':
      return 'extension-request';
    case 'approve-extension':
    case 'deny-extension':
      return 'extension-decision';
    default:
      return 'reason';
  }
}

/**
 * The buttons of the action bar: approve and deny share one decision dialog, so only the first
 * of them is shown.
 */
export function actionButtons(offered: readonly Action[]): Action[] {
  return offered.filter((a) => !(a === 'deny-extension' && offered.includes('approve-extension')));
}

/** The action a key starts for this case, given what is offered; `e` requests or decides. */
export function actionForKey(key: string, offered: readonly Action[]): Action | null {
  if (key === 'e') {
    if (offered.includes('approve-extension')) return 'approve-extension';
    if (offered.includes('deny-extension')) return 'deny-extension';
    return offered.includes('request-extension') ? 'request-extension' : null;
  }
  return offered.find((a) => ACTION_KEYS[a] === key) ?? null;
}
