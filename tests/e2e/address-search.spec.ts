import { resolve } from 'node:path';
import type { AddressDetail, AddressSearchResponse } from '../../shared/contracts/addresses.js';
import type { SessionUser } from '../../shared/contracts/auth.js';
import { FindDriver } from './find-driver';
import { expect, test } from './fixtures';

const SCREENS = resolve(import.meta.dirname, '../../test-results/screens');

// Callbacks of page.evaluate run in the page; this file compiles without the DOM library.
declare const window: { __gridcommand?: { map?: { zoom(): number; bounds(): [number, number, number, number] } } };

test('an address fragment in the search box flies the map to the household, pins it and opens its place card; Esc closes it', async ({ gc, page }) => {
  const find = new FindDriver(gc);
  // A household halfway down the county's list, and a case reported at it.
  const some = (await gc.api<AddressSearchResponse>(`/addresses?q=${encodeURIComponent('号')}&limit=50`)).items[25]!;
  const card = await gc.api<AddressDetail>(`/addresses/${some.code}`);
  const village = card.names.village;
  const event = await gc.givenAnEventIsReported({ urgency: 'P2', location: { addressCode: some.code } });
  // what a caller says: the village and the house, without the county and town, and without its last character
  const fragment = some.address.slice(some.address.indexOf(village), -1);

  await gc.givenLoggedIn('demo-dispatcher');
  await find.whenIPressSlash();
  await find.whenIType(fragment);
  await expect(find.option(`address:${some.code}`)).toContainText(some.address);
  await page.screenshot({ path: `${SCREENS}/search-address-1920x1080.png` });
  await find.whenIArrowToAndEnter(`address:${some.code}`);

  const placeCard = page.getByTestId('place-card');
  await expect(placeCard).toHaveAttribute('data-code', some.code);
  await expect(placeCard).toHaveAttribute('data-ready', 'true');
  await expect(placeCard).toBeFocused();
  await expect(page.getByTestId('place-address')).toHaveText(some.address);
  const regions = page.getByTestId('place-regions');
  for (const name of Object.values(card.names)) await expect(regions).toContainText(name);
  await expect(page.getByTestId('place-roster').locator('.place-row')).toHaveCount(card.roster.length);
  await expect(page.getByTestId('place-roster').locator('.place-row').first()).toHaveAttribute('data-role', 'grid_worker');
  await expect(page.getByTestId('place-teams').locator('li')).toHaveCount(card.teams.length);
  await expect(page.getByTestId('place-cases').locator(`.place-case[data-id="${event.id}"]`)).toBeVisible();

  // the map flew to the household at street level, with the pin on it, clear of the card
  const pin = page.getByTestId('map-pin');
  await expect(pin).toBeVisible();
  await gc.thenTheMapIsStill();
  const camera = await page.evaluate(() => ({ zoom: window.__gridcommand!.map!.zoom(), bounds: window.__gridcommand!.map!.bounds() }));
  const [w, s, e, n] = camera.bounds;
  expect(camera.zoom).toBeGreaterThanOrEqual(15);
  expect(some.location.lon > w && some.location.lon < e && some.location.lat > s && some.location.lat < n).toBe(true);
  const pinBox = (await pin.boundingBox())!;
  const cardBox = (await placeCard.boundingBox())!;
  expect(pinBox.x + pinBox.width).toBeLessThan(cardBox.x);
  await page.screenshot({ path: `${SCREENS}/address-card-1920x1080.png` });

  // keyboard: Tab walks into the card's cases; Enter opens one like a queue row
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('place-close')).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('place-cases').locator('.place-case').first()).toBeFocused();
  await page.getByTestId('place-cases').locator(`.place-case[data-id="${event.id}"]`).focus();
  await page.keyboard.press('Enter');
  await expect(gc.detail).toHaveAttribute('data-event-id', event.id);

  // Esc closes the card and takes the pin away; the case stays open
  await page.keyboard.press('Escape');
  await expect(placeCard).toBeHidden();
  await expect(pin).toBeHidden();
  await expect(gc.detail).toHaveAttribute('data-event-id', event.id);
});

test('a town dispatcher is never offered an address of another town', async ({ gc }) => {
  const find = new FindDriver(gc);
  const me = await gc.api<SessionUser>('/auth/me', 'demo-town-dispatcher');
  const own = me.scope.kind === 'towns' ? me.scope.towns : [];
  const elsewhere = (await gc.api<AddressSearchResponse>(`/addresses?q=${encodeURIComponent('号')}&limit=50`)).items.find((h) => !own.includes(h.townId))!;
  await gc.givenLoggedIn('demo-town-dispatcher');
  await find.whenIPressSlash();
  await find.whenIType(elsewhere.code);
  await expect(find.group('address')).toHaveCount(0);
  await expect(find.option(`address:${elsewhere.code}`)).toHaveCount(0);
});
