import type { EventRecord, Urgency } from '../../../../shared/contracts/events.js';
import type { EventChangedPayload } from '../../../../shared/contracts/socket.js';
import { isOpen } from '../../../../shared/domain/case-state.js';

/**
 * What a local reminder says: a step passed 80 % of its time. Overdue steps and new urgent cases
 * are the server's alerts (app/alerts/alert-center.ts: stored, acknowledged, on every console), so they are
 * not raised here again.
 */
export type AlertKind = 'warning';

export interface CaseAlert {
  key: string;
  kind: AlertKind;
  eventId: string;
  itemName: string;
  urgency: Urgency;
  address: string;
  /** When the console raised it (epoch ms), for expiry. */
  raisedAt: number;
}

/** Alerts on screen at most; older ones give way. */
export const MAX_ALERTS = 5;
/** How long an alert stays unless dismissed: long enough to be seen after a phone call. */
export const ALERT_TTL_MS = 5 * 60_000;

function alertOf(kind: AlertKind, event: EventRecord, now: number, key: string): CaseAlert {
  return { key, kind, eventId: event.id, itemName: event.itemName, urgency: event.urgency, address: event.address, raisedAt: now };
}

/**
 * The reminders a batch of pushed changes raises for the dispatcher: the deadline monitor's
 * 80 % warning for open cases. The server pushes only cases in the user's scope. `raised`
 * remembers what was announced, so a step is not announced twice.
 */
export function alertsFrom(changes: readonly EventChangedPayload[], raised: Set<string>, now: number): CaseAlert[] {
  const out: CaseAlert[] = [];
  for (const { event, kind, seq } of changes) {
    if (!isOpen(event)) continue;
    if (kind !== 'deadline-warning') continue;
    const alert = alertOf('warning', event, now, `warning:${event.id}:${seq}`);
    if (raised.has(alert.key)) continue;
    raised.add(alert.key);
    out.push(alert);
  }
  return out;
}

/** Newest first, at most MAX_ALERTS, none older than ALERT_TTL_MS. */
export function mergeAlerts(shown: readonly CaseAlert[], incoming: readonly CaseAlert[], now: number): CaseAlert[] {
  const fresh = [...incoming].reverse().concat(shown).filter((a) => now - a.raisedAt < ALERT_TTL_MS);
  return fresh.slice(0, MAX_ALERTS);
}
