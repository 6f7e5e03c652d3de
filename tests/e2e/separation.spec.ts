import { expect, test } from './fixtures';

// The server refuses with 403; Chromium logs the refused request as a console error.
test.use({ expectedConsoleErrors: [/status of 403/] });

test('a dispatcher who reported a case is refused its verification, with the reason, and nothing changes', async ({ gc }) => {
  await gc.givenLoggedIn('demo-dispatcher');
  const { event, teamId } = await gc.givenACaseForTheFieldTeam('demo-dispatcher', '端到端测试：采办分离，上报人不能核查');
  await gc.actAs('demo-duty', event.id, { action: 'file' });
  await gc.actAs('demo-duty', event.id, { action: 'dispatch', teamId });
  await gc.actAs('demo-field', event.id, { action: 'accept' });
  await gc.actAs('demo-field', event.id, { action: 'start' });
  await gc.actAs('demo-field', event.id, { action: 'report', result: '已处置' });

  await gc.whenISelectByKeyboard(event.id, '5'); // the "to verify" tab
  await gc.thenTheCaseIs('handled');
  await gc.whenIPress('v');
  await expect(gc.actionProblem).toBeVisible();
  await expect(gc.actionProblem).toContainText('「核查通过」未成功');
  await expect(gc.actionProblem).toContainText('采办分离');
  await gc.thenTheCaseIs('handled');
  await gc.thenTheTimelineBeginsWith('report');
});
