import { test } from './fixtures';

test('an event reported to the API appears in the queue and on the map without reload', async ({ gc }) => {
  await gc.givenLoggedIn('demo-dispatcher');
  const event = await gc.givenAnEventIsReported({ urgency: 'P0' });
  await gc.whenIOpenTab('new');
  await gc.thenTheEventIsInTheQueue(event.id);
  await gc.thenTheEventIsOnTheMap(event.id);
});
