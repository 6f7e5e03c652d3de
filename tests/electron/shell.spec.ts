import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { electronBinary, expect, SKIP_WITHOUT_ELECTRON, test } from './fixtures.js';
import { REPO_ROOT } from './server-process.js';

test.skip(electronBinary === null, SKIP_WITHOUT_ELECTRON);

test('the window loads the console from the server', async ({ shell, server }) => {
  await shell.whenConsoleLoaded();
  expect(await shell.currentUrl()).toBe(server.url);
  expect(await shell.windowTitle()).toBe('网格智治指挥台 GridCommand');
});

test('window.gridcommand exposes exactly the preload API', async ({ shell, server }) => {
  await shell.whenConsoleLoaded();
  expect(await shell.exposedApi()).toEqual({
    platform: 'string',
    getServerUrl: 'function',
    getVersion: 'function',
    storeToken: 'function',
    loadToken: 'function',
    clearToken: 'function',
    saveBriefingPdf: 'function',
  });
  const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
  expect(await shell.callApi()).toEqual({ platform: 'electron', serverUrl: server.url, version });
});

test('the page sees no Node globals', async ({ shell }) => {
  await shell.whenConsoleLoaded();
  expect(await shell.nodeGlobals()).toEqual({
    require: 'undefined',
    process: 'undefined',
    module: 'undefined',
    Buffer: 'undefined',
    global: 'undefined',
  });
});

test('window.open is denied', async ({ shell, foreignSite }) => {
  await shell.whenConsoleLoaded();
  expect(await shell.openWindow(foreignSite.url)).toBe(false);
  await shell.waitForShellLog(`denied window.open for ${foreignSite.url}`);
  expect(await shell.windowCount()).toBe(1);
  expect(foreignSite.hits).toBe(0);
});

test('navigation to another origin is blocked', async ({ shell, server, foreignSite }) => {
  await shell.whenConsoleLoaded();
  await shell.navigateTo(foreignSite.url);
  await shell.waitForShellLog(`blocked navigation to ${foreignSite.url}`);
  expect(await shell.currentUrl()).toBe(server.url);
  expect(foreignSite.hits).toBe(0);
});
