import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, type Locator } from '@playwright/test';
import type { WorkerActivityResponse, WorkerListResponse, WorkerRecord } from '../../shared/contracts/workforce.js';
import type { ConsoleDriver, DemoUser } from './driver';

/** Where the workforce screenshots go, to be looked at (besides test-results/screens). */
const SHOTS = process.env.GRIDCOMMAND_SHOTS_DIR ?? resolve(import.meta.dirname, '../../test-results/screens');

/**
 * 网格队伍 as the grid office uses it: the worker list, a worker's record, activity and
 * coverage, the edit form; the API's own answers to hold the screen against.
 */
export class WorkforceDriver {
  constructor(private readonly gc: ConsoleDriver) {}

  private get page() {
    return this.gc.page;
  }

  // ---------- the API ----------

  workers(query: Record<string, string>, as: DemoUser = 'demo-town-gridoffice'): Promise<WorkerListResponse> {
    return this.gc.api<WorkerListResponse>(`/workforce/workers?${new URLSearchParams(query)}`, as);
  }

  worker(id: string, as: DemoUser = 'demo-town-gridoffice'): Promise<WorkerRecord> {
    return this.gc.api<WorkerRecord>(`/workforce/workers/${id}`, as);
  }

  townActivity(period: { from: string; to: string }, as: DemoUser = 'demo-town-gridoffice'): Promise<WorkerActivityResponse> {
    return this.gc.api<WorkerActivityResponse>(`/workforce/activity?${new URLSearchParams(period)}`, as);
  }

  activity(id: string, period: { from: string; to: string }, as: DemoUser = 'demo-town-gridoffice'): Promise<WorkerActivityResponse> {
    return this.gc.api<WorkerActivityResponse>(`/workforce/workers/${id}/activity?${new URLSearchParams(period)}`, as);
  }

  // ---------- when ----------

  /** Opens the console at `/` and signs in: the grid office lands on its home, the workforce. */
  async whenISignInAt(path: string, as: DemoUser): Promise<void> {
    await this.page.goto(`${this.gc.server.url.replace(/\/$/, '')}${path}`);
    await this.gc.whenISignIn(as);
  }

  async whenIOpenTheWorker(id: string): Promise<void> {
    await this.row(id).getByRole('button').click();
    await expect(this.detail).toHaveAttribute('data-worker-id', id);
  }

  /** Types the period's days into the activity panel's date fields. */
  async whenIChooseThePeriod(period: { from: string; to: string }): Promise<void> {
    await this.page.getByTestId('activity-from').locator('input').fill(period.from);
    await this.page.getByTestId('activity-to').locator('input').fill(period.to);
    await this.page.getByTestId('activity-to').locator('input').press('Enter');
  }

  async whenIChangeTheGradeTo(grade: number, reason: string): Promise<void> {
    await this.page.getByTestId('worker-edit').click();
    const form = this.page.getByTestId('worker-edit-form');
    await expect(form).toBeVisible();
    await form.getByTestId('worker-edit-grade').selectOption(String(grade));
    await form.getByTestId('worker-edit-reason').fill(reason);
    await form.getByTestId('worker-edit-save').click();
  }

  async whenIOpenTheSection(id: 'workers' | 'composition' | 'training' | 'deliberation'): Promise<void> {
    await this.page.getByTestId(`admin-section-${id}`).click();
    await expect(this.page.getByTestId('workforce-screen')).toHaveAttribute('data-tab', id);
  }

  async screenshot(name: string, target?: { screenshot(options: { path: string }): Promise<unknown> }): Promise<void> {
    mkdirSync(SHOTS, { recursive: true });
    await (target ?? this.page).screenshot({ path: resolve(SHOTS, name) });
  }

  // ---------- then ----------

  get screen(): Locator {
    return this.page.getByTestId('workforce-screen');
  }

  get rows(): Locator {
    return this.page.getByTestId('worker-row');
  }

  row(id: string): Locator {
    return this.page.locator(`[data-testid="worker-row"][data-worker-id="${id}"]`);
  }

  get detail(): Locator {
    return this.page.getByTestId('worker-detail');
  }

  figure(id: string): Locator {
    return this.page.getByTestId(`activity-${id}`);
  }

  /** The period the activity panel shows, as its date fields say. */
  async shownPeriod(): Promise<{ from: string; to: string }> {
    return { from: await this.page.getByTestId('activity-from').locator('input').inputValue(), to: await this.page.getByTestId('activity-to').locator('input').inputValue() };
  }

  /** The charts of the open section have drawn (or say they have nothing to draw). */
  async thenTheChartsHaveDrawn(): Promise<void> {
    for (const chart of await this.page.locator('.chart-card .chart:not(.chart-state)').all()) {
      await expect(chart).toHaveAttribute('data-chart-ready', 'true');
    }
    await expect(this.page.locator('[aria-busy="true"]')).toHaveCount(0);
  }
}
