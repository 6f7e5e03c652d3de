import { test } from './fixtures';

test('the console loads the county with its region layers and no console errors', async ({ gc }) => {
  await gc.givenTheConsoleIsOpen();
  await gc.thenTheCountyIsShown();
});
