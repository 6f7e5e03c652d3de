import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type { AddressSearchResponse } from '../../shared/contracts/addresses.js';
import type { EventRecord } from '../../shared/contracts/events.js';
import { expect, test } from './fixtures';
import { PhoneDriver } from './field-phone';

const SCREENS = resolve(import.meta.dirname, '../../test-results/screens');
const CALL = '楼道里拉插线板给电瓶车充电，好几辆车堵在楼梯口';

test('a hotline call registered from the console: the item comes from the words, Alt+1 picks it, a hand choice stays', async ({ gc, page }) => {
  const household = (await gc.api<AddressSearchResponse>(`/addresses?q=${encodeURIComponent('号')}&limit=1`)).items[0];
  expect(household, 'a household address in the demo county').toBeDefined();
  await gc.givenLoggedIn('demo-dispatcher');

  await gc.whenIPress('n');
  const dialog = page.getByTestId('dialog-new-event');
  await expect(dialog).toBeVisible();
  await expect(dialog.getByTestId('new-event-description')).toBeFocused();
  await page.keyboard.type(CALL);
  const strip = dialog.getByTestId('item-suggest');
  await expect(strip).toHaveAttribute('data-state', 'ready');
  const suggestions = strip.getByTestId('item-suggestion');
  await expect(suggestions).toHaveCount(3);
  await expect(suggestions.first()).toHaveAttribute('data-code', 'C19');
  await expect(suggestions.first().locator('mark').first()).toBeVisible();
  // nobody chose yet: the confident suggestion stands in, marked as suggested
  const item = dialog.getByTestId('new-event-item');
  await expect(item).toHaveValue('C19');
  await expect(dialog.getByTestId('new-event-item-auto')).toBeVisible();

  // a choice by hand is never replaced by what the words suggest
  await item.selectOption('C18');
  await dialog.getByTestId('new-event-description').focus();
  await page.keyboard.type('，电瓶车还在充电');
  await expect(strip).toHaveAttribute('data-state', 'ready');
  await expect(item).toHaveValue('C18');
  await expect(dialog.getByTestId('new-event-item-auto')).toHaveCount(0);
  // …until the dispatcher picks a suggestion with the keyboard
  await page.keyboard.press('Alt+1');
  await expect(item).toHaveValue('C19');
  await expect(suggestions.first()).toHaveAttribute('aria-pressed', 'true');

  await dialog.getByTestId('new-event-address').fill(household!.address.slice(-10));
  await dialog.getByTestId('new-event-address-hit').first().click();
  await expect(dialog.getByTestId('new-event-address-picked')).toBeVisible();
  await dialog.getByTestId('new-event-reporter').fill('王女士');
  await dialog.getByTestId('new-event-description').focus();
  mkdirSync(SCREENS, { recursive: true });
  await page.screenshot({ path: resolve(SCREENS, 'new-event-suggest-1920x1080.png') });

  await page.keyboard.press('Control+Enter');
  await expect(dialog).toHaveCount(0);
  await expect(gc.detail).toHaveAttribute('data-event-id', /EV/);
  const id = await gc.detail.getAttribute('data-event-id');
  const created = await gc.api<EventRecord>(`/events/${id}`);
  expect(created).toMatchObject({ itemCode: 'C19', source: 'hotline_12345', addressCode: household!.code });
  expect(created.description.startsWith(CALL)).toBe(true);
});

test('the field app suggests the item from the worker\'s words while online, and says nothing offline', async ({ browser, server }) => {
  test.setTimeout(150_000);
  const phone = await PhoneDriver.open(browser, server, { lon: 0, lat: 0 }, { tolerateNetworkNoise: true });
  try {
    await phone.whenISignIn('demo-field');
    await phone.page.getByTestId('field-new-event').tap();
    const picker = phone.page.getByTestId('field-item-picker');
    await expect(picker).toBeVisible();
    await picker.getByTestId('field-suggest-description').fill('河里有死鱼发臭，水面上漂着一层油');
    const cards = picker.getByTestId('field-suggestion');
    await expect(cards).toHaveCount(3);
    await expect(cards.first()).toHaveAttribute('data-code', 'D34');
    await phone.screenshot('new-event-suggest');
    await cards.first().tap();
    const form = phone.page.getByTestId('field-event-form');
    await expect(form.getByTestId('field-picked-item')).toHaveText('水域不洁 / 河道漂浮物');
    await expect(form.getByTestId('field-description')).toHaveValue('河里有死鱼发臭，水面上漂着一层油');

    // offline: no suggestions, and no error on screen or in the console
    await phone.page.getByRole('button', { name: '更换' }).tap();
    await expect(cards).toHaveCount(3);
    await phone.context.setOffline(true);
    await expect(phone.page.getByTestId('field-link')).not.toHaveAttribute('data-link', 'connected');
    await expect(cards).toHaveCount(0);
    await picker.getByTestId('field-suggest-description').fill('路灯坏了好几盏，晚上黑乎乎的');
    await expect(picker.getByTestId('field-item').first()).toBeVisible();
    await expect(picker.getByTestId('field-suggestions')).toHaveCount(0);
    await expect(picker.locator('[role="alert"]')).toHaveCount(0);
    await phone.context.setOffline(false);
  } finally {
    await phone.close();
  }
});
