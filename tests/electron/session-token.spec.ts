import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { electronBinary, expect, SKIP_WITHOUT_ELECTRON, test } from './fixtures.js';

test.skip(electronBinary === null, SKIP_WITHOUT_ELECTRON);
test.use({ shellOptions: { packagedConsole: true, extraArgs: [] } });

const TOKEN = 'q3Jm1Vd8xZ_Yk-0aP9sT2uW4eR6tY8iO0pLkJhGfDsA';
const TOKEN_FILE = 'session-token.bin';

test('a token is kept encrypted, owner-only, across restarts, and cleared on sign-out', async ({ launchShell }) => {
  let shell = await launchShell();
  await shell.whenConsoleLoaded();
  const backend = await shell.storageBackend();
  test.skip(backend === 'basic_text', 'no OS key store on this machine (safeStorage would use basic_text); the refusal is tested below');

  expect(await shell.callPreload('storeToken', TOKEN)).toEqual({ stored: true });
  const file = join(await shell.userDataPath(), TOKEN_FILE);
  expect(readFileSync(file).includes(Buffer.from(TOKEN))).toBe(false);
  if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
  expect(await shell.callPreload('loadToken')).toBe(TOKEN);

  await shell.close();
  shell = await launchShell();
  await shell.whenConsoleLoaded();
  expect(await shell.callPreload('loadToken')).toBe(TOKEN);

  await shell.callPreload('clearToken');
  expect(await shell.callPreload('loadToken')).toBeNull();
  expect(readdirSync(await shell.userDataPath())).not.toContain(TOKEN_FILE);
});

test('a token stored for one server is not handed out for another', async ({ launchShell, foreignSite }) => {
  let shell = await launchShell();
  await shell.whenConsoleLoaded();
  test.skip((await shell.storageBackend()) === 'basic_text', 'no OS key store on this machine');
  expect(await shell.callPreload('storeToken', TOKEN)).toEqual({ stored: true });
  await shell.close();

  // The foreign site plays the other server; it serves no console, so the shell loads its page.
  shell = await launchShell({ serverUrl: foreignSite.url, packagedConsole: false });
  await shell.whenPageLoaded();
  expect(await shell.callPreload('loadToken')).toBeNull();
});

test('without an OS key store nothing is stored, not even obfuscated', async ({ launchShell }) => {
  test.skip(process.platform !== 'linux', '--password-store selects the key store on Linux only');
  const shell = await launchShell({ extraArgs: ['--password-store=basic'] });
  await shell.whenConsoleLoaded();
  expect(await shell.storageBackend()).toBe('basic_text');
  expect(await shell.callPreload('storeToken', TOKEN)).toEqual({ stored: false, reason: 'encryption-unavailable' });
  expect(await shell.callPreload('loadToken')).toBeNull();
  expect(readdirSync(await shell.userDataPath())).not.toContain(TOKEN_FILE);
});

test('main refuses malformed tokens', async ({ shell }) => {
  await shell.whenConsoleLoaded();
  for (const bad of ['', 'A'.repeat(201), '../../etc/passwd', 'with space', `${TOKEN}=`]) {
    await expect(shell.callPreload('storeToken', bad), JSON.stringify(bad)).rejects.toThrow('session:store-token refused its arguments');
  }
  expect(readdirSync(await shell.userDataPath())).not.toContain(TOKEN_FILE);
});
