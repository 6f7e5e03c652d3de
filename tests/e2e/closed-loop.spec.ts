import { expect, test } from './fixtures';

// The closed loop from intake to close: a case reported by the duty officer, filed, dispatched,
// verified and closed by the dispatcher at the keyboard, handled in the field through the API
// by demo-field's team; a shift lead's console follows every step live, without reload.
test('a dispatcher runs the loop by keyboard and another console sees each step live', async ({ gc, otherConsole: lead }) => {
  test.setTimeout(180_000);
  await gc.givenLoggedIn('demo-dispatcher');
  // The shift lead lands on the shift's screen; the console is a tab (and an address) away.
  await lead.page.goto(`${lead.server.url}/console`);
  await lead.whenISignIn('demo-lead');
  await lead.thenTheConsoleIsLive();

  const { event, teamId, teamName } = await gc.givenACaseForTheFieldTeam('demo-duty');
  await lead.whenIOpenTab('new');
  await lead.whenISelectTheRow(event.id);
  await lead.thenTheCaseIs('reported');

  // 1 = the "new" tab; j to the case; Enter opens it.
  await gc.whenISelectByKeyboard(event.id, '1');
  await gc.thenTheCaseIs('reported');
  await gc.thenTheOfferedActionsAre('file', 'reject', 'void', 'merge');

  await gc.whenIPress('f');
  await gc.thenTheCaseIs('filed');
  await gc.thenTheTimelineBeginsWith('file', 'intake');
  await lead.thenTheCaseIs('filed');
  await lead.thenTheTimelineBeginsWith('file', 'intake');

  await gc.whenIPress('d');
  await expect(gc.dispatchDialog).toBeVisible();
  await expect(gc.dispatchDialog.locator('.rec[aria-selected="true"]')).toHaveCount(1); // the machine's choice
  await expect(gc.dispatchDialog.locator('.reason-chip').first()).toBeVisible();
  await gc.whenIChooseTheTeam(teamId);
  await gc.whenIPress('Enter');
  await expect(gc.dispatchDialog).toBeHidden();
  await gc.thenTheCaseIs('dispatched');
  await expect(gc.detail.getByTestId('detail-team')).toHaveText(teamName);
  await lead.thenTheCaseIs('dispatched');
  await lead.thenTheTimelineBeginsWith('dispatch', 'file', 'intake');

  // The field team works the case from its phones (here: the API as demo-field).
  await gc.actAs('demo-field', event.id, { action: 'accept' });
  await gc.thenTheCaseIs('accepted');
  await lead.thenTheCaseIs('accepted');
  await gc.actAs('demo-field', event.id, { action: 'start', position: { lon: event.location.lon, lat: event.location.lat } });
  await gc.thenTheCaseIs('in_progress');
  await gc.actAs('demo-field', event.id, { action: 'report', result: '已拆除飞线，告知住户到集中充电棚充电', note: '现场照片已上传' });
  await gc.thenTheCaseIs('handled');
  await gc.thenTheTimelineBeginsWith('report', 'start', 'accept', 'dispatch', 'file', 'intake');
  await lead.thenTheCaseIs('handled');
  await expect(lead.detail).toContainText('已拆除飞线');

  await gc.whenIPress('v');
  await gc.thenTheCaseIs('verified');
  await lead.thenTheCaseIs('verified');

  // closing asks for a deliberate confirmation: the box ticked with Space, then Enter
  await gc.whenIPress('c');
  await expect(gc.page.getByTestId('dialog-close')).toBeVisible();
  await gc.whenIPress('Space', 'Enter');
  await gc.thenTheCaseIs('closed');
  await gc.thenTheOfferedActionsAre();
  await gc.thenTheTimelineBeginsWith('close', 'verify', 'report', 'start', 'accept', 'dispatch', 'file', 'intake');
  await lead.thenTheCaseIs('closed');
  await lead.thenTheTimelineBeginsWith('close', 'verify', 'report', 'start', 'accept', 'dispatch', 'file', 'intake');
  // Who did each step, with the role: the verifier was the dispatcher, the handler the field worker.
  await expect(lead.detail.locator('.tl-entry[data-action="verify"] .tl-who')).toContainText('指挥调度员');
  await expect(lead.detail.locator('.tl-entry[data-action="report"] .tl-who')).toContainText('网格员');
});
