import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { expect, test } from './fixtures';

const SCREENS = resolve(import.meta.dirname, '../../test-results/screens');
const CSV_HEADER = 'seq,at,user_id,username,role,action,object_type,object_id,result,reason,source_ip,client,details,prev_hash,hash';

test('the auditor reads the audit trail, finds a denied call by its result and exports it as CSV', async ({ gc, page }) => {
  await gc.whenIOpenTheConsole();
  await gc.whenISignIn('demo-auditor');

  const viewer = page.getByTestId('audit-viewer');
  await expect(viewer).toBeVisible();
  await expect(page.locator('.map-pane')).toHaveCount(0);
  // Newest first: the auditor's own sign-in is at the top, among the first rows.
  const ownLogin = viewer.locator('[data-testid="audit-row"][data-action="auth:login"]', { hasText: 'demo-auditor' }).first();
  await expect(ownLogin).toBeVisible();
  await expect(ownLogin).toContainText('登录');
  await expect(ownLogin).toContainText('成功');
  await page.screenshot({ path: `${SCREENS}/audit-viewer-1920x1080.png` });

  // The demo users were created before any of that.
  await viewer.getByLabel('操作').selectOption('user:create');
  await viewer.getByRole('button', { name: '查询' }).click();
  await expect(viewer.getByTestId('audit-row').first()).toContainText('新建用户');
  await expect(viewer.getByTestId('audit-row').filter({ hasText: 'user · demo-dispatcher' })).toHaveCount(1);
  await expect(viewer.getByTestId('audit-row').filter({ hasText: 'user · demo-auditor' })).toHaveCount(1);

  // The dispatcher may not read the audit trail: the refusal is itself recorded.
  const { token } = await gc.restLogin('demo-dispatcher');
  expect(await gc.apiStatusWithToken('/audit', token)).toBe(403);

  await viewer.getByLabel('操作').selectOption('');
  await viewer.getByLabel('结果').selectOption('denied');
  await viewer.getByLabel('用户', { exact: true }).fill('demo-dispatcher');
  await viewer.getByLabel('用户', { exact: true }).press('Enter'); // Enter searches, as the button does
  const denied = viewer.getByTestId('audit-row').filter({ hasText: 'GET /api/v1/audit' }).first();
  await expect(denied).toBeVisible();
  await expect(denied).toContainText('拒绝');
  await expect(denied).toContainText('demo-dispatcher');
  await expect(viewer.locator('[data-testid="audit-row"]:not([data-result="denied"])')).toHaveCount(0);
  const seq = await denied.getAttribute('data-seq');
  await page.screenshot({ path: `${SCREENS}/audit-viewer-denied-1920x1080.png` });

  const [download] = await Promise.all([page.waitForEvent('download'), viewer.getByTestId('audit-export').click()]);
  expect(download.suggestedFilename()).toMatch(/^audit-.*\.csv$/);
  const csv = await readFile(await download.path(), 'utf8');
  expect(csv.startsWith('\uFEFF')).toBe(true);
  const lines = csv.slice(1).split('\r\n');
  expect(lines[0]).toBe(CSV_HEADER);
  expect(lines.some((line) => line.startsWith(`${seq},`) && line.includes('GET /api/v1/audit') && line.includes(',denied,'))).toBe(true);
  await expect(viewer.getByTestId('audit-export-status')).toContainText('已导出');
});
