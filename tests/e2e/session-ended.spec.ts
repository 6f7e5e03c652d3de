import { resolve } from 'node:path';
import { expect, test } from './fixtures';

test('when the server ends the session the console stops and returns to the login, saying why', async ({ gc, page }) => {
  await gc.givenLoggedIn('demo-dispatcher');
  await gc.whenTheSessionIsEndedElsewhere();
  await gc.thenTheLoginIsShown();
  await expect(page.getByTestId('session-notice')).toContainText('会话已结束，请重新登录');
});

test('the wall keeps its map on screen behind the login when its session ends', async ({ gc, page }) => {
  await gc.givenLoggedIn('demo-wall');
  await gc.whenTheSessionIsEndedElsewhere();
  await expect(gc.loginScreen).toBeVisible();
  await expect(page.getByTestId('session-notice')).toContainText('会话已结束，请重新登录');
  await expect(page.locator('.map-pane')).toBeVisible();
  expect(await gc.renderedRegionCount('town')).toBeGreaterThan(0);
  await page.screenshot({ path: resolve(import.meta.dirname, '../../test-results/screens/wall-session-ended-1920x1080.png') });

  await gc.whenISignIn('demo-wall');
  await expect(gc.loginScreen).toBeHidden();
  await expect(page.locator('.connection[data-link="connected"]')).toBeVisible();
});
