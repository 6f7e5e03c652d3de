import { dayOfCases, hotlineCsv, type HotlineFileRecord } from '../fixtures/hotline/hotline-files';
import { expect, test } from './fixtures';
import { HotlineImportDriver } from './hotline-import-driver';

/**
 * A dispatcher imports a day's 12345 file from the console: previews it all or nothing (refused
 * for its one bad row), previews it row by row, imports, and reads the per-row report.
 */
test('upload a day of hotline cases, preview, import and read the per-row report', async ({ gc, page }) => {
  const h = new HotlineImportDriver(gc);
  const points = await h.pointsInCounty(6);
  const day = dayOfCases(5, { prefix: 'E2E1202A', points });
  const rows: HotlineFileRecord[] = [
    ...day.slice(0, 3),
    { ...day[3]!, 来电时间: '昨晚九点' },
    { ...day[4]!, 诉求类别: '价格投诉', 诉求内容: '超市标价与结账价格不一致' },
    { ...dayOfCases(1, { prefix: 'E2E1202B', points })[0]!, 事发地址: '不存在的路 999 号', 经度: '', 纬度: '', 坐标系: '' },
  ];
  await gc.givenLoggedIn('demo-dispatcher');
  await h.whenIOpenTheImportFromTheConsole();
  await h.whenIChooseTheFile('12345工单-2026-12-02.csv', 'text/csv', Buffer.from(`\uFEFF${hotlineCsv(rows)}`, 'utf8'));

  // all or nothing: the preview finds the bad row, and the import stays shut
  await h.whenIPreview();
  await expect(page.getByTestId('hotline-verdict')).toHaveAttribute('data-ok', 'false');
  await expect(page.getByTestId('hotline-import-run')).toBeDisabled();
  await expect(h.count('invalid')).toHaveText('1');
  await expect(h.row(5)).toHaveAttribute('data-outcome', 'invalid');
  await expect(h.row(5)).toContainText('来电时间');
  await h.saveScreenshot('hotline-import-preview-1920x1080.png');

  // row by row: the good rows may go in
  await h.whenIChooseTheMode('row');
  await h.whenIPreview();
  await expect(page.getByTestId('hotline-verdict')).toHaveAttribute('data-ok', 'true');
  await h.whenIImport();
  await expect(page.getByTestId('hotline-status')).toHaveText('已导入');
  await expect(h.count('accepted')).toHaveText('3');
  await expect(h.count('not_admitted')).toHaveText('1');
  await expect(h.count('triaged')).toHaveText('1');
  await expect(h.count('invalid')).toHaveText('1');
  await expect(h.row(6)).toContainText('不予受理');
  await expect(h.row(7)).toContainText('待甄别');
  await expect(page.getByTestId('hotline-progress')).toHaveAttribute('data-phase', 'done');
  await h.saveScreenshot('hotline-import-report-1920x1080.png');

  // the import is in the history, and the report's case ids are the server's cases
  await expect(page.getByTestId('hotline-history').locator('.hotline-history-item[aria-current="true"]')).toContainText('12345工单-2026-12-02.csv');
  const eventId = (await h.row(2).locator('td').nth(5).textContent())!.trim();
  expect((await gc.api<{ source: string }>(`/events/${eventId}`)).source).toBe('hotline_12345');

  await h.whenIFilter('invalid');
  await expect(h.rows).toHaveCount(1);
  const csv = await h.whenIDownloadTheReport('csv');
  expect(csv.name).toMatch(/\.csv$/);
  expect(csv.bytes.toString('utf8')).toContain('E2E1202A00004');
});
