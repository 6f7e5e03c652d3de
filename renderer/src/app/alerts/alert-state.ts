import { ALERT_KINDS, ALERT_SEVERITIES, type Alert, type AlertKind, type AlertSeverity } from '../../../../shared/contracts/alerts.js';

/**
 * The console's open alerts: critical first, then warnings, then notices, newest first within
 * each. Pure; the alert center keeps one of these, the dock and the bell's panel draw it.
 */
export interface OpenAlerts {
  /** Open alerts in display order. */
  items: readonly Alert[];
  /**
   * Ids known to have left (acknowledged or cleared, pushed or done here): a list read before
   * that landed must not bring them back.
   */
  gone: ReadonlySet<string>;
}

export const NO_ALERTS: OpenAlerts = { items: [], gone: new Set() };

const RANK: Readonly<Record<AlertSeverity, number>> = { critical: 0, warning: 1, notice: 2 };

const order = (a: Alert, b: Alert) => RANK[a.severity] - RANK[b.severity] || Date.parse(b.raisedAt) - Date.parse(a.raisedAt) || b.id.localeCompare(a.id);

/** An `alert:raised` push (or a replayed one): added once, unless it has left already. */
export function applyRaised(state: OpenAlerts, alert: Alert): OpenAlerts {
  if (alert.acked || alert.cleared || state.gone.has(alert.id) || state.items.some((a) => a.id === alert.id)) return state;
  return { ...state, items: [...state.items, alert].sort(order) };
}

/** An `alert:acked` or `alert:cleared` push, or this console's own acknowledgement: the alerts leave the list for good. */
export function applyGone(state: OpenAlerts, alertIds: readonly string[]): OpenAlerts {
  const ids = new Set(alertIds);
  if ([...ids].every((id) => state.gone.has(id)) && !state.items.some((a) => ids.has(a.id))) return state;
  return { items: state.items.filter((a) => !ids.has(a.id)), gone: new Set([...state.gone, ...ids]) };
}

/**
 * The open alerts as read from `GET /alerts?state=open`, merged with what arrived while the
 * request was under way: alerts pushed as raised since it started stay (the answer may predate
 * them), those that left stay gone.
 */
export function applyFetched(state: OpenAlerts, fetched: readonly Alert[], raisedSinceFetch: readonly Alert[]): OpenAlerts {
  const byId = new Map<string, Alert>();
  for (const alert of [...fetched, ...raisedSinceFetch]) {
    if (alert.acked || alert.cleared || state.gone.has(alert.id)) continue;
    byId.set(alert.id, alert);
  }
  return { ...state, items: [...byId.values()].sort(order) };
}

/** Failed acknowledgements: the alerts come back (they are still open on the server). */
export function restoreAlerts(state: OpenAlerts, alerts: readonly Alert[]): OpenAlerts {
  const gone = new Set(state.gone);
  for (const a of alerts) gone.delete(a.id);
  return alerts.reduce<OpenAlerts>((s, a) => applyRaised(s, a), { ...state, gone });
}

/** Alerts in `next` that `known` did not hold: what to announce with a sound and a notification. */
export function newAlerts(known: ReadonlySet<string>, next: readonly Alert[]): Alert[] {
  return next.filter((a) => !known.has(a.id));
}

/** Whether an alert gets a card in the dock and a tone: notices are listed in the bell's panel only. */
export const isLoud = (alert: Pick<Alert, 'severity'>): boolean => alert.severity !== 'notice';

/** The alert `y` acknowledges: the dock's top card (null when the dock is folded or shows none). */
export function dockTop(items: readonly Alert[], folded: boolean): Alert | null {
  return folded ? null : (items.find(isLoud) ?? null);
}

/** What the bell's panel narrows the open alerts to; null: any. */
export interface AlertFilter {
  kind: AlertKind | null;
  severity: AlertSeverity | null;
  townId: string | null;
}

export const NO_FILTER: AlertFilter = { kind: null, severity: null, townId: null };

export function filterAlerts(items: readonly Alert[], filter: AlertFilter): Alert[] {
  return items.filter((a) => (!filter.kind || a.kind === filter.kind) && (!filter.severity || a.severity === filter.severity) && (!filter.townId || a.townId === filter.townId));
}

/** The open alerts of one kind, in display order, with how many of each severity. */
export interface AlertKindGroup {
  kind: AlertKind;
  items: readonly Alert[];
  bySeverity: Readonly<Record<AlertSeverity, number>>;
}

/** Groups alerts by kind: the kinds with the most severe alert first, then in the contract's order. */
export function groupByKind(items: readonly Alert[]): AlertKindGroup[] {
  const groups = ALERT_KINDS.flatMap((kind): AlertKindGroup[] => {
    const of = items.filter((a) => a.kind === kind);
    if (of.length === 0) return [];
    const bySeverity = Object.fromEntries(ALERT_SEVERITIES.map((s) => [s, of.filter((a) => a.severity === s).length])) as Record<AlertSeverity, number>;
    return [{ kind, items: of, bySeverity }];
  });
  const worst = (g: AlertKindGroup) => Math.min(...g.items.map((a) => RANK[a.severity]));
  return groups.sort((a, b) => worst(a) - worst(b) || ALERT_KINDS.indexOf(a.kind) - ALERT_KINDS.indexOf(b.kind));
}

/** How many open alerts of each severity. */
export function countBySeverity(items: readonly Alert[]): Record<AlertSeverity, number> {
  return Object.fromEntries(ALERT_SEVERITIES.map((s) => [s, items.filter((a) => a.severity === s).length])) as Record<AlertSeverity, number>;
}
