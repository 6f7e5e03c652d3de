import type { AssessmentPeriod, AssessmentResponse } from '../../shared/contracts/assessment.js';
import { expect, test } from './fixtures';
import { WorkforceDriver } from './workforce-driver';

/**
 * 考核 (德能勤绩, issue 16 part 4) on the demo county: the county's grid office opens the quarter's
 * period from the workforce screen; the town's grid office scores a worker's 德 and 能 with a
 * comment and sees the total, rank and rating the server computed.
 */
test('the county opens the quarter\'s assessment and the town scores a worker', async ({ gc, page }) => {
  const w = new WorkforceDriver(gc);
  await w.whenISignInAt('/workforce?tab=assessment', 'demo-gridoffice');
  await expect(page.getByTestId('assessment')).toBeVisible();
  const before = await gc.api<{ periods: AssessmentPeriod[] }>('/assessment/periods', 'demo-gridoffice');
  // (another spec may have closed a past quarter: the one open period is this quarter's)
  if (!before.periods.some((p) => p.status === 'open')) {
    await page.getByTestId('assessment-create').click();
    await expect(page.getByTestId('assessment-notice')).toContainText('已开设考核期');
  }
  const { periods } = await gc.api<{ periods: AssessmentPeriod[] }>('/assessment/periods', 'demo-gridoffice');
  const period = periods.find((p) => p.status === 'open')!;
  expect(period).toBeDefined();
  expect(periods[0]!.id, 'the newest period first').toBe(period.id);
  const all = await gc.api<AssessmentResponse>(`/assessment/periods/${period.id}`, 'demo-gridoffice');
  await expect(page.getByTestId('assessment-period')).toHaveValue(period.id);
  await expect(page.getByTestId('assessment-table').locator('tbody tr')).toHaveCount(all.rows.length);
  await expect(page.getByTestId('assessment-summary')).toContainText(`考核 ${all.summary.workers} 人`);
  await w.screenshot('assessment-county-1920x1080.png');
  await page.setViewportSize({ width: 3840, height: 2160 });
  await expect(page.getByTestId('assessment-table').locator('tbody tr')).toHaveCount(all.rows.length);
  await w.screenshot('assessment-county-3840x2160.png');
  await page.setViewportSize({ width: 1920, height: 1080 });

  // the town's grid office: its own workers, 德 and 能 typed in
  await gc.whenISignOut();
  await w.whenISignInAt('/workforce?tab=assessment', 'demo-town-gridoffice');
  await expect(page.getByTestId('assessment')).toBeVisible();
  const town = await gc.api<AssessmentResponse>(`/assessment/periods/${period.id}`, 'demo-town-gridoffice');
  const target = town.rows.find((r) => r.de === null) ?? town.rows[0]!;
  const row = page.getByTestId(`assessment-row-${target.workerId}`);
  await expect(page.getByTestId('assessment-table').locator('tbody tr')).toHaveCount(town.rows.length);
  await row.getByTestId('assessment-de').fill('88');
  await row.getByTestId('assessment-neng').fill('101');
  await row.getByTestId('assessment-comment').fill('巡查到位，群众满意');
  // an impossible score keeps the save back and says why
  await expect(page.getByTestId('assessment-save')).toBeDisabled();
  await expect(row.getByTestId('assessment-neng')).toHaveAttribute('aria-invalid', 'true');
  await row.getByTestId('assessment-neng').fill('85.5');
  await page.getByTestId('assessment-save').click();
  await expect(page.getByTestId('assessment-notice')).toContainText('已保存 1 人的德能评定');
  const after = (await gc.api<AssessmentResponse>(`/assessment/periods/${period.id}`, 'demo-town-gridoffice')).rows.find((r) => r.workerId === target.workerId)!;
  expect(after).toMatchObject({ de: 88, neng: 85.5, comment: '巡查到位，群众满意' });
  expect(after.total).not.toBeNull();
  await expect(row).toContainText(String(after.total));
  await expect(row).toContainText(['优秀', '良好', '合格', '不合格'][['excellent', 'good', 'pass', 'fail'].indexOf(after.rating!)]!);
  await w.screenshot('assessment-town-1920x1080.png');
});
