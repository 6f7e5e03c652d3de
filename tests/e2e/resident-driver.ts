import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect, type Browser, type BrowserContext, type Locator, type Page } from '@playwright/test';
import type { PublicItemsResponse } from '../../shared/contracts/public-page.js';
import type { PublicStep } from '../../shared/contracts/public-report.js';
import { PHONE } from './field-phone';
import type { RunningServer } from './server-process';

const SCREENS = resolve(import.meta.dirname, '../../test-results/screens');

// Callbacks of page.evaluate run in the page; this file compiles without the DOM library.
declare const window: { __gridcommandReportMap?: { pagePoint(lon: number, lat: number): { x: number; y: number } } };

/**
 * A resident on the report page (`/report`): a phone with no account, in its own browser
 * context, driven by touch. Console errors are collected and checked by `close`.
 */
export class ResidentDriver {
  readonly errors: string[] = [];

  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    readonly server: RunningServer,
  ) {
    page.on('console', (message) => {
      if (message.type() === 'error') this.errors.push(`${message.text()} (${message.location().url ?? ''})`);
    });
    page.on('pageerror', (error) => this.errors.push(`pageerror: ${error.message}`));
  }

  static async open(browser: Browser, server: RunningServer): Promise<ResidentDriver> {
    const context = await browser.newContext({ viewport: PHONE, hasTouch: true, isMobile: true, deviceScaleFactor: 1, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    return new ResidentDriver(context, await context.newPage(), server);
  }

  async close(): Promise<void> {
    await this.context.close();
    expect(this.errors, 'console errors of the resident page').toEqual([]);
  }

  /** The public item list, as the page reads it. */
  async items(): Promise<PublicItemsResponse> {
    return (await (await this.page.request.get(`${this.server.url}/api/v1/public/items`)).json()) as PublicItemsResponse;
  }

  /** A point inside the county: the label point of one of its grids. */
  async aPlaceInTheCounty(): Promise<{ lon: number; lat: number; grid: string }> {
    const layer = (await (await this.page.request.get(`${this.server.url}/api/v1/public/map/grid`)).json()) as { features: { properties: { name: string; labelLon: number; labelLat: number } }[] };
    const f = layer.features[0]!.properties;
    return { lon: f.labelLon, lat: f.labelLat, grid: f.name };
  }

  // ---------- when ----------

  async whenIOpenTheReportPage(): Promise<void> {
    await this.page.goto(new URL('/report', this.server.url).href);
    await expect(this.form).toBeVisible();
    await expect(this.page.getByTestId('report-item').locator('option')).not.toHaveCount(1);
  }

  async whenIDescribe(text: string): Promise<void> {
    await this.page.getByTestId('report-description').fill(text);
  }

  async whenIChooseTheItem(code: string): Promise<void> {
    await this.page.getByTestId('report-item').selectOption(code);
  }

  async whenIAddAPhoto(photo: { name: string; mimeType: string; buffer: Buffer }): Promise<void> {
    await this.page.getByTestId('report-photo-input').setInputFiles(photo);
    await expect(this.page.getByTestId('report-photo').last()).toHaveAttribute('data-state', 'done');
  }

  /** Opens the map, taps the point, confirms it. */
  async whenIPickOnTheMap(at: { lon: number; lat: number }): Promise<void> {
    await this.page.getByTestId('report-pick-map').tap();
    await expect(this.page.locator('[data-testid="report-map"][data-ready="yes"]')).toBeVisible();
    const point = await this.page.evaluate(([lon, lat]) => window.__gridcommandReportMap!.pagePoint(lon, lat), [at.lon, at.lat] as const);
    await this.page.touchscreen.tap(point.x, point.y);
    await expect(this.page.getByTestId('report-map-done')).toBeEnabled();
  }

  async whenIConfirmThePlace(): Promise<void> {
    await this.page.getByTestId('report-map-done').tap();
    await expect(this.page.getByTestId('report-map-picker')).toBeHidden();
  }

  async whenIGiveMyPhone(phone: string): Promise<void> {
    await this.page.getByTestId('report-phone').fill(phone);
  }

  async whenISubmit(): Promise<void> {
    await this.page.getByTestId('report-submit').tap();
  }

  /** The token on the confirmation, once the report is sent. */
  async thenIGetAToken(): Promise<string> {
    // the page holds a quick report until the form's minimum fill time has passed
    await expect(this.page.getByTestId('report-sent')).toBeVisible({ timeout: 30_000 });
    const token = (await this.page.getByTestId('report-token').textContent())?.trim() ?? '';
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    return token;
  }

  async whenIOpenTheStatusLink(): Promise<void> {
    await this.page.getByTestId('report-status-link').tap();
    await expect(this.status).toBeVisible();
  }

  async whenIRefreshTheStatus(): Promise<void> {
    await this.page.getByTestId('report-status-refresh').tap();
  }

  async screenshot(name: string, opts: { fullPage?: boolean } = {}): Promise<void> {
    mkdirSync(SCREENS, { recursive: true });
    await this.page.screenshot({ path: resolve(SCREENS, `resident-${name}-390x844.png`), fullPage: opts.fullPage ?? false });
  }

  // ---------- then ----------

  get form(): Locator {
    return this.page.getByTestId('report-form');
  }

  get status(): Locator {
    return this.page.getByTestId('report-status');
  }

  async thenTheStatusIs(step: PublicStep): Promise<void> {
    await expect(this.status).toHaveAttribute('data-status', step);
  }

  async thenTheStepsAre(...steps: PublicStep[]): Promise<void> {
    await expect(this.page.getByTestId('report-steps').locator('li')).toHaveCount(steps.length);
    for (const [i, step] of steps.entries()) await expect(this.page.getByTestId('report-steps').locator('li').nth(i)).toHaveAttribute('data-step', step);
  }
}
