import { expect, type Page, type Request } from '@playwright/test';
import { GEOJSON_FEATURE_LIMIT, type TileLayer } from '../../shared/contracts/regions.js';
import { SMALL_PLATFORM_ARGS } from '../integration/platform-fixture';
import { test as countyTest } from './fixtures';
import { startServer, type RunningServer } from './server-process';

/** The console fixtures (./fixtures) on a server of their own seeded with `seedArgs` (a platform), one per worker. */
export function platformTest(seedArgs: readonly string[] = SMALL_PLATFORM_ARGS) {
  return countyTest.extend<object, { server: RunningServer }>({
    server: [
      // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
      async ({}, use) => {
        const server = await startServer(seedArgs);
        await use(server);
        await server.dispose();
      },
      { scope: 'worker', timeout: 180_000 },
    ],
  });
}

/**
 * The integration suite's small platform (a city of three counties) with just enough micro-grids
 * to pass GEOJSON_FEATURE_LIMIT, so the console receives them as vector tiles as a real city's
 * console would; every other level stays small (GeoJSON), which keeps seeding short.
 */
export const TILED_PLATFORM_ARGS: readonly string[] = withFlag(SMALL_PLATFORM_ARGS, '--micro-grids', String(GEOJSON_FEATURE_LIMIT + 1));

function withFlag(args: readonly string[], flag: string, value: string): string[] {
  const out = [...args];
  const at = out.indexOf(flag);
  if (at < 0) out.push(flag, value);
  else out[at + 1] = value;
  return out;
}

/** The platform-side reads of the console's map probe (renderer/src/map/map-probe.ts). */
interface PlatformProbe {
  readonly ready: boolean;
  zoom(): number;
  renderedRegionCount(level: TileLayer): number;
  renderedRegionNames(level: TileLayer): string[];
  delivery(): { tiled: string[]; upper: boolean };
  renderedEventIds(): string[];
  renderedClusters(): { count: number; worst: number; overdue: number; x: number; y: number }[];
  renderedUnits(): RenderedUnit[];
}

/** A county's or city's case bubble as the map draws it (page pixels). */
export interface RenderedUnit {
  id: string;
  level: string;
  /** Its name is written beside it (placed, not crowded out). */
  named: boolean;
  count: number;
  worst: number;
  overdue: number;
  x: number;
  y: number;
}

// Callbacks of page.evaluate run in the page; this file compiles without the DOM library.
declare const window: { __gridcommand?: { map?: PlatformProbe } };

/** One request the map made for a vector tile, as the browser sent it and the server answered. */
export interface TileRequest {
  layer: string;
  url: string;
  authorization: string | undefined;
  status: number | null;
}

/** The map on a platform of several counties: its tiles, its boundaries and its bubbles. */
export class PlatformMap {
  private readonly requests: TileRequest[] = [];
  private readonly geoLevels: string[] = [];

  constructor(readonly page: Page) {
    // MapLibre fetches tiles from its web workers; Chromium reports their requests on the page.
    page.on('requestfinished', (request) => void this.record(request));
    page.on('requestfailed', (request) => void this.record(request));
    page.on('request', (request) => {
      const geo = /\/api\/v1\/geo\/(\w+)/.exec(request.url());
      if (geo?.[1]) this.geoLevels.push(geo[1]);
    });
  }

  private async record(request: Request): Promise<void> {
    const match = /\/api\/v1\/tiles\/(\w+)\/\d+\/\d+\/\d+\.mvt/.exec(request.url());
    if (!match?.[1]) return;
    const response = await request.response().catch(() => null);
    this.requests.push({ layer: match[1], url: request.url(), authorization: (await request.allHeaders())['authorization'], status: response?.status() ?? null });
  }

  /** Tile requests of a layer finished so far. */
  tileRequests(layer: TileLayer): TileRequest[] {
    return this.requests.filter((r) => r.layer === layer);
  }

  /** The levels the console downloaded as GeoJSON (`/api/v1/geo/{level}`). */
  geoJsonLevels(): string[] {
    return [...new Set(this.geoLevels)];
  }

  async thenTheMapIsReady(): Promise<void> {
    await expect.poll(() => this.page.evaluate(() => window.__gridcommand?.map?.ready ?? false), { timeout: 60_000 }).toBe(true);
  }

  async delivery(): Promise<{ tiled: string[]; upper: boolean }> {
    return this.page.evaluate(() => window.__gridcommand?.map?.delivery() ?? { tiled: [], upper: false });
  }

  async renderedRegionCount(level: TileLayer): Promise<number> {
    return this.page.evaluate((lvl) => window.__gridcommand?.map?.renderedRegionCount(lvl) ?? 0, level);
  }

  async renderedRegionNames(level: TileLayer): Promise<string[]> {
    return this.page.evaluate((lvl) => window.__gridcommand?.map?.renderedRegionNames(lvl) ?? [], level);
  }

  async zoom(): Promise<number> {
    return this.page.evaluate(() => window.__gridcommand?.map?.zoom() ?? 0);
  }

  async renderedClusters(): Promise<{ count: number; worst: number; overdue: number; x: number; y: number }[]> {
    return this.page.evaluate(() => window.__gridcommand?.map?.renderedClusters() ?? []);
  }

  /** The county and city bubbles in view. */
  async renderedUnits(): Promise<RenderedUnit[]> {
    return this.page.evaluate(() => window.__gridcommand?.map?.renderedUnits() ?? []);
  }

  /** Zooms out with the map's own zoom-out button (one step a click) until below `zoom`. */
  async whenIZoomOutBelow(zoom: number): Promise<void> {
    while ((await this.zoom()) >= zoom) {
      const before = await this.zoom();
      await this.page.locator('.maplibregl-ctrl-zoom-out').click();
      await expect.poll(() => this.zoom()).toBeLessThan(before);
      await this.thenTheCameraIsStill();
    }
  }

  /** Clicks one county's (or city's) bubble and waits for the camera to settle on it. */
  async whenIClickTheUnit(id: string): Promise<void> {
    const unit = (await this.renderedUnits()).find((u) => u.id === id);
    if (!unit) throw new Error(`no bubble of ${id} in view`);
    const before = await this.zoom();
    await this.page.mouse.click(unit.x, unit.y);
    await expect.poll(() => this.zoom()).toBeGreaterThan(before);
    await this.thenTheCameraIsStill();
  }

  async renderedEventIds(): Promise<string[]> {
    return this.page.evaluate(() => window.__gridcommand?.map?.renderedEventIds() ?? []);
  }

  /** Clicks the biggest bubble in view and waits for the camera to settle closer in. */
  async whenIClickTheBiggestBubble(): Promise<void> {
    const bubbles = await this.renderedClusters();
    const biggest = [...bubbles].sort((a, b) => b.count - a.count)[0];
    if (!biggest) throw new Error('no event bubble in view');
    const before = await this.zoom();
    await this.page.mouse.click(biggest.x, biggest.y);
    await expect.poll(() => this.zoom()).toBeGreaterThan(before);
    await this.thenTheCameraIsStill();
  }

  /** The camera has stopped (two reads of the zoom a moment apart agree). */
  async thenTheCameraIsStill(): Promise<void> {
    let last = -1;
    await expect
      .poll(async () => {
        const zoom = await this.zoom();
        const still = zoom === last;
        last = zoom;
        return still;
      })
      .toBe(true);
  }
}
