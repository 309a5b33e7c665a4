#!/usr/bin/env node
/**
 * The end-to-end tests drive Debian's Chromium (Playwright's own browser download does not work on
 * our build machines). Install it when missing and we are allowed to; otherwise say what to do.
 */
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'];
if (candidates.some((c) => c && existsSync(c))) process.exit(0);

const hasAptGet = existsSync('/usr/bin/apt-get');
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (hasAptGet && isRoot) {
  process.stderr.write('Chromium not found: installing Debian\'s chromium for the end-to-end tests…\n');
  execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', { stdio: 'inherit' });
  if (existsSync('/usr/bin/chromium')) process.exit(0);
}
process.stderr.write(
  'The end-to-end tests need Chromium and none was found.\n' +
    '  Debian/Ubuntu: sudo apt-get install -y chromium\n' +
    '  Elsewhere: install Chromium or Chrome and set CHROMIUM_PATH=/path/to/chromium\n',
);
process.exit(1);
