import type { Alert } from '../../../../shared/contracts/alerts.js';

/**
 * The console's open alerts: newest first, critical before warnings. Pure; the alert center
 * keeps one of these and the banner draws it.
 */
export interface OpenAlerts {
  /** Open alerts in display order. */
  items: readonly Alert[];
  /**
   * Ids known to be acknowledged (pushed, or acknowledged here): a list read before the
   * acknowledgement landed must not bring them back.
   */
  acked: ReadonlySet<string>;
}

export const NO_ALERTS: OpenAlerts = { items: [], acked: new Set() };

const order = (a: Alert, b: Alert) =>
  (a.severity === 'critical' ? 0 : 1) - (b.severity === 'critical' ? 0 : 1) || Date.parse(b.raisedAt) - Date.parse(a.raisedAt) || b.id.localeCompare(a.id);

/** An `alert:raised` push (or a replayed one): added once, unless already acknowledged. */
export function applyRaised(state: OpenAlerts, alert: Alert): OpenAlerts {
  if (alert.acked || state.acked.has(alert.id) || state.items.some((a) => a.id === alert.id)) return state;
  return { ...state, items: [...state.items, alert].sort(order) };
}

/** An `alert:acked` push, or this console's own acknowledgement: the alert leaves the list for good. */
export function applyAcked(state: OpenAlerts, alertId: string): OpenAlerts {
  if (state.acked.has(alertId) && !state.items.some((a) => a.id === alertId)) return state;
  const acked = new Set(state.acked);
  acked.add(alertId);
  return { items: state.items.filter((a) => a.id !== alertId), acked };
}

/**
 * The open alerts as read from `GET /alerts?state=open`, merged with what arrived while the
 * request was under way: alerts pushed as raised since `fetchStartedAt` stay (the answer may
 * predate them), acknowledged ones stay gone.
 */
export function applyFetched(state: OpenAlerts, fetched: readonly Alert[], raisedSinceFetch: readonly Alert[]): OpenAlerts {
  const byId = new Map<string, Alert>();
  for (const alert of [...fetched, ...raisedSinceFetch]) {
    if (alert.acked || state.acked.has(alert.id)) continue;
    byId.set(alert.id, alert);
  }
  return { ...state, items: [...byId.values()].sort(order) };
}

/** A failed acknowledgement: the alert comes back (it is still open on the server). */
export function restoreAlert(state: OpenAlerts, alert: Alert): OpenAlerts {
  const acked = new Set(state.acked);
  acked.delete(alert.id);
  return applyRaised({ ...state, acked }, alert);
}

/** Alerts in `next` that `known` did not hold: what to announce with a sound and a notification. */
export function newAlerts(known: ReadonlySet<string>, next: readonly Alert[]): Alert[] {
  return next.filter((a) => !known.has(a.id));
}
