import { resolve } from 'node:path';
import type { UserListResponse } from '../../shared/contracts/auth.js';
import type { RegionsResponse } from '../../shared/contracts/regions.js';
import { SMALL_PLATFORM_ARGS } from '../integration/platform-fixture';
import { AdminDriver } from './admin-driver';
import type { DemoUser } from './driver';
import { expect } from './fixtures';
import { platformTest } from './platform-driver';
import { GrantDriver } from './grant-driver';

const SCREENS = resolve(import.meta.dirname, '../../test-results/screens');
const PASSWORD = 'Grid#2026x';

/** The same fixtures, on a city platform of three counties. */
const test = platformTest(SMALL_PLATFORM_ARGS);

test('the security administrator grants a county on a city platform; that user’s console opens on the county', async ({ gc, page }) => {
  const regions = await gc.api<RegionsResponse>('/regions');
  expect(regions.root.level).toBe('city');
  const [first, county] = regions.root.children!;
  const towns = county!.children!.map((t) => t.id);

  const admin = new AdminDriver(gc);
  const grant = new GrantDriver(page);
  await admin.givenSignedInAs('demo-secadmin', 'security');
  // the administrator's own scope is the whole platform: a city's
  await expect(gc.userMenu.getByTestId('user-scope')).toHaveText('全市');
  await page.getByTestId('user-new').click();
  const form = page.getByTestId('user-form');
  await form.getByTestId('user-form-username').fill('county.dispatcher');
  await form.getByTestId('user-form-name').fill('县级调度员');
  await form.getByTestId('user-form-password').fill(PASSWORD);
  await form.locator('[data-role="dispatcher"]').check();

  // the whole city until something narrower is ticked; a search finds the county among the areas
  await expect(grant.area(regions.root.id)).toBeChecked();
  await grant.whenISearch(county!.name);
  await expect(grant.area(first!.id)).toHaveCount(0);
  await grant.whenITick(county!.id);
  await grant.whenISearch('');
  await grant.whenIOpen(county!.id);
  await grant.thenTheCountyIsGrantedWithItsTowns(county!.id, towns);
  await expect(grant.area(regions.root.id)).not.toBeChecked();
  await expect(grant.picker.getByTestId('area-summary')).toContainText(county!.name);
  await page.screenshot({ path: `${SCREENS}/users-platform-grant-1920x1080.png` });

  await form.getByTestId('user-form-submit').click();
  await admin.whenIConfirm();
  await admin.thenTheNoticeSays('ok', '已创建用户 county.dispatcher');
  const stored = (await gc.api<UserListResponse>('/users', 'demo-secadmin')).items.find((u) => u.username === 'county.dispatcher');
  expect(stored?.scope).toMatchObject({ kind: 'towns', areas: [county!.id], counties: [county!.id] });

  // the list names the area, and its area filter finds the user by the county, not by another
  await expect(admin.userRow('county.dispatcher').getByTestId('user-row-scope')).toHaveText(county!.name);
  await expect(page.getByTestId('user-panel-scope')).toHaveText(county!.name);
  await page.getByTestId('users-filter-area').selectOption(county!.id);
  await expect(admin.userRow('county.dispatcher')).toBeVisible();
  await expect(admin.userRow('demo-dispatcher')).toBeVisible();
  await page.getByTestId('users-filter-area').selectOption(first!.id);
  await expect(admin.userRow('county.dispatcher')).toHaveCount(0);
  await page.getByTestId('users-filter-area').selectOption('');
  await admin.whenISelectTheUser('county.dispatcher');
  await page.screenshot({ path: `${SCREENS}/users-platform-list-1920x1080.png` });

  await gc.whenISignOut();
  await gc.thenTheLoginIsShown();
  await gc.whenISignIn('county.dispatcher' as DemoUser, PASSWORD);
  // live (not gc.thenTheConsoleIsLive, which counts every town of the platform in view)
  await expect(page.getByTestId('county-name')).toHaveText(regions.root.name);
  await expect(page.getByTestId('loading-panel')).toBeHidden();
  await expect(page.locator('.connection[data-link="connected"]')).toBeVisible();
  await expect(gc.userMenu.getByTestId('user-scope')).toHaveText(county!.name);
  await grant.thenTheMapIsReady();
  // framed on the county: its box in view and the camera at its middle, not the city's
  const [w, s, e, n] = county!.bbox!;
  await expect
    .poll(async () => {
      const c = await grant.mapCenter();
      return c.lon > w && c.lon < e && c.lat > s && c.lat < n;
    })
    .toBe(true);
  const view = await grant.mapBounds();
  const slack = 0.01;
  expect(view[0]).toBeLessThanOrEqual(w + slack);
  expect(view[1]).toBeLessThanOrEqual(s + slack);
  expect(view[2]).toBeGreaterThanOrEqual(e - slack);
  expect(view[3]).toBeGreaterThanOrEqual(n - slack);
  const city = regions.root.bbox!;
  expect((view[2] - view[0]) * (view[3] - view[1])).toBeLessThan((city[2] - city[0]) * (city[3] - city[1]));
  await page.screenshot({ path: `${SCREENS}/users-platform-county-console-1920x1080.png` });
});
