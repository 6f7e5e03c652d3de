import { resolve } from 'node:path';
import { expect, test } from './fixtures';

// The refused login is a 401, which Chromium also reports as a failed load.
test.use({ expectedConsoleErrors: [/status of 401/] });

test("a wrong password shows the server's message and stays on the login", async ({ gc, page }) => {
  await gc.whenIOpenTheConsole();
  // Not the dispatcher the other specs use: a failed attempt counts towards locking the account.
  await gc.whenISignIn('demo-duty', 'not-the-password');
  // the same words for an unknown user, a wrong password, a locked or disabled account
  await expect(gc.loginError).toHaveText(/^!?用户名或密码错误。$/);
  await gc.thenTheLoginIsShown();
  await expect(gc.passwordField).toHaveValue('');
  await expect(gc.usernameField).toHaveValue('demo-duty');
  await page.screenshot({ path: resolve(import.meta.dirname, '../../test-results/screens/login-refused-1920x1080.png') });
});
