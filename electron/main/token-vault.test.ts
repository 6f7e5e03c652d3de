import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTokenVault, isProtectiveBackend, TOKEN_FILE_NAME, type TokenCipher } from './token-vault.js';

const SERVER = 'http://127.0.0.1:8600';
const TOKEN = 'q3Jm1Vd8xZ_Yk-0aP9sT2uW4eR6tY8iO0pLkJhGfDsA';

/**
 * Stands in for safeStorage (which needs Electron, see tests/electron/session-token.spec.ts):
 * real AES-256-GCM with a key that lives in memory only, so a file it wrote is unreadable to any
 * other instance, like a reset key store.
 */
class AesCipher implements TokenCipher {
  available = true;
  reEncrypt = false;
  encryptions = 0;
  private readonly key = randomBytes(32);

  async isAvailable(): Promise<boolean> {
    return this.available;
  }

  async encrypt(plainText: string): Promise<Buffer> {
    this.encryptions += 1;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(plainText, 'utf8'), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), body]);
  }

  async decrypt(encrypted: Buffer): Promise<{ plainText: string; reEncrypt: boolean }> {
    const decipher = createDecipheriv('aes-256-gcm', this.key, encrypted.subarray(0, 12));
    decipher.setAuthTag(encrypted.subarray(12, 28));
    const plainText = Buffer.concat([decipher.update(encrypted.subarray(28)), decipher.final()]).toString('utf8');
    return { plainText, reEncrypt: this.reEncrypt };
  }
}

let userData: string;
let file: string;
let cipher: AesCipher;
const vault = (serverOrigin = SERVER, withCipher: TokenCipher = cipher) => createTokenVault({ file, cipher: withCipher, serverOrigin });

beforeEach(() => {
  userData = mkdtempSync(join(tmpdir(), 'gridcommand-vault-'));
  file = join(userData, TOKEN_FILE_NAME);
  cipher = new AesCipher();
});
afterEach(() => rmSync(userData, { recursive: true, force: true }));

describe('createTokenVault', () => {
  it('stores the token encrypted, owner-only, and loads it back', async () => {
    await expect(vault().store(TOKEN)).resolves.toEqual({ stored: true });
    const bytes = readFileSync(file);
    expect(bytes.includes(Buffer.from(TOKEN))).toBe(false);
    expect(bytes.includes(Buffer.from(SERVER))).toBe(false);
    if (process.platform !== 'win32') expect(statSync(file).mode & 0o777).toBe(0o600);
    await expect(vault().load()).resolves.toBe(TOKEN);
    expect(readdirSync(userData)).toEqual([TOKEN_FILE_NAME]);
  });

  it('replaces the previous token', async () => {
    await vault().store(TOKEN);
    await vault().store('second-token');
    await expect(vault().load()).resolves.toBe('second-token');
  });

  it('creates the folder when it does not exist yet', async () => {
    file = join(userData, 'nested', 'profile', TOKEN_FILE_NAME);
    await expect(vault().store(TOKEN)).resolves.toEqual({ stored: true });
    await expect(vault().load()).resolves.toBe(TOKEN);
  });

  it('refuses to store, and writes nothing, when encryption is unavailable', async () => {
    cipher.available = false;
    await expect(vault().store(TOKEN)).resolves.toEqual({ stored: false, reason: 'encryption-unavailable' });
    expect(existsSync(file)).toBe(false);
    expect(cipher.encryptions).toBe(0);
  });

  it('loads nothing while encryption is unavailable, and keeps the file for later', async () => {
    await vault().store(TOKEN);
    cipher.available = false;
    await expect(vault().load()).resolves.toBeNull();
    cipher.available = true;
    await expect(vault().load()).resolves.toBe(TOKEN);
  });

  it.each(['', 'a'.repeat(201), 'with space', '../../etc/passwd', `${TOKEN}=`])('rejects %j without writing', async (bad) => {
    await expect(vault().store(bad)).rejects.toThrow('not a session token');
    expect(existsSync(file)).toBe(false);
  });

  it('loads null when nothing is stored', async () => {
    await expect(vault().load()).resolves.toBeNull();
  });

  it('never hands one server’s token to another', async () => {
    await vault('http://127.0.0.1:8600').store(TOKEN);
    await expect(vault('http://10.0.0.5:8600').load()).resolves.toBeNull();
    await expect(vault('https://127.0.0.1:8600').load()).resolves.toBeNull();
    // Still there for the server it belongs to.
    await expect(vault('http://127.0.0.1:8600').load()).resolves.toBe(TOKEN);
  });

  it('drops a file the key store can no longer decrypt', async () => {
    await vault().store(TOKEN);
    await expect(vault(SERVER, new AesCipher()).load()).resolves.toBeNull();
    expect(existsSync(file)).toBe(false);
  });

  it.each([
    ['plain text', TOKEN],
    ['not JSON', 'token=abc'],
    ['another version', JSON.stringify({ v: 2, server: SERVER, token: TOKEN })],
    ['a malformed token', JSON.stringify({ v: 1, server: SERVER, token: 'a b' })],
    ['no server', JSON.stringify({ v: 1, token: TOKEN })],
  ])('drops a decryptable file holding %s', async (_what, content) => {
    writeFileSync(file, await cipher.encrypt(content));
    await expect(vault().load()).resolves.toBeNull();
    expect(existsSync(file)).toBe(false);
  });

  it('drops a file that is not encrypted at all', async () => {
    writeFileSync(file, JSON.stringify({ v: 1, server: SERVER, token: TOKEN }));
    await expect(vault().load()).resolves.toBeNull();
    expect(existsSync(file)).toBe(false);
  });

  it('re-encrypts when the key store asks for it', async () => {
    await vault().store(TOKEN);
    const before = readFileSync(file);
    cipher.reEncrypt = true;
    await expect(vault().load()).resolves.toBe(TOKEN);
    expect(readFileSync(file).equals(before)).toBe(false);
    cipher.reEncrypt = false;
    await expect(vault().load()).resolves.toBe(TOKEN);
  });

  it('clears the token, and clearing nothing is fine', async () => {
    const tokens = vault();
    await tokens.store(TOKEN);
    await tokens.clear();
    expect(existsSync(file)).toBe(false);
    await expect(tokens.load()).resolves.toBeNull();
    await expect(tokens.clear()).resolves.toBeUndefined();
  });

  it('runs calls in order: a sign-out right after a sign-in leaves nothing behind', async () => {
    const tokens = vault();
    const stored = tokens.store(TOKEN);
    const cleared = tokens.clear();
    const loaded = tokens.load();
    await Promise.all([stored, cleared]);
    await expect(loaded).resolves.toBeNull();
    expect(existsSync(file)).toBe(false);
  });

  it('keeps working after a failed call', async () => {
    const tokens = vault();
    await expect(tokens.store('bad token')).rejects.toThrow();
    await expect(tokens.store(TOKEN)).resolves.toEqual({ stored: true });
  });
});

describe('isProtectiveBackend', () => {
  it.each(['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6'])('trusts %s on Linux', (backend) => {
    expect(isProtectiveBackend('linux', backend)).toBe(true);
  });

  it.each(['basic_text', 'unknown', undefined])('does not trust %s on Linux (a fixed, public key)', (backend) => {
    expect(isProtectiveBackend('linux', backend)).toBe(false);
  });

  it.each(['darwin', 'win32'] as const)('trusts the OS store on %s', (platform) => {
    expect(isProtectiveBackend(platform, undefined)).toBe(true);
  });
});
