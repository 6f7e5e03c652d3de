import { expect, type Locator, type Page } from '@playwright/test';

// Callbacks of page.evaluate run in the page; this file compiles without the DOM library.
declare const window: { __gridcommand?: { map?: { readonly ready: boolean; center(): { lon: number; lat: number }; bounds(): [number, number, number, number] } } };

/**
 * The security administrator's area picker on a platform of several counties (users/AreaPicker),
 * as given / when / then, and where the console of the user it made opens.
 */
export class GrantDriver {
  constructor(readonly page: Page) {}

  get picker(): Locator {
    return this.page.getByTestId('area-picker');
  }

  /** An area's own checkbox (the whole platform, a city or a county: `data-area`; a town: `data-town`). */
  area(id: string): Locator {
    return this.picker.locator(`input[data-area="${id}"]`);
  }

  town(id: string): Locator {
    return this.picker.locator(`input[data-town="${id}"]`);
  }

  async whenISearch(text: string): Promise<void> {
    await this.picker.getByTestId('area-search').fill(text);
  }

  async whenITick(id: string): Promise<void> {
    await this.area(id).check();
  }

  async whenIOpen(id: string): Promise<void> {
    const button = this.picker.locator(`[data-testid="area-expand"][data-area="${id}"]`);
    if ((await button.getAttribute('aria-expanded')) !== 'true') await button.click();
    await expect(button).toHaveAttribute('aria-expanded', 'true');
  }

  /** The county is granted: ticked itself, each of its towns shown ticked with it and not tickable alone. */
  async thenTheCountyIsGrantedWithItsTowns(county: string, towns: readonly string[]): Promise<void> {
    await expect(this.area(county)).toBeChecked();
    for (const town of towns) {
      await expect(this.town(town)).toBeChecked();
      await expect(this.town(town)).toBeDisabled();
    }
  }

  async mapCenter(): Promise<{ lon: number; lat: number }> {
    return this.page.evaluate(() => window.__gridcommand!.map!.center());
  }

  async mapBounds(): Promise<[number, number, number, number]> {
    return this.page.evaluate(() => window.__gridcommand!.map!.bounds());
  }

  async thenTheMapIsReady(): Promise<void> {
    await expect.poll(() => this.page.evaluate(() => window.__gridcommand?.map?.ready ?? false), { timeout: 60_000 }).toBe(true);
  }
}
