import { expect, test } from './fixtures';

test('clicking a marker on the map selects its row in the queue and opens its detail', async ({ gc }) => {
  await gc.givenLoggedIn('demo-dispatcher');
  const event = await gc.givenAnEventIsReported({ urgency: 'P0' });
  await gc.whenIOpenTab('new');
  await gc.thenTheEventIsOnTheMap(event.id);
  // At county zoom the marker sits in a bubble: open it first, as a dispatcher would.
  await gc.whenIOpenTheBubbleHolding(event.id);
  await gc.whenIClickTheMarker(event.id);
  await expect(gc.queueRow(event.id)).toHaveAttribute('aria-selected', 'true');
  await gc.thenTheDetailShows(event);
  await gc.thenTheMapHighlights(event.id);
});
