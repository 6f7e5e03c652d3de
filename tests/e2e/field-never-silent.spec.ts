import { resolve } from 'node:path';
import type { TimelineResponse } from '../../shared/contracts/workflow.js';
import { expect, test } from './fixtures';
import { PhoneDriver } from './field-phone';

// The field app never fails silently: a refused action says why on the task screen and leaves
// the outbox; a queued one says it will go when online; an action made offline keeps when it was
// made; the task shows where it is on an offline map; a missing position is explained.

test('the task shows its place on the offline micro-grid map with navigation links; a step refused while the phone was offline says why and leaves the outbox', async ({ gc, browser, server }) => {
  test.setTimeout(180_000);
  const { event, teamId } = await gc.givenACaseForTheFieldTeam('demo-duty', '端到端测试：井盖缺失，离线签收后被作废');
  await gc.actAs('demo-dispatcher', event.id, { action: 'file' });
  await gc.actAs('demo-dispatcher', event.id, { action: 'dispatch', teamId });

  // the phone stands ~300 m south-west of the case
  const phone = await PhoneDriver.open(browser, server, { lon: event.location.lon - 0.002, lat: event.location.lat - 0.002 }, { tolerateNetworkNoise: true });
  try {
    await phone.whenISignIn('demo-field');
    await phone.whenIOpenTheTask(event.id);

    // 位置: the micro-grid cut from the server's own layers, its grid, the case and the phone
    const map = phone.page.getByTestId('field-map');
    await expect(map).toHaveAttribute('data-snippet', 'yes');
    await expect(map.getByTestId('field-map-microgrid')).toHaveAttribute('d', /^M[\d.]+ [\d.]+L/);
    await expect(map.getByTestId('field-map-grid')).toHaveAttribute('d', /^M/);
    await expect(map.getByTestId('field-map-case')).toBeVisible();
    await expect(map.getByTestId('field-map-you')).toBeVisible();
    await expect(map.getByTestId('field-map-away')).toHaveText(/事发地在您的东北方向约 \d+ 米/);
    await expect(map.getByTestId('field-nav-geo')).toHaveAttribute('href', `geo:${event.location.lat},${event.location.lon}?q=${event.location.lat},${event.location.lon}(${encodeURIComponent(event.itemName)})`);
    await expect(map.getByTestId('field-nav-amap')).toHaveAttribute('href', /^amapuri:\/\/route\/plan\/\?dlat=[\d.]+&dlon=[\d.]+&dname=.+&dev=0&t=0$/);
    await expect(map.getByTestId('field-nav-baidu')).toHaveAttribute('href', /^baidumap:\/\/map\/direction\?destination=latlng:[\d.]+,[\d.]+\|name:.+&coord_type=bd09ll/);
    await map.scrollIntoViewIfNeeded();
    await phone.screenshot('task-map');

    // offline: the step waits on the phone and says it will go when online, not that it failed
    await phone.context.setOffline(true);
    await phone.whenITapTheNextStep('accept');
    await expect(phone.page.getByTestId('field-pending')).toHaveText(/将在联网后发送/);
    await phone.thenTheTaskIs('accepted');
    await expect.poll(async () => (await phone.storedOutbox())[0]?.attempts ?? 0).toBeGreaterThan(0);
    await phone.whenIGoBack();
    await expect(phone.outbox).toHaveAttribute('data-count', '1');
    await expect(phone.page.getByTestId('field-outbox-state')).toHaveText('将在联网后发送');
    await phone.screenshot('outbox-pending');

    // meanwhile the command centre voids the case
    await gc.actAs('demo-dispatcher', event.id, { action: 'void', reason: '端到端测试：重复上报，作废' });

    // the map was kept on the phone: it draws with no network
    await phone.whenIOpenTheTask(event.id);
    await expect(phone.page.getByTestId('field-map')).toHaveAttribute('data-snippet', 'yes');

    // back online: the accept is refused, the reason is on the task screen at once, the outbox is empty
    await phone.context.setOffline(false);
    const refusal = phone.refusals;
    await expect(refusal).toHaveCount(1);
    await expect(refusal).toHaveAttribute('data-event-id', event.id);
    await expect(refusal).toContainText('「签收」未被受理');
    await expect(refusal.getByTestId('field-refusal-reason')).toContainText('已作废');
    await expect(refusal).toContainText('此案件已作废，无需再办理');
    await expect(refusal).toContainText('已从待发送中移除');
    await expect.poll(async () => (await phone.storedOutbox()).length).toBe(0);
    await expect(phone.page.getByTestId('field-pending')).toHaveCount(0);
    await phone.thenTheTaskIs('void');
    await phone.screenshot('refusal');
    const timeline = await gc.api<TimelineResponse>(`/events/${event.id}/timeline`);
    expect(timeline.entries.map((e) => e.action)).not.toContain('accept');

    // on the list too, until read
    await phone.whenIGoBack();
    await expect(phone.outbox).toHaveCount(0);
    await expect(phone.refusals).toHaveCount(1);
    await phone.refusals.getByTestId('field-refusal-ok').tap();
    await expect(phone.refusals).toHaveCount(0);
  } finally {
    await phone.close();
  }
});

test('an action made offline keeps the time it was made there; the timeline shows it beside the time it arrived', async ({ gc, browser, server }) => {
  test.setTimeout(180_000);
  const { event, teamId } = await gc.givenACaseForTheFieldTeam('demo-duty', '端到端测试：路灯不亮，离线签收');
  await gc.actAs('demo-dispatcher', event.id, { action: 'file' });
  await gc.actAs('demo-dispatcher', event.id, { action: 'dispatch', teamId });

  const phone = await PhoneDriver.open(browser, server, event.location, { tolerateNetworkNoise: true });
  try {
    // The phone's clock, so the test can say "this was done 40 minutes ago, out of signal".
    await phone.page.clock.install();
    await phone.whenISignIn('demo-field');
    await phone.whenIOpenTheTask(event.id);

    await phone.context.setOffline(true);
    const now = await phone.page.evaluate(() => Date.now());
    await phone.page.clock.setSystemTime(now - 40 * 60_000);
    await phone.whenITapTheNextStep('accept');
    await expect.poll(async () => (await phone.storedOutbox()).length).toBe(1);
    const madeAt = (await phone.storedOutbox())[0]!.body.madeAt as string;
    await phone.page.clock.setSystemTime(now);
    await phone.context.setOffline(false);
    await expect.poll(async () => (await phone.storedOutbox()).length).toBe(0);

    const timeline = await gc.api<TimelineResponse>(`/events/${event.id}/timeline`);
    const accept = timeline.entries.find((e) => e.action === 'accept')!;
    expect(accept.details.madeAt).toBe(madeAt);
    expect(Date.parse(accept.at) - Date.parse(madeAt)).toBeGreaterThan(35 * 60_000);

    // the phone's record of the case says both
    const made = phone.page.getByTestId('field-history').locator('li[data-action="accept"]').getByTestId('field-made-received');
    await expect(made).toHaveAttribute('data-made-at', madeAt);
    // A time of another China day carries its date (made at 23:52 and arrived at 00:32 reads
    // "12-03 23:52"): the test runs at any hour.
    await expect(made).toContainText(/手机上 ((\d{4}-)?\d\d-\d\d )?\d\d:\d\d 操作，((\d{4}-)?\d\d-\d\d )?\d\d:\d\d 送达/);

    // and so does the console's timeline
    await gc.givenLoggedIn('demo-dispatcher');
    await gc.whenISelectByKeyboard(event.id, '1');
    await expect(gc.detail.locator('.tl-entry[data-action="accept"]')).toContainText('现场操作时间（离线）');
  } finally {
    await phone.close();
  }
});

test('a phone that is refused its position says why and what to do', async ({ gc, browser, server }) => {
  test.setTimeout(120_000);
  const { event, teamId } = await gc.givenACaseForTheFieldTeam('demo-duty', '端到端测试：定位被拒绝');
  await gc.actAs('demo-dispatcher', event.id, { action: 'file' });
  await gc.actAs('demo-dispatcher', event.id, { action: 'dispatch', teamId });

  const phone = await PhoneDriver.open(browser, server, event.location, { locationAllowed: false });
  try {
    await phone.whenISignIn('demo-field');
    await phone.whenIOpenTheTask(event.id);
    const problem = phone.page.getByTestId('field-map').getByTestId('field-position-problem');
    await expect(problem).toHaveAttribute('data-problem', 'denied');
    await expect(problem).toContainText('没有定位权限');
    await expect(problem).toContainText('重新定位');
    await problem.scrollIntoViewIfNeeded();
    await phone.screenshot('position-denied');

    await phone.whenIGoBack();
    await phone.page.getByTestId('field-new-event').tap();
    await phone.page.getByTestId('field-item').first().tap();
    await expect(phone.page.getByTestId('field-event-form').getByTestId('field-position-problem')).toHaveAttribute('data-problem', 'denied');
  } finally {
    await phone.close();
  }
});

test('the dispatch dialog ranks the team whose only member reported the case as ineligible, saying why (采办分离)', async ({ gc }) => {
  test.setTimeout(120_000);
  const { event, teamId } = await gc.givenACaseForTheFieldTeam('demo-field', '端到端测试：网格员本人上报，不能派给本队');
  await gc.givenLoggedIn('demo-dispatcher');
  await gc.whenISelectByKeyboard(event.id, '1');
  await gc.whenIPress('f');
  await gc.thenTheCaseIs('filed');
  await gc.whenIPress('d');
  const row = gc.dispatchDialog.locator(`.rec[data-team-id="${teamId}"]`);
  await expect(row).toHaveAttribute('data-eligible', 'false');
  await expect(row).toContainText('本队唯一可处置成员是上报人（采办分离）');
  await expect(row.locator('.reason-chip', { hasText: '采办分离' })).toHaveAttribute('data-tone', 'minus');
  await row.scrollIntoViewIfNeeded();
  await gc.page.screenshot({ path: resolve(import.meta.dirname, '../../test-results/screens/dispatch-reporter-only-1920x1080.png') });
  await gc.whenIPress('Escape');
});
