import { resolve } from 'node:path';
import { expect, test } from './fixtures';

const SCREENS = resolve(import.meta.dirname, '../../test-results/screens');

// Not a behaviour check: pictures of the console at the sizes it is used at, for people to
// look at (desk 1080p, a 4K video wall, a phone). The console-error guard still applies.
test('screenshots at desk, wall and phone sizes', async ({ gc, page }) => {
  test.setTimeout(180_000);
  await gc.whenIOpenTheConsole();
  await expect(page.getByTestId('demo-panel')).toBeVisible();
  await page.screenshot({ path: `${SCREENS}/login-1920x1080.png` });
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: `${SCREENS}/login-phone-390x844.png`, fullPage: true });
  await page.setViewportSize({ width: 1920, height: 1080 });

  await gc.whenISignIn('demo-dispatcher');
  await gc.thenTheConsoleIsLive();
  await page.screenshot({ path: `${SCREENS}/desk-1920x1080-overview.png` });
  await page.locator('.top-bar').screenshot({ path: `${SCREENS}/top-bar-user-1920.png` });
  await page.screenshot({ path: `${SCREENS}/top-bar-user-right-1920.png`, clip: { x: 1280, y: 0, width: 640, height: 60 } });

  const event = await gc.givenAnEventIsReported({ urgency: 'P0' });
  await gc.whenIOpenTab('toFile');
  await gc.whenIOpenTab('new');
  await gc.whenISelectTheRow(event.id);
  await gc.thenTheMapHighlights(event.id);
  await page.waitForTimeout(1500); // let the fly-to settle
  await page.screenshot({ path: `${SCREENS}/desk-1920x1080-selected.png` });

  // The closed loop at the desk: a case filed by keyboard, its timeline, the dispatch dialog.
  const { event: loopCase } = await gc.givenACaseForTheFieldTeam('demo-duty');
  await gc.whenISelectByKeyboard(loopCase.id, '1');
  await gc.whenIPress('f');
  await gc.thenTheCaseIs('filed');
  await gc.thenTheTimelineBeginsWith('file', 'intake');
  await page.screenshot({ path: `${SCREENS}/desk-1920x1080-filed-timeline.png` });
  await gc.whenIPress('d');
  await expect(gc.dispatchDialog.locator('.rec').first()).toBeVisible();
  await page.screenshot({ path: `${SCREENS}/desk-1920x1080-dispatch-dialog.png` });
  await gc.whenIPress('Escape');
  await expect(gc.dispatchDialog).toBeHidden();

  await gc.whenISwitchTheLanguage();
  await gc.whenIPress('?');
  await page.screenshot({ path: `${SCREENS}/desk-1920x1080-en-shortcuts.png` });
  await gc.whenIPress('Escape');
  await gc.whenISwitchTheLanguage();

  await page.setViewportSize({ width: 3840, height: 2160 });
  await gc.givenTheConsoleIsOpen();
  await page.screenshot({ path: `${SCREENS}/wall-3840x2160.png` });

  await page.setViewportSize({ width: 390, height: 844 });
  await gc.givenTheConsoleIsOpen();
  await page.screenshot({ path: `${SCREENS}/phone-390x844.png` });
});
