import type { Alert, AlertBatchAckResponse, AlertListResponse } from '../../../../shared/contracts/alerts.js';
import type { ApiClient } from '../api-client';
import type { LiveFeed } from '../live-feed/live-feed';
import type { NotificationPermissionState, Platform } from '../../platform/platform';
import { applyFetched, applyGone, applyRaised, isLoud, newAlerts, NO_ALERTS, NO_FILTER, restoreAlerts, type AlertFilter, type OpenAlerts } from './alert-state';
import { AlertSound, readMuted, writeMuted } from './alert-sound';

export interface AlertCenterView {
  /** Open alerts: critical first, then warnings, then notices; newest first within each. */
  items: readonly Alert[];
  /** `loading` until the first list arrives; `error` when the last read failed (what is shown stays). */
  status: 'idle' | 'loading' | 'ready' | 'error';
  error: Error | null;
  muted: boolean;
  notifications: NotificationPermissionState;
  /** Alerts whose acknowledgement is on its way. */
  acking: ReadonlySet<string>;
  /** The last acknowledgement that failed, said plainly next to the alert. */
  problem: { alertId: string; message: string } | null;
  /** The bell's panel (the full list, grouped) and what it is narrowed to; the dock's "more" opens it too. */
  panel: { open: boolean; filter: AlertFilter };
  /** The dock over the map folded to its one-line header (kept in this browser). */
  dockFolded: boolean;
  /** Whether this console's user may acknowledge alerts (the presenter says). */
  canAck: boolean;
}

export interface AlertCenterDeps {
  api: Pick<ApiClient, 'get' | 'post'>;
  feed: Pick<LiveFeed, 'on' | 'onResync'>;
  platform: Pick<Platform, 'notifications'>;
  sound?: Pick<AlertSound, 'play' | 'close'>;
}

/**
 * What a notification says, what opening an alert does (the case, or the team on the board) and
 * whether the user may acknowledge; set by the console, which knows the words, the layout and
 * the user.
 */
export interface AlertPresenter {
  words(alert: Alert): { title: string; body: string };
  open(alert: Alert): void;
  canAck: boolean;
}

/** Notifications shown at most per batch (a reconnect may bring many): the dock lists the rest. */
const MAX_NOTIFICATIONS = 3;
const DOCK_KEY = 'gridcommand.alertDock';

function readDockFolded(): boolean {
  try {
    return window.localStorage.getItem(DOCK_KEY) === 'folded';
  } catch {
    return false;
  }
}

function writeDockFolded(folded: boolean): void {
  try {
    window.localStorage.setItem(DOCK_KEY, folded ? 'folded' : 'open');
  } catch {
    // kept for this session only
  }
}

/**
 * The server's alerts on this console: the open ones read on start and after every reconnect,
 * `alert:raised` / `alert:acked` / `alert:cleared` pushes applied as they come (an alert whose
 * cause ended leaves at once), new critical and warning alerts announced with a tone and a
 * desktop notification (notices are only listed), and acknowledgements sent, one or a group
 * (they leave at once and come back if the server refuses). Framework-free; React reads it
 * through `subscribe`/`getView`.
 */
export class AlertCenter {
  private state: OpenAlerts = NO_ALERTS;
  private view: AlertCenterView;
  private readonly listeners = new Set<() => void>();
  private readonly known = new Set<string>();
  /** Alerts the server said left (acknowledged or cleared): a failed acknowledgement must not bring them back. */
  private readonly left = new Set<string>();
  private stops: (() => void)[] = [];
  /** Alerts pushed while a list is being read: the answer may not hold them yet. */
  private raisedDuringFetch: Alert[] | null = null;
  private fetchRun = 0;
  private loadedOnce = false;
  private presenter: AlertPresenter | null = null;
  private readonly sound: Pick<AlertSound, 'play' | 'close'>;

  constructor(private readonly deps: AlertCenterDeps) {
    this.sound = deps.sound ?? new AlertSound();
    this.view = {
      items: [],
      status: 'idle',
      error: null,
      muted: readMuted(),
      notifications: deps.platform.notifications.permission(),
      acking: new Set(),
      problem: null,
      panel: { open: false, filter: NO_FILTER },
      dockFolded: readDockFolded(),
      canAck: false,
    };
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getView = (): AlertCenterView => this.view;

  setPresenter(presenter: AlertPresenter | null): void {
    this.presenter = presenter;
    this.set({ canAck: presenter?.canAck ?? false });
  }

  /** Opens what the alert is about (through the presenter). */
  open(alert: Alert): void {
    this.presenter?.open(alert);
  }

  /** Listens to the pushes and reads the open alerts; again after every reconnect. */
  start(): void {
    if (this.stops.length) return;
    this.stops = [
      this.deps.feed.on('alert:raised', ({ alert }) => this.raised(alert)),
      this.deps.feed.on('alert:acked', ({ alert }) => this.leave(alert)),
      this.deps.feed.on('alert:cleared', ({ alert }) => this.leave(alert)),
      this.deps.feed.onResync(() => void this.refetch()),
    ];
    if (this.view.status === 'idle') this.set({ status: 'loading' });
    void this.refetch();
  }

  stop(): void {
    for (const stop of this.stops) stop();
    this.stops = [];
    this.fetchRun += 1;
    this.raisedDuringFetch = null;
  }

  /** Stops and forgets: the next user may see other towns. */
  reset(): void {
    this.stop();
    this.state = NO_ALERTS;
    this.known.clear();
    this.left.clear();
    this.loadedOnce = false;
    this.sound.close();
    this.view = { ...this.view, items: [], status: 'idle', error: null, acking: new Set(), problem: null, panel: { open: false, filter: NO_FILTER } };
    this.emit();
  }

  async refetch(): Promise<void> {
    const run = ++this.fetchRun;
    this.raisedDuringFetch = [];
    try {
      const list = await this.deps.api.get<AlertListResponse>('/alerts', { state: 'open', pageSize: 500 });
      if (run !== this.fetchRun) return;
      const next = applyFetched(this.state, list.items, this.raisedDuringFetch ?? []);
      this.raisedDuringFetch = null;
      // Alerts open when the console starts are shown, not rung; those raised while it was
      // disconnected are announced like any push.
      const fresh = this.loadedOnce ? newAlerts(this.known, next.items) : [];
      for (const alert of next.items) this.known.add(alert.id);
      this.loadedOnce = true;
      this.update(next, { status: 'ready', error: null });
      this.announce(fresh);
    } catch (err) {
      if (run !== this.fetchRun) return;
      this.raisedDuringFetch = null;
      this.set({ status: 'error', error: err instanceof Error ? err : new Error(String(err)) });
    }
  }

  /** `POST /alerts/{id}/ack`: the alert leaves at once; if the server refuses, it comes back with the reason. */
  async ack(alertId: string, note?: string): Promise<void> {
    const alert = this.state.items.find((a) => a.id === alertId);
    if (!alert || this.view.acking.has(alertId)) return;
    this.update(applyGone(this.state, [alertId]), { acking: new Set([...this.view.acking, alertId]), problem: null });
    try {
      await this.deps.api.post(`/alerts/${encodeURIComponent(alertId)}/ack`, note ? { note } : {});
      this.doneAcking([alertId]);
    } catch (err) {
      const status = (err as { status?: number }).status;
      this.doneAcking([alertId]);
      // 409: someone else acknowledged it first, or its cause ended; it is gone either way.
      if (status === 409) return;
      this.update(restoreAlerts(this.state, [alert].filter((a) => !this.left.has(a.id))), { problem: { alertId, message: err instanceof Error ? err.message : String(err) } });
    }
  }

  /**
   * `POST /alerts/ack`: acknowledges a group (the alerts the person saw) with one reason. They
   * leave at once; if the server refuses the request, they come back and the returned message
   * says why (null on success). Those someone else acknowledged first, or that cleared
   * meanwhile, are gone either way.
   */
  async ackGroup(alertIds: readonly string[], reason: string): Promise<string | null> {
    const alerts = alertIds.flatMap((id) => this.state.items.filter((a) => a.id === id && !this.view.acking.has(id)));
    if (alerts.length === 0) return null;
    const ids = alerts.map((a) => a.id);
    this.update(applyGone(this.state, ids), { acking: new Set([...this.view.acking, ...ids]), problem: null });
    try {
      await this.deps.api.post<AlertBatchAckResponse>('/alerts/ack', { ids, reason });
      this.doneAcking(ids);
      return null;
    } catch (err) {
      this.doneAcking(ids);
      this.update(restoreAlerts(this.state, alerts.filter((a) => !this.left.has(a.id))));
      return err instanceof Error ? err.message : String(err);
    }
  }

  setMuted(muted: boolean): void {
    writeMuted(muted);
    this.set({ muted });
  }

  /** Asks for the desktop notification permission (call from a click). */
  async requestNotifications(): Promise<void> {
    const state = await this.deps.platform.notifications.request();
    this.set({ notifications: state });
  }

  /** Opens the bell's panel, narrowed to `filter` when given. */
  openPanel(filter?: Partial<AlertFilter>): void {
    this.set({ panel: { open: true, filter: filter ? { ...NO_FILTER, ...filter } : this.view.panel.filter } });
  }

  closePanel(): void {
    if (this.view.panel.open) this.set({ panel: { ...this.view.panel, open: false } });
  }

  setFilter(filter: AlertFilter): void {
    this.set({ panel: { ...this.view.panel, filter } });
  }

  setDockFolded(folded: boolean): void {
    writeDockFolded(folded);
    this.set({ dockFolded: folded });
  }

  private leave(alert: Alert): void {
    this.left.add(alert.id);
    this.update(applyGone(this.state, [alert.id]));
  }

  private raised(alert: Alert): void {
    this.raisedDuringFetch?.push(alert);
    const next = applyRaised(this.state, alert);
    if (next === this.state) return;
    const fresh = this.known.has(alert.id) ? [] : [alert];
    this.known.add(alert.id);
    this.update(next);
    this.announce(fresh);
  }

  /** A tone and desktop notifications for new critical and warning alerts; notices are only listed. */
  private announce(alerts: readonly Alert[]): void {
    const loud = alerts.filter(isLoud);
    if (loud.length === 0) return;
    if (!this.view.muted) this.sound.play(loud.some((a) => a.severity === 'critical') ? 'critical' : 'warning');
    const presenter = this.presenter;
    if (!presenter) return;
    for (const alert of loud.slice(0, MAX_NOTIFICATIONS)) {
      const { title, body } = presenter.words(alert);
      this.deps.platform.notifications.show({ title, body, tag: alert.id, urgent: alert.severity === 'critical', onClick: () => this.presenter?.open(alert) });
    }
  }

  private doneAcking(alertIds: readonly string[]): void {
    const acking = new Set(this.view.acking);
    for (const id of alertIds) acking.delete(id);
    this.set({ acking });
  }

  private update(state: OpenAlerts, patch: Partial<AlertCenterView> = {}): void {
    this.state = state;
    this.set({ ...patch, items: state.items });
  }

  private set(patch: Partial<AlertCenterView>): void {
    this.view = { ...this.view, ...patch };
    this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
