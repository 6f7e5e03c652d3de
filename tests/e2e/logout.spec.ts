import { expect, test } from './fixtures';

test('signing out returns to the login and the server no longer accepts the old token', async ({ gc, page }) => {
  await gc.givenLoggedIn('demo-dispatcher');
  const token = gc.tokenTheConsoleUses();
  expect(await gc.apiStatusWithToken('/auth/me', token)).toBe(200);

  await gc.whenISignOut();
  await gc.thenTheLoginIsShown();
  await expect(page.getByTestId('session-notice')).toHaveText('您已退出登录。');
  expect(await gc.apiStatusWithToken('/events', token)).toBe(401);

  // Nothing of the session is kept for a reload either.
  await gc.whenIOpenTheConsole();
  await gc.thenTheLoginIsShown();
});
