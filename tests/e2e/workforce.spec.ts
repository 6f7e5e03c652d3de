import { readFile } from 'node:fs/promises';
import type { AssessmentPeriod, OwnAssessmentResponse } from '../../shared/contracts/assessment.js';
import type { RegionsResponse } from '../../shared/contracts/regions.js';
import type { ConsoleDriver, DemoUser } from './driver';
import { expect, test } from './fixtures';
import { PhoneDriver, PHONE } from './field-phone';
import { WorkforceDriver } from './workforce-driver';

/** The e2e county's seeded history (its patrols and cases): fixed days, so the figures never move. */
const HISTORY = { from: '2026-10-30', to: '2026-11-01' };

/**
 * 网格队伍 (issue 16) on the demo county: the town's grid office lands on its workers, reads one
 * worker's activity as the API computes it, and changes the worker's grade; a field worker finds
 * their own record (我的档案) on the phone.
 */

test('the town grid office sees its town\'s workers, a worker\'s activity, and saves a new grade', async ({ gc, page }) => {
  const w = new WorkforceDriver(gc);
  const list = await w.workers({ pageSize: '50' });
  expect(list.total).toBeGreaterThan(0);
  const towns = new Set(list.items.map((x) => x.town.id));
  expect(towns.size, 'a town grid office sees one town').toBe(1);

  await w.whenISignInAt('/', 'demo-town-gridoffice');
  await expect(page.getByTestId('admin-frame')).toHaveAttribute('data-screen', 'workforce');
  await expect(page.getByTestId('workers-total')).toContainText(String(list.total));
  await expect(w.rows).toHaveCount(list.items.length);
  for (const x of list.items.slice(0, 5)) await expect(w.row(x.id)).toContainText(x.town.name);
  await expect(page.getByTestId('nav-console')).toBeVisible();

  // the roster as CSV: every worker of the town, one row each under the header
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('workforce-export-csv').click()]);
  const csv = (await readFile(await download.path())).toString('utf8');
  expect(download.suggestedFilename()).toMatch(/^workers-.+\.csv$/);
  expect(csv.trim().split(/\r?\n/)).toHaveLength(list.total + 1);
  await expect(page.getByTestId('workforce-export-status')).toHaveAttribute('data-state', 'done');

  // the worker of the first page who patrolled most in the seeded history: figures that are not all zero
  const onPage = new Set(list.items.map((x) => x.id));
  const busiest = (await w.townActivity(HISTORY)).workers.filter((a) => onPage.has(a.workerId)).sort((a, b) => b.patrol.days - a.patrol.days || b.reported.total - a.reported.total)[0]!;
  expect(busiest.patrol.days).toBeGreaterThan(0);
  const first = list.items.find((x) => x.id === busiest.workerId)!;
  await w.whenIOpenTheWorker(first.id);
  await w.whenIChooseThePeriod(HISTORY);
  expect(await w.shownPeriod()).toEqual(HISTORY);
  const [activity] = (await w.activity(first.id, HISTORY)).workers;
  expect(activity).toBeDefined();
  await expect(w.figure('patrol-distance')).toHaveText(`${(activity!.patrol.metres / 1000).toFixed(1)} 公里`);
  await expect(page.getByTestId('activity-figures')).toBeVisible();
  await expect(w.figure('patrol-days')).toHaveText(`${activity!.patrol.days} 天`);
  await expect(w.figure('coverage')).toHaveText(`${activity!.patrol.microGridsCovered} / ${activity!.patrol.microGridsServed} 个`);
  await expect(w.figure('reported')).toHaveText(`${activity!.reported.total} 件`);
  await expect(w.figure('handled')).toHaveText(`${activity!.handled.total} 件`);
  await expect(page.getByTestId('worker-coverage')).toBeVisible();
  await w.screenshot('workforce-workers-1920x1080.png');
  await expect(page.getByTestId('coverage-map')).toHaveAttribute('data-ready', 'yes');
  await page.getByTestId('worker-coverage').scrollIntoViewIfNeeded();
  await w.screenshot('workforce-worker-activity-1920x1080.png');

  const grade = (first.grade % 5) + 1;
  await w.whenIChangeTheGradeTo(grade, '端到端测试：考核优秀晋档');
  await expect(page.getByTestId('worker-saved')).toBeVisible();
  await expect(page.getByTestId('worker-grade')).toHaveText(`${grade} 档`);
  expect((await w.worker(first.id)).grade).toBe(grade);
  await expect(w.row(first.id)).toContainText(`${grade} 档`);
});

test('the composition, training and deliberation sections draw for the county grid office', async ({ gc, page }) => {
  const w = new WorkforceDriver(gc);
  await w.whenISignInAt('/workforce', 'demo-gridoffice');
  await expect(w.screen).toBeVisible();
  await w.whenIOpenTheSection('composition');
  await expect(page.getByTestId('figure-workers')).not.toHaveText('');
  await w.thenTheChartsHaveDrawn();
  await w.screenshot('workforce-composition-1920x1080.png');
  // on the command room's 4K wall the same dashboard reads without scrolling
  await page.setViewportSize({ width: 3840, height: 2160 });
  await w.thenTheChartsHaveDrawn();
  await w.screenshot('workforce-composition-3840x2160.png');
  await page.setViewportSize({ width: 1920, height: 1080 });
  await w.whenIOpenTheSection('training');
  await expect(page.getByTestId('training-behind')).toBeVisible();
  await w.thenTheChartsHaveDrawn();
  await w.screenshot('workforce-training-1920x1080.png');
  await w.whenIOpenTheSection('deliberation');
  await expect(page.getByTestId('meetings-table')).toBeVisible();
  await w.screenshot('workforce-deliberation-1920x1080.png');

  // in English, the same screen
  await page.locator('.lang-switch').click();
  await expect(page.getByTestId('admin-title')).toHaveText('Grid workforce');
  await w.whenIOpenTheSection('workers');
  await expect(page.getByTestId('workers-total')).toContainText('workers');
  await w.whenIOpenTheWorker((await w.workers({ pageSize: '1' }, 'demo-gridoffice')).items[0]!.id);
  await expect(page.getByTestId('activity-figures')).toBeVisible();
  await w.screenshot('workforce-workers-en-1920x1080.png');
});

/** A request to the API as a demo user, answered with a success status. */
async function send(gc: ConsoleDriver, method: 'POST' | 'PUT', path: string, as: DemoUser, data?: unknown): Promise<void> {
  const { token } = await gc.restLogin(as);
  const response = await gc.page.request.fetch(`${gc.server.url}/api/v1${path}`, { method, data, headers: { Authorization: `Bearer ${token}` } });
  expect(response.ok(), `${method} ${path} as ${as}: ${response.status()} ${await response.text()}`).toBe(true);
}

test('a field worker finds their own record on the phone', async ({ gc, browser, server }) => {
  const me = await gc.api<{ id: string; name: string; grade: number }>('/workforce/me', 'demo-field');
  // a past quarter assessed and closed: the county opens it, the town scores the worker, the county closes it
  const Q3 = '2026-Q3';
  if (!(await gc.api<{ periods: AssessmentPeriod[] }>('/assessment/periods', 'demo-gridoffice')).periods.some((p) => p.id === Q3)) {
    await send(gc, 'POST', '/assessment/periods', 'demo-gridoffice', { startsOn: '2026-07-01', endsOn: '2026-09-30' });
    await send(gc, 'PUT', `/assessment/periods/${Q3}/reviews`, 'demo-town-gridoffice', { reviews: [{ workerId: me.id, de: 92, neng: 88, comment: '巡查到位，群众满意' }] });
    await send(gc, 'POST', `/assessment/periods/${Q3}/close`, 'demo-gridoffice');
  }
  const { bbox } = await gc.api<RegionsResponse>('/regions', 'demo-field');
  const phone = await PhoneDriver.open(browser, server, { lon: (bbox[0] + bbox[2]) / 2, lat: (bbox[1] + bbox[3]) / 2 });
  try {
    await phone.whenISignIn('demo-field');
    await phone.page.getByTestId('field-open-my-record').tap();
    const card = phone.page.getByTestId('field-my-record-card');
    await expect(card).toContainText(me.name);
    await expect(phone.page.getByTestId('field-my-record-grade')).toHaveText(`${me.grade} 档`);
    await expect(phone.page.getByTestId('field-my-activity')).toBeVisible();
    // 我的考核: the newest closed period's result as the API gives it, or the plain "none yet"
    const own = await gc.api<OwnAssessmentResponse>('/assessment/me', 'demo-field');
    const last = own.items.find((i) => i.result !== null)!;
    expect(last.period.id).toBe(Q3);
    const assessment = phone.page.getByTestId('field-my-assessment');
    await expect(phone.page.getByTestId('field-my-assessment-total')).toContainText(`总分 ${last.result!.total}`);
    await expect(assessment).toContainText('德 92 · 能 88');
    await expect(assessment).toContainText(`本镇第 ${last.result!.rankTown} 名（共 ${last.result!.rankedInTown} 人）`);
    await expect(assessment).toContainText('评语：巡查到位，群众满意');
    expect(phone.page.viewportSize()).toEqual(PHONE);
    await new WorkforceDriver(gc).screenshot('workforce-field-my-record-390x844.png', phone.page);
    await new WorkforceDriver(gc).screenshot('workforce-field-my-record-390-full.png', { screenshot: (o) => phone.page.screenshot({ ...o, fullPage: true }) });
  } finally {
    await phone.close();
  }
});

test('the town grid office records a deliberation day from the grid\'s agenda draft; its task becomes a case', async ({ gc, page }) => {
  const w = new WorkforceDriver(gc);
  await w.whenISignInAt('/workforce?tab=deliberation', 'demo-town-gridoffice');
  await expect(page.getByTestId('meetings-table')).toBeVisible();
  await page.getByTestId('meeting-new').click();
  const form = page.getByTestId('meeting-form');
  const grid = form.getByTestId('meeting-grid');
  await expect(grid.locator('option')).not.toHaveCount(1);
  await grid.selectOption({ index: 1 });
  await form.getByTestId('meeting-draft').click();
  await expect(form.getByTestId('meeting-draft')).toBeEnabled();
  await form.getByTestId('meeting-place').fill('村委会议室');
  await form.getByTestId('meeting-host').fill('王书记');
  await form.getByTestId('meeting-participants').fill('王书记 村支书\n李网格员 网格员\n赵大爷 居民代表');
  await form.getByTestId('meeting-decisions').fill('修复楼道照明\n每周巡查一次');
  await form.getByTestId('meeting-add-task').click();
  await form.getByTestId('meeting-task-edit').locator('input').fill('修复三号楼楼道照明');
  await w.screenshot('workforce-meeting-form-1920x1080.png');
  await form.getByTestId('meeting-save').click();
  const detail = page.getByTestId('meeting-detail');
  await expect(detail).toBeVisible();
  await expect(detail.getByTestId('meeting-task')).toHaveCount(1);
  await expect(detail.getByTestId('meeting-task')).toContainText('修复三号楼楼道照明');
  await expect(detail.getByTestId('meeting-task-status')).not.toHaveText('');
  await expect(page.getByTestId('meeting-row')).toHaveCount(1);
  await detail.getByTestId('meeting-notice').fill('本次议事议定修复三号楼楼道照明，由网格员跟进，办结后在此公示。');
  await detail.getByTestId('meeting-publish').click();
  await expect(detail.getByTestId('meeting-public-page')).toBeVisible();
  await expect(page.getByTestId('meeting-row')).toContainText('✓');
  await w.screenshot('workforce-meeting-detail-1920x1080.png');

  // the task's case opens on the console's map screen
  const eventId = (await detail.getByTestId('meeting-task').locator('.mono').textContent())!.trim();
  await detail.getByTestId('meeting-task-open').click();
  await expect(page.getByTestId('event-detail')).toHaveAttribute('data-event-id', eventId);
});
