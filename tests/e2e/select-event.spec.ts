import { test } from './fixtures';

test('selecting a queue row opens its detail and highlights it on the map', async ({ gc }) => {
  await gc.givenLoggedIn('demo-dispatcher');
  const event = await gc.givenAnEventIsReported({ urgency: 'P1' });
  await gc.whenIOpenTab('new');
  await gc.whenISelectTheRow(event.id);
  await gc.thenTheDetailShows(event);
  await gc.thenTheMapHighlights(event.id);
});
