import { resolve } from 'node:path';
import type { CatalogResponse } from '../../shared/contracts/catalog.js';
import { expect, test } from './fixtures';
import { PhoneDriver } from './field-phone';

// the map probe's one method this spec reads (renderer/src/map/map-probe.ts)
declare const window: { __gridcommand?: { map?: { itemNames(): Record<string, string> } } };

const SCREENS = resolve(import.meta.dirname, '../../test-results/screens');

// In English the console and the phone name items from the catalog's nameEn: the queue row, the
// case's title, the dialogs, the map's item labels; the phone's task list and task screen.
test('English mode names items from the catalog: queue, detail, dialog, map and phone', async ({ gc, browser, server, page }) => {
  test.setTimeout(150_000);
  const { event, teamId } = await gc.givenACaseForTheFieldTeam('demo-duty', '端到端测试：英文界面显示事项英文名');
  const catalog = await gc.api<CatalogResponse>('/catalog');
  const english = catalog.items.find((i) => i.code === event.itemCode)!.nameEn;
  expect(english).toMatch(/[A-Za-z]/);

  await gc.givenLoggedIn('demo-dispatcher');
  await expect(gc.queueRow(event.id)).toContainText(event.itemName);
  await gc.whenISwitchTheLanguage();
  await expect(gc.queueRow(event.id)).toContainText(english);
  await expect(gc.queueRow(event.id)).not.toContainText(event.itemName);
  await gc.whenISelectTheRow(event.id);
  await expect(gc.detail.locator('.detail-title')).toHaveText(english);
  await gc.whenIPress('x');
  await expect(page.getByTestId('dialog-reject')).toContainText(english);
  await page.keyboard.press('Escape');
  expect(await page.evaluate((code) => window.__gridcommand?.map?.itemNames()[code], event.itemCode)).toBe(english);
  await page.screenshot({ path: `${SCREENS}/english-console-1920x1080.png` });
  // and back: the names it was filed under
  await gc.whenISwitchTheLanguage();
  await expect(gc.detail.locator('.detail-title')).toHaveText(event.itemName);
  expect(await page.evaluate(() => window.__gridcommand?.map?.itemNames())).toEqual({});

  await gc.actAs('demo-duty', event.id, { action: 'file' });
  await gc.actAs('demo-duty', event.id, { action: 'dispatch', teamId });
  const phone = await PhoneDriver.open(browser, server, event.location);
  try {
    await phone.page.goto(new URL('/field', server.url).href);
    await phone.page.locator('.f-lang').tap();
    await expect(phone.page.locator('html')).toHaveAttribute('lang', 'en');
    await phone.whenISignIn('demo-field');
    await expect(phone.task(event.id)).toContainText(english);
    await phone.whenIOpenTheTask(event.id);
    await expect(phone.taskScreen.locator('.f-task-item')).toHaveText(english);
    await phone.screenshot('english-task');
  } finally {
    await phone.close();
  }
});

// The browser's own date input follows the operating system's locale; the console's date field
// follows the UI language: its calendar, its placeholder and its error.
test("date fields follow the UI language, take typed days and refuse days that don't exist", async ({ gc, page }) => {
  await gc.whenIOpenTheConsole();
  await gc.whenISignIn('demo-auditor');
  const from = page.getByTestId('audit-from');
  await expect(from.locator('input')).toHaveAttribute('placeholder', '年-月-日');
  await from.getByRole('button', { name: '选择日期' }).click();
  const calendar = page.getByTestId('audit-from-calendar');
  await expect(calendar).toContainText(/\d{4}年\d{1,2}月|\d{1,2}月 \d{4}/);
  await page.keyboard.press('Escape');
  await expect(calendar).toHaveCount(0);

  await gc.whenISwitchTheLanguage();
  await expect(from.locator('input')).toHaveAttribute('placeholder', 'YYYY-MM-DD');
  await from.locator('input').fill('2026-11-05');
  await from.getByRole('button', { name: 'Pick a date' }).click();
  await expect(calendar).toContainText('November 2026');
  await expect(calendar).toContainText(/Mo/);
  await page.screenshot({ path: `${SCREENS}/date-field-en-1920x1080.png` });
  await calendar.getByRole('button', { name: /November 20th, 2026/ }).click();
  await expect(calendar).toHaveCount(0);
  await expect(from.locator('input')).toHaveValue('2026-11-20');

  await from.locator('input').fill('2026-02-30');
  await from.locator('input').blur();
  await expect(from.getByRole('alert')).toHaveText('Enter the date as YYYY-MM-DD, e.g. 2026-12-02');
  await expect(from.locator('input')).toHaveAttribute('aria-invalid', 'true');
});
