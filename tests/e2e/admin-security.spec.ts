import type { UserListResponse } from '../../shared/contracts/auth.js';
import type { TeamListResponse } from '../../shared/contracts/teams.js';
import { AdminDriver } from './admin-driver';
import { expect, test } from './fixtures';

// The refusals these tests provoke are answered 4xx, which the browser logs; nothing else may be.
test.use({ expectedConsoleErrors: [/status of 400 \(Bad Request\) \(http:\/\/127\.0\.0\.1:\d+\/api\/v1\/users:/] });

test('the security administrator creates a field worker: a team is required, the server’s refusal is shown, then the account exists', async ({ gc, page }) => {
  const admin = new AdminDriver(gc);
  await admin.givenSignedInAs('demo-secadmin', 'security');
  await expect(page.getByTestId('account-checks-ok')).toContainText('符合三权分立规定');
  await expect(page.getByTestId('user-row')).not.toHaveCount(0);

  await page.getByTestId('user-new').click();
  const form = page.getByTestId('user-form');
  // no administrator role is offered at all
  await expect(form.locator('[data-role="sysadmin"], [data-role="secadmin"], [data-role="auditor"]')).toHaveCount(0);
  await form.getByTestId('user-form-username').fill('demo-field');
  await form.getByTestId('user-form-name').fill('测试·网格员');
  await form.getByTestId('user-form-password').fill('Grid#2026x');
  await form.locator('[data-role="field_worker"]').check();
  await form.getByTestId('user-form-submit').click();
  await expect(form.getByTestId('grant-team')).toHaveAttribute('aria-invalid', 'true');
  await expect(form).toContainText('网格员必须选择所属队伍');
  await expect(admin.confirmDialog).toHaveCount(0);

  // not demo-field's team: other specs on this server rely on demo-field being its only member
  const fieldTeamId = (await gc.fieldTeam()).id;
  const team = (await gc.api<TeamListResponse>('/teams')).items.find((t) => t.id !== fieldTeamId)!.id;
  await form.getByTestId('grant-team').selectOption(team);
  await form.getByTestId('user-form-submit').click();
  await expect(admin.confirmDialog).toContainText('创建用户 demo-field');
  await admin.whenIConfirm();
  // the username is taken: the server refuses, and says so in the dialog and beside the field
  await expect(page.getByTestId('admin-confirm-error')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(form).toContainText('已被占用');

  await form.getByTestId('user-form-username').fill('wang.gridworker');
  await form.getByTestId('user-form-submit').click();
  await admin.whenIConfirmWithEnter();
  await admin.thenTheNoticeSays('ok', '已创建用户 wang.gridworker');
  await expect(page.getByTestId('user-panel')).toHaveAttribute('data-username', 'wang.gridworker');
  await expect(page.getByTestId('user-panel-team')).toContainText(team);
  const stored = (await gc.api<UserListResponse>('/users', 'demo-secadmin')).items.find((u) => u.username === 'wang.gridworker');
  expect(stored).toMatchObject({ roles: ['field_worker'], teamId: team, disabled: false });
  await admin.screenshot('admin-security-users');
});

test('the security administrator disables and enables an account, and is offered nothing on their own or an administrator’s', async ({ gc, page }) => {
  const admin = new AdminDriver(gc);
  await admin.givenSignedInAs('demo-secadmin', 'security');

  await admin.whenISelectTheUser('demo-secadmin');
  await expect(page.getByTestId('user-panel-blocked')).toContainText('您本人的账号');
  await expect(page.getByTestId('user-actions')).toHaveCount(0);
  await admin.whenISelectTheUser('demo-auditor');
  await expect(page.getByTestId('user-panel-blocked')).toContainText('npm run admin');
  await expect(page.getByTestId('user-actions')).toHaveCount(0);

  await admin.whenISelectTheUser('demo-duty');
  await page.getByTestId('user-disable').click();
  await expect(admin.confirmDialog).toContainText('停用 demo-duty');
  await admin.whenIConfirm();
  await admin.thenTheNoticeSays('ok', '已停用 demo-duty');
  await expect(admin.userRow('demo-duty').locator('[data-state="disabled"]')).toBeVisible();
  const duty = async () => (await gc.api<UserListResponse>('/users', 'demo-secadmin')).items.find((u) => u.username === 'demo-duty')!;
  expect((await duty()).disabled).toBe(true);

  await page.getByTestId('users-filter-state').selectOption('disabled');
  await expect(page.getByTestId('user-row')).toHaveCount(1);
  await page.getByTestId('users-filter-state').selectOption('');

  await page.getByTestId('user-enable').click();
  await admin.whenIConfirm();
  await admin.thenTheNoticeSays('ok', '已启用 demo-duty');
  expect((await duty()).disabled).toBe(false);
});

test('the security administrator changes roles (ending the sessions) and enrols a second factor shown as a QR code', async ({ gc, page, server }) => {
  // a shift lead of this test's own: the demo's are signed in by other specs on the same server,
  // which a role change (ending their sessions) and a second factor would lock out
  const { token } = await gc.restLogin('demo-secadmin');
  const created = await page.request.post(`${server.url}/api/v1/users`, {
    headers: { Authorization: `Bearer ${token}` },
    data: { username: 'zhao.shiftlead', displayName: '测试·带班领导', password: 'Grid#2026x-lead', roles: ['shift_lead'] },
  });
  expect(created.status(), await created.text()).toBe(201);
  const admin = new AdminDriver(gc);
  await admin.givenSignedInAs('demo-secadmin', 'security');
  await admin.whenISelectTheUser('zhao.shiftlead');

  await page.getByTestId('user-edit-grant').click();
  const grant = page.getByTestId('grant-form');
  // a wall role stands alone: it cannot be ticked beside another
  await expect(grant.locator('[data-role="wall"]')).toBeDisabled();
  await grant.locator('[data-role="duty_officer"]').check();
  await page.getByTestId('grant-save').click();
  await expect(admin.confirmDialog).toContainText('所有会话立即结束');
  await admin.whenIConfirm();
  await admin.thenTheNoticeSays('ok', '已修改 zhao.shiftlead');
  await expect(page.getByTestId('user-panel-roles')).toContainText('值班员');

  await page.getByTestId('user-totp').click();
  await admin.whenIConfirm();
  const enrolment = page.getByTestId('totp-enrolment');
  await expect(enrolment.locator('svg')).toBeVisible();
  await expect(enrolment.getByTestId('totp-secret')).toHaveText(/^[A-Z2-7 ]{20,}$/);
  await admin.screenshot('admin-security-totp');
  await enrolment.getByTestId('totp-done').click();
  await expect(enrolment).toHaveCount(0);
  const lead = (await gc.api<UserListResponse>('/users', 'demo-secadmin')).items.find((u) => u.username === 'zhao.shiftlead')!;
  expect(lead).toMatchObject({ totpEnrolled: true, roles: ['shift_lead', 'duty_officer'] });
});

test('the security administrator issues an API key (the secret shown once) and revokes it with a reason', async ({ gc, page }) => {
  const admin = new AdminDriver(gc);
  await admin.givenSignedInAs('demo-secadmin', 'security');
  await admin.whenIOpenTheSection('keys');

  await page.getByTestId('keys-issue').click();
  const issue = page.getByTestId('api-key-issue');
  await issue.getByTestId('api-key-name').fill('12345 热线对接');
  await issue.getByTestId('api-key-channel-select').selectOption('hotline');
  await issue.getByTestId('admin-confirm-ok').click();
  const created = page.getByTestId('api-key-created');
  await expect(created.getByTestId('api-key-secret')).toHaveText(/^gck_[A-Za-z0-9_-]{20,}$/);
  await expect(created).toContainText('只显示这一次');
  await admin.screenshot('admin-security-key-issued');
  const secret = await created.getByTestId('api-key-secret').textContent();
  await created.getByTestId('admin-confirm-ok').click();
  await expect(created).toHaveCount(0);

  // the key opens the API for its integration account
  const ok = await page.request.get(`${gc.server.url}/api/v1/catalog`, { headers: { 'X-API-Key': secret! } });
  expect(ok.status()).toBe(200);

  const row = page.locator('[data-testid="api-key-row"][data-state="active"]', { hasText: '12345 热线对接' });
  // bound to the one intake channel chosen
  await expect(row.getByTestId('api-key-channel')).toHaveText('12345 热线');
  await row.getByTestId('api-key-revoke').click();
  await expect(admin.confirmDialog.getByTestId('admin-confirm-ok')).toBeDisabled();
  await admin.confirmDialog.getByTestId('api-key-reason').fill('对接方更换');
  await admin.whenIConfirm();
  await admin.thenTheNoticeSays('ok', '已吊销');
  await expect(page.locator('[data-testid="api-key-row"][data-state="revoked"]', { hasText: '对接方更换' })).toBeVisible();
  await admin.screenshot('admin-security-keys');
  const refused = await page.request.get(`${gc.server.url}/api/v1/catalog`, { headers: { 'X-API-Key': secret! } });
  expect(refused.status()).toBe(401);
});
