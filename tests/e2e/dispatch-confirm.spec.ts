import { resolve } from 'node:path';
import { expect, test } from './fixtures';
import { DispatchDriver } from './dispatch-driver';

const screens = resolve(import.meta.dirname, '../../test-results/screens');

// Closing and voiding end a case for good: each asks for a deliberate confirmation (a box
// ticked with Space) that a reflex Enter, pressed twice, never gives.
test('closing: Enter twice does not close the case; Space then Enter does', async ({ gc }) => {
  test.setTimeout(150_000);
  const d = new DispatchDriver(gc);
  const { event } = await d.givenAHandledCase('demo-duty', '端到端测试：结案须有意确认');
  await gc.actAs('demo-lead', event.id, { action: 'verify' });
  await gc.givenLoggedIn('demo-dispatcher');
  await gc.whenISelectByKeyboard(event.id, '5');
  await gc.thenTheCaseIs('verified');

  await gc.whenIPress('c');
  await expect(d.closeDialog).toBeVisible();
  await expect(d.confirmCheck).toBeFocused();
  await gc.whenIPress('Enter', 'Enter');
  await expect(d.closeDialog).toBeVisible();
  await expect(d.closeDialog).toContainText('请先勾选确认（空格键），再按 Enter');
  await gc.thenTheCaseIs('verified');
  expect((await d.caseNow(event.id)).status).toBe('verified');
  await gc.page.screenshot({ path: resolve(screens, 'close-confirm-1920x1080.png') });

  // Esc leaves it as it was; the deliberate way closes it, all by keyboard
  await gc.whenIPress('Escape');
  await expect(d.closeDialog).toBeHidden();
  await gc.thenTheCaseIs('verified');
  await gc.whenIPress('c');
  await expect(d.confirmCheck).toBeFocused();
  await gc.whenIPress('Space', 'Enter');
  await expect(d.closeDialog).toBeHidden();
  await gc.thenTheCaseIs('closed');
  await gc.thenTheTimelineBeginsWith('close', 'verify');
});

test('voiding: a reason and Enter, however often, do not void the case until the box is ticked', async ({ gc }) => {
  test.setTimeout(120_000);
  const d = new DispatchDriver(gc);
  const { event } = await gc.givenACaseForTheFieldTeam('demo-duty', '端到端测试：作废须有意确认');
  await gc.givenLoggedIn('demo-dispatcher');
  await gc.whenISelectByKeyboard(event.id, '1');
  await gc.thenTheCaseIs('reported');

  await gc.whenIPress('z');
  await expect(d.voidDialog).toBeVisible();
  await gc.whenIPress('Enter', 'Enter');
  await expect(d.voidDialog).toContainText('请填写理由');
  await gc.page.keyboard.type('重复上报');
  await gc.whenIPress('Enter');
  await expect(d.confirmCheck).toBeFocused();
  await gc.whenIPress('Enter');
  await expect(d.voidDialog).toContainText('请先勾选确认');
  await expect(d.voidDialog).toBeVisible();
  expect((await d.caseNow(event.id)).status).toBe('reported');

  await gc.whenIPress('Space', 'Enter');
  await expect(d.voidDialog).toBeHidden();
  await gc.thenTheCaseIs('void');
});
