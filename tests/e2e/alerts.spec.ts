import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { AlertsDriver } from './alerts-driver';
import { ConsoleDriver } from './driver';
import { expect, test } from './fixtures';
import { startServer } from './server-process';

const SCREENS = resolve(import.meta.dirname, '../../test-results/screens');

test('a fresh demo start raises no flood: one alert per urgent or supervised overdue case, none for silent teams, three cards in a corner', async ({ page, browser }) => {
  test.setTimeout(180_000);
  mkdirSync(SCREENS, { recursive: true });
  // its own server: the worker's has been used by other specs by now
  const fresh = await startServer();
  try {
    const gc = new ConsoleDriver(page, fresh);
    const alerts = new AlertsDriver(gc);
    // a leader supervises two routine overdue cases: those ask for a notice each
    const supervised = await alerts.givenSupervisedRoutineOverdueCases(2);
    const { items } = await alerts.listed();
    const overdueCases = (await alerts.openCases()).filter((e) => e.deadlineState === 'overdue' && (e.urgency === 'P0' || e.urgency === 'P1' || e.supervised));
    expect(overdueCases.length).toBeGreaterThan(3);
    // every alert is about a P0/P1 or supervised case overdue (or a P0/P1 one near its deadline), one per case;
    // routine overdue cases nobody supervises are the queue's 超期 tab, not alerts
    expect(items.filter((a) => a.kind === 'overdue').map((a) => a.eventId).sort()).toEqual(overdueCases.map((e) => e.id).sort());
    // notices: the routine cases under supervision, those of the demo's leaders and the two just added
    const notices = items.filter((a) => a.severity === 'notice').map((a) => a.eventId);
    expect(notices.sort()).toEqual(overdueCases.filter((e) => e.urgency !== 'P0' && e.urgency !== 'P1').map((e) => e.id).sort());
    expect(notices).toEqual(expect.arrayContaining(supervised.map((e) => e.id)));
    expect(items.map((a) => a.kind).filter((k) => k !== 'overdue' && k !== 'near_deadline')).toEqual([]);
    const loud = items.filter((a) => a.severity !== 'notice');
    expect(loud.length, 'several alerts ask for a person: the dock folds the rest into "more"').toBeGreaterThan(3);
    expect(loud.map((a) => a.eventId).sort()).toEqual(overdueCases.filter((e) => e.urgency === 'P0' || e.urgency === 'P1').map((e) => e.id).sort());

    await gc.givenLoggedIn('demo-dispatcher');
    await expect(alerts.dockCards).toHaveCount(3);
    await expect(alerts.dock.getByTestId('alert-dock-more')).toContainText(String(loud.length - 3));
    await expect(alerts.dock.getByTestId('alert-dock-count-notice')).toContainText(String(items.length - loud.length));
    await expect(alerts.bell).toHaveAttribute('data-loud', String(loud.length));
    await alerts.thenTheDockLeavesTheMapCentreAndTheCaseClear();
    await page.screenshot({ path: `${SCREENS}/alerts-dock-1920x1080.png` });

    await alerts.dock.getByTestId('alert-dock-more').click();
    await expect(alerts.panel).toBeVisible();
    await expect(alerts.group('overdue').getByTestId('alert-group-count')).toHaveText(String(overdueCases.length));
    await page.screenshot({ path: `${SCREENS}/alerts-panel-1920x1080.png` });

    // the wall: no dock to click (nobody points at a wall); the overdue cases run in its ticker
    const wall = await browser.newContext({ viewport: { width: 3840, height: 2160 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const wallPage = await wall.newPage();
    const wallConsole = new ConsoleDriver(wallPage, fresh);
    await wallConsole.givenLoggedIn('demo-wall');
    await expect(wallPage.getByTestId('wall-ticker').locator('[data-kind="overdue"]')).toHaveCount(6);
    await expect(new AlertsDriver(wallConsole).dock).toHaveCount(0);
    await wallPage.screenshot({ path: `${SCREENS}/alerts-wall-3840x2160.png` });
    await wall.close();
  } finally {
    // leave the page before its server goes, so no reconnect attempt is logged as an error
    await page.goto('about:blank');
    await fresh.dispose();
  }
});

test('an overdue case raises exactly one alert, which leaves every console when the case is closed', async ({ gc, otherConsole }) => {
  const alerts = new AlertsDriver(gc);
  const theirs = new AlertsDriver(otherConsole);
  // a case overdue in its verification step, ready to be closed: put under supervision (督办) if
  // it is routine, which is what makes a routine overdue case raise its alert
  const target = await alerts.givenAVerifiedCaseWithAnOverdueAlert();
  const [alert, ...others] = await alerts.about(target.id, 'overdue');
  expect(others).toEqual([]);

  await gc.givenLoggedIn('demo-dispatcher');
  await otherConsole.givenLoggedIn('demo-duty');
  for (const console_ of [alerts, theirs]) {
    await console_.whenIOpenThePanel();
    await console_.whenIFilter({ kind: 'overdue', townId: target.townId });
    await console_.whenIShowAllOf('overdue');
    await expect(console_.row(alert!.id)).toBeVisible();
  }

  await gc.actAs('demo-dispatcher', target.id, { action: 'close' });
  await expect(alerts.row(alert!.id)).toBeHidden();
  await expect(theirs.row(alert!.id)).toBeHidden();
  expect((await alerts.listed()).items.map((a) => a.id)).not.toContain(alert!.id);
  const [history] = await alerts.about(target.id, 'overdue');
  expect(history!.cleared).toMatchObject({ reason: 'case_closed' });
});

test('a group is acknowledged with a reason, which the server records with each alert', async ({ gc }) => {
  const alerts = new AlertsDriver(gc);
  const supervised = await alerts.givenSupervisedRoutineOverdueCases(2);
  const town = supervised[0]!.townId;
  const notices = (await alerts.listed(`state=open&kind=overdue&severity=notice&town=${town}`)).items;
  const ids = notices.map((a) => a.id);
  expect(ids.length).toBeGreaterThanOrEqual(2);

  await gc.givenLoggedIn('demo-dispatcher');
  await alerts.whenIOpenThePanel();
  await alerts.whenIFilter({ kind: 'overdue', severity: 'notice', townId: town });
  await expect(alerts.group('overdue').getByTestId('alert-group-count')).toHaveText(String(ids.length));
  await alerts.whenIAcknowledgeTheGroup('overdue', '已电话督促本镇各队伍，今日内办结');
  await expect(alerts.group('overdue')).toBeHidden();

  const acked = (await alerts.listed('state=acked&kind=overdue')).items.filter((a) => ids.includes(a.id));
  expect(acked).toHaveLength(ids.length);
  expect(acked.every((a) => a.acked?.note === '已电话督促本镇各队伍，今日内办结' && a.acked.by.username === 'demo-dispatcher')).toBe(true);
  expect((await alerts.listed()).items.map((a) => a.id).filter((id) => ids.includes(id))).toEqual([]);
});

test('the bell panel closes on Esc, leaving the open case open, and on a click outside it', async ({ gc, page }) => {
  const alerts = new AlertsDriver(gc);
  await gc.givenLoggedIn('demo-dispatcher');
  const event = await gc.givenAnEventIsReported({ urgency: 'P1' });
  await gc.whenISelectTheRow(event.id);
  await gc.thenTheDetailShows(event);

  await alerts.whenIOpenThePanel();
  await expect(alerts.panel).toBeFocused();
  await gc.whenIPress('Escape');
  await expect(alerts.panel).toBeHidden();
  await expect(alerts.bell).toBeFocused();
  await expect(alerts.bell).toHaveAttribute('aria-expanded', 'false');
  await gc.thenTheDetailShows(event);

  await alerts.whenIOpenThePanel();
  await alerts.panel.getByTestId('alert-filter-kind').selectOption('urgent_event');
  await expect(alerts.panel).toBeVisible();
  const map = await page.locator('.map-pane').boundingBox();
  await page.mouse.click(map!.x + map!.width / 2, map!.y + map!.height - 40);
  await expect(alerts.panel).toBeHidden();
});

test('a new critical case raises an alert on every console; acknowledged on one, it leaves the other', async ({ gc, otherConsole }) => {
  await gc.givenLoggedIn('demo-dispatcher');
  await otherConsole.givenLoggedIn('demo-duty');
  const event = await gc.givenAnEventIsReported({ urgency: 'P0' });

  const mine = gc.alertAbout(event.id);
  const theirs = otherConsole.alertAbout(event.id);
  await expect(mine).toBeVisible();
  await expect(mine).toContainText('紧急事件');
  await expect(mine).toContainText('严重');
  await expect(mine).toContainText(event.itemName);
  await expect(theirs).toBeVisible();
  await expect(gc.page.getByTestId('server-alert').first()).toHaveAttribute('data-event-id', event.id);
  await gc.page.screenshot({ path: `${SCREENS}/alerts-dock-critical-1920x1080.png` });
  const alertId = await mine.getAttribute('data-alert-id');
  expect(await gc.openAlertIds()).toContain(alertId);

  await mine.getByTestId('alert-ack').click();
  await expect(mine).toBeHidden();
  await expect(theirs).toBeHidden();
  await expect.poll(() => gc.openAlertIds()).not.toContain(alertId);
});

test('an alert opens its case, and the top card is acknowledged with y', async ({ gc }) => {
  await gc.givenLoggedIn('demo-dispatcher');
  const event = await gc.givenAnEventIsReported({ urgency: 'P0' });
  const alert = gc.alertAbout(event.id);
  await expect(alert).toBeVisible();
  await alert.getByRole('button', { name: '查看事件' }).click();
  await gc.thenTheDetailShows(event);
  await expect(gc.page.locator('[data-testid="server-alert"]').first()).toHaveAttribute('data-event-id', event.id);
  await gc.whenIPress('y');
  await expect(alert).toBeHidden();
});

test('open alerts are read again after a reload', async ({ gc }) => {
  await gc.givenLoggedIn('demo-dispatcher');
  const event = await gc.givenAnEventIsReported({ urgency: 'P0' });
  await expect(gc.alertAbout(event.id)).toBeVisible();
  await gc.givenTheConsoleIsOpen();
  await expect(gc.alertAbout(event.id)).toBeVisible();
  await expect(gc.page.getByTestId('alert-bell')).not.toHaveAttribute('data-count', '0');
});
