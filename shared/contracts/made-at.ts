import { z } from 'zod';

/**
 * `madeAt`: when a person did something on a device that may have been offline (the field
 * app's outbox), as opposed to when the server received it. Actions (`POST /events/{id}/actions`)
 * and reports (`POST /events`) may carry it. The server records it beside its own time and
 * never lets it move a clock: the timeline entry's `at`, the step clocks, deadlines, on-time
 * judgements and KPIs all use the time the server received the request, so a device's clock
 * (wrong, or set back on purpose) cannot make late work look on time. `madeAt` is kept in the
 * entry's `details.madeAt`, in the audit record, and shown beside the received time.
 */
export const madeAtSchema = z.iso.datetime({ offset: true });

/** How far ahead of the server's clock a device's `madeAt` may be (clock skew). */
export const MADE_AT_MAX_AHEAD_MS = 2 * 60_000;
/** How old a `madeAt` may be: an outbox that waited longer is refused, for a person to sort out. */
export const MADE_AT_MAX_AGE_MS = 24 * 3_600_000;

/** Why a `madeAt` is refused, as a field error (`in_future` / `too_old` with the limit), or null when it is fine. */
export function madeAtProblem(madeAt: string, now: Date): { code: 'in_future'; params: { minutes: number } } | { code: 'too_old'; params: { hours: number } } | null {
  const made = Date.parse(madeAt);
  if (made > now.getTime() + MADE_AT_MAX_AHEAD_MS) return { code: 'in_future', params: { minutes: MADE_AT_MAX_AHEAD_MS / 60_000 } };
  if (made < now.getTime() - MADE_AT_MAX_AGE_MS) return { code: 'too_old', params: { hours: MADE_AT_MAX_AGE_MS / 3_600_000 } };
  return null;
}

/** A step made this long before the server received it is shown with both times; a shorter gap is the network's. */
export const MADE_AT_SHOWN_FROM_MS = 60_000;

/**
 * The `madeAt` of a timeline entry's details worth showing beside its `at`: one that is a
 * minute or more earlier than `at` (an action that waited in a phone's outbox). Null otherwise.
 */
export function offlineMadeAt(details: Readonly<Record<string, unknown>>, at: string): string | null {
  const madeAt = details.madeAt;
  if (typeof madeAt !== 'string') return null;
  const gap = Date.parse(at) - Date.parse(madeAt);
  return gap >= MADE_AT_SHOWN_FROM_MS ? madeAt : null;
}
