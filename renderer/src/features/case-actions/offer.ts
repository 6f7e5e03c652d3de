import { rolesAllow, type Role } from '../../../../shared/contracts/auth.js';
import type { CatalogItem } from '../../../../shared/contracts/catalog.js';
import type { EventRecord } from '../../../../shared/contracts/events.js';
import type { Action } from '../../../../shared/contracts/workflow.js';
import { allowedActions, separationConflict, teamConflict } from '../../../../shared/domain/workflow.js';
import { CASE_ACTION_LIST, CASE_ACTIONS } from './registry';

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
  // forwarded by a county's own server: handled there, this platform only follows it (the detail says so)
  if (event.forwardedFrom) return [];
  const allowed = allowedActions({ status: event.status, extensionPending: event.extensionRequest !== null, verificationRequired });
  return allowed.filter((action) => {
    if (!rolesAllow(actor.roles, CASE_ACTIONS[action].permission)) return false;
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
 * The buttons of the action bar: approve and deny share one decision dialog, so only the first
 * of them is shown.
 */
export function actionButtons(offered: readonly Action[]): Action[] {
  return offered.filter((a) => !(a === 'deny-extension' && offered.includes('approve-extension')));
}

/**
 * The action a key starts for this case, given what is offered: the first offered in the
 * registry's order among those of the key (`e` decides a pending extension before it requests one).
 */
export function actionForKey(key: string, offered: readonly Action[]): Action | null {
  return CASE_ACTION_LIST.find((a) => a.key === key && offered.includes(a.name))?.name ?? null;
}
