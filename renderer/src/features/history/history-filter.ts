import { EVENT_STATUSES, OPEN_STATUSES, type EventStatus } from '../../../../shared/contracts/events.js';
import { isTerminal } from '../../../../shared/domain/workflow.js';
import type { QueryValue } from '../../app/api-client';

/** Rows per page: a screen of the queue column and a bit, quick to read and to page. */
export const HISTORY_PAGE_SIZE = 50;

/** The state filter: everything, the open cases, the finished ones, or one state. */
export type HistoryStatus = 'all' | 'open' | 'finished' | EventStatus;
export const HISTORY_STATUS_GROUPS = ['all', 'open', 'finished'] as const;

/** The states of the finished group: closed, and the ways a case ends without being handled. */
export const FINISHED_STATUSES: readonly EventStatus[] = EVENT_STATUSES.filter((s) => isTerminal(s));

/**
 * What the history tab lists: cases reported in the period `[from, to]` (plain days, China time,
 * both inclusive; empty for open-ended), in a town, of an item, in a state, of a team.
 */
export interface HistoryFilter {
  from: string;
  to: string;
  town: string;
  item: string;
  status: HistoryStatus;
  team: string;
}

export const EMPTY_HISTORY_FILTER: HistoryFilter = { from: '', to: '', town: '', item: '', status: 'all', team: '' };

const statusesOf = (status: HistoryStatus): readonly EventStatus[] | undefined =>
  status === 'all' ? undefined : status === 'open' ? OPEN_STATUSES : status === 'finished' ? FINISHED_STATUSES : [status];

/** Whether the period ends before it starts: nothing to ask the server. */
export function isReversedPeriod(filter: Pick<HistoryFilter, 'from' | 'to'>): boolean {
  return filter.from !== '' && filter.to !== '' && filter.to < filter.from;
}

/**
 * The query of `GET /api/v1/events` for a page of the filter. A day as `to` means its whole day
 * on the server (period.ts), so the period reads as the dispatcher typed it.
 */
export function historyQuery(filter: HistoryFilter, page: number): Record<string, QueryValue> {
  const query: Record<string, QueryValue> = { page, pageSize: HISTORY_PAGE_SIZE };
  if (filter.from) query.from = filter.from;
  if (filter.to) query.to = filter.to;
  if (filter.town) query.town = filter.town;
  if (filter.item) query.item = filter.item;
  if (filter.team) query.team = filter.team;
  const statuses = statusesOf(filter.status);
  if (statuses) query.status = statuses;
  return query;
}

/** Pages of a total, at least one (an empty result is one empty page). */
export function pageCount(total: number, pageSize = HISTORY_PAGE_SIZE): number {
  return Math.max(1, Math.ceil(total / pageSize));
}

/** Whether any filter narrows the list (the reset button has something to do). */
export function isFiltered(filter: HistoryFilter): boolean {
  return (Object.keys(EMPTY_HISTORY_FILTER) as Array<keyof HistoryFilter>).some((key) => filter[key] !== EMPTY_HISTORY_FILTER[key]);
}
