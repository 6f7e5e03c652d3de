/**
 * The session token on disk, encrypted by the OS key store. No Electron import: the cipher is
 * passed in (`safe-storage.ts` adapts Electron's safeStorage), so the file handling and the
 * refusals are tested with real files.
 */
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { StoreTokenResult } from '../../shared/contracts/ipc.js';
import { sessionTokenSchema } from './ipc-arguments.js';

/** File name under the app's userData folder. */
export const TOKEN_FILE_NAME = 'session-token.bin';

/** Encryption by the OS key store (Keychain, DPAPI, libsecret/kwallet). */
export interface TokenCipher {
  /** False when encrypting would not protect anything (no key store); then nothing is stored. */
  isAvailable(): Promise<boolean>;
  encrypt(plainText: string): Promise<Buffer>;
  /** `reEncrypt`: the key was rotated; writing the value again upgrades the file. */
  decrypt(encrypted: Buffer): Promise<{ plainText: string; reEncrypt: boolean }>;
}

export interface TokenVault {
  store(token: string): Promise<StoreTokenResult>;
  load(): Promise<string | null>;
  clear(): Promise<void>;
}

/** What is encrypted: the token and the server it was issued by. */
interface Sealed {
  v: 1;
  server: string;
  token: string;
}

/**
 * Keeps one token in `file` (mode 0600), encrypted, bound to `serverOrigin`: a token issued by one
 * server is never handed out while the shell points at another. Operations run one at a time, so
 * a sign-out's `clear` cannot be overtaken by an earlier `store`.
 */
export function createTokenVault(opts: { file: string; cipher: TokenCipher; serverOrigin: string }): TokenVault {
  const { file, cipher, serverOrigin } = opts;
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(operation: () => Promise<T>): Promise<T> => {
    const next = queue.then(operation, operation);
    queue = next.catch(() => undefined);
    return next;
  };

  const write = async (token: string): Promise<void> => {
    const sealed: Sealed = { v: 1, server: serverOrigin, token };
    const encrypted = await cipher.encrypt(JSON.stringify(sealed));
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    // Write aside and rename, so a crash never leaves half a file; 0600 from creation on.
    const temporary = `${file}.${process.pid}.tmp`;
    await writeFile(temporary, encrypted, { mode: 0o600 });
    await chmod(temporary, 0o600);
    await rename(temporary, file);
  };

  return {
    store: (token) =>
      serial(async () => {
        // Main validated the IPC argument already; checked again because the vault must not rely on it.
        if (!sessionTokenSchema.safeParse(token).success) throw new TypeError('not a session token');
        if (!(await cipher.isAvailable())) return { stored: false, reason: 'encryption-unavailable' } as const;
        await write(token);
        return { stored: true } as const;
      }),

    load: () =>
      serial(async () => {
        let encrypted: Buffer;
        try {
          encrypted = await readFile(file);
        } catch {
          return null;
        }
        if (!(await cipher.isAvailable())) return null;
        let sealed: Sealed | null;
        let reEncrypt: boolean;
        try {
          const decrypted = await cipher.decrypt(encrypted);
          sealed = parseSealed(decrypted.plainText);
          reEncrypt = decrypted.reEncrypt;
        } catch {
          sealed = null;
          reEncrypt = false;
        }
        if (sealed === null) {
          // Undecryptable (key store reset, another user's file) or not ours: useless, remove it.
          await rm(file, { force: true });
          return null;
        }
        if (sealed.server !== serverOrigin) return null;
        if (reEncrypt) await write(sealed.token);
        return sealed.token;
      }),

    clear: () => serial(() => rm(file, { force: true })),
  };
}

function parseSealed(plainText: string): Sealed | null {
  let value: unknown;
  try {
    value = JSON.parse(plainText);
  } catch {
    return null;
  }
  if (typeof value !== 'object' || value === null) return null;
  const { v, server, token } = value as Record<string, unknown>;
  if (v !== 1 || typeof server !== 'string' || !sessionTokenSchema.safeParse(token).success) return null;
  return { v, server, token: token as string };
}

/**
 * Whether the key store behind safeStorage protects anything. On Linux without a keyring Chromium
 * falls back to `basic_text`, a fixed key compiled into every build: that is obfuscation, not
 * encryption, so it counts as unavailable. Other platforms always use the OS store.
 */
export function isProtectiveBackend(platform: NodeJS.Platform, linuxBackend: string | undefined): boolean {
  if (platform !== 'linux') return true;
  return linuxBackend !== undefined && linuxBackend !== 'basic_text' && linuxBackend !== 'unknown';
}
