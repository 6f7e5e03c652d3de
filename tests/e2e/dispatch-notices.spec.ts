import { expect, test } from './fixtures';
import { DispatchDriver } from './dispatch-driver';

// The refusal of verify (采办分离) is a 403, which Chromium logs as a console error.
test.use({ expectedConsoleErrors: [/status of 403/] });

// The outcome of an action is said under the case's actions while it is news: it clears when
// another case is selected (and stays cleared on coming back), and when a push moves the case on.
test('a success notice clears on selecting another case, and when someone else moves the case on', async ({ gc }) => {
  test.setTimeout(150_000);
  const d = new DispatchDriver(gc);
  const first = await gc.givenACaseForTheFieldTeam('demo-duty', '端到端测试：提示随案件更替而清除（一）');
  const second = await gc.givenACaseForTheFieldTeam('demo-duty', '端到端测试：提示随案件更替而清除（二）');
  await gc.givenLoggedIn('demo-dispatcher');
  await gc.whenISelectByKeyboard(first.event.id, '1');
  await gc.whenIPress('f');
  await gc.thenTheCaseIs('filed');
  await expect(d.done).toContainText(first.event.id);

  await gc.whenISelectByKeyboard(second.event.id, '1');
  await gc.thenTheCaseIs('reported');
  await expect(d.done).toHaveCount(0);
  await gc.whenISelectByKeyboard(first.event.id, '1');
  await gc.thenTheCaseIs('filed');
  await expect(d.done).toHaveCount(0);

  await gc.whenIPress('d');
  await gc.whenIChooseTheTeam(first.teamId);
  await gc.whenIPress('Enter');
  await gc.thenTheCaseIs('dispatched');
  await expect(d.done).toBeVisible();
  // the team signs for it on its phone: the push moves the case on, the notice goes
  await gc.actAs('demo-field', first.event.id, { action: 'accept' });
  await gc.thenTheCaseIs('accepted');
  await expect(d.done).toHaveCount(0);
});

test('a refusal clears when someone else moves the case on, and on selecting another case', async ({ gc }) => {
  test.setTimeout(150_000);
  const d = new DispatchDriver(gc);
  // reported by the dispatcher, who may therefore not verify them
  const first = await d.givenAHandledCase('demo-dispatcher', '端到端测试：拒绝提示随推送清除');
  const second = await d.givenAHandledCase('demo-dispatcher', '端到端测试：拒绝提示随选择清除');
  await gc.givenLoggedIn('demo-dispatcher');

  await gc.whenISelectByKeyboard(first.event.id, '5');
  await gc.whenIPress('v');
  await expect(d.refused).toContainText('采办分离');
  // the shift lead verifies it: the push moves the case on, the refusal goes
  await gc.actAs('demo-lead', first.event.id, { action: 'verify' });
  await gc.thenTheCaseIs('verified');
  await expect(d.refused).toHaveCount(0);

  await gc.whenISelectByKeyboard(second.event.id, '5');
  await gc.whenIPress('v');
  await expect(d.refused).toContainText('采办分离');
  await gc.whenISelectByKeyboard(first.event.id, '5');
  await expect(d.refused).toHaveCount(0);
  await gc.whenISelectByKeyboard(second.event.id, '5');
  await gc.thenTheCaseIs('handled');
  await expect(d.refused).toHaveCount(0);
});
