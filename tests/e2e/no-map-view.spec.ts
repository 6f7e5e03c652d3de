import { resolve } from 'node:path';
import { expect, test } from './fixtures';
import type { DemoUser } from './driver';

const ROLES_WITHOUT_MAP: { user: DemoUser; role: string }[] = [
  { user: 'demo-secadmin', role: '安全管理员' },
  { user: 'demo-sysadmin', role: '系统管理员' },
];

for (const { user, role } of ROLES_WITHOUT_MAP) {
  test(`${user} gets the "no map view" screen with name, role and a way out`, async ({ gc, page }) => {
    const { user: me } = await gc.restLogin(user);
    await gc.whenIOpenTheConsole();
    await gc.whenISignIn(user);

    const screen = page.getByTestId('no-map-view');
    await expect(screen).toBeVisible();
    await expect(screen).toContainText('此控制台供指挥调度人员使用');
    await expect(screen.getByTestId('account-name')).toHaveText(me.displayName);
    await expect(screen.getByTestId('account-role')).toHaveText(role);
    // No county data was asked for: a refused request would also fail the console-error guard.
    await expect(page.locator('.map-pane')).toHaveCount(0);
    await page.screenshot({ path: resolve(import.meta.dirname, `../../test-results/screens/no-map-view-${user}-1920x1080.png`) });

    await gc.whenISignOut();
    await gc.thenTheLoginIsShown();
  });
}
