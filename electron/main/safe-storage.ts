import { safeStorage } from 'electron';
import { isProtectiveBackend, type TokenCipher } from './token-vault.js';

/**
 * Electron's safeStorage as the vault's cipher. Uses the asynchronous API: in Electron 45 the
 * synchronous `encryptString`/`isEncryptionAvailable` are deprecated in its favour, and data
 * written by either is readable by `decryptStringAsync`.
 */
export function safeStorageCipher(platform: NodeJS.Platform = process.platform): TokenCipher {
  return {
    isAvailable: async () =>
      (await safeStorage.isAsyncEncryptionAvailable()) &&
      isProtectiveBackend(platform, platform === 'linux' ? safeStorage.getSelectedStorageBackend() : undefined),
    encrypt: (plainText) => safeStorage.encryptStringAsync(plainText),
    decrypt: async (encrypted) => {
      const { result, shouldReEncrypt } = await safeStorage.decryptStringAsync(encrypted);
      return { plainText: result, reEncrypt: shouldReEncrypt };
    },
  };
}
