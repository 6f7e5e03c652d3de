import type { EventRecord, Urgency } from '../../../../shared/contracts/events.js';
import { isOpen, isOverdue, isQueued, isWithTeam } from '../../../../shared/domain/case-state.js';

/**
 * Queue tabs, by step of the closed loop. `new` (reported in the last hour, still open) and
 * `overdue` cut across the steps; `notAdmitted` holds intakes outside the catalog, which are
 * finished but must be seen (who receives them, and why).
 */
export const QUEUE_TABS = ['new', 'toFile', 'toDispatch', 'inProgress', 'toVerify', 'overdue', 'notAdmitted'] as const;
export type QueueTab = (typeof QUEUE_TABS)[number];

/**
 * The queue's last tab: cases of any state and age, read page by page from the server
 * (features/history) rather than from the live feed, so it has no count and no rows here.
 */
export const HISTORY_TAB = 'history';
export type QueueView = QueueTab | typeof HISTORY_TAB;
/** Every tab in order; the digit keys 1… pick them. */
export const QUEUE_VIEWS: readonly QueueView[] = [...QUEUE_TABS, HISTORY_TAB];

/**
 * The tab to show a case chosen elsewhere (a search): the current one if it lists the case, else
 * the first that does; null when no live tab lists it (finished long ago: the detail still opens).
 */
export function tabHolding(event: EventRecord, current: QueueView, now: number): QueueTab | null {
  if (!isQueued(event)) return null;
  if (current !== HISTORY_TAB && inTab(event, current, now)) return current;
  return QUEUE_TABS.find((tab) => inTab(event, tab, now)) ?? null;
}

/** How long a case counts as new. */
export const NEW_WINDOW_MS = 3_600_000;

export const QUEUE_SORTS = ['deadline', 'urgency', 'reported'] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];

export function inTab(event: EventRecord, tab: QueueTab, now: number): boolean {
  if (tab === 'notAdmitted') return event.status === 'not_admitted';
  if (!isOpen(event)) return false;
  switch (tab) {
    case 'new': {
      const reported = Date.parse(event.reportedAt);
      return !Number.isNaN(reported) && now - reported <= NEW_WINDOW_MS;
    }
    case 'toFile':
      return event.status === 'reported';
    case 'toDispatch':
      return event.status === 'filed';
    case 'inProgress':
      return isWithTeam(event);
    case 'toVerify':
      return event.status === 'handled' || event.status === 'verified';
    case 'overdue':
      return isOverdue(event, now);
  }
}

const URGENCY_RANK: Record<Urgency, number> = { P0: 0, P1: 1, P2: 2, P3: 3 };

/**
 * Parsed deadlines, kept per event object (records are immutable, a change is a new object):
 * sorting a county's queue compares each event a dozen times, and a date is parsed once.
 */
const deadlineKeys = new WeakMap<EventRecord, number>();

function deadlineKey(event: EventRecord): number {
  let key = deadlineKeys.get(event);
  if (key === undefined) {
    const t = event.deadlineAt ? Date.parse(event.deadlineAt) : Number.NaN;
    key = Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
    deadlineKeys.set(event, key);
  }
  return key;
}

const byDeadline = (a: EventRecord, b: EventRecord) => {
  const d = deadlineKey(a) - deadlineKey(b);
  return d !== 0 && !Number.isNaN(d) ? d : 0;
};
const byUrgency = (a: EventRecord, b: EventRecord) => URGENCY_RANK[a.urgency] - URGENCY_RANK[b.urgency];
const byOldest = (a: EventRecord, b: EventRecord) => (a.reportedAt === b.reportedAt ? 0 : a.reportedAt < b.reportedAt ? -1 : 1);
const byId = (a: EventRecord, b: EventRecord) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function chain(...comparators: Array<(a: EventRecord, b: EventRecord) => number>) {
  return (a: EventRecord, b: EventRecord) => {
    for (const compare of comparators) {
      const r = compare(a, b);
      if (r !== 0) return r;
    }
    return 0;
  };
}

/** Most pressing first: earliest deadline, then higher urgency, then oldest report, then id. */
export const compareByDeadline = chain(byDeadline, byUrgency, byOldest, byId);

/** Each sort of the queue; ties fall back to the most pressing first, and the id keeps it stable. */
export const QUEUE_COMPARATORS: Record<QueueSort, (a: EventRecord, b: EventRecord) => number> = {
  deadline: compareByDeadline,
  urgency: chain(byUrgency, byDeadline, byOldest, byId),
  reported: chain((a, b) => byOldest(b, a), byUrgency, byId),
};

/** The rows of one tab in the chosen order (by deadline unless told). */
export function queueRows(events: Iterable<EventRecord>, tab: QueueTab, now: number, sort: QueueSort = 'deadline'): EventRecord[] {
  const rows: EventRecord[] = [];
  for (const event of events) if (inTab(event, tab, now)) rows.push(event);
  return rows.sort(QUEUE_COMPARATORS[sort]);
}

export function tabCounts(events: Iterable<EventRecord>, now: number): Record<QueueTab, number> {
  const counts = Object.fromEntries(QUEUE_TABS.map((tab) => [tab, 0])) as Record<QueueTab, number>;
  for (const event of events) {
    if (!isQueued(event)) continue;
    for (const tab of QUEUE_TABS) if (inTab(event, tab, now)) counts[tab] += 1;
  }
  return counts;
}

/** The marks a queue row carries beside its status, in display order. */
export type RowBadge =
  | { kind: 'forwarded'; countyEventId: string }
  | { kind: 'assigned'; city: string; dueAt: string }
  | { kind: 'supervised' }
  | { kind: 'duplicate'; count: number }
  | { kind: 'auto' }
  | { kind: 'extension' }
  | { kind: 'rework'; count: number }
  | { kind: 'merged' };

/**
 * A case a county's own server forwarded first (handled there: nothing to do on it here), then a
 * city's assignment (市级交办: the city set the deadline and waits for the result), then
 * supervision (a leader is watching), then what asks the dispatcher to act or look.
 */
export function rowBadges(event: EventRecord): RowBadge[] {
  const badges: RowBadge[] = [];
  if (event.forwardedFrom) badges.push({ kind: 'forwarded', countyEventId: event.forwardedFrom.eventId });
  if (event.assignment) badges.push({ kind: 'assigned', city: event.assignment.byRegionName, dueAt: event.assignment.dueAt });
  if (event.supervised) badges.push({ kind: 'supervised' });
  if (isOpen(event) && event.duplicateCandidates.length > 0) badges.push({ kind: 'duplicate', count: event.duplicateCandidates.length });
  if (event.extensionRequest) badges.push({ kind: 'extension' });
  if (event.reworkCount > 0) badges.push({ kind: 'rework', count: event.reworkCount });
  if (event.autoDispatched) badges.push({ kind: 'auto' });
  if (event.mergedIds.length > 0) badges.push({ kind: 'merged' });
  return badges;
}

/** Cases a city assigned down (市级交办): what the queue's filter keeps. */
export const isAssigned = (event: Pick<EventRecord, 'assignment'>): boolean => event.assignment !== null;
