import { resolve } from 'node:path';
import { expect, test } from './fixtures';

// The requests this test cuts off show up as failed loads in the console.
test.use({ expectedConsoleErrors: [/ERR_CONNECTION_REFUSED|ERR_FAILED/] });

test('when the API cannot be reached the console says so and recovers on retry', async ({ gc }) => {
  await gc.givenLoggedIn('demo-dispatcher');
  await gc.givenTheApiIsUnreachable();
  await gc.whenIOpenTheConsole();
  await expect(gc.errorPanel).toBeVisible();
  await expect(gc.errorPanel).toContainText('无法连接指挥台服务器');
  await gc.page.screenshot({ path: resolve(import.meta.dirname, '../../test-results/screens/desk-1920x1080-unreachable.png') });

  await gc.givenTheApiIsReachableAgain();
  await gc.whenIRetry();
  await expect(gc.errorPanel).toBeHidden();
  await gc.thenTheCountyIsShown();
});
