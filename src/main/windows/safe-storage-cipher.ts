/** The desktop app's secret cipher: Electron's safeStorage (Keychain, DPAPI, libsecret/kwallet). */
import { safeStorage } from 'electron';
import type { CipherChoice } from '../settings/secret-cipher';

export function safeStorageCipher(): CipherChoice {
  if (!safeStorage.isEncryptionAvailable()) {
    return { cipher: null, refusal: 'the system offers no encryption to this app (no keychain or secret service), so secrets are not stored' };
  }
  // On Linux without a secret service Electron falls back to a hard-coded key: that is not encryption.
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') {
    return { cipher: null, refusal: 'no secret service (gnome-keyring or kwallet) is running, so secrets are not stored' };
  }
  return {
    cipher: {
      name: 'Electron safeStorage',
      encrypt: (plain) => safeStorage.encryptString(plain).toString('base64'),
      decrypt: (sealed) => safeStorage.decryptString(Buffer.from(sealed, 'base64')),
    },
    refusal: null,
  };
}
