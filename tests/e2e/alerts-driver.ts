import { expect, type Locator } from '@playwright/test';
import type { Alert, AlertKind, AlertListResponse, AlertSeverity } from '../../shared/contracts/alerts.js';
import type { EventListResponse, EventRecord } from '../../shared/contracts/events.js';
import type { ConsoleDriver, DemoUser } from './driver';

/**
 * The alerts of one console, driven as a dispatcher would: the dock over the map, the bell and
 * its panel (groups, filters, group acknowledgement), and the server's alerts through the API.
 */
export class AlertsDriver {
  constructor(private readonly gc: ConsoleDriver) {}

  // ---------- given (the API) ----------

  /** Alerts of the dispatcher's towns as the API lists them (`state`: open by default). */
  async listed(query = 'state=open', as: DemoUser = 'demo-dispatcher'): Promise<AlertListResponse> {
    return this.gc.api<AlertListResponse>(`/alerts?${query}&pageSize=500`, as);
  }

  /** Open cases as the API lists them. */
  async openCases(): Promise<EventRecord[]> {
    const statuses = 'reported,filed,dispatched,accepted,in_progress,handled,verified';
    return (await this.gc.api<EventListResponse>(`/events?status=${statuses}&pageSize=1000`)).items;
  }

  /** Every alert of this kind about the case, in any state. */
  async about(eventId: string, kind: AlertKind): Promise<Alert[]> {
    return (await this.listed(`state=all&kind=${kind}`)).items.filter((a) => a.eventId === eventId);
  }

  /**
   * Routine (P2/P3) overdue cases nobody supervises, put under supervision (督办) by the duty
   * officer so that they raise their overdue alerts (notices): `count` of one town.
   */
  async givenSupervisedRoutineOverdueCases(count: number): Promise<EventRecord[]> {
    const routine = (await this.openCases()).filter((e) => e.deadlineState === 'overdue' && (e.urgency === 'P2' || e.urgency === 'P3') && !e.supervised);
    const town = routine[0]?.townId;
    const chosen = routine.filter((e) => e.townId === town).slice(0, count);
    expect(chosen, 'routine overdue cases of one town in the demo county').toHaveLength(count);
    for (const e of chosen) await this.gc.actAs('demo-duty', e.id, { action: 'supervise', note: '端到端测试：带班领导督办' });
    return chosen;
  }

  /** A verified case past its deadline whose overdue alert is open (supervised first when it is routine). */
  async givenAVerifiedCaseWithAnOverdueAlert(): Promise<EventRecord> {
    const overdue = (await this.openCases()).filter((e) => e.status === 'verified' && e.deadlineState === 'overdue');
    const target = overdue.find((e) => e.urgency === 'P0' || e.urgency === 'P1' || e.supervised) ?? overdue[0];
    if (!target) throw new Error('the demo county has no verified case overdue');
    if (target.urgency !== 'P0' && target.urgency !== 'P1' && !target.supervised) {
      await this.gc.actAs('demo-duty', target.id, { action: 'supervise', note: '端到端测试：带班领导督办' });
    }
    await expect.poll(async () => (await this.listed('state=open&kind=overdue')).items.some((a) => a.eventId === target.id)).toBe(true);
    return target;
  }

  // ---------- when ----------

  async whenIOpenThePanel(): Promise<void> {
    await this.bell.click();
    await expect(this.panel).toBeVisible();
  }

  async whenIFilter(filter: { kind?: AlertKind; severity?: AlertSeverity; townId?: string }): Promise<void> {
    if (filter.kind) await this.panel.getByTestId('alert-filter-kind').selectOption(filter.kind);
    if (filter.severity) await this.panel.getByTestId('alert-filter-severity').selectOption(filter.severity);
    if (filter.townId) await this.panel.getByTestId('alert-filter-town').selectOption(filter.townId);
  }

  /** Lists every row of a group (a long one shows its first rows until asked). */
  async whenIShowAllOf(kind: AlertKind): Promise<void> {
    const more = this.group(kind).getByTestId('alert-group-more');
    if (await more.isVisible()) await more.click();
  }

  /** Acknowledges the whole group of a kind (as filtered) with a reason, through the panel. */
  async whenIAcknowledgeTheGroup(kind: AlertKind, reason: string): Promise<void> {
    const group = this.group(kind);
    await group.getByTestId('alert-group-ack').click();
    const confirm = group.getByTestId('alert-group-confirm');
    await expect(confirm).toBeDisabled();
    await group.getByTestId('alert-group-reason').fill(reason);
    await confirm.click();
  }

  // ---------- then ----------

  get dock(): Locator {
    return this.gc.page.getByTestId('alert-dock');
  }

  get dockCards(): Locator {
    return this.dock.getByTestId('server-alert');
  }

  get bell(): Locator {
    return this.gc.page.getByTestId('alert-bell');
  }

  get panel(): Locator {
    return this.gc.page.getByTestId('alert-panel');
  }

  group(kind: AlertKind): Locator {
    return this.panel.locator(`[data-testid="alert-group"][data-kind="${kind}"]`);
  }

  /** The panel's row of an alert. */
  row(alertId: string): Locator {
    return this.panel.locator(`[data-testid="alert-row"][data-alert-id="${alertId}"]`);
  }

  /** The dock sits in the map's top left corner: clear of the map's centre and of the case pane. */
  async thenTheDockLeavesTheMapCentreAndTheCaseClear(): Promise<void> {
    const dock = await this.dock.boundingBox();
    const map = await this.gc.page.locator('.map-pane').boundingBox();
    // the case pane, or its placeholder while no case is open
    const detail = await this.gc.page.locator('aside.detail').boundingBox();
    if (!dock || !map) throw new Error('the dock or the map is not laid out');
    const centre = { x: map.x + map.width / 2, y: map.y + map.height / 2 };
    expect(dock.x + dock.width, 'the dock ends left of the map centre').toBeLessThan(centre.x);
    expect(dock.y + dock.height, 'the dock ends above the map centre').toBeLessThan(centre.y);
    expect(dock.x + dock.width, 'the dock stays inside the map pane').toBeLessThanOrEqual(map.x + map.width);
    if (detail) expect(dock.x + dock.width, 'the dock never reaches the case pane').toBeLessThan(detail.x);
  }
}
