import type { TFunction } from 'i18next';
import type { SessionUser } from '../../../../shared/contracts/auth.js';

/** The user's roles in the UI language, joined. */
export function roleLabels(t: TFunction, user: Pick<SessionUser, 'roles'>): string {
  return user.roles.map((role) => t(`roles.${role}`)).join(t('list.separator'));
}

/** 全县, or the names of the towns the user answers for. */
export function scopeLabel(t: TFunction, user: Pick<SessionUser, 'scope' | 'scopeNames'>): string {
  if (user.scope.kind === 'county') return t('session.scopeCounty');
  return user.scopeNames.length ? user.scopeNames.join(t('list.separator')) : user.scope.towns.join(t('list.separator'));
}
