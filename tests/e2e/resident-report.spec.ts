import type { EventListResponse } from '../../shared/contracts/events.js';
import { expect, test } from './fixtures';
import { makePng } from './field-phone';
import { ResidentDriver } from './resident-driver';

// A resident with no account reports from a phone: describes, chooses the item, adds a photo,
// picks the place on the map, sends; gets the tracking token and opens its status page. A
// dispatcher files the case at the console's keyboard; the resident's status page shows it.
test('a resident reports with a map pick and a photo, follows the status by the token, and sees the dispatcher file it', async ({ gc, browser, server }) => {
  test.setTimeout(180_000);
  const resident = await ResidentDriver.open(browser, server);
  const description = `端到端测试：小区东门路灯不亮已经三天 ${Date.now().toString(36)}`;
  try {
    const { items } = await resident.items();
    const item = items[0]!;
    const at = await resident.aPlaceInTheCounty();

    await resident.whenIOpenTheReportPage();
    await resident.screenshot('form-empty');
    await resident.whenIDescribe(description);
    await resident.whenIChooseTheItem(item.code);
    await resident.whenIAddAPhoto({ name: '路灯.png', mimeType: 'image/png', buffer: makePng(64) });
    await resident.whenIPickOnTheMap(at);
    await resident.screenshot('map-pick');
    await resident.whenIConfirmThePlace();
    await expect(resident.page.getByTestId('report-place')).toContainText(at.grid);
    await resident.whenIGiveMyPhone('13905710009');
    await resident.screenshot('form-filled', { fullPage: true });

    await resident.whenISubmit();
    const token = await resident.thenIGetAToken();
    await resident.screenshot('sent');
    await resident.whenIOpenTheStatusLink();
    expect(new URL(resident.page.url()).pathname).toBe(`/report/status/${token}`);
    await resident.thenTheStatusIs('received');
    await resident.thenTheStepsAre('received');

    // The dispatcher finds the case in the queue (the one intake) and files it with the key f.
    await gc.givenLoggedIn('demo-dispatcher');
    const list = await gc.api<EventListResponse>('/events?status=reported&pageSize=1000');
    const event = list.items.find((e) => e.description === description);
    expect(event, 'the resident report in the dispatcher queue').toBeDefined();
    expect(event).toMatchObject({ source: 'citizen_app', itemCode: item.code, reporter: { phone: '13905710009' } });
    await gc.whenISelectTheRow(event!.id);
    await gc.whenIPress('f');
    await gc.thenTheCaseIs('filed');

    await resident.whenIRefreshTheStatus();
    await resident.thenTheStatusIs('filed');
    await resident.thenTheStepsAre('received', 'filed');
    await expect(resident.status).not.toContainText('13905710009');
    await resident.screenshot('status-filed', { fullPage: true });

    // The rest of the loop through the API (the field team's phone, the dispatcher): the resident sees the result, no names.
    const team = await gc.fieldTeam();
    await gc.actAs('demo-dispatcher', event!.id, { action: 'dispatch', teamId: team.id, override: { reason: '端到端测试：指定网格员队伍' } });
    await gc.actAs('demo-field', event!.id, { action: 'accept' });
    await gc.actAs('demo-field', event!.id, { action: 'start' });
    await gc.actAs('demo-field', event!.id, { action: 'report', result: '已更换灯泡，路灯恢复照明' });
    const handled = await gc.api<{ status: string }>(`/events/${event!.id}`);
    if (handled.status === 'handled') await gc.actAs('demo-dispatcher', event!.id, { action: 'verify' });
    await gc.actAs('demo-dispatcher', event!.id, { action: 'close' });
    await resident.whenIRefreshTheStatus();
    await resident.thenTheStatusIs('closed');
    await resident.thenTheStepsAre('received', 'filed', 'in_progress', 'closed');
    await expect(resident.status).toContainText('已更换灯泡，路灯恢复照明');
    await expect(resident.status).not.toContainText(team.name);
    await resident.screenshot('status-closed', { fullPage: true });
    await resident.page.getByTestId('report-lang').tap();
    await expect(resident.status).toContainText('Closed');
    await resident.screenshot('status-closed-en', { fullPage: true });
  } finally {
    await resident.close();
  }
});

test('a report with mistakes keeps what the resident typed and names each field in Chinese', async ({ browser, server }) => {
  const resident = await ResidentDriver.open(browser, server);
  try {
    await resident.whenIOpenTheReportPage();
    await resident.whenIDescribe('路灯坏了');
    await resident.whenIGiveMyPhone('12345');
    await resident.whenISubmit();
    const errors = resident.page.getByTestId('report-errors');
    await expect(errors).toBeVisible();
    await expect(errors).toContainText('请选择事项类别');
    await expect(errors).toContainText('请用手机定位或在地图上点选位置');
    await expect(errors).toContainText('手机号码格式不对');
    await resident.screenshot('form-errors');
    // a reload keeps the draft
    await resident.page.reload();
    await expect(resident.page.getByTestId('report-description')).toHaveValue('路灯坏了');
    await expect(resident.page.getByTestId('report-phone')).toHaveValue('12345');
  } finally {
    await resident.close();
  }
});
