import type { EventRecord } from '../../../../shared/contracts/events.js';
import { isOpen, isOverdue } from '../../../../shared/domain/case-state.js';

/** A case counts as new on the wall for its first hour, as in the queue's 新事件 tab. */
export const NEW_WINDOW_MS = 3_600_000;

/** One line of the wall's ticker: a case that just came in, or one whose step just ran out of time. */
export interface TickerEntry {
  kind: 'new' | 'overdue';
  event: EventRecord;
  /** When it became news: reported, or past its step's deadline. */
  at: number;
}

/**
 * The newest `limit` lines of the ticker, read off the live events as they are now rather than
 * collected from the pushes: an entry leaves as soon as its cause does (the case was closed, its
 * deadline extended, its hour as news over), a reconnect or a reload shows the same lines, and
 * nothing accumulates however long the wall runs. An overdue case is listed as overdue, even
 * within its first hour. With `townId`, that town's cases only.
 */
export function tickerEntries(events: Iterable<EventRecord>, now: number, limit: number, townId: string | null = null): TickerEntry[] {
  const entries: TickerEntry[] = [];
  for (const event of events) {
    if (!isOpen(event) || (townId !== null && event.townId !== townId)) continue;
    if (isOverdue(event, now)) {
      const deadline = Date.parse(event.deadlineAt ?? '');
      entries.push({ kind: 'overdue', event, at: Number.isNaN(deadline) ? now : Math.min(deadline, now) });
      continue;
    }
    const reported = Date.parse(event.reportedAt);
    if (reported <= now && now - reported < NEW_WINDOW_MS) entries.push({ kind: 'new', event, at: reported });
  }
  entries.sort((a, b) => b.at - a.at || b.event.seq - a.event.seq);
  return entries.slice(0, Math.max(0, limit));
}
