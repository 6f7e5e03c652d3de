import { electronBinary, expect, SKIP_WITHOUT_ELECTRON, test } from './fixtures.js';

test.skip(electronBinary === null, SKIP_WITHOUT_ELECTRON);
test.use({ shellOptions: { packagedConsole: true, extraArgs: [] } });

const CONSOLE_URL = 'app://gridcommand/index.html';

test('the window loads its own console from app://gridcommand', async ({ shell }) => {
  await shell.whenConsoleLoaded();
  expect(await shell.currentUrl()).toBe(CONSOLE_URL);
  expect(await shell.windowTitle()).toBe('网格智治指挥台 GridCommand');
});

test('the console is told which server to talk to', async ({ shell, server }) => {
  await shell.whenConsoleLoaded();
  expect(await shell.callPreload('getServerUrl')).toBe(server.url);
});

test('the console is served with a CSP that allows exactly the server', async ({ shell, server }) => {
  await shell.whenConsoleLoaded();
  const { origin, host } = new URL(server.url);
  const page = await shell.fetchInPage(CONSOLE_URL);
  expect(page.status).toBe(200);
  expect(page.contentType).toBe('text/html; charset=utf-8');
  expect(page.csp).toContain(`connect-src 'self' ${origin} ws://${host};`);
  expect(page.csp).toContain("script-src 'self';");
});

test('files outside the console folder cannot be reached', async ({ shell }) => {
  await shell.whenConsoleLoaded();
  for (const url of [
    'app://gridcommand/..%2f..%2fpackage.json',
    'app://gridcommand/%2e%2e%2f%2e%2e%2fpackage.json',
    'app://gridcommand/%5c..%5c..%5cpackage.json',
    'app://gridcommand/..%5c..%5cpackage.json',
    'app://gridcommand/assets/',
  ]) {
    expect((await shell.fetchInPage(url)).status, url).toBe(404);
  }
});

test('navigation to the server origin is blocked, since the console origin is app://gridcommand', async ({ shell, server }) => {
  await shell.whenConsoleLoaded();
  await shell.navigateTo(server.url);
  await shell.waitForShellLog(`blocked navigation to ${server.url}`);
  expect(await shell.currentUrl()).toBe(CONSOLE_URL);
});

test('window.open is denied', async ({ shell, foreignSite }) => {
  await shell.whenConsoleLoaded();
  expect(await shell.openWindow(foreignSite.url)).toBe(false);
  await shell.waitForShellLog(`denied window.open for ${foreignSite.url}`);
  expect(await shell.windowCount()).toBe(1);
  expect(foreignSite.hits).toBe(0);
});
