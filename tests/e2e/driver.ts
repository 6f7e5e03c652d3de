import { expect, type Locator, type Page } from '@playwright/test';
import type { CatalogResponse } from '../../shared/contracts/catalog.js';
import type { EventCreated, EventIntake, EventRecord } from '../../shared/contracts/events.js';
import type { RegionLevel, RegionsResponse } from '../../shared/contracts/regions.js';
import type { RunningServer } from './server-process';

/** The console's read-only map probe (renderer/src/map/map-probe.ts), as the page exposes it. */
interface MapProbe {
  readonly ready: boolean;
  eventIds(): Promise<string[]>;
  renderedEventIds(): string[];
  renderedRegionCount(level: RegionLevel): number;
  selectedEventId(): string | null;
  eventPagePoint(id: string): { x: number; y: number } | null;
}

// Callbacks of page.evaluate run in the page; this file compiles without the DOM library.
declare const window: { __gridcommand?: { map?: MapProbe } };

type QueueTab = 'open' | 'reported' | 'filed' | 'active' | 'handled' | 'overdue';

interface MicroGridCollection {
  features: { properties: { id: string; labelLon: number; labelLat: number } }[];
}

/**
 * UI actions and checks of the console, phrased as given / when / then, so specs read as one
 * behaviour each. The map draws into a canvas, so map checks go through the read-only probe
 * the console exposes at `window.__gridcommand.map`.
 */
export class ConsoleDriver {
  constructor(
    readonly page: Page,
    readonly server: RunningServer,
  ) {}

  // ---------- given ----------

  /** Opens the console and waits until the county and its events are on screen. */
  async givenTheConsoleIsOpen(): Promise<void> {
    await this.page.goto(this.server.url);
    await this.thenTheCountyIsShown();
    await expect(this.page.getByTestId('loading-panel')).toBeHidden();
    await expect(this.page.locator('.connection[data-link="connected"]')).toBeVisible();
  }

  /** Every API request from the page fails as if the server were unreachable. */
  async givenTheApiIsUnreachable(): Promise<void> {
    await this.page.route('**/api/v1/**', (route) => route.abort('connectionrefused'));
  }

  async givenTheApiIsReachableAgain(): Promise<void> {
    await this.page.unroute('**/api/v1/**');
  }

  /** Reports an event through the public intake, at a micro-grid's label point (inside the county). */
  async givenAnEventIsReported(overrides: Partial<EventIntake> = {}): Promise<EventRecord> {
    const catalog = await this.api<CatalogResponse>('/catalog');
    const microGrids = await this.api<MicroGridCollection>('/geo/microgrid');
    const item = catalog.items.find((i) => i.defaultUrgency === 'P0') ?? catalog.items[0];
    const place = microGrids.features[Math.floor(microGrids.features.length / 2)]?.properties;
    if (!item || !place) throw new Error('the demo county has no catalog items or micro-grids');
    const body: EventIntake = {
      itemCode: item.code,
      description: `端到端测试：${item.name}，请立即核实处置`,
      location: { lon: place.labelLon, lat: place.labelLat },
      source: 'hotline_12345',
      urgency: 'P0',
      reporter: { name: '测试员', phone: '13800138000' },
      ...overrides,
    };
    const response = await this.page.request.post(`${this.server.url}/api/v1/events`, { data: body });
    expect(response.status(), await response.text()).toBe(201);
    return ((await response.json()) as EventCreated).event;
  }

  async api<T>(path: string): Promise<T> {
    const response = await this.page.request.get(`${this.server.url}/api/v1${path}`);
    expect(response.ok(), `GET ${path}`).toBe(true);
    return (await response.json()) as T;
  }

  // ---------- when ----------

  async whenIOpenTheConsole(): Promise<void> {
    await this.page.goto(this.server.url);
  }

  async whenIRetry(): Promise<void> {
    await this.errorPanel.getByRole('button').click();
  }

  async whenIOpenTab(tab: QueueTab): Promise<void> {
    await this.page.locator(`.queue-tab[data-tab="${tab}"]`).click();
    await expect(this.page.locator(`.queue-tab[data-tab="${tab}"]`)).toHaveAttribute('aria-selected', 'true');
  }

  async whenISelectTheRow(eventId: string): Promise<void> {
    await this.queueRow(eventId).click();
  }

  /** Flips between Chinese and English with the top bar's switch. */
  async whenISwitchTheLanguage(): Promise<void> {
    const before = await this.page.locator('html').getAttribute('lang');
    await this.page.locator('.lang-switch').click();
    await expect(this.page.locator('html')).not.toHaveAttribute('lang', before ?? '');
  }

  /** Clicks an event's marker on the map canvas. */
  async whenIClickTheMarker(eventId: string): Promise<void> {
    await expect.poll(() => this.page.evaluate((id) => window.__gridcommand?.map?.eventPagePoint(id) ?? null, eventId)).not.toBeNull();
    const point = await this.page.evaluate((id) => window.__gridcommand?.map?.eventPagePoint(id) ?? null, eventId);
    if (!point) throw new Error(`marker ${eventId} is not drawn`);
    await this.page.mouse.click(point.x, point.y);
  }

  async whenIPress(key: string): Promise<void> {
    await this.page.keyboard.press(key);
  }

  async whenTheServerStops(): Promise<void> {
    await this.server.stop();
  }

  async whenTheServerRestarts(): Promise<void> {
    await this.server.restart();
  }

  // ---------- then ----------

  queueRow(eventId: string): Locator {
    return this.page.locator(`.queue-row[data-event-id="${eventId}"]`);
  }

  get detail(): Locator {
    return this.page.getByTestId('event-detail');
  }

  get errorPanel(): Locator {
    return this.page.getByTestId('error-panel');
  }

  get staleBanner(): Locator {
    return this.page.getByTestId('stale-banner');
  }

  async thenTheFeedIsShownAsInterrupted(): Promise<void> {
    await expect(this.staleBanner).toBeVisible();
    await expect(this.staleBanner).toContainText('数据已中断');
    await expect(this.page.locator('.connection')).not.toHaveAttribute('data-link', 'connected');
  }

  async thenTheCountyIsShown(): Promise<void> {
    const regions = await this.api<RegionsResponse>('/regions');
    await expect(this.page.getByTestId('county-name')).toHaveText(regions.county.name);
    await expect.poll(() => this.page.evaluate(() => window.__gridcommand?.map?.ready ?? false), { timeout: 60_000 }).toBe(true);
    await expect.poll(() => this.renderedRegionCount('town')).toBe(regions.totals.towns);
  }

  async renderedRegionCount(level: RegionLevel): Promise<number> {
    return this.page.evaluate((lvl) => window.__gridcommand?.map?.renderedRegionCount(lvl) ?? 0, level);
  }

  async mapEventIds(): Promise<string[]> {
    return this.page.evaluate(() => window.__gridcommand?.map?.eventIds() ?? Promise.resolve([]));
  }

  async renderedEventIds(): Promise<string[]> {
    return this.page.evaluate(() => window.__gridcommand?.map?.renderedEventIds() ?? []);
  }

  async selectedOnMap(): Promise<string | null> {
    return this.page.evaluate(() => window.__gridcommand?.map?.selectedEventId() ?? null);
  }

  async thenTheEventIsInTheQueue(eventId: string): Promise<void> {
    await expect(this.queueRow(eventId)).toBeVisible();
  }

  async thenTheEventIsOnTheMap(eventId: string): Promise<void> {
    await expect.poll(() => this.mapEventIds()).toContain(eventId);
    await expect.poll(() => this.renderedEventIds()).toContain(eventId);
  }

  async thenTheDetailShows(event: EventRecord): Promise<void> {
    await expect(this.detail).toHaveAttribute('data-event-id', event.id);
    await expect(this.detail).toContainText(event.id);
    await expect(this.detail).toContainText(event.itemName);
    await expect(this.detail).toContainText(event.reporter.name);
  }

  async thenTheMapHighlights(eventId: string): Promise<void> {
    await expect.poll(() => this.selectedOnMap()).toBe(eventId);
    await expect.poll(() => this.renderedEventIds()).toContain(eventId);
  }
}
