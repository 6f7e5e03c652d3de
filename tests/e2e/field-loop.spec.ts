import type { EventListResponse } from '../../shared/contracts/events.js';
import type { TeamListResponse } from '../../shared/contracts/teams.js';
import type { TimelineResponse } from '../../shared/contracts/workflow.js';
import { expect, test } from './fixtures';
import { makePng, PhoneDriver, uploadPhotoAs } from './field-phone';

// The loop across the two apps: a dispatcher files and dispatches at the console's keyboard; the
// field worker's phone gets the task as a push, accepts (and so sets off: the team is en route on
// both screens), arrives and reports back with a photo; the console follows every step live and
// shows the photo's thumbnail.
test('dispatch on the console → task on the phone → accept (en route), on scene, report with a photo → the console sees each step', async ({ gc, browser, server }) => {
  test.setTimeout(240_000);
  await gc.givenLoggedIn('demo-dispatcher');
  const { event, teamId } = await gc.givenACaseForTheFieldTeam('demo-duty');

  const phone = await PhoneDriver.open(browser, server, event.location);
  try {
    await phone.page.goto(new URL('/field', server.url).href);
    await expect(phone.page.getByTestId('field-login')).toBeVisible();
    await phone.screenshot('login');
    await phone.whenISignIn('demo-field');
    await expect(phone.page.getByTestId('field-team-status')).toBeVisible();

    // The console files and dispatches to the phone's team, by keyboard.
    await gc.whenISelectByKeyboard(event.id, '1');
    await gc.whenIPress('f');
    await gc.thenTheCaseIs('filed');
    await gc.whenIPress('d');
    await gc.whenIChooseTheTeam(teamId);
    await gc.whenIPress('Enter');
    await gc.thenTheCaseIs('dispatched');

    // The push: a banner and the task in the list, without a reload.
    const banner = phone.page.getByTestId('field-new-task');
    await expect(banner).toHaveAttribute('data-event-id', event.id);
    await expect(phone.task(event.id)).toHaveAttribute('data-status', 'dispatched');
    await phone.screenshot('tasks');
    await banner.getByRole('button', { name: '查看' }).tap();
    await expect(phone.taskScreen).toHaveAttribute('data-event-id', event.id);
    await phone.screenshot('task');

    await phone.whenITapTheNextStep('accept');
    await phone.thenTheTaskIs('accepted');
    await gc.thenTheCaseIs('accepted');
    await gc.thenTheTimelineBeginsWith('accept', 'dispatch', 'file', 'intake');
    // 签收 is setting off: the server puts the team en route, and the phone and the console say so
    await expect(phone.primary).toHaveAttribute('data-step', 'start');
    await expect.poll(async () => (await phone.storedOutbox()).length).toBe(0);
    await expect.poll(async () => (await gc.api<TeamListResponse>('/teams')).items.find((t) => t.id === teamId)?.status).toBe('en_route');
    await expect(phone.page.getByTestId('field-team-status')).toHaveAttribute('data-status', 'en_route');
    await expect(phone.page.getByTestId('field-task-team-status')).toHaveText('在途');

    await phone.whenITapTheNextStep('start');
    await phone.thenTheTaskIs('in_progress');
    await gc.thenTheCaseIs('in_progress');
    await gc.thenTheTimelineBeginsWith('start', 'accept', 'dispatch', 'file', 'intake');
    await expect(phone.page.getByTestId('field-team-status')).toHaveAttribute('data-status', 'on_scene');

    await phone.whenIReportTheResult('已拆除飞线，告知住户到集中充电棚充电', { name: 'scene.png', mimeType: 'image/png', buffer: makePng() });
    await phone.screenshot('report');
    await phone.whenISubmit();
    await phone.thenTheTaskIs('handled');
    await expect(phone.page.getByTestId('field-pending')).toHaveCount(0);
    await gc.thenTheCaseIs('handled');
    await gc.thenTheTimelineBeginsWith('report', 'start', 'accept', 'dispatch', 'file', 'intake');
    await expect(gc.detail).toContainText('已拆除飞线');
    // The photo: on the timeline through the API, and as a thumbnail in the console.
    const timeline = await gc.api<TimelineResponse>(`/events/${event.id}/timeline`);
    const report = timeline.entries.find((e) => e.action === 'report');
    expect(report?.attachments).toHaveLength(1);
    expect(report?.position).not.toBeNull();
    expect(report?.actor?.username).toBe('demo-field');
    await expect(gc.detail.locator(`.tl-entry[data-action="report"] [data-attachment-id="${report!.attachments[0]!.id}"] [data-testid="attachment-thumb"]`)).toBeVisible();

    // Back on the list the task is done.
    await phone.whenIGoBack();
    await expect(phone.task(event.id)).toHaveCount(0);
  } finally {
    await phone.close();
  }
});

// 核查: a case another team handled in the worker's town waits on the phone; the worker sees what
// was reported back (result and photo, from the case's timeline) and verifies it.
test('a handled case of another team in the town is a verification task on the phone, showing the handler’s result and photo', async ({ gc, browser, server }) => {
  test.setTimeout(180_000);
  const { event, teamId } = await gc.givenACaseForTheFieldTeam('demo-duty', '端到端测试：路灯不亮，已更换灯泡待核查');
  const { items: teams } = await gc.api<TeamListResponse>('/teams');
  const own = teams.find((t) => t.id === teamId)!;
  const other = teams.find((t) => t.id !== teamId && t.townId === own.townId && t.status !== 'off_duty');
  if (!other) throw new Error(`no other team in town ${own.townId}`);
  await gc.actAs('demo-dispatcher', event.id, { action: 'file' });
  // another team of the town, whatever its type: a team the item does not ask for goes with a reason
  await gc.actAs('demo-dispatcher', event.id, { action: 'dispatch', teamId: other.id, override: { reason: '端到端测试：指定本镇另一支队伍' } });
  await gc.actAs('demo-dispatcher', event.id, { action: 'accept' });
  await gc.actAs('demo-dispatcher', event.id, { action: 'start' });
  const photo = await uploadPhotoAs(gc, 'demo-dispatcher', { name: 'lamp.png', mimeType: 'image/png', buffer: makePng(48) });
  await gc.actAs('demo-dispatcher', event.id, { action: 'report', result: '已更换灯泡，夜间亮灯正常', attachments: [photo] });

  const phone = await PhoneDriver.open(browser, server, event.location);
  try {
    await phone.whenISignIn('demo-field');
    const card = phone.page.getByTestId('field-verify-tasks').locator(`[data-event-id="${event.id}"]`);
    await expect(card).toBeVisible();
    await card.tap();
    const handling = phone.page.getByTestId('field-handling');
    await expect(handling.getByTestId('field-handling-result')).toHaveText('已更换灯泡，夜间亮灯正常');
    await expect(handling.getByTestId('field-handling-photo')).toHaveCount(1);
    await expect(handling.getByTestId('field-handling-photo')).toHaveJSProperty('complete', true);
    await phone.screenshot('verify');
    await handling.locator(`[data-attachment-id="${photo.id}"]`).tap();
    await expect(phone.page.getByTestId('field-photo-full')).toBeVisible();
    await phone.page.getByTestId('field-photo-viewer').getByRole('button', { name: '关闭' }).tap();
    await phone.whenITapTheNextStep('verify');
    await phone.whenISubmit();
    await expect.poll(async () => (await phone.storedOutbox()).length).toBe(0);
    await expect.poll(async () => (await gc.api<TimelineResponse>(`/events/${event.id}/timeline`)).entries.map((e) => e.action).at(-1)).toBe('verify');
    const timeline = await gc.api<TimelineResponse>(`/events/${event.id}/timeline`);
    expect(timeline.entries.at(-1)?.actor?.username).toBe('demo-field');

    // 上报: a new event from the phone, at the team's position, with a photo.
    await expect(phone.page.getByTestId('field-new-event')).toBeVisible(); // back on the list once verified
    await phone.page.getByTestId('field-new-event').tap();
    await expect(phone.page.getByTestId('field-item-picker')).toBeVisible();
    await phone.screenshot('new-event-items');
    await phone.page.getByTestId('field-item').first().tap();
    const form = phone.page.getByTestId('field-event-form');
    await expect(form).toBeVisible();
    const description = '端到端测试：手机上报，路面塌陷约一米见方';
    await form.getByTestId('field-description').fill(description);
    await form.getByTestId('field-use-team-position').tap();
    await form.getByTestId('field-phone').fill('13900001111');
    await form.getByTestId('field-photo-input').setInputFiles({ name: 'road.png', mimeType: 'image/png', buffer: makePng(24) });
    await phone.screenshot('new-event-form');
    await phone.whenISubmit();
    await expect(phone.page.getByTestId('field-new-event')).toBeVisible();
    await expect.poll(async () => (await phone.storedOutbox()).length).toBe(0);
    const reported = (await gc.api<EventListResponse>('/events?status=reported,filed,dispatched&pageSize=200')).items.find((e) => e.description.startsWith(description));
    expect(reported?.source).toBe('grid_patrol');
    // The team's position is the phone's own (it reports its GPS fix), so the case lies there.
    expect(reported?.location.lon).toBeCloseTo(event.location.lon, 5);
    expect(reported?.location.lat).toBeCloseTo(event.location.lat, 5);
    expect(reported?.reporter.name).toBe('演示·网格员');
  } finally {
    await phone.close();
  }
});
