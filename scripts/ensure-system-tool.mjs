#!/usr/bin/env node
/**
 * Tests drive system programs that npm cannot install: Debian's Chromium (Playwright's own browser
 * download does not work on our build machines) for the end-to-end tests, and Debian's nats-server for
 * the desk tests. `node scripts/ensure-system-tool.mjs chromium|nats-server` installs the one named when
 * it is missing and we are allowed to (root with apt-get); otherwise it says what to do and fails.
 */
import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const TOOLS = {
  chromium: {
    candidates: [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'],
    debianPackage: 'chromium',
    neededFor: 'The end-to-end tests need Chromium',
    elsewhere: 'install Chromium or Chrome and set CHROMIUM_PATH=/path/to/chromium',
  },
  'nats-server': {
    candidates: [process.env.NATS_SERVER_PATH, '/usr/sbin/nats-server', '/usr/bin/nats-server', '/usr/local/bin/nats-server'],
    debianPackage: 'nats-server',
    neededFor: 'The desk tests (NATS JetStream) need nats-server 2.9 or newer',
    elsewhere: 'install nats-server (https://nats.io) and set NATS_SERVER_PATH=/path/to/nats-server',
  },
};

const name = process.argv[2];
const tool = TOOLS[name];
if (!tool) {
  process.stderr.write(`usage: node scripts/ensure-system-tool.mjs ${Object.keys(TOOLS).join('|')}\n`);
  process.exit(2);
}
const found = () => tool.candidates.some((c) => c && existsSync(c));
if (found()) process.exit(0);

const hasAptGet = existsSync('/usr/bin/apt-get');
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (hasAptGet && isRoot) {
  process.stderr.write(`${name} not found: installing Debian's ${tool.debianPackage}…\n`);
  execSync(`apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq ${tool.debianPackage}`, { stdio: 'inherit' });
  if (found()) process.exit(0);
}
process.stderr.write(
  `${tool.neededFor} and none was found.\n` +
    `  Debian/Ubuntu: sudo apt-get install -y ${tool.debianPackage}\n` +
    `  Elsewhere: ${tool.elsewhere}\n`,
);
process.exit(1);
