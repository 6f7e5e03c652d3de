import { expect, test } from './fixtures';

test('a new critical case raises an alert on every console; acknowledged on one, it leaves the other', async ({ gc, otherConsole }) => {
  await gc.givenLoggedIn('demo-dispatcher');
  await otherConsole.givenLoggedIn('demo-duty');
  const event = await gc.givenAnEventIsReported({ urgency: 'P0' });

  const mine = gc.alertAbout(event.id);
  const theirs = otherConsole.alertAbout(event.id);
  await expect(mine).toBeVisible();
  await expect(mine).toContainText('紧急事件');
  await expect(mine).toContainText(event.itemName);
  await expect(theirs).toBeVisible();
  const alertId = await mine.getAttribute('data-alert-id');
  expect(await gc.openAlertIds()).toContain(alertId);

  await mine.getByTestId('alert-ack').click();
  await expect(mine).toBeHidden();
  await expect(theirs).toBeHidden();
  await expect.poll(() => gc.openAlertIds()).not.toContain(alertId);
});

test('an alert opens its case, and the top one is acknowledged with y', async ({ gc }) => {
  await gc.givenLoggedIn('demo-dispatcher');
  const event = await gc.givenAnEventIsReported({ urgency: 'P0' });
  const alert = gc.alertAbout(event.id);
  await expect(alert).toBeVisible();
  await alert.getByRole('button', { name: '查看事件' }).click();
  await gc.thenTheDetailShows(event);
  await expect(gc.page.locator('[data-testid="server-alert"]').first()).toHaveAttribute('data-event-id', event.id);
  await gc.whenIPress('y');
  await expect(alert).toBeHidden();
});

test('open alerts are read again after a reload', async ({ gc }) => {
  await gc.givenLoggedIn('demo-dispatcher');
  const event = await gc.givenAnEventIsReported({ urgency: 'P0' });
  await expect(gc.alertAbout(event.id)).toBeVisible();
  await gc.givenTheConsoleIsOpen();
  await expect(gc.alertAbout(event.id)).toBeVisible();
  await expect(gc.page.getByTestId('alert-bell')).not.toHaveAttribute('data-count', '0');
});
