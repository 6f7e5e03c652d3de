import type { CatalogItem, CatalogItemInput, CatalogResponse, CatalogVersionDetail, CatalogVersionSummary } from '../../shared/contracts/catalog.js';
import { AdminDriver } from './admin-driver';
import { expect, test } from './fixtures';

const input = ({ handleLimit: _derived, ...item }: CatalogItem): CatalogItemInput => structuredClone(item);

/** A draft of the active catalog with one item's handling limit changed, one item added and one removed. */
async function givenADraft(admin: AdminDriver, by: 'demo-lead' | 'demo-approver', note: string): Promise<{ draft: CatalogVersionDetail; changed: CatalogItem }> {
  const active = await admin.gc.api<CatalogResponse>('/catalog');
  const [first, second, ...rest] = active.items.map(input);
  const u = first!.defaultUrgency;
  const slower: CatalogItemInput = { ...first!, limits: { ...first!.limits, [u]: { ...first!.limits[u]!, handle: { value: 3, unit: 'work_days' } } } };
  const added: CatalogItemInput = { ...second!, code: `Z${String(Date.now() % 1000).padStart(3, '0')}`, name: '共享单车乱停放', nameEn: 'Bikes parked badly' };
  const draft = await admin.apiSend<CatalogVersionDetail>('POST', '/catalog/versions', by, { note, items: [slower, added, ...rest], referrals: active.referrals });
  return { draft, changed: active.items[0]! };
}

test('the catalog approver sees a draft as a field-by-field difference and rejects it with a reason; the history keeps it', async ({ gc, page }) => {
  const admin = new AdminDriver(gc);
  const { draft, changed } = await givenADraft(admin, 'demo-lead', '放宽处置时限，新增共享单车乱停放');
  await admin.givenSignedInAs('demo-approver', 'catalog');

  const panel = page.getByTestId('version-panel');
  await expect(panel).toHaveAttribute('data-version', String(draft.version));
  await expect(panel.getByTestId('diff-summary')).toContainText('新增 1');
  await expect(panel.getByTestId('diff-summary')).toContainText('删除 1');
  await expect(panel.getByTestId('diff-summary')).toContainText('修改 1');
  const change = panel.locator(`[data-testid="diff-changed-item"][data-code="${changed.code}"]`);
  await expect(change.locator(`[data-path="limits.${changed.defaultUrgency}.handle"]`)).toContainText('3 工作日');
  await expect(panel.getByTestId('diff-added-items')).toContainText('共享单车乱停放');
  await admin.screenshot('admin-catalog-draft');

  await panel.getByTestId('catalog-reject').click();
  await expect(admin.confirmDialog.getByTestId('admin-confirm-ok')).toBeDisabled();
  await admin.confirmDialog.getByTestId('catalog-reject-reason').fill('删除事项前须征求责任部门意见');
  await admin.whenIConfirm();
  await admin.thenTheNoticeSays('ok', `第 ${draft.version} 版已驳回`);
  await expect(page.getByTestId('no-drafts')).toBeVisible();

  await admin.whenIOpenTheSection('history');
  await page.locator(`[data-testid="catalog-version"][data-version="${draft.version}"]`).click();
  await expect(panel.locator('[data-status="rejected"]')).toBeVisible();
  await expect(panel.getByTestId('version-reason')).toHaveText('删除事项前须征求责任部门意见');
  const stored = (await gc.api<{ items: CatalogVersionSummary[] }>('/catalog/versions', 'demo-approver')).items.find((v) => v.version === draft.version);
  expect(stored).toMatchObject({ status: 'rejected', decisionReason: '删除事项前须征求责任部门意见', decidedBy: '演示·清单审核人' });
});

test('the catalog approver approves a draft, which becomes the active catalog', async ({ gc, page }) => {
  const admin = new AdminDriver(gc);
  const { draft } = await givenADraft(admin, 'demo-lead', '调整时限');
  await admin.givenSignedInAs('demo-approver', 'catalog');
  await page.locator(`[data-testid="catalog-version"][data-version="${draft.version}"]`).click();
  await page.getByTestId('catalog-approve').click();
  await expect(admin.confirmDialog).toContainText(`第 ${draft.version} 版将取代`);
  await admin.whenIConfirm();
  await admin.thenTheNoticeSays('ok', `第 ${draft.version} 版已批准并生效`);
  expect((await gc.api<CatalogResponse>('/catalog')).version).toBe(draft.version);
  await admin.whenIOpenTheSection('history');
  await expect(page.locator(`[data-testid="catalog-version"][data-version="${draft.version}"] [data-status="active"]`)).toBeVisible();
  await admin.screenshot('admin-catalog-history');
});

test('the catalog approver is told a draft is their own and offered no decision on it', async ({ gc, page }) => {
  const admin = new AdminDriver(gc);
  const { draft } = await givenADraft(admin, 'demo-approver', '本人起草');
  await admin.givenSignedInAs('demo-approver', 'catalog');
  await page.locator(`[data-testid="catalog-version"][data-version="${draft.version}"]`).click();
  await expect(page.getByTestId('catalog-own-draft')).toContainText('须由其他审核人');
  await expect(page.getByTestId('catalog-approve')).toBeDisabled();
  await expect(page.getByTestId('catalog-reject')).toBeDisabled();
});
