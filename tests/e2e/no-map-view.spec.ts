import { resolve } from 'node:path';
import { expect, test } from './fixtures';
import type { DemoUser } from './driver';

const ADMINISTRATORS: { user: DemoUser; role: string; screen: string; title: string }[] = [
  { user: 'demo-secadmin', role: '安全管理员', screen: 'security', title: '安全管理' },
  { user: 'demo-sysadmin', role: '系统管理员', screen: 'system', title: '系统管理' },
  { user: 'demo-approver', role: '清单审核人', screen: 'catalog', title: '事项清单审核' },
  { user: 'demo-auditor', role: '审计管理员', screen: 'audit', title: '审计日志' },
];

for (const { user, role, screen, title } of ADMINISTRATORS) {
  test(`${user} lands on their own screen in the administrators' frame, with name, role and a way out`, async ({ gc, page }) => {
    const { user: me } = await gc.restLogin(user);
    await gc.whenIOpenTheConsole();
    await gc.whenISignIn(user);

    const frame = page.getByTestId('admin-frame');
    await expect(frame).toHaveAttribute('data-screen', screen);
    await expect(frame.getByTestId('admin-title')).toHaveText(title);
    await expect(frame.getByTestId('user-name')).toHaveText(me.displayName);
    await expect(frame.getByTestId('user-role')).toHaveText(role);
    // No county data was asked for: a refused request would also fail the console-error guard.
    await expect(page.locator('.map-pane')).toHaveCount(0);
    await page.screenshot({ path: resolve(import.meta.dirname, `../../test-results/screens/admin-landing-${user}-1920x1080.png`) });

    await gc.whenISignOut();
    await gc.thenTheLoginIsShown();
  });
}

test('an integration account signing in by password gets the plain account page, not a map', async ({ gc, page }) => {
  const { user: me } = await gc.restLogin('demo-gateway');
  await gc.whenIOpenTheConsole();
  await gc.whenISignIn('demo-gateway');
  const screen = page.getByTestId('no-map-view');
  await expect(screen).toBeVisible();
  await expect(screen).toContainText('此控制台供指挥调度人员使用');
  await expect(screen.getByTestId('account-name')).toHaveText(me.displayName);
  await expect(page.locator('.map-pane')).toHaveCount(0);
  await gc.whenISignOut();
  await gc.thenTheLoginIsShown();
});
