import { expect, type Locator } from '@playwright/test';
import type { EventListResponse } from '../../shared/contracts/events.js';
import type { ConsoleDriver, DemoUser } from './driver';

/** The camera questions of the console's map probe (renderer/src/map/map-probe.ts) this driver asks. */
interface CameraProbe {
  zoom(): number;
  center(): { lon: number; lat: number };
  bounds(): [number, number, number, number];
}

// Callbacks of page.evaluate run in the page; this file compiles without the DOM library.
declare const window: { __gridcommand?: { map?: CameraProbe } };
declare const document: { activeElement: unknown };

/** [west, south, east, north]. */
export type Box = [number, number, number, number];

/**
 * Finding things in the console as a dispatcher does: the top bar's search box by keyboard, the
 * queue's history tab with its filters and pages, and where the map's camera went.
 */
export class FindDriver {
  constructor(private readonly gc: ConsoleDriver) {}

  get input(): Locator {
    return this.gc.page.getByTestId('search-input');
  }

  get panel(): Locator {
    return this.gc.page.getByTestId('search-panel');
  }

  /** One answer of the list, by its key (`case:EV…`, `place:…`, `address:…`, `item:…`). */
  option(key: string): Locator {
    return this.panel.locator(`.search-option[data-key="${key}"]`);
  }

  group(id: 'caseId' | 'casePhone' | 'place' | 'address' | 'item' | 'caseAddress'): Locator {
    return this.panel.locator(`.search-group[data-group="${id}"]`);
  }

  get history(): Locator {
    return this.gc.page.getByTestId('history');
  }

  historyRow(id: string): Locator {
    return this.history.locator(`.history-row[data-event-id="${id}"]`);
  }

  // ---------- when ----------

  /** `/` from wherever the focus is (not a text field): the cursor lands in the search box. */
  async whenIPressSlash(): Promise<void> {
    await this.gc.page.keyboard.press('/');
    await expect(this.input).toBeFocused();
  }

  /** Types into the search box (which has the focus) and waits for the answer to exactly that. */
  async whenIType(text: string): Promise<void> {
    await this.gc.page.keyboard.type(text);
    await expect(this.panel).toHaveAttribute('data-q', text.trim());
  }

  /** `/`, the text, and Enter at once: the first answer opens when it comes. */
  async whenISearchAndEnter(text: string): Promise<void> {
    await this.whenIPressSlash();
    await this.gc.page.keyboard.type(text);
    await this.gc.page.keyboard.press('Enter');
  }

  /** Moves the mark down to the answer with the arrow key and opens it with Enter. */
  async whenIArrowToAndEnter(key: string): Promise<void> {
    await expect(this.option(key)).toBeVisible();
    for (let i = 0; i < 30 && (await this.option(key).getAttribute('aria-selected')) !== 'true'; i++) await this.gc.page.keyboard.press('ArrowDown');
    await expect(this.option(key)).toHaveAttribute('aria-selected', 'true');
    await this.gc.page.keyboard.press('Enter');
    await expect(this.panel).toBeHidden();
  }

  async whenIOpenHistory(): Promise<void> {
    await this.gc.page.keyboard.press('8');
    await expect(this.gc.page.locator('.queue-tab[data-tab="history"]')).toHaveAttribute('aria-selected', 'true');
    await expect(this.history).toBeVisible();
  }

  async whenIFilterHistoryBy(field: 'status' | 'town' | 'item' | 'team', value: string): Promise<void> {
    await this.history.getByTestId(`history-${field}`).selectOption(value);
  }

  /** Types the report period into the two date fields, as plain days. */
  async whenIFilterHistoryPeriod(from: string, to: string): Promise<void> {
    for (const [id, day] of [
      ['history-from', from],
      ['history-to', to],
    ] as const) {
      const field = this.history.getByTestId(id).locator('input');
      await field.fill(day);
      await field.press('Tab');
    }
  }

  async whenIGoToTheNextPage(): Promise<void> {
    await this.history.getByTestId('history-next').click();
  }

  // ---------- then ----------

  /** The history tab shows this total and this page of how many. */
  async thenTheHistoryShows(total: number, page: number, pages: number): Promise<void> {
    const summary = this.history.getByTestId('history-summary');
    await expect(summary).toHaveAttribute('data-total', String(total));
    await expect(summary).toHaveAttribute('data-page', String(page));
    await expect(summary).toHaveAttribute('data-pages', String(pages));
    await expect(this.history.locator('.history-list')).not.toHaveAttribute('data-stale', /.*/);
  }

  async historyRowIds(): Promise<string[]> {
    return this.history.locator('.history-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-event-id') ?? ''));
  }

  async historyRowStatuses(): Promise<string[]> {
    return this.history.locator('.history-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status') ?? ''));
  }

  /** The total the API gives the same filter (`GET /api/v1/events`), as `as` sees it. */
  async apiTotal(query: string, as: DemoUser = 'demo-dispatcher'): Promise<number> {
    return (await this.gc.api<EventListResponse>(`/events?${query}&pageSize=1`, as)).total;
  }

  async searchHasFocus(): Promise<boolean> {
    return this.input.evaluate((el) => el === document.activeElement);
  }

  async camera(): Promise<{ zoom: number; center: { lon: number; lat: number }; bounds: Box }> {
    return this.gc.page.evaluate(() => {
      const map = window.__gridcommand?.map;
      if (!map) throw new Error('no map probe');
      return { zoom: map.zoom(), center: map.center(), bounds: map.bounds() };
    });
  }

  /** The camera stopped with the point in the middle (within a few metres of it) at street zoom. */
  async thenTheMapIsOn(point: { lon: number; lat: number }, minZoom: number): Promise<void> {
    await this.gc.thenTheMapIsStill();
    await expect
      .poll(async () => {
        const { center, zoom } = await this.camera();
        return Math.abs(center.lon - point.lon) < 1e-4 && Math.abs(center.lat - point.lat) < 1e-4 && zoom >= minZoom;
      })
      .toBe(true);
  }

  /** The camera stopped framing the box: all of it in view, its middle in the middle, not much more around it. */
  async thenTheMapFrames(box: Box): Promise<void> {
    await this.gc.thenTheMapIsStill();
    await expect
      .poll(async () => {
        const { bounds, center } = await this.camera();
        const [w, s, e, n] = bounds;
        const contains = w <= box[0] + 1e-6 && s <= box[1] + 1e-6 && e >= box[2] - 1e-6 && n >= box[3] - 1e-6;
        const midLon = (box[0] + box[2]) / 2;
        const midLat = (box[1] + box[3]) / 2;
        const centred = Math.abs(center.lon - midLon) < (box[2] - box[0]) * 0.1 + 1e-4 && Math.abs(center.lat - midLat) < (box[3] - box[1]) * 0.1 + 1e-4;
        // fitted, not merely somewhere that contains it: one side fills most of the view
        const tight = (box[2] - box[0]) / (e - w) > 0.5 || (box[3] - box[1]) / (n - s) > 0.5;
        return contains && centred && tight;
      })
      .toBe(true);
  }
}
