import { ROLES_SEEING_PERSONAL_DATA, type Role, type Scope } from '../../../../shared/contracts/auth.js';
import type { EventRecord } from '../../../../shared/contracts/events.js';
import { maskName, maskPhone } from '../../../../shared/domain/masking.js';

/** Whether these roles see reporters' names and phones in full. */
export const seesPersonalData = (roles: readonly Role[]): boolean => roles.some((r) => ROLES_SEEING_PERSONAL_DATA.includes(r));

/** The event as a role may see it: the reporter masked for roles that do not need them. */
export function eventView(event: EventRecord, fullPersonalData: boolean): EventRecord {
  if (fullPersonalData) return event;
  return { ...event, reporter: { name: maskName(event.reporter.name), phone: maskPhone(event.reporter.phone) } };
}

/** Town ids a scope is limited to, or null for the whole county. */
export const scopeTowns = (scope: Scope): string[] | null => (scope.kind === 'county' ? null : scope.towns);

export const inScope = (scope: Scope, townId: string): boolean => scope.kind === 'county' || scope.towns.includes(townId);
