import type { Alert, AlertListResponse } from '../../../../shared/contracts/alerts.js';
import type { ApiClient } from '../api-client';
import type { LiveFeed } from '../live-feed/live-feed';
import type { NotificationPermissionState, Platform } from '../../platform/platform';
import { applyAcked, applyFetched, applyRaised, newAlerts, NO_ALERTS, restoreAlert, type OpenAlerts } from './alert-state';
import { AlertSound, readMuted, writeMuted } from './alert-sound';

export interface AlertCenterView {
  /** Open alerts, critical first, then newest. */
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
}

export interface AlertCenterDeps {
  api: Pick<ApiClient, 'get' | 'post'>;
  feed: Pick<LiveFeed, 'on' | 'onResync'>;
  platform: Pick<Platform, 'notifications'>;
  sound?: Pick<AlertSound, 'play' | 'close'>;
}

/** What a notification says and what clicking it does; set by the console, which knows the words. */
export interface AlertPresenter {
  words(alert: Alert): { title: string; body: string };
  open(alert: Alert): void;
}

/** Notifications shown at most per batch (a reconnect may bring many): the banner lists the rest. */
const MAX_NOTIFICATIONS = 3;

/**
 * The server's alerts on this console: the open ones read on start and after every reconnect,
 * `alert:raised` / `alert:acked` pushes applied as they come, new ones announced with a tone and
 * a desktop notification, and acknowledgements sent (the alert leaves at once and comes back if
 * the server refuses). Framework-free; React reads it through `subscribe`/`getView`.
 */
export class AlertCenter {
  private state: OpenAlerts = NO_ALERTS;
  private view: AlertCenterView;
  private readonly listeners = new Set<() => void>();
  private readonly known = new Set<string>();
  private stops: (() => void)[] = [];
  /** Alerts pushed while a list is being read: the answer may not hold them yet. */
  private raisedDuringFetch: Alert[] | null = null;
  private fetchRun = 0;
  private loadedOnce = false;
  private presenter: AlertPresenter | null = null;
  private readonly sound: Pick<AlertSound, 'play' | 'close'>;

  constructor(private readonly deps: AlertCenterDeps) {
    this.sound = deps.sound ?? new AlertSound();
    this.view = { items: [], status: 'idle', error: null, muted: readMuted(), notifications: deps.platform.notifications.permission(), acking: new Set(), problem: null };
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  getView = (): AlertCenterView => this.view;

  setPresenter(presenter: AlertPresenter | null): void {
    this.presenter = presenter;
  }

  /** Listens to the pushes and reads the open alerts; again after every reconnect. */
  start(): void {
    if (this.stops.length) return;
    this.stops = [
      this.deps.feed.on('alert:raised', ({ alert }) => this.raised(alert)),
      this.deps.feed.on('alert:acked', ({ alert }) => this.update(applyAcked(this.state, alert.id))),
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
    this.loadedOnce = false;
    this.sound.close();
    this.view = { ...this.view, items: [], status: 'idle', error: null, acking: new Set(), problem: null };
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
    const acking = new Set(this.view.acking);
    acking.add(alertId);
    this.update(applyAcked(this.state, alertId), { acking, problem: null });
    try {
      await this.deps.api.post(`/alerts/${encodeURIComponent(alertId)}/ack`, note ? { note } : {});
      this.doneAcking(alertId);
    } catch (err) {
      const status = (err as { status?: number }).status;
      this.doneAcking(alertId);
      // 409: someone else acknowledged it first; it is gone either way.
      if (status === 409) return;
      this.update(restoreAlert(this.state, alert), { problem: { alertId, message: err instanceof Error ? err.message : String(err) } });
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

  private raised(alert: Alert): void {
    this.raisedDuringFetch?.push(alert);
    const next = applyRaised(this.state, alert);
    if (next === this.state) return;
    const fresh = this.known.has(alert.id) ? [] : [alert];
    this.known.add(alert.id);
    this.update(next);
    this.announce(fresh);
  }

  private announce(alerts: readonly Alert[]): void {
    if (alerts.length === 0) return;
    if (!this.view.muted) this.sound.play(alerts.some((a) => a.severity === 'critical') ? 'critical' : 'warning');
    const presenter = this.presenter;
    if (!presenter) return;
    for (const alert of alerts.slice(0, MAX_NOTIFICATIONS)) {
      const { title, body } = presenter.words(alert);
      this.deps.platform.notifications.show({ title, body, tag: alert.id, urgent: alert.severity === 'critical', onClick: () => this.presenter?.open(alert) });
    }
  }

  private doneAcking(alertId: string): void {
    const acking = new Set(this.view.acking);
    acking.delete(alertId);
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
