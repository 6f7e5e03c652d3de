import { resolve } from 'node:path';
import type { EventListResponse, EventRecord } from '../../shared/contracts/events.js';
import type { ConsoleDriver } from './driver';
import { FindDriver, type Box } from './find-driver';
import { expect, test } from './fixtures';

const SCREENS = resolve(import.meta.dirname, '../../test-results/screens');

interface RegionCollection {
  features: Array<{ properties: { id: string; name: string; parentId: string }; geometry: { type: 'Polygon'; coordinates: number[][][] } }>;
}

/** The box around a region's outline. */
function boxOf(feature: RegionCollection['features'][number]): Box {
  const ring = feature.geometry.coordinates[0]!;
  const lons = ring.map((p) => p[0]!);
  const lats = ring.map((p) => p[1]!);
  return [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)];
}

/** A case closed days before the console opened: not in its live feed, only findable. */
async function aClosedCase(gc: ConsoleDriver): Promise<EventRecord> {
  const closed = await gc.api<EventListResponse>('/events?status=closed&pageSize=1&to=2026-11-01');
  expect(closed.items[0], 'a closed case in the seeded county').toBeDefined();
  return closed.items[0]!;
}

test('/ then a case id and Enter opens the case, closed long ago, and the map flies to it', async ({ gc, page }) => {
  const find = new FindDriver(gc);
  const closed = await aClosedCase(gc);
  await gc.givenLoggedIn('demo-dispatcher');
  await expect(gc.queueRow(closed.id)).toHaveCount(0);

  await find.whenISearchAndEnter(closed.id);
  await expect(gc.detail).toHaveAttribute('data-event-id', closed.id);
  await gc.thenTheCaseIs('closed');
  await expect(find.input).not.toBeFocused();
  await expect.poll(() => gc.selectedOnMap()).toBe(closed.id);
  await find.thenTheMapIsOn(closed.location, 13.5);

  // Esc leaves the box without choosing, and the keys are the queue's again
  await find.whenIPressSlash();
  await page.keyboard.type('无此地址');
  await page.keyboard.press('Escape');
  await expect(find.input).not.toBeFocused();
  await expect(find.panel).toBeHidden();
  await gc.whenIPress('2');
  await expect(page.locator('.queue-tab[data-tab="toFile"]')).toHaveAttribute('aria-selected', 'true');
});

test("a dispatcher finds a case by the reporter's phone, and it opens in the queue", async ({ gc }) => {
  const find = new FindDriver(gc);
  const event = await gc.givenAnEventIsReported({ urgency: 'P1', reporter: { name: '孙电话', phone: '+86 13900012468' } });
  await gc.givenLoggedIn('demo-dispatcher');
  await find.whenIPressSlash();
  await find.whenIType('13900012468');
  await expect(find.group('casePhone').locator('.search-option')).toHaveCount(1);
  await expect(find.option(`case:${event.id}`)).toContainText('+86 13900012468');
  await find.whenIArrowToAndEnter(`case:${event.id}`);
  await gc.thenTheDetailShows(event);
  await expect(gc.queueRow(event.id)).toHaveAttribute('aria-selected', 'true');
  await gc.thenTheMapHighlights(event.id);

  // the last digits find it too
  await find.whenIPressSlash();
  await find.whenIType('2468');
  await expect(find.option(`case:${event.id}`)).toBeVisible();
});

test("a place's name flies the map to the place", async ({ gc }) => {
  const find = new FindDriver(gc);
  const villages = await gc.api<RegionCollection>('/geo/village');
  const village = villages.features[villages.features.length - 1]!;
  await gc.givenLoggedIn('demo-dispatcher');
  const before = await find.camera();
  await find.whenIPressSlash();
  await find.whenIType(village.properties.name);
  await expect(find.group('place').locator('.search-option').first()).toHaveAttribute('data-key', `place:${village.properties.id}`);
  await find.whenIArrowToAndEnter(`place:${village.properties.id}`);
  await find.thenTheMapFrames(boxOf(village));
  expect((await find.camera()).zoom).toBeGreaterThan(before.zoom);
});

test('the history tab filters by state and period and pages through the server', async ({ gc }) => {
  const find = new FindDriver(gc);
  await gc.givenLoggedIn('demo-dispatcher');
  await find.whenIOpenHistory();

  await find.whenIFilterHistoryBy('status', 'closed');
  await find.whenIFilterHistoryPeriod('2026-10-30', '2026-11-01');
  const closed = await find.apiTotal('status=closed&from=2026-10-30&to=2026-11-01');
  expect(closed).toBeGreaterThan(0);
  await find.thenTheHistoryShows(closed, 1, Math.ceil(closed / 50));
  expect(new Set(await find.historyRowStatuses())).toEqual(new Set(['closed']));

  await find.whenIFilterHistoryBy('status', 'all');
  const all = await find.apiTotal('from=2026-10-30&to=2026-11-01');
  expect(all, 'more than a page of cases in three seeded days').toBeGreaterThan(50);
  await find.thenTheHistoryShows(all, 1, Math.ceil(all / 50));
  const first = await find.historyRowIds();
  expect(first).toHaveLength(50);
  await find.whenIGoToTheNextPage();
  await find.thenTheHistoryShows(all, 2, Math.ceil(all / 50));
  const second = await find.historyRowIds();
  expect(second.filter((id) => first.includes(id))).toEqual([]);

  // a row opens its case like a queue row, the map flying there
  const id = second[0]!;
  await find.historyRow(id).click();
  await expect(gc.detail).toHaveAttribute('data-event-id', id);
  await expect(find.historyRow(id)).toHaveAttribute('aria-selected', 'true');
  await expect.poll(() => gc.selectedOnMap()).toBe(id);
});

test("a town's dispatcher opens on the town, and finds nothing of the other towns", async ({ gc, page }) => {
  const find = new FindDriver(gc);
  const { user } = await gc.restLogin('demo-town-dispatcher');
  const townId = user.scope.kind === 'towns' ? user.scope.towns[0] : undefined;
  const towns = await gc.api<RegionCollection>('/geo/town');
  const town = towns.features.find((f) => f.properties.id === townId)!;
  const elsewhere = (await gc.api<EventListResponse>('/events?pageSize=50')).items.find((e) => e.townId !== townId)!;

  await gc.givenLoggedIn('demo-town-dispatcher');
  await find.thenTheMapFrames(boxOf(town));
  await page.screenshot({ path: `${SCREENS}/town-dispatcher-start-1920x1080.png` });

  await find.whenIPressSlash();
  await find.whenIType(elsewhere.id);
  await expect(find.panel).toHaveAttribute('data-status', 'empty');
  await expect(find.panel.getByTestId('search-empty')).toContainText(elsewhere.id);
});

test('screens: the search list and the history tab at the desk and on a 4K wall', async ({ gc, page }) => {
  test.setTimeout(180_000);
  const find = new FindDriver(gc);
  const villages = await gc.api<RegionCollection>('/geo/village');
  const name = villages.features[0]!.properties.name.slice(0, 2);
  await gc.givenAnEventIsReported({ urgency: 'P1', reporter: { name: '李报事', phone: '13900013579' } });
  await gc.givenLoggedIn('demo-dispatcher');
  await find.whenIPressSlash();
  await find.whenIType('3579');
  await expect(find.group('casePhone')).toBeVisible();
  await page.screenshot({ path: `${SCREENS}/search-phone-1920x1080.png` });
  await page.keyboard.press('Escape');
  for (const [width, height] of [
    [1920, 1080],
    [3840, 2160],
  ] as const) {
    await page.setViewportSize({ width, height });
    await find.whenIPressSlash();
    await find.whenIType(name);
    await page.keyboard.press('ArrowDown');
    await page.screenshot({ path: `${SCREENS}/search-${width}x${height}.png` });
    await page.keyboard.press('Escape');

    await find.whenIOpenHistory();
    await find.whenIFilterHistoryBy('status', 'finished');
    await expect(find.history.locator('.history-row').first()).toBeVisible();
    await find.history.locator('.history-row').nth(1).click();
    await expect(gc.detail).toHaveAttribute('data-event-id', /EV/);
    await gc.thenTheMapIsStill();
    await page.screenshot({ path: `${SCREENS}/history-${width}x${height}.png` });
    await find.whenIFilterHistoryBy('status', 'all');
    await gc.whenIPress('1');
  }
});
