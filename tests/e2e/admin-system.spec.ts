import { resolve } from 'node:path';
import type { RetentionSettings, ShiftSchedule } from '../../shared/contracts/settings.js';
import type { WorkflowSettings } from '../../shared/contracts/workflow.js';
import { systemClock } from '../../server/src/core/clock.js';
import { backupDatabase } from '../../server/src/db/backup.js';
import { AdminDriver } from './admin-driver';
import { expect, test } from './fixtures';

test('the system administrator lands on the server health and sees a backup taken meanwhile', async ({ gc, page, server }) => {
  const admin = new AdminDriver(gc);
  await admin.givenSignedInAs('demo-sysadmin', 'system');
  const health = page.getByTestId('system-health');
  await expect(health.getByTestId('health-version')).toHaveText(/^\d+\.\d+\.\d+/);
  await expect(health.getByTestId('health-db-size')).toHaveText(/\d (KB|MB|GB)$/);
  await expect(health.getByTestId('health-audit-records')).not.toHaveText('0');
  await expect(health.getByTestId('health-backup')).toContainText(/没有备份记录|最近已备份|超过一天未备份/);

  await backupDatabase({ source: resolve(server.dataDir, 'gridcommand.db'), out: resolve(server.dataDir, `e2e-${Date.now()}.db`), clock: systemClock });
  await health.getByTestId('health-refresh').click();
  await expect(health.getByTestId('health-backup')).toContainText('最近已备份');
  await expect(health.getByTestId('health-backup')).toContainText('e2e-');
  await admin.screenshot('admin-system-health');

  await gc.whenISwitchTheLanguage();
  await expect(health.getByTestId('health-backup')).toContainText('Backed up recently');
  await admin.screenshot('admin-system-health-en');
});

test('the system administrator makes a day a public holiday on the month calendar', async ({ gc, page }) => {
  const admin = new AdminDriver(gc);
  await admin.givenSignedInAs('demo-sysadmin', 'system');
  await admin.whenIOpenTheSection('calendar');
  // to December 2026, whatever month it is now
  const label = page.getByTestId('calendar-month');
  for (let i = 0; i < 36 && (await label.textContent()) !== '2026 年 12 月'; i++) {
    const [year, month] = ((await label.textContent()) ?? '').match(/\d+/g)!.map(Number) as [number, number];
    await page.getByTestId(year * 12 + month > 2026 * 12 + 12 ? 'calendar-prev' : 'calendar-next').click();
  }
  await expect(label).toHaveText('2026 年 12 月');
  const day = page.locator('[data-testid="calendar-day"][data-day="2026-12-31"]');
  const was = await day.getAttribute('data-kind');
  await day.click();
  await expect(day).toHaveAttribute('data-kind', was === 'holiday' ? 'workday' : 'holiday');
  await expect(page.getByTestId('calendar-pending')).toContainText('2026-12-31');
  await admin.screenshot('admin-system-calendar');
  await page.getByTestId('calendar-save').click();
  await admin.whenIConfirm();
  await admin.thenTheNoticeSays('ok', '工作日历已保存');
  const stored = await gc.api<WorkflowSettings>('/settings/workflow', 'demo-sysadmin');
  expect(stored.calendar.holidays.includes('2026-12-31')).toBe(was !== 'holiday');
});

test('the system administrator cannot save shifts with a gap, and saves them once they close the day', async ({ gc, page }) => {
  const admin = new AdminDriver(gc);
  await admin.givenSignedInAs('demo-sysadmin', 'system');
  await admin.whenIOpenTheSection('shifts');
  const rows = page.getByTestId('shift-row');
  await expect(rows).toHaveCount(2);
  await rows.nth(0).getByTestId('shift-end').fill('17:00');
  await expect(rows.nth(0).getByTestId('shift-end-error')).toContainText('须在下一班次开始时结束');
  await expect(page.getByTestId('shifts-save')).toBeDisabled();
  await admin.screenshot('admin-system-shifts-gap');
  await rows.nth(1).getByTestId('shift-start').fill('17:00');
  await rows.nth(0).getByTestId('shift-lead').fill('李明');
  await expect(rows.nth(0).getByTestId('shift-end-error')).toHaveCount(0);
  await page.getByTestId('shifts-save').click();
  await admin.whenIConfirm();
  await admin.thenTheNoticeSays('ok', '班次已保存');
  const stored = await gc.api<ShiftSchedule>('/settings/shifts', 'demo-sysadmin');
  expect(stored.shifts.map((s) => [s.start, s.end, s.lead])).toEqual([
    ['08:30', '17:00', '李明'],
    ['17:00', '08:30', null],
  ]);
});

test('the system administrator sets the warning point and the retention periods; the audit trail is never pruned', async ({ gc, page }) => {
  const admin = new AdminDriver(gc);
  await admin.givenSignedInAs('demo-sysadmin', 'system');
  await admin.whenIOpenTheSection('deadlines');
  await page.getByTestId('warn-at').fill('75');
  await page.getByTestId('deadlines-save').click();
  await expect(admin.confirmDialog).toContainText('由 80% 改为 75%');
  await admin.whenIConfirm();
  await admin.thenTheNoticeSays('ok', '时限与查重设置已保存');
  expect((await gc.api<WorkflowSettings>('/settings/workflow', 'demo-sysadmin')).warnAtFraction).toBe(0.75);

  await admin.whenIOpenTheSection('retention');
  await expect(page.getByTestId('audit-never-pruned')).toContainText('永久保留');
  await page.getByTestId('retention-positions').fill('3');
  await expect(page.getByTestId('retention-save')).toBeDisabled();
  await page.getByTestId('retention-positions').fill('30');
  await page.getByTestId('retention-save').click();
  await expect(admin.confirmDialog).toContainText('期限缩短');
  await admin.whenIConfirm();
  await admin.thenTheNoticeSays('ok', '数据保留期限已保存');
  expect(await gc.api<RetentionSettings>('/settings/retention', 'demo-sysadmin')).toEqual({ positionTrailDays: 30, idempotencyKeyDays: 30 });
  await admin.screenshot('admin-system-retention');
});
