import { existsSync } from 'node:fs';

/**
 * Debian's Chromium (Playwright's own browser download does not work on our build machines).
 * CHROMIUM_PATH overrides; a clear error says what to install when none is found.
 */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
  for (const c of candidates) if (c && existsSync(c)) return c;
  throw new Error('No Chromium found for the end-to-end tests: install it (Debian: apt-get install -y chromium) or set CHROMIUM_PATH.');
}
