import { resolve } from 'node:path';
import Database from 'better-sqlite3';
import { expect, test } from './fixtures';

test('the security administrator sees the accounts that break the separation of administrators (三权分立)', async ({ gc, page, server }) => {
  await gc.whenIOpenTheConsole();
  await gc.whenISignIn('demo-secadmin');
  await expect(page.getByTestId('admin-frame')).toHaveAttribute('data-screen', 'security');
  await expect(page.getByTestId('account-checks-ok')).toContainText('符合三权分立规定');

  // An account that an older version or a hand edit left holding two administrator roles.
  const db = new Database(resolve(server.dataDir, 'gridcommand.db'));
  const before = (db.prepare("SELECT roles FROM users WHERE username = 'demo-auditor'").get() as { roles: string }).roles;
  db.prepare("UPDATE users SET roles = '[\"auditor\",\"sysadmin\"]' WHERE username = 'demo-auditor'").run();
  try {
    await page.reload();
    const problems = page.getByTestId('account-checks-problems');
    await expect(problems).toBeVisible();
    await expect(problems).toContainText('demo-auditor');
    await expect(problems).toContainText('兼任两个以上管理员角色');
    await expect(problems).toContainText('npm run admin -- set-roles');
    // the list marks the account too, and the filter finds it
    await page.getByTestId('users-filter-state').selectOption('problem');
    await expect(page.getByTestId('user-row')).toHaveCount(1);
    const row = page.locator('[data-testid="user-row"][data-username="demo-auditor"]');
    await expect(row.locator('[data-state="problem"]')).toBeVisible();
    await row.click();
    await expect(page.getByTestId('user-panel-problem')).toContainText('npm run admin -- set-roles');
    await page.screenshot({ path: resolve(import.meta.dirname, '../../test-results/screens/account-checks-1920x1080.png') });
  } finally {
    db.prepare("UPDATE users SET roles = ? WHERE username = 'demo-auditor'").run(before);
    db.close();
  }
});
