import { AUDIT_ACTIONS, AUDIT_RESULTS, type AuditAction, type AuditFilter, type AuditRecord, type AuditResult } from '../../../../shared/contracts/audit.js';
import { COUNTY_UTC_OFFSET_MS, formatDateTime } from '../../app/time-format';

/** What the auditor typed into the filter bar; empty strings mean "any". Dates are county days (`yyyy-mm-dd`). */
export interface AuditFilterDraft {
  fromDay: string;
  toDay: string;
  user: string;
  action: string;
  result: string;
}

export const EMPTY_AUDIT_FILTER: AuditFilterDraft = { fromDay: '', toDay: '', user: '', action: '', result: '' };

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

export function isKnownAuditAction(action: string): action is AuditAction {
  return (AUDIT_ACTIONS as readonly string[]).includes(action);
}

export function isAuditResult(value: string): value is AuditResult {
  return (AUDIT_RESULTS as readonly string[]).includes(value);
}

/** The i18n key of an action's label (`audit.actions.user_create`), or null for a name we do not know. */
export function auditActionLabelKey(action: string): string | null {
  return isKnownAuditAction(action) ? `audit.actions.${action.replace(':', '_')}` : null;
}

/**
 * Start of a county calendar day (China Standard Time) as ISO with offset, `plusDays` later;
 * null for anything that is not a real `yyyy-mm-dd`.
 */
export function countyDayStartIso(day: string, plusDays = 0): string | null {
  if (!DAY_PATTERN.test(day)) return null;
  const utcMidnight = Date.parse(`${day}T00:00:00Z`);
  if (Number.isNaN(utcMidnight) || new Date(utcMidnight).toISOString().slice(0, 10) !== day) return null;
  return new Date(utcMidnight - COUNTY_UTC_OFFSET_MS + plusDays * DAY_MS).toISOString();
}

/**
 * The API filter for a draft: trimmed, empty fields left out, the day range as `[from 00:00,
 * day after to 00:00)` in county time, so "to" includes the whole of its day.
 */
export function auditFilterFromDraft(draft: AuditFilterDraft): AuditFilter {
  const filter: AuditFilter = {};
  const from = countyDayStartIso(draft.fromDay.trim());
  const to = countyDayStartIso(draft.toDay.trim(), 1);
  if (from) filter.from = from;
  if (to) filter.to = to;
  const user = draft.user.trim();
  if (user) filter.user = user;
  const action = draft.action.trim();
  if (action) filter.action = action;
  if (isAuditResult(draft.result)) filter.result = draft.result;
  return filter;
}

/** A day range whose end is before its start: the server would refuse it. */
export function isReversedRange(draft: AuditFilterDraft): boolean {
  const from = countyDayStartIso(draft.fromDay.trim());
  const to = countyDayStartIso(draft.toDay.trim());
  return from !== null && to !== null && to < from;
}

/** Query parameters of `GET /api/v1/audit` (no undefined values, fixed order). */
export function auditListQuery(filter: AuditFilter, page: number, pageSize: number): Record<string, string> {
  return { ...auditExportQuery(filter), page: String(page), pageSize: String(pageSize) };
}

/** Query parameters of `GET /api/v1/audit/export`: the filter only. */
export function auditExportQuery(filter: AuditFilter): Record<string, string> {
  const query: Record<string, string> = {};
  for (const key of ['from', 'to', 'user', 'action', 'result', 'objectId'] as const) {
    const value = filter[key];
    if (value !== undefined && value !== '') query[key] = value;
  }
  return query;
}

/** `yyyy-mm-dd hh:mm:ss` in China Standard Time, as the table shows it. */
export function formatAuditTime(iso: string): string {
  return formatDateTime(iso);
}

/** The exact instant for a tooltip: `yyyy-mm-dd hh:mm:ss.mmm CST (UTC+8)`, and the stored UTC value. */
export function formatAuditTimeExact(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  const millis = String(((ms % 1000) + 1000) % 1000).padStart(3, '0');
  return `${formatDateTime(iso)}.${millis} CST (UTC+8) · ${iso}`;
}

/**
 * The object as an auditor reads it: `type · id`, except that a user is named by the username
 * the record carries (ids are opaque UUIDs). `title` always holds the exact type and id.
 */
export function auditObjectText(record: Pick<AuditRecord, 'objectType' | 'objectId' | 'details'>): { text: string; title: string } {
  const exact = [record.objectType, record.objectId].filter(Boolean).join(' · ');
  const username = record.details?.username;
  if (record.objectType === 'user' && typeof username === 'string' && username) return { text: `user · ${username}`, title: exact };
  return { text: exact || '—', title: exact };
}

/** Number of pages for `total` records, at least 1 so "page 1 of 1" reads right when empty. */
export function pageCount(total: number, pageSize: number): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

/** The file name a `Content-Disposition` header gives, or a fallback. */
export function attachmentName(header: string | null, fallback: string): string {
  const match = header ? /filename\*?=(?:UTF-8'')?"?([^";]+)"?/i.exec(header) : null;
  const name = match?.[1] ? decodeURIComponent(match[1]) : '';
  // Only a plain name: never a path.
  return /^[\w.-]+$/.test(name) ? name : fallback;
}
