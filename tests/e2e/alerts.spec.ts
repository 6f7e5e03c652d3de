import { expect, test } from './fixtures';

test('a new critical case raises an alert over the map that opens the case when clicked', async ({ gc }) => {
  await gc.givenLoggedIn('demo-dispatcher');
  const event = await gc.givenAnEventIsReported({ urgency: 'P0' });
  const alert = gc.page.locator(`[data-testid="case-alert"][data-event-id="${event.id}"]`);
  await expect(alert).toBeVisible();
  await expect(alert).toContainText('新特急事件');
  await expect(alert).toContainText(event.itemName);
  await alert.getByTitle('打开').click();
  await gc.thenTheDetailShows(event);
  await expect(alert).toBeHidden();
});
