import type { MicroGridCollection } from './driver';
import { expect, test } from './fixtures';

test('clicking a marker on the map selects its row in the queue and opens its detail', async ({ gc }) => {
  await gc.givenLoggedIn('demo-dispatcher');
  // at a place of its own: other specs report at the county's middle micro-grid on the same
  // server, and a click where two markers sit exactly on top of each other picks either
  const microGrids = await gc.api<MicroGridCollection>('/geo/microgrid');
  const place = microGrids.features[Math.floor(microGrids.features.length / 3)]!.properties;
  const event = await gc.givenAnEventIsReported({ urgency: 'P0', location: { lon: place.labelLon, lat: place.labelLat } });
  await gc.whenIOpenTab('new');
  await gc.thenTheEventIsOnTheMap(event.id);
  // At county zoom the marker sits in a bubble: open it first, as a dispatcher would.
  await gc.whenIOpenTheBubbleHolding(event.id);
  await gc.whenIClickTheMarker(event.id);
  await expect(gc.queueRow(event.id)).toHaveAttribute('aria-selected', 'true');
  await gc.thenTheDetailShows(event);
  await gc.thenTheMapHighlights(event.id);
});
