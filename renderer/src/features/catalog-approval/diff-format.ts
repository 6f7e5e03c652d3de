import type { TFunction } from 'i18next';
import type { AutoDispatchRule, TimeLimit } from '../../../../shared/contracts/catalog.js';
import type { Urgency } from '../../../../shared/contracts/events.js';
import { formatLimit } from '../admin/format';

const isLimit = (v: unknown): v is TimeLimit => typeof v === 'object' && v !== null && 'value' in v && 'unit' in v;

/** A diff path in words: `limits.P1.handle` → "P1 紧急 · 处置时限"; `selfHandle` → "可自行处置". */
export function fieldLabel(t: TFunction, path: string): string {
  const m = /^limits\.(P[0-3])\.(\w+)$/.exec(path);
  if (m) return t('admin.catalog.limitField', { urgency: `${m[1]} ${t(`urgency.${m[1]}`)}`, step: t(`step.${m[2]}`) });
  return t(`admin.catalog.field.${path}`, { defaultValue: path });
}

/** A field's value in words; null (absent) reads as a dash. */
export function fieldValue(t: TFunction, path: string, value: unknown): string {
  if (path === 'autoDispatch' && value === null) return t('admin.catalog.noAutoDispatch');
  if (value === null || value === undefined) return '—';
  if (isLimit(value)) return formatLimit(t, value);
  if (typeof value === 'boolean') return value ? t('admin.common.yes') : t('admin.common.no');
  if (path === 'teamType' && typeof value === 'string') return t(`teamType.${value}`);
  if ((path === 'urgencies' || path === 'defaultUrgency') && (Array.isArray(value) || typeof value === 'string')) {
    return ([] as Urgency[]).concat(value as Urgency | Urgency[]).map((u) => `${u} ${t(`urgency.${u}`)}`).join(t('list.separator'));
  }
  if (path === 'autoDispatch') {
    const rule = value as AutoDispatchRule;
    return t('admin.catalog.autoDispatchFor', { urgencies: rule.urgencies.join(t('list.separator')) });
  }
  if (Array.isArray(value)) return value.join(t('list.separator'));
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
