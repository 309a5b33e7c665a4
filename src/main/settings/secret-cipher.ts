/**
 * How secrets in the settings file are encrypted. The desktop app uses Electron's safeStorage (the
 * OS keychain); the web host encrypts with AES-256-GCM under a key it is given in
 * ORDERBOOK_SETTINGS_KEY, and without one refuses to store secrets at all (never plain text).
 */
import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';

export interface SecretCipher {
  /** Shown on the settings page, e.g. "Electron safeStorage". */
  readonly name: string;
  encrypt(plain: string): string;
  decrypt(sealed: string): string;
}

/** Either a way to encrypt, or the reason there is none. */
export type CipherChoice = { cipher: SecretCipher; refusal: null } | { cipher: null; refusal: string };

const KEY_SALT = 'orderbook-monitor settings v1';

/** AES-256-GCM; the sealed text is base64 of iv (12) + tag (16) + ciphertext. */
export function aesGcmCipher(passphrase: string): SecretCipher {
  const key = scryptSync(passphrase, KEY_SALT, 32);
  return {
    name: 'AES-256-GCM (ORDERBOOK_SETTINGS_KEY)',
    encrypt(plain) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    },
    decrypt(sealed) {
      const raw = Buffer.from(sealed, 'base64');
      const decipher = createDecipheriv('aes-256-gcm', key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

/** The web host's choice: a key of at least 16 characters in ORDERBOOK_SETTINGS_KEY, or a refusal. */
export function webHostCipher(env: NodeJS.ProcessEnv): CipherChoice {
  const key = env.ORDERBOOK_SETTINGS_KEY;
  if (!key) {
    return {
      cipher: null,
      refusal: 'this web host has no way to encrypt secrets: start it with ORDERBOOK_SETTINGS_KEY set (16+ characters), or use environment variables',
    };
  }
  if (key.length < 16) return { cipher: null, refusal: 'ORDERBOOK_SETTINGS_KEY is shorter than 16 characters, so secrets are not stored' };
  return { cipher: aesGcmCipher(key), refusal: null };
}
