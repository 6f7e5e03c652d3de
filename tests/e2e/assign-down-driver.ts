import { expect, type Page } from '@playwright/test';
import type { AssignmentListResponse } from '../../shared/contracts/assignments.js';
import type { ConsoleDriver } from './driver';

/**
 * 市级交办 in the console: the city's desk and dialog (top bar button, `u`, `n`, Enter, Esc) and
 * the county's queue, badge and callout, phrased as given / when / then.
 */
export class AssignDownDriver {
  constructor(
    readonly gc: ConsoleDriver,
    readonly page: Page = gc.page,
  ) {}

  /** The county a user works in (its one granted area), read from its session. */
  async countyOf(username: 'demo-county'): Promise<string> {
    const session = await this.gc.restLogin(username);
    const scope = session.user.scope;
    if (scope.kind !== 'towns' || scope.areas.length !== 1) throw new Error(`${username} is not a county's user`);
    return scope.areas[0]!;
  }

  /** A point of the county's first micro-grid (its label anchor): generated codes start with the county's. */
  async pointIn(countyId: string): Promise<{ lon: number; lat: number }> {
    const geo = await this.gc.api<{ features: Array<{ properties: { id: string; labelLon: number; labelLat: number } }> }>('/geo/microgrid');
    const f = geo.features.find((g) => g.properties.id.startsWith(countyId));
    if (!f) throw new Error(`no micro-grid in ${countyId}`);
    return { lon: f.properties.labelLon, lat: f.properties.labelLat };
  }

  /**
   * Signs in as a county's user and waits for the console to be live. (The county driver's own
   * check counts every town of the platform on the map; a county's console frames its county.)
   */
  async givenLoggedInAsTheCounty(): Promise<void> {
    await this.gc.whenIOpenTheConsole();
    await this.gc.whenISignIn('demo-county');
    await expect(this.page.getByTestId('loading-panel')).toBeHidden({ timeout: 60_000 });
    await expect(this.page.locator('.connection[data-link="connected"]')).toBeVisible();
  }

  async whenIOpenTheDeskByKeyboard(): Promise<void> {
    await expect(this.page.getByTestId('assignments-button')).toBeVisible();
    await this.page.locator('body').press('u');
    await expect(this.page.getByTestId('assignments-desk')).toBeVisible();
  }

  async whenIStartANewAssignmentByKeyboard(): Promise<void> {
    await this.page.getByTestId('assignments-desk').press('n');
    await expect(this.page.getByTestId('dialog-assign')).toBeVisible();
    // the county list has the focus: the dialog is keyboard-first
    await expect(this.page.getByTestId('assign-county')).toBeFocused();
  }

  /** Fills the dialog with the keyboard and the lists, as a dispatcher would; leaves the place field focused. */
  async whenIFillTheAssignment(a: { countyId: string; description: string; point: { lon: number; lat: number }; note: string }): Promise<void> {
    await this.page.getByTestId('assign-county').selectOption(a.countyId);
    const item = this.page.getByTestId('assign-item');
    const firstItem = await item.locator('option:not([value=""])').first().getAttribute('value');
    await item.selectOption(firstItem!);
    await this.page.getByTestId('assign-description').fill(a.description);
    await this.page.getByTestId('assign-note').fill(a.note);
    await this.page.getByTestId('assign-place').fill(`${a.point.lon}, ${a.point.lat}`);
  }

  /** Enter in the place field assigns; the dialog closes and the desk lists the new case. Returns its id. */
  async whenIPressEnterToAssign(description: string, countyName: string): Promise<string> {
    const before = new Set(await this.listedIds());
    await this.page.getByTestId('assign-place').press('Enter');
    await expect(this.page.getByTestId('dialog-assign')).toBeHidden();
    const table = this.page.getByTestId('assignments-table');
    await expect(table).toBeVisible();
    await expect.poll(async () => (await this.listedIds()).filter((id) => !before.has(id)).length).toBe(1);
    const id = (await this.listedIds()).find((i) => !before.has(i))!;
    await expect(table.locator(`tr[data-event-id="${id}"] .assignments-county`)).toHaveText(countyName);
    const listed = await this.gc.api<AssignmentListResponse>('/assignments?state=open');
    expect(listed.items.find((x) => x.eventId === id)?.itemName).toBeTruthy();
    expect(description).toBeTruthy();
    return id;
  }

  private async listedIds(): Promise<string[]> {
    return this.page.locator('[data-testid="assignments-table"] tr[data-event-id]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-event-id')!));
  }

  async whenICloseTheDeskWithEsc(): Promise<void> {
    await this.page.getByTestId('assignments-desk').press('Escape');
    await expect(this.page.getByTestId('assignments-desk')).toBeHidden();
  }

  /** The county's queue row carries the 市级交办 badge with the city's name and deadline. */
  async thenTheQueueRowIsMarked(eventId: string, cityName: string): Promise<void> {
    const badge = this.page.locator(`.queue-row[data-event-id="${eventId}"] [data-badge="assigned"]`);
    await expect(badge).toBeVisible();
    await expect(badge).toContainText(cityName);
    await expect(badge).toHaveAttribute('title', new RegExp(cityName));
  }

  async whenIFilterTheQueueToAssignments(): Promise<void> {
    await this.page.getByTestId('queue-filter-assigned').click();
    await expect(this.page.getByTestId('queue-filter-assigned')).toHaveAttribute('aria-pressed', 'true');
  }

  /** Every row the queue shows is a city's assignment. */
  async thenOnlyAssignmentsAreListed(): Promise<void> {
    const rows = this.page.locator('.queue-row');
    await expect(rows.first()).toBeVisible();
    const unmarked = await rows.evaluateAll((all) => all.filter((r) => !r.querySelector('[data-badge="assigned"]')).length);
    expect(unmarked).toBe(0);
  }

  async thenTheDetailShowsTheAssignment(cityName: string, note: string): Promise<void> {
    const callout = this.page.getByTestId('assignment');
    await expect(callout).toBeVisible();
    await expect(callout).toContainText(cityName);
    await expect(callout).toContainText(note);
  }
}
