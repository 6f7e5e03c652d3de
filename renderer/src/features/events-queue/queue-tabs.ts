import { OPEN_STATUSES, type EventRecord, type EventStatus, type Urgency } from '../../../../shared/contracts/events.js';
import { isOverdue } from './countdown';

/** Queue tabs, by step of the closed loop; `overdue` cuts across them. */
export const QUEUE_TABS = ['open', 'reported', 'filed', 'active', 'handled', 'overdue'] as const;
export type QueueTab = (typeof QUEUE_TABS)[number];

const OPEN = new Set<EventStatus>(OPEN_STATUSES);

export function isOpen(event: Pick<EventRecord, 'status'>): boolean {
  return OPEN.has(event.status);
}

export function inTab(event: EventRecord, tab: QueueTab, now: number): boolean {
  if (!isOpen(event)) return false;
  switch (tab) {
    case 'open':
      return true;
    case 'reported':
      return event.status === 'reported';
    case 'filed':
      return event.status === 'filed';
    case 'active':
      return event.status === 'dispatched' || event.status === 'in_progress';
    case 'handled':
      return event.status === 'handled';
    case 'overdue':
      return isOverdue(event, now);
  }
}

const URGENCY_RANK: Record<Urgency, number> = { P0: 0, P1: 1, P2: 2, P3: 3 };

function deadlineKey(event: EventRecord): number {
  if (!event.deadlineAt) return Number.POSITIVE_INFINITY;
  const t = Date.parse(event.deadlineAt);
  return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
}

/** Most pressing first: earliest deadline, then higher urgency, then oldest report, then id. */
export function compareByDeadline(a: EventRecord, b: EventRecord): number {
  const byDeadline = deadlineKey(a) - deadlineKey(b);
  if (byDeadline !== 0 && !Number.isNaN(byDeadline)) return byDeadline;
  const byUrgency = URGENCY_RANK[a.urgency] - URGENCY_RANK[b.urgency];
  if (byUrgency !== 0) return byUrgency;
  if (a.reportedAt !== b.reportedAt) return a.reportedAt < b.reportedAt ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** The rows of one tab, sorted by deadline. */
export function queueRows(events: Iterable<EventRecord>, tab: QueueTab, now: number): EventRecord[] {
  const rows: EventRecord[] = [];
  for (const event of events) if (inTab(event, tab, now)) rows.push(event);
  return rows.sort(compareByDeadline);
}

export function tabCounts(events: Iterable<EventRecord>, now: number): Record<QueueTab, number> {
  const counts: Record<QueueTab, number> = { open: 0, reported: 0, filed: 0, active: 0, handled: 0, overdue: 0 };
  for (const event of events) {
    if (!isOpen(event)) continue;
    for (const tab of QUEUE_TABS) if (inTab(event, tab, now)) counts[tab] += 1;
  }
  return counts;
}
