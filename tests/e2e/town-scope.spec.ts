import { OPEN_STATUSES, type EventListResponse } from '../../shared/contracts/events.js';
import { expect, test } from './fixtures';

const openEvents = `/events?status=${OPEN_STATUSES.join(',')}&pageSize=1000`;

test("a town's dispatcher sees only that town's events, and the top bar names the town", async ({ gc, page }) => {
  const { user } = await gc.restLogin('demo-town-dispatcher');
  expect(user.scope.kind).toBe('towns');
  const town = user.scope.kind === 'towns' ? user.scope.towns[0] : undefined;
  const townName = user.scopeNames[0];
  // The check means something only if the county has open events outside the town.
  const county = await gc.api<EventListResponse>(openEvents, 'demo-dispatcher');
  expect(county.items.some((e) => e.townId !== town)).toBe(true);
  const mine = await gc.api<EventListResponse>(openEvents, 'demo-town-dispatcher');
  expect(mine.total).toBeGreaterThan(0);
  expect(mine.items.every((e) => e.townId === town)).toBe(true);

  await gc.givenLoggedIn('demo-town-dispatcher');
  await expect(gc.userMenu.getByTestId('user-scope')).toHaveText(townName ?? '');
  // The "in progress" tab counts the town's cases held by teams, as the API lists them.
  const held = mine.items.filter((e) => e.status === 'dispatched' || e.status === 'accepted' || e.status === 'in_progress');
  expect(held.length).toBeGreaterThan(0);
  await gc.whenIOpenTab('inProgress');
  await expect(page.locator('.queue-tab[data-tab="inProgress"] .queue-tab-count')).toHaveText(String(held.length));
  const rows = page.locator('.queue-row');
  await expect(rows.first()).toBeVisible();
  const rowTowns = await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-town-id')));
  expect(rowTowns.length).toBeGreaterThan(0);
  expect(new Set(rowTowns)).toEqual(new Set([town]));
  const ids = new Set(mine.items.map((e) => e.id));
  const rowIds = await rows.evaluateAll((els) => els.map((el) => el.getAttribute('data-event-id')));
  expect(rowIds.filter((id) => !ids.has(id ?? ''))).toEqual([]);
});
