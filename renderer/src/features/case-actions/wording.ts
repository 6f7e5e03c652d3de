import type { TimeLimit } from '../../../../shared/contracts/catalog.js';
import type { Action, RecommendationReason } from '../../../../shared/contracts/workflow.js';
import { ApiRequestError } from '../../app/api-client';

/** The part of i18next's `t` these helpers use, so they stay pure and testable with a fake. */
export type Translate = (key: string, options?: Record<string, unknown>) => string;

const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);
const str = (value: unknown): string | null => (typeof value === 'string' && value.length > 0 ? value : null);

/** A recommendation reason as a short phrase, from its code and params, in the UI language. */
export function reasonLabel(t: Translate, reason: RecommendationReason): string {
  const p = reason.params;
  switch (reason.code) {
    case 'roster': {
      const name = str(p.name);
      const role = str(p.role);
      return name ? t('recommend.roster', { name, role: role ? t(`rosterRole.${role}`, { defaultValue: role }) : '' }) : t('recommend.rosterPlain');
    }
    case 'distance': {
      const km = num(p.km);
      return km === null ? t('recommend.distancePlain') : t('recommend.distance', { km: km.toFixed(1) });
    }
    case 'load': {
      const open = num(p.open);
      return open === null ? t('recommend.loadPlain') : t('recommend.load', { open });
    }
    case 'stale_position': {
      const hours = num(p.hours);
      return hours === null ? t('recommend.stale_positionPlain') : t('recommend.stale_position', { hours });
    }
    case 'type_mismatch': {
      const wanted = str(p.wanted);
      return wanted ? t('recommend.type_mismatchWanted', { wanted: t(`teamType.${wanted}`, { defaultValue: wanted }) }) : t('recommend.type_mismatch');
    }
    case 'returned_before': {
      const times = num(p.times);
      return times !== null && times > 1 ? t('recommend.returned_beforeTimes', { times }) : t('recommend.returned_before');
    }
    default:
      return t(`recommend.${reason.code}`);
  }
}

/** Points with their sign, e.g. `+30`, `−4.5`, `±0` (a true minus sign, readable at a glance). */
export function pointsLabel(points: number): string {
  const rounded = Math.round(points * 10) / 10;
  if (rounded === 0) return '±0';
  return rounded > 0 ? `+${rounded}` : `\u2212${Math.abs(rounded)}`;
}

/** How a reason weighs: for it, against it, or neither. */
export function reasonTone(reason: RecommendationReason): 'plus' | 'minus' | 'zero' {
  if (reason.points > 0) return 'plus';
  if (reason.points < 0) return 'minus';
  return reason.code === 'type_mismatch' || reason.code === 'off_duty' || reason.code === 'reporter_only_member' || reason.code === 'returned_before' ? 'minus' : 'zero';
}

/** A time limit as people say it: `2 工作日`, `90 minutes`. */
export function limitLabel(t: Translate, limit: TimeLimit): string {
  return `${limit.value} ${t(`limitUnit.${limit.unit}`)}`;
}

/** A refused action, said plainly: what failed and why, and what can be done instead. */
export interface ActionProblem {
  title: string;
  message: string;
  hint: string | null;
}

/**
 * Words for a failed action. `409 illegal_transition` names the case's current state and the
 * actions it allows (someone else usually acted first); separation of duties, team refusals and
 * guards carry the server's reason (already in the UI language: the request sent it); a network
 * failure says nothing was sent.
 */
export function describeActionError(t: Translate, action: Action, err: unknown): ActionProblem {
  const title = t('actions.failed', { action: t(`actions.${action}`) });
  if (!(err instanceof ApiRequestError)) return { title, message: err instanceof Error ? err.message : String(err), hint: null };
  switch (err.code) {
    case 'illegal_transition': {
      const status = str(err.details.status);
      const allowed = Array.isArray(err.details.allowed) ? err.details.allowed.filter((a): a is string => typeof a === 'string') : [];
      if (!status) return { title, message: err.message, hint: null };
      // A guard (an extension already pending, verification required) is best said by the
      // server's own message; a plain state conflict is said here, with the state now.
      const guard = str(err.details.reason);
      return {
        title,
        message: guard ? err.message : t('caseError.illegalTransition', { status: t(`status.${status}`), action: t(`actions.${action}`) }),
        hint: allowed.length ? t('caseError.allowedNow', { actions: allowed.map((a) => t(`actions.${a}`)).join(t('list.separator')) }) : t('caseError.noneAllowed'),
      };
    }
    case 'separation_of_duties':
    case 'not_your_team':
    case 'team_ineligible':
      // The server names the rule broken (采办分离, off duty…) in the user's language: say it as it is.
      return { title, message: err.message, hint: null };
    case 'network':
      return { title, message: t('caseError.network'), hint: null };
    default: {
      const fields = err.fields.map((f) => `${f.field}: ${f.message}`).join(t('list.separator'));
      return { title, message: t('caseError.generic', { message: err.message }), hint: fields || null };
    }
  }
}
