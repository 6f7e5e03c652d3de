import { expect, test } from './fixtures';

test('j / k move through the queue, Enter opens the detail, Esc closes it', async ({ gc }) => {
  await gc.givenLoggedIn('demo-dispatcher');
  await gc.whenIPress('4'); // the "in progress" tab: the demo county always has cases there
  await expect(gc.page.locator('.queue-tab[data-tab="inProgress"]')).toHaveAttribute('aria-selected', 'true');
  const rows = gc.page.locator('.queue-row');
  await expect(rows.nth(1)).toBeVisible();
  const first = await rows.nth(0).getAttribute('data-event-id');
  const second = await rows.nth(1).getAttribute('data-event-id');

  await gc.whenIPress('j');
  await expect(rows.nth(0)).toHaveAttribute('aria-selected', 'true');
  await gc.whenIPress('j');
  await expect(rows.nth(1)).toHaveAttribute('aria-selected', 'true');
  await gc.whenIPress('Enter');
  await expect(gc.detail).toHaveAttribute('data-event-id', second ?? '');
  await gc.thenTheMapHighlights(second ?? '');

  await gc.whenIPress('k');
  await expect(gc.detail).toHaveAttribute('data-event-id', first ?? '');
  await gc.whenIPress('Escape');
  await expect(gc.detail).toBeHidden();
});
