import { resolve } from 'node:path';
import { OPEN_STATUSES, type EventListResponse } from '../../shared/contracts/events.js';
import type { RegionsResponse } from '../../shared/contracts/regions.js';
import { expect } from './fixtures';
import { PlatformMap, TILED_PLATFORM_ARGS, platformTest } from './platform-driver';
import { WallDriver } from './wall-driver';

const SCREENS = resolve(import.meta.dirname, '../../test-results/screens');
/** Zoom from which micro-grid boundaries are drawn (LEVEL_STYLES in renderer/src/map/layers/region-layers.ts). */
const MICROGRID_ZOOM = 13.5;
/** Events are bubbles up to z11 (CLUSTER_MAX_ZOOM in renderer/src/map/layers/event-layers.ts), single markers from the next whole zoom. */
const CLUSTER_MAX_ZOOM = 11;
const MARKER_ZOOM = CLUSTER_MAX_ZOOM + 1;
/** Below this zoom a platform's cases are one bubble per county (UNIT_MAX_ZOOM in renderer/src/map/layers/event-layers.ts). */
const UNIT_MAX_ZOOM = 8.5;

/** The same fixtures, on a city platform of three counties whose micro-grids come as vector tiles. */
const test = platformTest(TILED_PLATFORM_ARGS);

test('a city console draws its micro-grids from tiles fetched with the session token, its counties, and its name', async ({ gc, page }) => {
  const map = new PlatformMap(page);
  await gc.givenLoggedIn('demo-dispatcher');
  const regions = await gc.api<RegionsResponse>('/regions');
  expect(regions.root.level).toBe('city');
  await expect(page.getByTestId('county-name')).toHaveText(regions.root.name);
  await map.thenTheMapIsReady();
  expect(await map.delivery()).toEqual({ tiled: ['microgrid'], upper: true });

  // the city's outline and its three counties, with their names, over the towns
  await expect.poll(() => map.renderedRegionCount('county')).toBe(regions.totals.counties);
  await expect.poll(() => map.renderedRegionCount('city')).toBe(1);
  const counties = (regions.root.children ?? []).map((c) => c.name);
  await expect.poll(async () => (await map.renderedRegionNames('county')).length).toBeGreaterThan(0);
  expect((await map.renderedRegionNames('county')).every((name) => counties.includes(name))).toBe(true);
  await page.screenshot({ path: `${SCREENS}/platform-city-1920x1080.png` });

  // close in on a case: its micro-grids come as tiles, each request with the bearer token
  const event = await gc.givenAnEventIsReported({ urgency: 'P1' });
  await gc.whenIOpenTab('new');
  await gc.whenISelectTheRow(event.id);
  await gc.thenTheMapHighlights(event.id);
  await map.thenTheCameraIsStill();
  expect(await map.zoom()).toBeGreaterThanOrEqual(MICROGRID_ZOOM);
  await expect.poll(() => map.renderedRegionCount('microgrid')).toBeGreaterThan(0);
  const tiles = map.tileRequests('microgrid');
  expect(tiles.length).toBeGreaterThan(0);
  expect(tiles.filter((t) => t.authorization !== `Bearer ${gc.tokenTheConsoleUses()}`)).toEqual([]);
  expect(tiles.filter((t) => t.status !== 200 && t.status !== 204)).toEqual([]);
  // the tiled level is never downloaded whole; the small ones are, as on a county server
  expect(map.geoJsonLevels().sort()).toEqual(['grid', 'town', 'village']);
  await page.screenshot({ path: `${SCREENS}/platform-microgrids-1920x1080.png` });
});

test('on a platform below a county’s zoom, each county is one bubble at its name counting its open cases; a click frames the county', async ({ gc, page }) => {
  const map = new PlatformMap(page);
  await gc.givenLoggedIn('demo-dispatcher');
  const event = await gc.givenAnEventIsReported({ urgency: 'P0' });
  const regions = await gc.api<RegionsResponse>('/regions');
  await map.thenTheMapIsReady();
  // three small counties open closer in than a county's zoom: step out, as a duty officer would
  await map.whenIZoomOutBelow(UNIT_MAX_ZOOM);

  // one bubble per county, counting the open cases of its towns (an event's county: its town's first 6 digits)
  const open = await gc.api<EventListResponse>(`/events?status=${OPEN_STATUSES.join(',')}&pageSize=1000`);
  expect(open.total).toBeLessThanOrEqual(1000);
  const perCounty: Record<string, number> = {};
  for (const e of open.items) perCounty[e.townId.slice(0, 6)] = (perCounty[e.townId.slice(0, 6)] ?? 0) + 1;
  await expect.poll(async () => Object.fromEntries((await map.renderedUnits()).map((u) => [u.id, u.count]))).toEqual(perCounty);
  const county = event.townId.slice(0, 6);
  const units = await map.renderedUnits();
  expect(units.every((u) => u.level === 'county')).toBe(true);
  expect(units.find((u) => u.id === county)?.worst).toBe(0);
  // no spatial bubble or marker under them, and every county's name still reads beside its bubble
  expect(await map.renderedClusters()).toEqual([]);
  expect(await map.renderedEventIds()).toEqual([]);
  // each bubble writes its county's name beside it (the name's own place is under the bubble)
  await expect.poll(async () => (await map.renderedUnits()).filter((u) => !u.named).map((u) => u.id)).toEqual([]);
  expect(regions.root.children?.length).toBe(units.length);
  await page.screenshot({ path: `${SCREENS}/platform-city-units-1920x1080.png` });

  // a click on the county's bubble frames the county: its towns, its spatial bubbles
  await map.whenIClickTheUnit(county);
  expect(await map.zoom()).toBeGreaterThanOrEqual(UNIT_MAX_ZOOM);
  await expect.poll(async () => (await map.renderedClusters()).length + (await map.renderedEventIds()).length).toBeGreaterThan(0);
  expect(await map.renderedUnits()).toEqual([]);
});

test('on a platform, events are bubbles below village zoom, and clicking bubbles zooms in to single markers', async ({ gc, page }) => {
  const map = new PlatformMap(page);
  await gc.givenLoggedIn('demo-dispatcher');
  await gc.givenAnEventIsReported({ urgency: 'P0' });
  await map.thenTheMapIsReady();
  // below a county's zoom the cases are counted per county: open the busiest first
  const busiest = [...(await map.renderedUnits())].sort((a, b) => b.count - a.count)[0];
  if (busiest) await map.whenIClickTheUnit(busiest.id);
  expect(await map.zoom()).toBeLessThan(CLUSTER_MAX_ZOOM);
  await expect.poll(async () => (await map.renderedClusters()).length).toBeGreaterThan(0);
  const bubbles = await map.renderedClusters();
  expect(bubbles.every((b) => b.count >= 2 && b.worst >= 0 && b.worst <= 4)).toBe(true);
  expect(bubbles.some((b) => b.worst === 0)).toBe(true);

  for (let i = 0; i < 6 && (await map.zoom()) < MARKER_ZOOM && (await map.renderedClusters()).length > 0; i++) await map.whenIClickTheBiggestBubble();
  expect(await map.zoom()).toBeGreaterThanOrEqual(MARKER_ZOOM);
  await expect.poll(async () => (await map.renderedEventIds()).length).toBeGreaterThan(0);
  expect(await map.renderedClusters()).toEqual([]);
});

test('the wall on a platform names it, ranks its counties, and reads at 4K', async ({ page, server }) => {
  const wall = new WallDriver(page, server);
  await page.setViewportSize({ width: 3840, height: 2160 });
  await wall.givenTheWallIsOpen();
  const regions = await wall.api<RegionsResponse>('/regions');
  await expect(page.getByTestId('county-name')).toHaveText(regions.root.name);
  await expect(page.getByTestId('wall-view')).toHaveText('全市');
  // the ranking lists the city's counties, as the server ranked them, not its towns
  const overview = await wall.overviewForTheWall();
  expect(overview.unitLevel).toBe('county');
  const ranking = page.getByTestId('wall-ranking');
  await expect(ranking).toHaveAttribute('data-ranking-unit', 'county');
  await expect(ranking.locator('h2')).toHaveText('区县排名（按期结案率）');
  await expect(ranking.locator('tbody tr')).toHaveCount(regions.totals.counties);
  expect(await ranking.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-unit-id')))).toEqual(overview.units.map((u) => u.unitId));
  await expect(ranking.locator('tbody tr td.wall-ranking-town')).toHaveText(overview.units.map((u) => u.name));
  const map = new PlatformMap(page);
  await expect.poll(() => map.renderedRegionCount('county')).toBe(regions.totals.counties);
  await page.waitForTimeout(1500); // the map redraws at the new size before the picture
  await page.screenshot({ path: `${SCREENS}/platform-wall-3840x2160.png` });
});
