import type { TimeLimit } from '../../../../shared/contracts/catalog.js';
import { offlineMadeAt } from '../../../../shared/contracts/made-at.js';
import { ACTIONS, type RecommendationReasonCode, type TimelineEntry } from '../../../../shared/contracts/workflow.js';
import { COUNTY_UTC_OFFSET_MS, countyDayStart, formatDateTime } from '../../app/time-format';
import type { Language } from '../../i18n/i18n';
import { limitLabel, type Translate } from '../case-actions/wording';

/** How an entry is drawn: by a person, by the machine, a deadline alarm, a refusal, or the end. */
export type EntryTone = 'person' | 'machine' | 'warning' | 'overdue' | 'refusal' | 'done';

export function entryTone(entry: Pick<TimelineEntry, 'action' | 'actor' | 'auto' | 'to'>): EntryTone {
  if (entry.action === 'deadline-warning') return 'warning';
  if (entry.action === 'deadline-overdue') return 'overdue';
  if (['reject', 'void', 'rework', 'return', 'deny-extension', 'not-admitted'].includes(entry.action)) return 'refusal';
  if (entry.to === 'closed' && entry.action !== 'master-updated') return 'done';
  if (entry.auto || entry.actor === null) return 'machine';
  return 'person';
}

const ACTION_NAMES = new Set<string>(ACTIONS);

/** What happened, in words: an action's name, or the name of a system step. */
export function entryLabel(t: Translate, entry: Pick<TimelineEntry, 'action' | 'details'>): string {
  if (entry.action === 'auto-dispatch' && entry.details.dispatched === false) return t('timeline.notDispatched');
  if (entry.action === 'auto-dispatch' && entry.details.step === 'file') return `${t('timeline.kind.auto-dispatch')} · ${t('actions.file')}`;
  return ACTION_NAMES.has(entry.action) ? t(`actions.${entry.action}`) : t(`timeline.kind.${entry.action}`, { defaultValue: entry.action });
}

export interface DetailRow {
  key: string;
  label: string;
  value: string;
  /** Ids read better in the monospace face. */
  mono?: boolean;
}

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const PLAIN_REASON: Partial<Record<RecommendationReasonCode, string>> = {
  roster: 'recommend.rosterPlain',
  distance: 'recommend.distancePlain',
  load: 'recommend.loadPlain',
  stale_position: 'recommend.stale_positionPlain',
};

function isLimit(value: unknown): value is TimeLimit {
  return typeof value === 'object' && value !== null && typeof (value as TimeLimit).value === 'number' && typeof (value as TimeLimit).unit === 'string';
}

/**
 * The facts of an entry worth a dispatcher's glance, labelled and formatted, in a fixed order.
 * What the entry line already says (who, the states) and bookkeeping (step clocks, scores,
 * codes repeated elsewhere) is left out.
 */
export function detailRows(t: Translate, entry: Pick<TimelineEntry, 'action' | 'details'> & { at?: string }): DetailRow[] {
  const d = entry.details;
  const rows: DetailRow[] = [];
  const text = (key: string, value: unknown, mono = false) => {
    if (value === null || value === undefined || value === '') return;
    let shown: string;
    if (typeof value === 'string') shown = ISO.test(value) ? formatDateTime(value) : value;
    else if (typeof value === 'number' || typeof value === 'boolean') shown = String(value);
    else if (isLimit(value)) shown = limitLabel(t, value);
    else if (Array.isArray(value)) {
      if (value.length === 0) return;
      shown = value.map(String).join(t('list.separator'));
    } else shown = JSON.stringify(value);
    rows.push({ key, label: t(`timeline.detail.${key}`, { defaultValue: key }), value: shown, ...(mono ? { mono } : {}) });
  };

  if (entry.action === 'auto-dispatch' && d.dispatched === false) {
    text('why', typeof d.reason === 'string' ? t(`timeline.autoReason.${d.reason}`, { defaultValue: d.reason }) : null);
    return rows;
  }
  text('teamName', d.teamName ?? (d.teamName === undefined && typeof d.teamId === 'string' ? d.teamId : null));
  if (Array.isArray(d.reasons)) {
    const codes = d.reasons.filter((c): c is RecommendationReasonCode => typeof c === 'string');
    text('reasons', codes.map((c) => t(PLAIN_REASON[c] ?? `recommend.${c}`, { defaultValue: c })));
  }
  text('reason', entry.action === 'not-admitted' && typeof d.reason === 'string' ? t(`detail.refusalReasons.${d.reason}`, { defaultValue: d.reason }) : d.reason);
  text('receivingBody', d.receivingBody);
  text('result', d.result);
  // a channel's own facts (多网合一): which channel and its id, the camera and the AI's confidence, the hotline's words
  if (typeof d.channel === 'string') text('channel', t(`timeline.detail.channelNames.${d.channel}`, { defaultValue: d.channel }));
  text('channelId', d.channelId, true);
  // 市级交办: the city that assigned it, the county it went to and the city's deadline
  text('byRegionName', d.byRegionName);
  text('countyName', d.countyName);
  if (d.channel === 'city_assignment') text('dueAt', d.dueAt);
  text('cameraName', d.cameraName);
  text('confidence', typeof d.confidence === 'number' ? `${Math.round(d.confidence * 100)}%` : null);
  text('itemText', d.itemText);
  if (typeof d.itemBy === 'string') text('itemBy', t(`timeline.detail.itemByNames.${d.itemBy}`, { defaultValue: d.itemBy }));
  text('caller', d.caller, true);
  text('occurredAt', d.occurredAt);
  text('receivedAt', d.receivedAt);
  // made on a phone that was offline: when it was made there (the entry's own time is when it arrived)
  if (entry.at !== undefined) text('madeAt', offlineMadeAt(d, entry.at));
  text('extension', d.extension);
  text('requestedBy', d.requestedBy);
  text('deadlineFrom', d.deadlineFrom);
  text('deadlineTo', d.deadlineTo);
  text('dueFrom', d.dueFrom);
  text('dueTo', d.dueTo);
  if (entry.action === 'deadline-warning' || entry.action === 'deadline-overdue') text('deadlineAt', d.deadlineAt);
  if (entry.action === 'dispatch') text('dueAt', d.dueAt);
  // sent although the ranking said no: the dispatcher's reason and what was overridden
  const override = entry.action === 'dispatch' && typeof d.override === 'object' && d.override !== null ? (d.override as Record<string, unknown>) : null;
  if (override) {
    text('overrideReason', override.reason);
    if (Array.isArray(override.ineligible)) {
      text('overridden', override.ineligible.filter((c): c is string => typeof c === 'string').map((c) => t(PLAIN_REASON[c as RecommendationReasonCode] ?? `recommend.${c}`, { defaultValue: c })));
    }
  }
  text('intoId', d.intoId, true);
  text('mergedId', d.mergedId, true);
  text('masterStatus', typeof d.masterStatus === 'string' ? t(`status.${d.masterStatus}`) : null);
  text('duplicateCandidates', d.duplicateCandidates, true);
  return rows;
}

const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * When an entry happened, as the timeline shows it, in county time: `hh:mm` for today; an
 * earlier day also gets its date (`11月20日` / `Nov 20`, with the year when it was another
 * year), so a step of yesterday never reads as one of today. `date` is null for today.
 */
export function timelineStamp(iso: string, now: number, lang: Language): { date: string | null; time: string } {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return { date: null, time: '—' };
  const d = new Date(ms + COUNTY_UTC_OFFSET_MS);
  const time = `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}`;
  if (countyDayStart(ms) === countyDayStart(now)) return { date: null, time };
  const year = d.getUTCFullYear();
  const sameYear = year === new Date(now + COUNTY_UTC_OFFSET_MS).getUTCFullYear();
  const month = d.getUTCMonth();
  const day = d.getUTCDate();
  if (lang === 'en') return { date: `${MONTHS_EN[month]} ${day}${sameYear ? '' : `, ${year}`}`, time };
  return { date: `${sameYear ? '' : `${year}年`}${month + 1}月${day}日`, time };
}
