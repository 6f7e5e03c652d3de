import { resolve } from 'node:path';
import { expect, type Locator, type Page } from '@playwright/test';
import type { ConsoleDriver, DemoUser } from './driver';

const SCREENS = resolve(import.meta.dirname, '../../test-results/screens');

/**
 * UI actions of the administrators' screens, as given / when / then: what a security
 * administrator, a catalog approver or a system administrator does with the mouse and keyboard.
 * REST calls of the tests themselves (to arrange a draft, to check what was stored) go through the
 * console driver's `restLogin` and `api`.
 */
export class AdminDriver {
  readonly page: Page;

  constructor(readonly gc: ConsoleDriver) {
    this.page = gc.page;
  }

  // ---------- given ----------

  /** Signs in through the login screen and waits for the administrator's own screen. */
  async givenSignedInAs(user: DemoUser, screen: 'security' | 'catalog' | 'system' | 'audit'): Promise<void> {
    await this.gc.whenIOpenTheConsole();
    await this.gc.whenISignIn(user);
    await expect(this.frame).toHaveAttribute('data-screen', screen);
  }

  /** `METHOD /api/v1…` as `as`, expecting success; answers the body. */
  async apiSend<T>(method: 'POST' | 'PUT', path: string, as: DemoUser, data: unknown): Promise<T> {
    const { token } = await this.gc.restLogin(as);
    const response = await this.page.request.fetch(`${this.gc.server.url}/api/v1${path}`, { method, data, headers: { Authorization: `Bearer ${token}` } });
    expect(response.ok(), `${method} ${path} as ${as}: ${response.status()} ${await response.text()}`).toBe(true);
    return (await response.json()) as T;
  }

  // ---------- when ----------

  async whenIOpenTheSection(id: string): Promise<void> {
    await this.page.getByTestId(`admin-section-${id}`).click();
    await expect(this.page.getByTestId(`admin-section-${id}`)).toHaveAttribute('aria-current', 'page');
  }

  async whenISelectTheUser(username: string): Promise<void> {
    await this.userRow(username).click();
    await expect(this.page.getByTestId('user-panel')).toHaveAttribute('data-username', username);
  }

  /** Confirms the open dialog with its button. */
  async whenIConfirm(): Promise<void> {
    await this.confirmDialog.getByTestId('admin-confirm-ok').click();
  }

  async whenIConfirmWithEnter(): Promise<void> {
    await this.confirmDialog.getByTestId('admin-confirm-ok').press('Enter');
  }

  /** Screenshot of the whole screen at 1920×1080 into test-results/screens/. */
  async screenshot(name: string): Promise<void> {
    await this.page.screenshot({ path: resolve(SCREENS, `${name}-1920x1080.png`) });
  }

  // ---------- then ----------

  async thenTheNoticeSays(tone: 'ok' | 'bad', text: string | RegExp): Promise<void> {
    await expect(this.notice).toHaveAttribute('data-tone', tone);
    await expect(this.notice).toContainText(text);
  }

  get frame(): Locator {
    return this.page.getByTestId('admin-frame');
  }

  get notice(): Locator {
    return this.page.getByTestId('admin-notice');
  }

  get confirmDialog(): Locator {
    return this.page.getByTestId('admin-confirm');
  }

  userRow(username: string): Locator {
    return this.page.locator(`[data-testid="user-row"][data-username="${username}"]`);
  }
}
