import type { TFunction } from 'i18next';
import type { SessionUser } from '../../../../shared/contracts/auth.js';

/** The user's roles in the UI language, joined. */
export function roleLabels(t: TFunction, user: Pick<SessionUser, 'roles'>): string {
  return user.roles.map((role) => t(`roles.${role}`)).join(t('list.separator'));
}

/**
 * 全县 (全市, 全省 on a platform whose top region is a city or province), or the names of the areas
 * the user answers for (a city, counties, towns).
 */
export function scopeLabel(t: TFunction, user: Pick<SessionUser, 'scope' | 'scopeNames' | 'platformLevel'>): string {
  const level = user.platformLevel;
  if (user.scope.kind === 'county') return t(level === 'city' ? 'session.scopeCity' : level === 'province' ? 'session.scopeProvince' : 'session.scopeCounty');
  return (user.scopeNames.length ? user.scopeNames : user.scope.areas).join(t('list.separator'));
}
