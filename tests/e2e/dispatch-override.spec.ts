import { resolve } from 'node:path';
import { expect, test } from './fixtures';
import { DispatchDriver } from './dispatch-driver';

const screens = resolve(import.meta.dirname, '../../test-results/screens');

// A team the ranking marks ineligible goes only with a written reason where the rule allows one
// (off duty: yes), never where it does not (separation of duties). The server checks the same.
test('dispatching to an off-duty team asks why, sends nothing on Enter alone, and keeps the reason on the timeline', async ({ gc }) => {
  test.setTimeout(150_000);
  const d = new DispatchDriver(gc);
  const { event, teamId, teamName } = await gc.givenACaseForTheFieldTeam('demo-duty', '端到端测试：本村队伍离岗，写明理由后派遣');
  await d.givenTheTeamIs(teamId, 'off_duty');
  try {
    await gc.givenLoggedIn('demo-dispatcher');
    await gc.whenISelectByKeyboard(event.id, '1');
    await gc.whenIPress('f');
    await gc.thenTheCaseIs('filed');

    await gc.whenIPress('d');
    await gc.whenIChooseTheTeam(teamId);
    await expect(gc.dispatchDialog.locator(`.rec[data-team-id="${teamId}"]`)).toHaveAttribute('data-eligible', 'false');
    await expect(d.overridePanel).toContainText(`“${teamName}”不符合派遣条件`);
    await expect(d.overridePanel).toContainText('离岗');
    await expect(d.dispatchConfirm).toHaveText(`仍派遣给 ${teamName}`);

    // Enter on the list moves to the reason; Enter on an empty reason says it is needed
    await gc.whenIPress('Enter');
    await expect(d.overrideReason).toBeFocused();
    await gc.whenIPress('Enter');
    await expect(d.overridePanel).toContainText('派遣不符合条件的队伍须写明理由');
    await expect(gc.dispatchDialog).toBeVisible();
    await gc.thenTheCaseIs('filed');
    expect((await d.caseNow(event.id)).status).toBe('filed');
    await gc.page.screenshot({ path: resolve(screens, 'dispatch-override-1920x1080.png') });

    await gc.page.keyboard.type('值班长已电话召回本村队伍，十分钟内到场');
    await gc.whenIPress('Enter');
    await expect(gc.dispatchDialog).toBeHidden();
    await gc.thenTheCaseIs('dispatched');
    await gc.thenTheTimelineBeginsWith('dispatch', 'file', 'intake');
    const entry = gc.detail.locator('[data-testid="timeline"] .tl-entry[data-action="dispatch"]').first();
    await expect(entry).toContainText('派遣理由值班长已电话召回本村队伍，十分钟内到场');
    await expect(entry).toContainText('不符合条件离岗');
  } finally {
    await d.givenTheTeamIs(teamId, 'available');
  }
});

test('the team whose only member reported the case cannot be sent, with or without a reason (采办分离)', async ({ gc }) => {
  test.setTimeout(120_000);
  const d = new DispatchDriver(gc);
  const { event, teamId, teamName } = await gc.givenACaseForTheFieldTeam('demo-field', '端到端测试：网格员本人上报，理由也不能越过采办分离');
  await gc.givenLoggedIn('demo-dispatcher');
  await gc.whenISelectByKeyboard(event.id, '1');
  await gc.whenIPress('f');
  await gc.thenTheCaseIs('filed');
  await gc.whenIPress('d');
  await gc.whenIChooseTheTeam(teamId);
  await expect(d.overridePanel).toContainText('采办分离是硬性规则，不能以理由越过');
  await expect(d.overrideReason).toHaveCount(0);
  await expect(d.dispatchConfirm).toBeDisabled();
  await expect(d.dispatchConfirm).toHaveText(`不能派遣给 ${teamName}`);
  await gc.whenIPress('Enter');
  await expect(gc.dispatchDialog).toBeVisible();
  await gc.whenIPress('Escape');
  await expect(gc.dispatchDialog).toBeHidden();
  expect((await d.caseNow(event.id)).status).toBe('filed');
});
