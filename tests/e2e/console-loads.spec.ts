import { test } from './fixtures';

test('after login the console loads the county with its region layers and no console errors', async ({ gc }) => {
  await gc.givenLoggedIn('demo-dispatcher');
  await gc.thenTheCountyIsShown();
});
