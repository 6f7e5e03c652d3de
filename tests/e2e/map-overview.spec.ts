import { resolve } from 'node:path';
import type { TeamListResponse } from '../../shared/contracts/teams.js';
import { expect, test } from './fixtures';

const SCREENS = resolve(import.meta.dirname, '../../test-results/screens');

/** Zoom from which events are single markers and teams squares (renderer/src/map/layers). */
const VILLAGE_ZOOM = 12;

test('at county zoom events are bubbles with their count and worst urgency, and teams are counts per town; clicking opens them', async ({ gc, page }) => {
  await gc.givenLoggedIn('demo-dispatcher');
  await gc.givenAnEventIsReported({ urgency: 'P0' });
  const { items: teams } = await gc.api<TeamListResponse>('/teams');
  expect(await gc.mapZoom()).toBeLessThan(VILLAGE_ZOOM);

  await expect.poll(async () => (await gc.renderedClusters()).length).toBeGreaterThan(0);
  const bubbles = await gc.renderedClusters();
  expect(bubbles.every((b) => b.count >= 2 && b.worst >= 0 && b.worst <= 4)).toBe(true);
  // a P0 case was just reported: some bubble or marker shows the worst urgency, P0
  expect(bubbles.some((b) => b.worst === 0) || (await gc.renderedEventIds()).length > 0).toBe(true);
  // every team is counted in the town panels, and no square is drawn at this zoom
  await expect.poll(async () => (await gc.renderedTeamTowns()).reduce((n, t) => n + t.total, 0)).toBe(teams.length);
  expect(await gc.renderedTeamIds()).toEqual([]);
  expect(await gc.labelsOverMarkers()).toEqual([]);
  await page.screenshot({ path: `${SCREENS}/map-county-1920x1080.png` });

  // a click on the biggest bubble zooms in to where it parts
  const biggest = [...bubbles].sort((a, b) => b.count - a.count)[0]!;
  const before = await gc.mapZoom();
  await page.mouse.click(biggest.x, biggest.y);
  await expect.poll(() => gc.mapZoom()).toBeGreaterThan(before);
});

test('from village zoom events are single markers and teams squares, and no name sits on either', async ({ gc, page }) => {
  await gc.givenLoggedIn('demo-dispatcher');
  const event = await gc.givenAnEventIsReported({ urgency: 'P1' });
  await gc.whenIOpenTab('new');
  await gc.whenISelectTheRow(event.id);
  await gc.thenTheMapHighlights(event.id);
  await gc.thenTheMapIsStill();
  expect(await gc.mapZoom()).toBeGreaterThanOrEqual(VILLAGE_ZOOM);
  await expect.poll(async () => (await gc.renderedEventIds()).length).toBeGreaterThan(1);
  await expect.poll(async () => (await gc.renderedTeamIds()).length).toBeGreaterThan(0);
  expect(await gc.renderedClusters()).toEqual([]);
  expect(await gc.renderedTeamTowns()).toEqual([]);
  expect(await gc.labelsOverMarkers()).toEqual([]);
  await page.screenshot({ path: `${SCREENS}/map-village-1920x1080.png` });
});

test('the selected case is drawn on top with its halo even where its marker sits in a bubble', async ({ gc, page }) => {
  await gc.givenLoggedIn('demo-dispatcher');
  const event = await gc.givenAnEventIsReported({ urgency: 'P2' });
  await gc.whenIOpenTab('new');
  await gc.whenISelectTheRow(event.id);
  await gc.thenTheMapHighlights(event.id);
  await gc.thenTheMapIsStill();
  // back out to county zoom with the map's own (translated) zoom-out button
  const zoomOut = page.getByRole('button', { name: '缩小' });
  while ((await gc.mapZoom()) >= VILLAGE_ZOOM - 1) {
    const before = await gc.mapZoom();
    await zoomOut.click();
    await expect.poll(() => gc.mapZoom()).toBeLessThan(before);
  }
  await gc.thenTheMapIsStill();
  await expect.poll(() => gc.bubbleHolding(event.id)).not.toBeNull();
  await expect.poll(() => gc.renderedEventIds()).toContain(event.id);
  expect(await gc.selectedOnMap()).toBe(event.id);
  await page.screenshot({ path: `${SCREENS}/map-selected-in-bubble-1920x1080.png` });
});

test('layer switches hide and show what they name, by keyboard too, and are remembered for the user', async ({ gc, page }) => {
  await gc.givenLoggedIn('demo-dispatcher');
  const event = await gc.givenAnEventIsReported({ urgency: 'P0' });
  await gc.thenTheEventIsOnTheMap(event.id);

  await gc.whenISwitchTheMapLayer('teams', false);
  expect(await gc.mapLayerShown('teams-town')).toBe(false);
  await expect.poll(() => gc.renderedTeamTowns()).toEqual([]);

  await gc.whenISwitchTheMapLayer('new', false);
  // a reported case waits on the centre: it leaves the map (and its bubble's count)
  await expect.poll(() => gc.mapEventIds()).not.toContain(event.id);

  await gc.whenISwitchTheMapLayer('grids', false);
  expect(await gc.mapLayerShown('grid-line')).toBe(false);
  expect(await gc.mapLayerShown('grid-label')).toBe(false);

  // the heat, by keyboard: focus its switch and press Space
  const heat = page.getByTestId('map-layers').locator('input[data-layer="heat"]');
  await heat.focus();
  await gc.whenIPress('Space');
  await expect.poll(() => gc.mapLayerShown('events-heat')).toBe(true);
  await page.screenshot({ path: `${SCREENS}/map-layers-switched-1920x1080.png` });

  // a reload keeps this user's choice
  await gc.givenTheConsoleIsOpen();
  await expect.poll(() => gc.mapLayers()).toMatchObject({ teams: false, new: false, grids: false, heat: true, active: true });
  await expect(page.getByTestId('map-layers').locator('input[data-layer="teams"]')).not.toBeChecked();

  await gc.whenISwitchTheMapLayer('new', true);
  await expect.poll(() => gc.mapEventIds()).toContain(event.id);
  await gc.whenISwitchTheMapLayer('teams', true);
  await expect.poll(async () => (await gc.renderedTeamTowns()).length).toBeGreaterThan(0);
});

test("the map's own controls speak the UI language", async ({ gc, page }) => {
  await gc.givenLoggedIn('demo-dispatcher');
  await expect(page.getByRole('button', { name: '放大' })).toBeVisible();
  await expect(page.getByRole('button', { name: '缩小' })).toBeVisible();
  await expect(page.locator('.maplibregl-ctrl-scale')).toContainText(/公里|米/);
  await expect(page.locator('canvas.maplibregl-canvas').last()).toHaveAttribute('aria-label', '县域地图');
  await gc.whenISwitchTheLanguage();
  await expect(page.getByRole('button', { name: 'Zoom in' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Zoom out' })).toBeVisible();
  await expect(page.locator('.maplibregl-ctrl-scale')).toContainText(/km|m/);
  await expect(page.locator('canvas.maplibregl-canvas').last()).toHaveAttribute('aria-label', 'County map');
  await gc.whenISwitchTheLanguage();
});

// Not a behaviour check: the county and a village at the video wall's size, for people to look at.
test('the map at wall size: bubbles at county zoom, squares at village zoom', async ({ gc, page }) => {
  test.setTimeout(150_000);
  await page.setViewportSize({ width: 3840, height: 2160 });
  await gc.givenLoggedIn('demo-dispatcher');
  const event = await gc.givenAnEventIsReported({ urgency: 'P0' });
  await expect.poll(async () => (await gc.renderedClusters()).length + (await gc.renderedTeamTowns()).length).toBeGreaterThan(0);
  await page.screenshot({ path: `${SCREENS}/map-county-3840x2160.png` });
  await gc.whenIOpenTab('new');
  await gc.whenISelectTheRow(event.id);
  await gc.thenTheMapHighlights(event.id);
  await gc.thenTheMapIsStill();
  await expect.poll(async () => (await gc.renderedTeamIds()).length).toBeGreaterThan(0);
  await page.screenshot({ path: `${SCREENS}/map-village-3840x2160.png` });
});
