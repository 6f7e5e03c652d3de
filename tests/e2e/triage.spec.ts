import { resolve } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import type { AddressSearchResponse } from '../../shared/contracts/addresses.js';
import type { ChannelQueued } from '../../shared/contracts/channels.js';
import type { EventRecord } from '../../shared/contracts/events.js';
import { demoChannelKey } from '../../server/src/modules/auth/demo-users.js';
import { DEMO_PASSWORD, type ConsoleDriver, type MicroGridCollection } from './driver';
import { expect, test } from './fixtures';

const SCREENS = resolve(import.meta.dirname, '../../test-results/screens');

/** The triage desk as a dispatcher works it: through the top bar's button and the keyboard. */
class TriageDriver {
  constructor(
    private readonly gc: ConsoleDriver,
    private readonly page: Page,
  ) {}

  get button(): Locator {
    return this.page.getByTestId('triage-button');
  }

  get desk(): Locator {
    return this.page.getByTestId('triage-desk');
  }

  row(caseNumber: string): Locator {
    return this.desk.locator(`.triage-row[data-channel-id="${caseNumber}"]`);
  }

  /** The 12345 platform posts a call whose words fit no mapping and no item well: it waits for a person. */
  async givenAVagueHotlineCall(caseNumber: string, description: string): Promise<ChannelQueued> {
    const microGrids = await this.gc.api<MicroGridCollection>('/geo/microgrid');
    const place = microGrids.features[7]!.properties;
    return this.givenAHotlineCall({ channelId: caseNumber, caller: { name: '李先生', phone: '137****5678' }, location: { lon: place.labelLon, lat: place.labelLat, crs: 'wgs84' }, itemText: '其他', description });
  }

  /** The 12345 platform posts a call that waits for a person (202). */
  async givenAHotlineCall(body: Record<string, unknown>): Promise<ChannelQueued> {
    const response = await this.page.request.post(`${this.gc.server.url}/api/v1/intake/hotline`, { data: body, headers: { 'X-API-Key': demoChannelKey('hotline', DEMO_PASSWORD) } });
    expect(response.status(), await response.text()).toBe(202);
    return (await response.json()) as ChannelQueued;
  }

  /** Moves the list's cursor (↓ from the top) to the report. */
  async whenIArrowTo(triageId: string): Promise<void> {
    const index = await this.desk.locator('.triage-row').evaluateAll((els, id) => els.findIndex((el) => el.getAttribute('data-triage-id') === id), triageId);
    expect(index).toBeGreaterThanOrEqual(0);
    for (let i = 0; i < index; i++) await this.whenIPress('ArrowDown');
    await expect(this.desk.locator(`.triage-row[data-triage-id="${triageId}"]`)).toHaveAttribute('aria-selected', 'true');
  }

  async whenIPress(...keys: string[]): Promise<void> {
    for (const key of keys) await this.page.keyboard.press(key);
  }
}

test('a hotline case the machine cannot classify appears live in 待甄别, and a dispatcher makes it a case with the keyboard', async ({ gc, page }) => {
  const triage = new TriageDriver(gc, page);
  await gc.givenLoggedIn('demo-dispatcher');
  const before = Number(await page.getByTestId('triage-count').textContent());

  // posted while the console is open: the count and the list follow without a reload
  const first = await triage.givenAVagueHotlineCall('ZJ12345-E2E-0001', '来电人反映的情况请相关部门核实处理');
  await expect(page.getByTestId('triage-count')).toHaveText(String(before + 1));
  await expect(triage.button).toHaveAttribute('data-waiting', 'true');

  await triage.whenIPress('i');
  await expect(triage.desk).toBeVisible();
  await expect(triage.row('ZJ12345-E2E-0001')).toBeVisible();
  const second = await triage.givenAVagueHotlineCall('ZJ12345-E2E-0002', '小区里有情况，来电人说不清楚具体是什么，请网格员去看看');
  await expect(triage.row('ZJ12345-E2E-0002')).toBeVisible();
  await expect(triage.desk.locator('.triage-header-count')).toHaveText(String(before + 2));

  // ↓ to the first call (the oldest is on top), Enter opens its picker with the suggestions and their words
  await triage.whenIArrowTo(first.triageId);
  await triage.whenIPress('Enter');
  await expect(triage.desk).toHaveAttribute('data-stage', 'picker');
  const options = page.getByTestId('triage-options').locator('.triage-option');
  await expect(options).toHaveCount(3);
  await expect(options.first().locator('.triage-word').first()).toBeVisible();
  await page.screenshot({ path: `${SCREENS}/triage-1920x1080.png` });

  // ↓ to the second suggestion, Enter: the case is made through the one intake
  const chosen = await options.nth(1).getAttribute('data-item-code');
  await triage.whenIPress('ArrowDown', 'Enter');
  const notice = page.getByTestId('triage-notice');
  await expect(notice).toHaveAttribute('data-tone', 'ok');
  await expect(triage.row('ZJ12345-E2E-0001')).toHaveCount(0);
  await expect(page.getByTestId('triage-count')).toHaveText(String(before + 1));
  const eventId = (await notice.textContent())!.match(/EV\d+/)![0];
  const event = await gc.api<EventRecord>(`/events/${eventId}`);
  expect(event).toMatchObject({ itemCode: chosen, source: 'hotline_12345', reporter: { phone: '137****5678' } });

  // the next call is chosen; o opens the new case in the console
  await expect(triage.row('ZJ12345-E2E-0002')).toHaveAttribute('aria-selected', 'true');
  await triage.whenIPress('o');
  await expect(triage.desk).toHaveCount(0);
  await expect(gc.detail).toHaveAttribute('data-event-id', eventId);
  // its first entry names the channel, the case number and who decided the item
  const intake = gc.detail.locator('.tl-entry[data-action="intake"]');
  await expect(intake).toContainText('12345 热线');
  await expect(intake).toContainText('ZJ12345-E2E-0001');
  await expect(intake).toContainText('人工甄别');
  expect(second.status).toBe('pending');
});

test('a hotline case whose address resolves nowhere is placed through the unified address, then made a case, all by keyboard', async ({ gc, page }) => {
  const triage = new TriageDriver(gc, page);
  const some = (await gc.api<AddressSearchResponse>(`/addresses?q=${encodeURIComponent('号')}&limit=50`)).items[30]!;
  const queued = await triage.givenAHotlineCall({ channelId: 'ZJ12345-E2E-0101', address: '城东老菜场后面那条巷子', itemText: '城市管理/占道经营', description: '巷子里有人摆摊卖菜，车过不去' });
  expect(queued.reasons).toEqual(['address_unresolved']);
  await gc.givenLoggedIn('demo-dispatcher');
  await triage.whenIPress('i');
  await triage.whenIArrowTo(queued.triageId);
  await triage.whenIPress('Enter');

  // the place comes first: its search box holds the caller's words; the dispatcher types the address
  const place = page.getByTestId('triage-place-input');
  await expect(place).toBeFocused();
  await expect(place).toHaveValue('城东老菜场后面那条巷子');
  await place.fill(some.address);
  const hits = triage.desk.locator('.triage-place-hits li[role="option"]');
  await expect(hits.filter({ hasText: some.code })).toHaveCount(1);
  const hitIndex = await hits.evaluateAll((els, code) => els.findIndex((el) => el.textContent?.includes(code)), some.code);
  for (let i = 0; i < hitIndex; i++) await triage.whenIPress('ArrowDown');
  await triage.whenIPress('Enter');
  await expect(triage.desk.locator('.triage-place-chosen')).toContainText(some.address);
  // the mapped item is the first choice; Enter makes the case
  await expect(page.getByTestId('triage-filter')).toBeFocused();
  await page.screenshot({ path: `${SCREENS}/triage-place-1920x1080.png` });
  await triage.whenIPress('Enter');
  const notice = page.getByTestId('triage-notice');
  await expect(notice).toHaveAttribute('data-tone', 'ok');
  const eventId = (await notice.textContent())!.match(/EV\d+/)![0];
  const event = await gc.api<EventRecord>(`/events/${eventId}`);
  expect(event).toMatchObject({ addressCode: some.code, microGridId: some.microGridId });
});
