import { resolve } from 'node:path';
import type { RegionsResponse } from '../../shared/contracts/regions.js';
import { SMALL_PLATFORM_ARGS } from '../integration/platform-fixture';
import { AlertsDriver } from './alerts-driver';
import { AssignDownDriver } from './assign-down-driver';
import { expect } from './fixtures';
import { platformTest } from './platform-driver';

const SCREENS = resolve(import.meta.dirname, '../../test-results/screens');

/** The same fixtures, on the small city platform of three counties. */
const test = platformTest(SMALL_PLATFORM_ARGS);

test('the city assigns a case down from its console, and it lands in the county’s queue marked with the city and its deadline', async ({ gc, otherConsole }) => {
  const city = new AssignDownDriver(gc);
  await gc.givenLoggedIn('demo-dispatcher');
  const regions = await gc.api<RegionsResponse>('/regions');
  expect(regions.root.level).toBe('city');
  const countyId = await city.countyOf('demo-county');
  const countyName = regions.root.children!.find((c) => c.id === countyId)!.name;
  const point = await city.pointIn(countyId);

  await city.whenIOpenTheDeskByKeyboard();
  await gc.page.screenshot({ path: `${SCREENS}/assign-down-desk-1920x1080.png` });
  await city.whenIStartANewAssignmentByKeyboard();
  const note = '请三日内办结并反馈结果';
  const description = '端到端：群众反映河道漂浮物较多，请核实清理';
  await city.whenIFillTheAssignment({ countyId, description, point, note });
  await gc.page.screenshot({ path: `${SCREENS}/assign-down-dialog-1920x1080.png` });
  const id = await city.whenIPressEnterToAssign(description, countyName);
  await gc.page.screenshot({ path: `${SCREENS}/assign-down-desk-listed-1920x1080.png` });
  await city.whenICloseTheDeskWithEsc();

  const county = new AssignDownDriver(otherConsole);
  await county.givenLoggedInAsTheCounty();
  await otherConsole.whenIOpenTab('toFile');
  await county.thenTheQueueRowIsMarked(id, regions.root.name);
  await county.whenIFilterTheQueueToAssignments();
  await county.thenOnlyAssignmentsAreListed();
  await otherConsole.whenISelectTheRow(id);
  await county.thenTheDetailShowsTheAssignment(regions.root.name, note);
  await otherConsole.page.screenshot({ path: `${SCREENS}/assign-down-county-queue-1920x1080.png` });
  // a county's user receives assignments; it has no desk to make them
  await expect(otherConsole.page.getByTestId('assignments-button')).toHaveCount(0);

  // the county does not take it on (作废, with its reason): the result goes back up to the city's console
  await otherConsole.actAs('demo-county', id, { action: 'void', reason: '经核实为重复交办，已随原案办理' });
  const alerts = new AlertsDriver(gc);
  await expect.poll(async () => (await alerts.about(id, 'assignment_reported')).length).toBe(1);
  await alerts.whenIOpenThePanel();
  await alerts.whenIFilter({ kind: 'assignment_reported' });
  await expect(gc.page.getByTestId('alert-panel')).toContainText('经核实为重复交办');
  await gc.page.screenshot({ path: `${SCREENS}/assign-down-city-result-1920x1080.png` });
  await gc.page.getByTestId('assignments-button').click();
  await expect(gc.page.getByTestId('assignments-desk')).toBeVisible();
  await gc.page.getByTestId('assignments-desk').getByRole('tab', { name: /已反馈/ }).click();
  await expect(gc.page.locator(`[data-testid="assignments-table"] tr[data-event-id="${id}"]`)).toContainText('经核实为重复交办');
});
