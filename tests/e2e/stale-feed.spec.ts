import { resolve } from 'node:path';
import { ConsoleDriver } from './driver';
import { expect, test } from './fixtures';
import { startServer, type RunningServer } from './server-process';

// While the server is down the browser reports the refused connections as console errors.
test.use({ expectedConsoleErrors: [/ERR_CONNECTION_REFUSED|ERR_EMPTY_RESPONSE|ERR_CONNECTION_RESET|WebSocket connection to .* failed/] });

// These tests stop their server, so each brings its own instead of the shared one.
let server: RunningServer;
test.beforeEach(async () => {
  server = await startServer();
});
test.afterEach(async () => {
  await server.dispose();
});

test('a stale banner appears when the server stops', async ({ page }) => {
  const gc = new ConsoleDriver(page, server);
  await gc.givenLoggedIn('demo-dispatcher');
  await expect(gc.staleBanner).toBeHidden();
  await gc.whenTheServerStops();
  await gc.thenTheFeedIsShownAsInterrupted();
  await page.screenshot({ path: resolve(import.meta.dirname, '../../test-results/screens/desk-1920x1080-stale.png') });
});

test('after the server comes back the console catches up without reload', async ({ page }) => {
  const gc = new ConsoleDriver(page, server);
  await gc.givenLoggedIn('demo-dispatcher');
  await gc.whenTheServerStops();
  await gc.thenTheFeedIsShownAsInterrupted();
  await gc.whenTheServerRestarts();
  // Reported before the console reconnects: it must arrive by replay, not only live.
  const event = await gc.givenAnEventIsReported();
  await expect(gc.staleBanner).toBeHidden({ timeout: 30_000 });
  await gc.whenIOpenTab('new');
  await gc.thenTheEventIsInTheQueue(event.id);
  await gc.thenTheEventIsOnTheMap(event.id);
});
