import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { expect, type Locator } from '@playwright/test';
import type { HotlineImportReport, HotlineRowOutcome } from '../../shared/contracts/hotline-import.js';
import type { ConsoleDriver } from './driver';

const SCREENS = resolve(import.meta.dirname, '../../test-results/screens');

/** The 12345 import screen as a dispatcher uses it: from the console's screen tabs, with the keyboard where it counts. */
export class HotlineImportDriver {
  constructor(private readonly gc: ConsoleDriver) {}

  private get page() {
    return this.gc.page;
  }

  /** Points inside the e2e county (micro-grid label anchors), for the file's coordinates. */
  async pointsInCounty(n: number): Promise<Array<{ lon: number; lat: number }>> {
    const geo = await this.gc.api<{ features: Array<{ properties: { labelLon: number; labelLat: number } }> }>('/geo/microgrid');
    return geo.features.slice(0, n).map((f) => ({ lon: f.properties.labelLon, lat: f.properties.labelLat }));
  }

  async report(id: string): Promise<HotlineImportReport> {
    return this.gc.api<HotlineImportReport>(`/hotline-imports/${id}`);
  }

  // ---------- when ----------

  async whenIOpenTheImportFromTheConsole(): Promise<void> {
    await this.page.getByTestId('nav-hotline-import').click();
    await expect(this.page.getByTestId('hotline-import')).toBeVisible();
  }

  async whenIChooseTheFile(name: string, mimeType: string, buffer: Buffer): Promise<void> {
    await this.page.getByTestId('hotline-file-input').setInputFiles({ name, mimeType, buffer });
    await expect(this.page.getByTestId('hotline-file-name')).toContainText(name);
  }

  async whenIChooseTheMode(mode: 'file' | 'row'): Promise<void> {
    await this.page.getByTestId(`hotline-mode-${mode}`).check();
  }

  /** Previews with the keyboard: focus the button, Enter. */
  async whenIPreview(): Promise<void> {
    await this.page.getByTestId('hotline-preview').focus();
    await this.page.keyboard.press('Enter');
    await expect(this.reportPanel).toHaveAttribute('data-dry-run', 'true');
  }

  async whenIImport(): Promise<void> {
    await this.page.getByTestId('hotline-import-run').focus();
    await this.page.keyboard.press('Enter');
    await expect(this.reportPanel).toHaveAttribute('data-dry-run', 'false');
  }

  async whenIFilter(outcome: HotlineRowOutcome | 'all'): Promise<void> {
    await this.page.getByTestId(`hotline-filter-${outcome}`).click();
  }

  async whenIDownloadTheReport(format: 'csv' | 'xlsx'): Promise<{ name: string; bytes: Buffer }> {
    const [download] = await Promise.all([this.page.waitForEvent('download'), this.page.getByTestId(`hotline-download-${format}`).click()]);
    return { name: download.suggestedFilename(), bytes: await readFile(await download.path()) };
  }

  // ---------- then ----------

  get reportPanel(): Locator {
    return this.page.getByTestId('hotline-report');
  }

  get rows(): Locator {
    return this.page.getByTestId('hotline-row');
  }

  row(n: number): Locator {
    return this.page.locator(`[data-testid="hotline-row"][data-row="${n}"]`);
  }

  count(outcome: HotlineRowOutcome | 'all'): Locator {
    return this.page.getByTestId(`hotline-filter-${outcome}`).locator('.hotline-count');
  }

  async saveScreenshot(name: string): Promise<void> {
    await this.page.screenshot({ path: resolve(SCREENS, name) });
  }
}
