import { expect, test } from './fixtures';
import { TrainingDriver, WorkforceDriver } from './workforce-driver';

/**
 * 网格队伍 › 培训 (issue 16 part 3) on the demo county, whose training history is of 2026: the
 * town's grid office creates a course and a session, records who attended (the server refuses a
 * row with more hours than the session's, on that row), sees the hours reach the progress figures,
 * and records a certificate; a shift lead reads the same sessions without a way to change them.
 */

const YEAR = 2026;
/** After the demo's history (up to 2026-11-01): the newest session of the year. */
const HELD_ON = '2026-11-20';

// The browser's clock at a day of the demo's year, whatever the day the suite runs: the year
// picker offers this year and the two before, by the browser's clock.
test.beforeEach(async ({ page }) => {
  await page.clock.install({ time: new Date(`${HELD_ON}T10:00:00+08:00`) });
});

// the attendance refused on purpose: the browser logs the 422 of that one request
test.use({ expectedConsoleErrors: [/status of 422 .*\/api\/v1\/training\/sessions\/TS-[^/]+\/attendance:/] });

test('the town grid office records a session, its attendance and a certificate; the hours reach the progress', async ({ gc, page }) => {
  const w = new WorkforceDriver(gc);
  const tr = new TrainingDriver(gc);
  const before = await tr.progress({ year: String(YEAR) });
  // two workers far enough behind that this session leaves them behind (and in the table)
  const [a, b] = before.workers.filter((x) => x.shortBy > 5).sort((x, y) => x.workerId.localeCompare(y.workerId));
  expect(a && b, 'two workers behind the requirement').toBeTruthy();
  const sessionsBefore = (await tr.sessions({ year: String(YEAR) })).items;

  await tr.whenIOpenTrainingOf(YEAR, 'demo-town-gridoffice');
  await expect(tr.sessionRows).toHaveCount(sessionsBefore.length);

  await tr.whenIFillInANewSession({
    course: { subject: 'system_operation', title: '端到端测试：移动端新版上报操作', hours: 2.5 },
    mode: 'offline',
    heldOn: HELD_ON,
    place: '镇便民服务中心三楼会议室',
    trainer: '县网格办 张老师',
    hours: 2.5,
  });
  // a town's office holds its own town's sessions, not the county's
  await expect(tr.dialog.getByTestId('training-form-town').locator('option[value="county"]')).toHaveCount(0);
  await w.screenshot('training-dialog-1920x1080.png');
  await tr.whenIConfirmTheDialog();
  await expect(tr.dialog).toBeHidden();
  await expect(page.getByTestId('training-session-created')).toContainText('端到端测试：移动端新版上报操作');
  await expect(tr.sessionRows).toHaveCount(sessionsBefore.length + 1);
  const created = (await tr.sessions({ year: String(YEAR) })).items[0]!;
  expect(created).toMatchObject({ heldOn: HELD_ON, hours: 2.5, mode: 'offline', attendees: 0, course: { title: '端到端测试：移动端新版上报操作', subject: 'system_operation' } });
  await expect(tr.sessionRows.first()).toHaveAttribute('data-session-id', created.id);
  await expect(tr.detail).toHaveAttribute('data-session-id', created.id);

  // a row over the session's hours is refused on that row, and nothing is written
  await tr.whenIAddTheAttendee(a!.workerId);
  await tr.whenIAddTheAttendee(b!.workerId);
  await tr.whenIGiveTheAttendee(a!.workerId, 4, 'passed');
  await tr.whenIGiveTheAttendee(b!.workerId, 1.5, 'failed');
  await tr.whenISaveTheAttendance();
  await expect(tr.draftRow(a!.workerId).getByTestId('training-draft-error')).toContainText('2.5');
  await expect(tr.draftRow(a!.workerId).getByTestId('training-draft-hours')).toHaveAttribute('aria-invalid', 'true');
  await expect(tr.draftRow(b!.workerId).getByTestId('training-draft-error')).toHaveCount(0);
  await expect(tr.detail.getByTestId('training-attendance-problem')).toBeVisible();
  expect((await tr.session(created.id)).attendance).toEqual([]);

  await tr.whenIGiveTheAttendee(a!.workerId, 2.5, 'passed');
  await tr.whenISaveTheAttendance();
  await expect(tr.detail.getByTestId('training-notice')).toBeVisible();
  await expect(tr.attendanceRow(a!.workerId).getByTestId('training-attendance-hours')).toHaveText('2.5');
  await expect(tr.attendanceRow(b!.workerId).getByTestId('training-attendance-passed')).toHaveAttribute('data-passed', 'false');
  await expect(tr.sessionRow(created.id).getByTestId('training-session-attendees')).toHaveText('2');

  // the progress counts the new hours: the worker's row among those behind, and the total
  const after = await tr.progress({ year: String(YEAR) });
  const hoursOf = (p: typeof after, id: string) => p.workers.find((x) => x.workerId === id)!.hours;
  expect(hoursOf(after, a!.workerId)).toBeCloseTo(a!.hours + 2.5, 5);
  expect(after.total.hours).toBeCloseTo(before.total.hours + 4, 5);
  const shown = (n: number) => (Math.round(n * 10) / 10).toString();
  await expect(tr.behindRow(a!.workerId).getByTestId('training-behind-hours')).toHaveText(shown(a!.hours + 2.5));
  await expect(tr.behindRow(b!.workerId).getByTestId('training-behind-hours')).toHaveText(shown(b!.hours + 1.5));
  await expect(page.locator('[data-figure="average"]')).toContainText(`Σ ${shown(after.total.hours)}`);

  await tr.whenIFillInACertificate(a!.workerId, { title: '网格智治系统操作合格证', number: 'E2E-2026-001', issuedOn: HELD_ON });
  await w.screenshot('training-certificate-1920x1080.png');
  await tr.whenIConfirmTheDialog();
  await expect(page.getByTestId('training-certificate-form')).toBeHidden();
  await expect(tr.detail.getByTestId('training-notice')).toContainText('网格智治系统操作合格证');
  await expect(tr.attendanceRow(a!.workerId).getByTestId('training-attendance-certificates')).toContainText('E2E-2026-001');
  const certificates = (await tr.certificates({ workerId: a!.workerId })).items;
  expect(certificates).toContainEqual(expect.objectContaining({ number: 'E2E-2026-001', sessionId: created.id, issuedOn: HELD_ON }));
  await tr.detail.scrollIntoViewIfNeeded();
  await w.screenshot('training-session-1920x1080.png');
});

test('a shift lead reads the sessions and their attendance, with nothing to change', async ({ gc, page }) => {
  const tr = new TrainingDriver(gc);
  const sessions = (await tr.sessions({ year: String(YEAR) }, 'demo-lead')).items;
  const attended = sessions.find((s) => s.attendees > 0)!;
  expect(attended, 'a session with attendance in the demo history').toBeDefined();

  await tr.whenIOpenTrainingOf(YEAR, 'demo-lead');
  await expect(tr.sessionRows).toHaveCount(sessions.length);
  await tr.whenIOpenTheSession(attended.id);
  await expect(tr.detail.getByTestId('training-attendance-row')).toHaveCount((await tr.session(attended.id, 'demo-lead')).attendance.length);
  await expect(page.getByTestId('training-session-new')).toHaveCount(0);
  await expect(tr.detail.getByTestId('training-attendance-form')).toHaveCount(0);
  await expect(tr.detail.getByTestId('training-certificate-new')).toHaveCount(0);
  await expect(tr.detail.getByTestId('training-attendance-edit')).toHaveCount(0);
  await new WorkforceDriver(gc).screenshot('training-lead-1920x1080.png');
});

test('the county grid office holds a county session of an existing course and records a worker of any town', async ({ gc }) => {
  const tr = new TrainingDriver(gc);
  const [worker] = (await gc.api<{ items: Array<{ id: string; town: { id: string } }> }>('/workforce/workers?status=active&pageSize=1&page=3', 'demo-gridoffice')).items;
  expect(worker).toBeDefined();

  await tr.whenIOpenTrainingOf(YEAR, 'demo-gridoffice');
  await gc.page.getByTestId('training-session-new').click();
  const form = tr.dialog;
  await expect(form.getByTestId('training-form-course').locator('option')).not.toHaveCount(2);
  await form.getByTestId('training-form-course').selectOption({ index: 1 });
  // the course's planned hours fill the session's
  await expect(form.getByTestId('training-form-hours')).not.toHaveValue('');
  await form.getByTestId('training-form-town').selectOption('county');
  await form.getByTestId('training-form-mode').selectOption('online');
  await form.getByTestId('training-form-held-on').locator('input').fill(HELD_ON);
  await form.getByTestId('training-form-held-on').locator('input').press('Tab');
  await form.getByTestId('training-form-trainer').fill('县网格办');
  // the place left empty: said under the field, nothing sent
  await tr.whenIConfirmTheDialog();
  await expect(form.getByTestId('training-form-error-place')).toBeVisible();
  await form.getByTestId('training-form-place').fill('县网格学院线上课堂');
  await tr.whenIConfirmTheDialog();
  await expect(form).toBeHidden();
  const created = (await tr.sessions({ year: String(YEAR) }, 'demo-gridoffice')).items.find((s) => s.heldOn === HELD_ON && s.town === null)!;
  expect(created).toMatchObject({ mode: 'online', trainer: '县网格办', attendees: 0 });
  await expect(tr.detail).toHaveAttribute('data-session-id', created.id);
  await expect(tr.detail.getByTestId('training-session-town')).toHaveText('县级');

  await tr.detail.getByTestId('training-attendance-town').selectOption(worker!.town.id);
  await tr.whenIAddTheAttendee(worker!.id);
  await tr.whenISaveTheAttendance();
  await expect(tr.attendanceRow(worker!.id)).toBeVisible();
  expect((await tr.session(created.id, 'demo-gridoffice')).attendance).toEqual([expect.objectContaining({ workerId: worker!.id, hours: created.hours, passed: null })]);
});
