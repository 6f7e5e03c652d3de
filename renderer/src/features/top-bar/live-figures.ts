import type { EventRecord } from '../../../../shared/contracts/events.js';
import { isOpen, isOverdue } from '../../../../shared/domain/case-state.js';
import { countyDayStart } from '../../app/time-format';

export interface LiveFigures {
  /** Reported since midnight, county time, whatever their state now. */
  newToday: number;
  /** Filed and waiting for dispatch. */
  toDispatch: number;
  /** Open and past the deadline of their current step. */
  overdue: number;
}

export function liveFigures(events: Iterable<EventRecord>, now: number): LiveFigures {
  const dayStart = countyDayStart(now);
  const figures: LiveFigures = { newToday: 0, toDispatch: 0, overdue: 0 };
  for (const event of events) {
    const reported = Date.parse(event.reportedAt);
    if (reported >= dayStart && reported <= now) figures.newToday += 1;
    if (event.status === 'filed') figures.toDispatch += 1;
    if (isOpen(event) && isOverdue(event, now)) figures.overdue += 1;
  }
  return figures;
}
