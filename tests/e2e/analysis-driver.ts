import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { expect, type Locator } from '@playwright/test';
import { PDFParse } from 'pdf-parse';
import sharp from 'sharp';
import type { HotSpotsResponse, TrendResponse } from '../../shared/contracts/analysis.js';
import type { KpiResponse } from '../../shared/contracts/kpi.js';
import type { ConsoleDriver, DemoUser } from './driver';

const SCREENS = resolve(import.meta.dirname, '../../test-results/screens');

/** A period of the e2e county's seeded history (fixed days: the figures never move). */
export type DayPeriod = { from: string; to: string };

/**
 * The analysis (研判) and evaluation (考评) screens as a shift lead uses them, through their
 * deep links `/analysis` and `/evaluation`; the API's own figures to hold them against.
 */
export class AnalysisDriver {
  constructor(private readonly gc: ConsoleDriver) {}

  private get page() {
    return this.gc.page;
  }

  // ---------- the API ----------

  trend(p: DayPeriod, town = '', as: DemoUser = 'demo-lead'): Promise<TrendResponse> {
    return this.gc.api<TrendResponse>(`/analysis/trend?${new URLSearchParams({ ...p, ...(town ? { town } : {}) })}`, as);
  }

  hotSpots(p: DayPeriod, as: DemoUser = 'demo-lead'): Promise<HotSpotsResponse> {
    return this.gc.api<HotSpotsResponse>(`/analysis/hot-spots?${new URLSearchParams(p)}`, as);
  }

  kpis(p: DayPeriod, groupBy: string, town = '', as: DemoUser = 'demo-lead'): Promise<KpiResponse> {
    return this.gc.api<KpiResponse>(`/kpis?${new URLSearchParams({ ...p, groupBy, ...(town ? { town } : {}) })}`, as);
  }

  // ---------- when ----------

  /** Opens a deep link with no session, signs in at the login it shows, and waits for the screen. */
  async whenIOpenSignedInAs(path: '/analysis' | '/evaluation' | '/agenda', query: Record<string, string>, as: DemoUser): Promise<void> {
    await this.page.goto(`${this.gc.server.url.replace(/\/$/, '')}${path}?${new URLSearchParams(query)}`);
    await this.gc.whenISignIn(as);
  }

  async whenIChooseTheTown(screen: 'analysis' | 'evaluation', townId: string): Promise<void> {
    await this.page.getByTestId(`${screen}-town`).selectOption(townId);
  }

  async whenIClickTheHotSpot(rank: number): Promise<void> {
    await this.hotSpotRows.nth(rank - 1).locator('.hot-spot-main').click();
  }

  /** Saves a chart as an image with its card's button; resolves with the downloaded file's name and bytes. */
  async whenISaveTheChartImage(title: string): Promise<{ name: string; bytes: Buffer }> {
    const card = this.page.locator('section.chart-card', { has: this.page.getByRole('heading', { name: title }) });
    const [download] = await Promise.all([this.page.waitForEvent('download'), card.locator('.chart-card-save').click()]);
    const path = await download.path();
    return { name: download.suggestedFilename(), bytes: await readFile(path) };
  }

  async whenIOpenTheTab(tab: string): Promise<void> {
    await this.page.getByTestId(`evaluation-tab-${tab}`).click();
  }

  async whenIDrillInto(townId: string): Promise<void> {
    await this.evaluationRow(townId).getByTestId('evaluation-drill').click();
  }

  async whenIGoBackToTheCounty(): Promise<void> {
    await this.page.getByTestId('evaluation-back').click();
  }

  async whenIExportTheTable(): Promise<{ name: string; bytes: Buffer }> {
    const [download] = await Promise.all([this.page.waitForEvent('download'), this.page.getByTestId('evaluation-export').click()]);
    return { name: download.suggestedFilename(), bytes: await readFile(await download.path()) };
  }

  // ---------- then ----------

  get hotSpotRows(): Locator {
    return this.page.getByTestId('hot-spot-row');
  }

  evaluationRow(key: string): Locator {
    return this.page.locator(`[data-testid="evaluation-row"][data-key="${key}"]`);
  }

  figure(metric: 'reported' | 'filed' | 'dispatched' | 'closed'): Locator {
    return this.page.getByTestId(`figure-${metric}-value`);
  }

  /** Every chart on the screen has drawn (or says it has nothing to draw). */
  async thenTheChartsHaveDrawn(): Promise<void> {
    const charts = this.page.locator('.chart');
    await expect(charts.first()).toBeVisible();
    for (const chart of await charts.all()) {
      await expect(chart).toHaveAttribute('data-chart-ready', 'true');
    }
    await expect(this.page.locator('[aria-busy="true"]')).toHaveCount(0);
  }

  /** The evaluation table lists exactly these rows, in this order. */
  async thenTheTableLists(keys: string[], tab: string): Promise<void> {
    await expect(this.page.getByTestId('evaluation-table')).toHaveAttribute('data-tab', tab);
    await expect(this.page.getByTestId('evaluation-row')).toHaveCount(keys.length);
    expect(await this.page.getByTestId('evaluation-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')))).toEqual(keys);
  }

  async saveScreenshot(name: string): Promise<void> {
    await this.page.screenshot({ path: resolve(SCREENS, name) });
  }

  /** The PDF's first page as a PNG into test-results/screens, to look at; resolves with the page count. */
  async savePdfFirstPage(pdf: Buffer, name: string): Promise<number> {
    const parser = new PDFParse({ data: new Uint8Array(pdf) });
    try {
      const shots = await parser.getScreenshot({ scale: 1.5, imageDataUrl: false, first: 1 });
      const first = shots.pages[0]!;
      await sharp(Buffer.from(first.data)).flatten({ background: '#ffffff' }).png().toFile(resolve(SCREENS, name));
      return shots.total;
    } finally {
      await parser.destroy();
    }
  }

  async whenIScrollToTheEnd(): Promise<void> {
    await this.page.getByTestId('analysis-screen').evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
  }
}
