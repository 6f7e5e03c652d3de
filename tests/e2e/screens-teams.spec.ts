import { resolve } from 'node:path';
import { expect, test } from './fixtures';

const SCREENS = resolve(import.meta.dirname, '../../tmp/screens');

// Not a behaviour check: pictures of the team board, the team layer with a trail, and the alert
// banner at desk (1920×1080) and wall (3840×2160) sizes, for people to look at.
test('team board, team layer and alert banner at desk and wall sizes', async ({ gc, page }) => {
  test.setTimeout(240_000);
  await gc.givenLoggedIn('demo-dispatcher');
  const team = await gc.fieldTeam();
  for (let i = 1; i <= 4; i++) {
    await gc.reportPositionAs('demo-field', team.id, { lon: team.location.lon + 0.0025 * i, lat: team.location.lat + 0.0012 * i * (i % 2 ? 1 : 0.4) });
  }
  const event = await gc.givenAnEventIsReported({ urgency: 'P0' });
  await expect(gc.alertAbout(event.id)).toBeVisible();

  for (const [width, height] of [
    [1920, 1080],
    [3840, 2160],
  ] as const) {
    await page.setViewportSize({ width, height });
    await gc.whenIOpenTheTeamBoard();
    await gc.teamRow(team.id).getByRole('button').click();
    await expect.poll(() => gc.trailPointCount()).toBeGreaterThanOrEqual(2);
    await page.waitForTimeout(1500); // let the fly-to settle
    await page.screenshot({ path: `${SCREENS}/h-team-board-${width}.png` });
    await gc.whenIPress('Escape');
    await expect(gc.teamBoard).toBeHidden();
    await page.waitForTimeout(300);
    await page.screenshot({ path: `${SCREENS}/h-team-layer-${width}.png` });
    const pane = (await page.locator('.map-pane').boundingBox())!;
    await page.screenshot({ path: `${SCREENS}/h-alert-banner-${width}.png`, clip: { x: pane.x, y: pane.y, width: Math.min(pane.width, width / 2), height: Math.min(pane.height, height / 2.2) } });
  }
});
